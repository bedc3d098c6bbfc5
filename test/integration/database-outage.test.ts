import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, LogLevel } from '../../src/log.js';
import { type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { sendSlashCommand } from '../../src/sandbox/signing.js';
import { type Running, start } from '../../src/start.js';
import {
  createTestDatabase,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
  viaPort,
} from '../store/helpers.js';
import { pressButton, textOf } from './harness.js';

/**
 * The app on PostgreSQL when the database goes away and comes back: people are told to try again in
 * a minute (every request still gets its 2xx, nothing crashes), GET /healthz says which store is in
 * use and that it cannot be reached, and the app recovers by itself once the database is back.
 */

const SECRET = 'outagetestsigningsecret1';
const ALICE = 'U0ALICE0001';

let slack: LocalSlack;
let db: TestDatabase;
let proxy: TcpProxy;
let app: Running;
const logs: string[] = [];

beforeAll(async () => {
  slack = await startLocalSlack();
  db = await createTestDatabase('outage');
  proxy = await startTcpProxy(db.url);
  app = await start(
    {
      SLACK_BOT_TOKEN: slack.bot.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: viaPort(db.url, proxy.port),
    },
    createLogger(LogLevel.INFO, (line) => logs.push(line)),
  );
}, 30_000);
afterAll(async () => {
  await app?.stop();
  await proxy?.close();
  await slack?.close();
  await db?.drop();
});

const base = () => `http://127.0.0.1:${app.port}`;

async function command(text: string) {
  const res = await sendSlashCommand(`${base()}/slack/events`, SECRET, {
    command: '/competency',
    text,
    user_id: ALICE,
    response_url: slack.newResponseUrl(),
  });
  expect(res.status).toBe(200);
  return res.json;
}

function press(message: unknown, label: string) {
  return pressButton(
    { slack, eventsUrl: `${base()}/slack/events`, signingSecret: SECRET },
    message,
    label,
    ALICE,
  );
}

async function health() {
  const res = await fetch(`${base()}/healthz`);
  return { status: res.status, body: (await res.json()) as { ok: boolean; store?: Record<string, unknown> } };
}

describe('the database goes away and comes back', () => {
  it('says "try again in a minute", answers /healthz 503 naming the store, and recovers by itself', async () => {
    const answer = await command('sa senior');
    const step = await press(answer, 'Rate yourself');
    expect(textOf(step)).toContain('1 of 8');
    expect((await health()).body.store).toMatchObject({ kind: 'postgres', ok: true });

    await proxy.cut();
    const during = await press(step, '4 · Advanced');
    expect(textOf(during)).toContain('cannot reach its data right now');
    expect(textOf(during)).toContain('try again in a minute');
    expect(textOf(await command('history'))).toContain('try again in a minute');
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.store).toMatchObject({ kind: 'postgres', ok: false });
    expect(String(down.body.store?.problem)).toContain('cannot reach the database');
    expect(JSON.stringify(down.body)).not.toContain('postgres://');

    await proxy.restore();
    // The same click again, now that the database is back: it is saved, and the run goes on.
    const after = await press(step, '4 · Advanced');
    expect(textOf(after)).toContain('2 of 8');
    expect((await health()).status).toBe(200);
    expect(logs.join('\n')).toMatch(/reachable again/);
    expect(logs.join('\n')).not.toMatch(/\n\s+at /);
  }, 60_000);
});
