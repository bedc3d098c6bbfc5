// biome-ignore-all lint/correctness/noEmptyPattern: vitest reads from a fixture's first parameter, which must be a destructuring pattern, the fixtures it needs
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { type SandboxRunning, startSandbox } from '../../src/sandbox/sandbox.js';
import type { Message } from '../../src/sandbox/workspace-screen.js';
import { test } from '../support/fixtures.js';
import { pageApi, pressOnPage } from '../support/page-api.js';

type Workspace = { id: string; name: string; installed: boolean; users: { id: string; name: string }[] };
type State = {
  me: string;
  users: { id: string; name: string }[];
  channel: { id: string; name: string };
  messages: Message[];
  workspace: { id: string; name: string; installed: boolean; removed: boolean; installUrl: string };
  workspaces: Workspace[];
};

const SANDBOX = 'T0LOCAL0001';
const SECOND = 'T0SECONDWS1';
/** Sam Rivera, in the sandbox's workspace and in the second one: one person, two accounts. */
const SAM = 'U0SAMRIVERA';
const SAM_2 = 'U0SAMRIVER2';

/**
 * The sandbox's two workspaces, through its page API (no browser): the app is installed into the
 * sandbox's own workspace at start; the second workspace gets it through the app's real install page
 * and the local Slack's authorize page, as a browser would; removing it there deletes its people's data.
 */
