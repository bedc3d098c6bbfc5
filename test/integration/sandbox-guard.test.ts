import { request } from 'node:http';
import { describe, expect } from 'vitest';
import type { SandboxRunning } from '../../src/sandbox/sandbox.js';
import type { Message } from '../../src/sandbox/workspace-screen.js';
import { it } from '../support/fixtures.js';
import { findButton } from './harness.js';

type State = { messages: Message[]; dm: { files: { filename: string; url: string }[] }; version: number };

const SAM = 'U0SAMRIVERA';
const ATTACKER = 'http://attacker.example';

/**
 * The sandbox listens on 127.0.0.1, where any web page the person has open can send it requests. Only
 * the sandbox's own page may press buttons or read what the sample people see. Requests go out over
 * raw HTTP so that Host, Origin and content-type are exactly what a browser or an attacker would send.
 */
describe('the sandbox answers only its own page', () => {
  let sandbox: SandboxRunning;
  let port: string;

  function send(
    method: string,
    route: string,
    headers: Record<string, string>,
    body?: string,
    setHost = true,
  ): Promise<{ status: number; type: string; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path: route, headers, setHost }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** A tool on this machine: JSON, no Origin (what the tests and curl send). */
  async function act(route: string, body: object): Promise<void> {
    const res = await send(
      'POST',
      `/sandbox/api/${route}`,
      { 'content-type': 'application/json' },
      JSON.stringify(body),
    );
    expect(res.status).toBe(200);
  }
  const state = async (): Promise<State> =>
    (await fetch(`${sandbox.url}/sandbox/api/state?user=${SAM}`)).json() as Promise<State>;
  const settle = async (check: (s: State) => boolean): Promise<State> => {
    for (let i = 0; i < 500; i++) {
      const s = await state();
      if (check(s)) return s;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(
      `the sandbox did not show the expected change: ${lastText(await state()).slice(0, 1500)}`,
    );
  };
  const lastText = (s: State) => JSON.stringify(s.messages.at(-1)?.blocks ?? []);
  const button = (m: Message | undefined, label: string) => {
    const found = findButton(m ?? {}, label);
    return { actionId: found.action_id, blockId: found.block_id, value: found.value };
  };

  /** How many records the app says it keeps about Sam, from its "Delete my data" confirmation. */
  const storedRecords = (s: State) => /keeps about you: (\d+) record/.exec(lastText(s))?.[1];

  /** The click on Sam's "Delete my data" confirmation, as a hostile page would send it. */
  let deleteClick: string;
  let recordsBefore: string | undefined;

  it.beforeAll(async ({ sharedSandbox }) => {
    sandbox = sharedSandbox;
    port = new URL(sandbox.url).port;

    // Sam rates one competency, then asks to delete their data and sees the confirmation.
    await act('command', { user: SAM, text: 'sa senior' });
    let s = await settle((x) => lastText(x).includes('Expected at Senior'));
    const rate = button(s.messages.at(-1), 'Rate yourself');
    await act('click', { user: SAM, surface: 'message', messageId: s.messages.at(-1)?.id, ...rate });
    s = await settle((x) => lastText(x).includes('1 of 8'));
    const four = button(s.messages.at(-1), '4 · Advanced');
    await act('click', { user: SAM, surface: 'message', messageId: s.messages.at(-1)?.id, ...four });
    await settle((x) => lastText(x).includes('2 of 8'));
    await act('command', { user: SAM, text: 'forget' });
    s = await settle((x) => lastText(x).includes('Delete my data'));
    const confirm = s.messages.at(-1);
    recordsBefore = storedRecords(s);
    expect(Number(recordsBefore)).toBeGreaterThan(0);
    deleteClick = JSON.stringify({
      user: SAM,
      surface: 'message',
      messageId: confirm?.id,
      ...button(confirm, 'Delete my data'),
    });
  });

  it('refuses a cross-origin text/plain POST (sent without a preflight) and deletes nothing', async () => {
    const before = await state();
    const attempts: Record<string, string>[] = [
      // fetch(…, { mode: 'no-cors', method: 'POST', body }) from another site
      { origin: ATTACKER, 'content-type': 'text/plain;charset=UTF-8' },
      // an HTML form with enctype="text/plain" or the default form encoding
      { origin: ATTACKER, 'content-type': 'text/plain' },
      { origin: ATTACKER, 'content-type': 'application/x-www-form-urlencoded' },
      // the same from a sandboxed frame or a file:// page, whose origin is "null"
      { origin: 'null', 'content-type': 'text/plain' },
      // and with no Origin at all, as an old browser might send
      { 'content-type': 'text/plain' },
      {},
    ];
    for (const headers of attempts) {
      const res = await send('POST', '/sandbox/api/click', headers, deleteClick);
      expect.soft([403, 415], JSON.stringify(headers)).toContain(res.status);
      expect.soft(res.type).toMatch(/^text\/plain/);
      expect.soft(res.body).toMatch(/^Refused: /);
    }
    const typed = await send(
      'POST',
      '/sandbox/api/command',
      { origin: ATTACKER, 'content-type': 'text/plain' },
      JSON.stringify({ user: SAM, text: 'sa lead' }),
    );
    expect.soft(typed.status).toBe(403);

    // Nothing changed: Sam's rating is still stored, and no message was posted for Sam.
    const seen = (await state()).messages.length;
    await act('command', { user: SAM, text: 'forget' });
    const after = await settle((x) => x.messages.length >= seen + 2);
    expect(storedRecords(after)).toBe(recordsBefore);
    expect(after.messages.slice(0, seen).map((m) => m.id)).toEqual(before.messages.map((m) => m.id));
  });

  it('refuses JSON from another origin, and accepts it from the sandbox’s own', async () => {
    const body = JSON.stringify({ user: SAM });
    const json = { 'content-type': 'application/json' };
    for (const origin of [ATTACKER, 'null', `http://localhost:${port}`, `https://127.0.0.1:${port}`]) {
      const res = await send('POST', '/sandbox/api/home', { ...json, origin }, body);
      expect(res.status, origin).toBe(403);
    }
    expect((await send('POST', '/sandbox/api/home', { ...json, origin: sandbox.url }, body)).status).toBe(
      200,
    );
    const viaLocalhost = await send(
      'POST',
      '/sandbox/api/home',
      { ...json, host: `localhost:${port}`, origin: `http://localhost:${port}` },
      body,
    );
    expect(viaLocalhost.status).toBe(200);
  });

  it('answers no request that names another host (DNS rebinding), GET or POST', async () => {
    await act('command', { user: SAM, text: 'export' });
    const file = (await settle((x) => x.dm.files.length > 0)).dm.files[0];
    if (!file) throw new Error('no export');
    const before = await state();
    const gets = [
      '/',
      '/sandbox/page/sandbox.js',
      `/sandbox/api/state?user=${SAM}`,
      '/sandbox/api/events',
      file.url,
    ];
    for (const host of [
      `attacker.example:${port}`,
      'attacker.example',
      `127.0.0.1:${Number(port) + 1}`,
      '127.0.0.1',
    ]) {
      for (const route of gets) {
        const res = await send('GET', route, { host });
        expect(res.status, `${host} ${route}`).toBe(421);
        expect(res.body).not.toContain('Expected at Senior');
        expect(res.body).not.toContain('kind,');
      }
      const posted = await send(
        'POST',
        '/sandbox/api/command',
        { host, origin: `http://${host}`, 'content-type': 'application/json' },
        JSON.stringify({ user: SAM, text: 'sa lead' }),
      );
      expect(posted.status, host).toBe(421);
    }
    // No Host at all (HTTP/1.0): Node itself refuses it.
    expect([400, 421]).toContain(
      (await send('GET', `/sandbox/api/state?user=${SAM}`, {}, undefined, false)).status,
    );
    expect((await state()).messages.map((m) => m.id)).toEqual(before.messages.map((m) => m.id));

    // The sandbox's own names still work.
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await send('GET', `/sandbox/api/state?user=${SAM}`, { host })).status, host).toBe(200);
      const download = await send('GET', file.url, { host });
      expect(download.status).toBe(200);
    }
  });
});
