import { describe, expect } from 'vitest';
import { createLogger, LogLevel } from '../../src/log.js';
import type { LocalSlack } from '../../src/sandbox/local-slack.js';
import { sendSlashCommand } from '../../src/sandbox/signing.js';
import { type Running, start } from '../../src/start.js';
import { startTcpProxy, type TcpProxy, viaPort } from '../store/helpers.js';
import { test } from '../support/fixtures.js';
import { press, textOf } from './harness.js';

/**
 * The app on PostgreSQL when the database goes away and comes back: people are told to try again in
 * a minute (every request still gets its 2xx, nothing crashes), GET /healthz answers 503
 * `unavailable` (and nothing more: the log says why, once, and /metrics which store is down), and the
 * app recovers by itself once the database is back.
 */

const SECRET = 'outagetestsigningsecret1';
const ALICE = 'U0ALICE0001';

const logs: string[] = [];

/** The app on its own database, reached through a proxy that can cut it off; all stopped after the file. */
const it = test
  .extend('proxy', { scope: 'file' }, async ({ sharedDatabase }, { onCleanup }) => {
    const proxy = await startTcpProxy(sharedDatabase.url);
    onCleanup(() => proxy.close());
    return proxy;
  })
  .extend(
    'app',
    { scope: 'file' },
    async ({ sharedLocalSlack: slack, sharedDatabase, proxy }, { onCleanup }) => {
      const app = await start(
        {
          SLACK_BOT_TOKEN: slack.bot.token,
          SLACK_SIGNING_SECRET: SECRET,
          SLACK_API_URL: slack.apiUrl,
          PORT: '0',
          FRAMEWORKS_CACHE_DIR: 'off',
          HOST: '127.0.0.1',
          DATABASE_URL: viaPort(sharedDatabase.url, proxy.port),
        },
        createLogger(LogLevel.INFO, (line) => logs.push(line)),
      );
      onCleanup(() => app.stop());
      return app;
    },
  );

let slack: LocalSlack;
let proxy: TcpProxy;
let app: Running;
it.beforeAll(({ sharedLocalSlack, proxy: started, app: running }) => {
  slack = sharedLocalSlack;
  proxy = started;
  app = running;
}, 30_000);

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

/** Where a click goes: the app, over signed HTTP. */
const target = () => ({ slack, eventsUrl: `${base()}/slack/events`, signingSecret: SECRET });

async function health() {
  const res = await fetch(`${base()}/healthz`);
  return { status: res.status, body: await res.text() };
}

/** The value of one series in GET /metrics, e.g. `competency_store_up{store="postgres"}`. */
async function metric(series: string): Promise<string | undefined> {
  const text = await (await fetch(`${base()}/metrics`)).text();
  return text
    .split('\n')
    .find((line) => line.startsWith(`${series} `))
    ?.slice(series.length + 1);
}

const count = (pattern: RegExp) => logs.filter((line) => pattern.test(line)).length;

describe('the database goes away and comes back', () => {
  it('says "try again in a minute", answers /healthz 503 `unavailable`, logs why once, and recovers by itself', async () => {
    const answer = await command('sa senior');
    const step = await press(target(), answer, 'Rate yourself', { userId: ALICE });
    expect(textOf(step)).toContain('1 of 8');
    expect(await health()).toEqual({ status: 200, body: 'ok' });
    expect(await metric('competency_store_up{store="postgres"}')).toBe('1');

    await proxy.cut();
    const during = await press(target(), step, '4 · Advanced', { userId: ALICE });
    expect(textOf(during)).toContain('cannot reach its data right now');
    expect(textOf(during)).toContain('try again in a minute');
    expect(textOf(await command('history'))).toContain('try again in a minute');
    // The public answer says only that: no store, no host, no error text.
    expect(await health()).toEqual({ status: 503, body: 'unavailable' });
    expect(await health()).toEqual({ status: 503, body: 'unavailable' });
    expect(await metric('competency_store_up{store="postgres"}')).toBe('0');
    expect(await metric('competency_ready')).toBe('0');
    // Why, in the log: once, however often it is asked.
    const unavailable =
      /Unavailable: GET \/healthz answers 503 because the postgres store cannot take changes: cannot reach the database/;
    expect(count(unavailable)).toBe(1);

    await proxy.restore();
    // The same click again, now that the database is back: it is saved, and the run goes on.
    const after = await press(target(), step, '4 · Advanced', { userId: ALICE });
    expect(textOf(after)).toContain('2 of 8');
    expect(await health()).toEqual({ status: 200, body: 'ok' });
    expect(await health()).toEqual({ status: 200, body: 'ok' });
    expect(await metric('competency_store_up{store="postgres"}')).toBe('1');
    expect(await metric('competency_ready')).toBe('1');
    expect(count(unavailable)).toBe(1);
    expect(count(/Ready again: GET \/healthz answers 200/)).toBe(1);
    expect(logs.join('\n')).toMatch(/reachable again/);
    expect(logs.join('\n')).not.toMatch(/\n\s+at /);
  }, 60_000);
});