/** Starts the sandbox again on the data folder of the one before; stopped after the test. */
const it = test.extend('startAgain', async ({}, { onCleanup }) => {
  let again: SandboxRunning | undefined;
  onCleanup(() => again?.stop());
  return async (dataDir: string) => {
    again = await startSandbox(
      { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', FRAMEWORKS_CACHE_DIR: 'off' },
      { print: () => {} },
    );
    return again;
  };
});

describe('the sandbox’s two workspaces: installing the app into the second, and removing it', () => {
  let sandbox: SandboxRunning;
  let dir: string;
  const post = async (route: string, body: object, headers: Record<string, string> = {}) => {
    const res = await fetch(`${sandbox.url}/sandbox/api/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
  };
  const state = async (user: string): Promise<State> =>
    (await fetch(`${sandbox.url}/sandbox/api/state?user=${user}`)).json() as Promise<State>;
  const lastText = (s: State) => JSON.stringify(s.messages.at(-1) ?? {});
  const settle = async (user: string, check: (s: State) => boolean): Promise<State> => {
    for (let i = 0; i < 500; i++) {
      const s = await state(user);
      if (check(s)) return s;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(
      `the sandbox did not show the expected change: ${lastText(await state(user)).slice(0, 800)}`,
    );
  };
  const press = (user: string, message: Message | undefined, label: string | RegExp) =>
    pressOnPage(pageApi(sandbox.url), user, message, label);

  /** `/competency sa senior`, and what its answer says of the person's progress. */
  const progressOf = async (user: string): Promise<string> => {
    const before = (await state(user)).messages.length;
    expect((await post('command', { user, text: 'sa senior' })).json).toEqual({ ok: true });
    const text = lastText(await settle(user, (s) => s.messages.length >= before + 2));
    return (
      /Continue rating \(\d+ of \d+\)/.exec(text)?.[0] ??
      (text.includes('Rate yourself') ? 'not started' : text)
    );
  };
  /** Rates the next `count` competencies at Senior 4 · Advanced, as the person would. */
  const rate = async (user: string, count = 1) => {
    const before = (await state(user)).messages.length;
    await post('command', { user, text: 'sa senior' });
    let s = await settle(user, (x) => x.messages.length >= before + 2);
    await press(user, s.messages.at(-1), /^(Rate yourself|Continue rating)/);
    for (let i = 0; i < count; i++) {
      s = await settle(user, (x) => / of 8/.test(lastText(x)) && lastText(x).includes('4 · Advanced'));
      const shown = lastText(s);
      await press(user, s.messages.at(-1), '4 · Advanced');
      s = await settle(user, (x) => lastText(x) !== shown);
    }
  };

  /**
   * What a browser does from the page's "Add Competency to this workspace" link: the app's install
   * page (its state cookie), "Add to Slack", the local Slack's "Install into …" button, and back to
   * the app with the cookie.
   */
  const install = async (workspaceName: string): Promise<{ status: number; html: string }> => {
    const link = await fetch(`${sandbox.url}/sandbox/install`, { redirect: 'manual' });
    expect(link.status).toBe(302);
    const installUrl = link.headers.get('location') ?? '';
    expect(installUrl).toBe((await state(SAM)).workspace.installUrl);
    expect(installUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/slack\/install$/);
    const page = await fetch(installUrl);
    const html = await page.text();
    expect(html).toContain('Add to Slack');
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const authorize = /href="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? '';
    const choices = await (await fetch(authorize)).text();
    const action = new RegExp(
      `<form method="post" action="([^"]+)"><button type="submit">Install into ${workspaceName}</button>`,
    ).exec(choices)?.[1];
    if (!action) throw new Error(`no "Install into ${workspaceName}" on the authorize page`);
    const origin = new URL(authorize).origin;
    const approved = await fetch(new URL(action.replaceAll('&amp;', '&'), origin), {
      method: 'POST',
      redirect: 'manual',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const finished = await fetch(approved.headers.get('location') ?? '', { headers: { cookie } });
    return { status: finished.status, html: await finished.text() };
  };

  /** The person keys the app keeps data for, from its data file. */
  const storedPeople = async (): Promise<string[]> => {
    const data = JSON.parse(await readFile(path.join(dir, 'competency-data.json'), 'utf8')) as {
      people: Record<string, unknown>;
    };
    return Object.keys(data.people);
  };

  it.beforeAll(({ sharedSandbox, sharedTempDir }) => {
    sandbox = sharedSandbox;
    dir = sharedTempDir;
  });

  it('starts with the app installed in the sandbox’s workspace, and not in the second', async () => {
    const s = await state(SAM);
    expect(s.workspace).toMatchObject({
      id: SANDBOX,
      name: 'Sandbox Workspace',
      installed: true,
      removed: false,
    });
    expect(s.workspaces.map((w) => [w.id, w.name, w.installed])).toEqual([
      [SANDBOX, 'Sandbox Workspace', true],
      [SECOND, 'Second Workspace', false],
    ]);
    // The same people are in both, with accounts of each workspace.
    expect(s.workspaces[1]?.users.map((u) => u.name)).toEqual(s.users.map((u) => u.name));
    expect(s.workspaces[1]?.users.map((u) => u.id)).not.toContain(SAM);
    expect(sandbox.workspaces.map((w) => w.team.id)).toEqual([SANDBOX, SECOND]);
    expect(await progressOf(SAM)).toBe('not started');
  });

  it('in the second workspace, a command is answered that the app is not installed there', async () => {
    const s = await state(SAM_2);
    expect(s.me).toBe(SAM_2);
    expect(s.workspace).toMatchObject({ id: SECOND, name: 'Second Workspace', installed: false });
    expect(s.channel.id).not.toBe((await state(SAM)).channel.id);
    expect((await post('command', { user: SAM_2, text: 'sa senior' })).json).toEqual({ ok: true });
    const answered = await settle(SAM_2, (x) => x.messages.length === 2);
    expect(lastText(answered)).toContain('Competency is not installed in this workspace');
    // Nothing of it shows in the sandbox’s workspace.
    expect(JSON.stringify((await state(SAM)).messages)).not.toContain('not installed');
  });

  it('installs into the second workspace through its install page; each workspace keeps its own people', async () => {
    const done = await install('Second Workspace');
    expect(done.status).toBe(200);
    expect(done.html).toContain('Competency is installed');
    await settle(SAM_2, (s) => s.workspace.installed);
    expect((await state(SAM)).workspaces.map((w) => w.installed)).toEqual([true, true]);

    expect(await progressOf(SAM_2)).toBe('not started');
    await rate(SAM_2);
    expect(await progressOf(SAM_2)).toBe('Continue rating (2 of 8)');
    // Sam's rating in the second workspace is not Sam's in the first, and the other way round.
    expect(await progressOf(SAM)).toBe('not started');
    await rate(SAM, 2);
    expect(await progressOf(SAM)).toBe('Continue rating (3 of 8)');
    expect(await progressOf(SAM_2)).toBe('Continue rating (2 of 8)');
    expect(await storedPeople()).toEqual(expect.arrayContaining([`${SANDBOX}:${SAM}`, `${SECOND}:${SAM_2}`]));

    // The Home tab of the second workspace is published there, for Sam's account there.
    expect((await post('home', { user: SAM_2 })).json).toEqual({ ok: true });
    const home = await settle(SAM_2, (x) => (x as State & { home: unknown }).home !== null);
    expect(JSON.stringify((home as State & { home: unknown }).home)).toContain('Your assessments');
  });

  it('refuses a removal from another web page, or of a workspace it does not have', async () => {
    const attacker = await post('uninstall', { workspace: SECOND }, { origin: 'http://attacker.example' });
    expect(attacker.status).toBe(403);
    const plain = await fetch(`${sandbox.url}/sandbox/api/uninstall`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ workspace: SECOND }),
    });
    expect(plain.status).toBe(415);
    expect((await post('uninstall', { workspace: 'T0NOWHERE01' })).status).toBe(400);
    expect((await state(SAM_2)).workspace.installed).toBe(true);
  });

  it('removing the app from the second workspace deletes its people’s data, and only theirs', async () => {
    const removed = await post('uninstall', { workspace: SECOND });
    expect(removed.json).toEqual({ ok: true });
    const s = await state(SAM_2);
    expect(s.workspace).toMatchObject({ installed: false, removed: true });
    const people = await storedPeople();
    expect(people.filter((key) => key.startsWith(`${SECOND}:`))).toEqual([]);
    expect(people).toContain(`${SANDBOX}:${SAM}`);
    // Removing it again says it is not there.
    expect((await post('uninstall', { workspace: SECOND })).json).toMatchObject({ ok: false });

    const before = s.messages.length;
    await post('command', { user: SAM_2, text: 'sa senior' });
    expect(lastText(await settle(SAM_2, (x) => x.messages.length >= before + 2))).toContain(
      'Competency is not installed in this workspace',
    );
    expect(await progressOf(SAM)).toBe('Continue rating (3 of 8)');

    // Added again, it starts from nothing there.
    expect((await install('Second Workspace')).status).toBe(200);
    expect((await settle(SAM_2, (x) => x.workspace.installed)).workspace.removed).toBe(false);
    expect(await progressOf(SAM_2)).toBe('not started');
    await rate(SAM_2);
  });

  it('after a restart, each workspace that had the app has it again, with its data', async ({
    startAgain,
  }) => {
    await sandbox.stop();
    sandbox = await startAgain(dir);
    const s = await state(SAM_2);
    expect(s.workspaces.map((w) => w.installed)).toEqual([true, true]);
    expect(await progressOf(SAM_2)).toBe('Continue rating (2 of 8)');
    expect(await progressOf(SAM)).toBe('Continue rating (3 of 8)');
  });
});
