import path from 'node:path';
import { describe, expect } from 'vitest';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { createLogger, LogLevel } from '../../src/log.js';
import { appHomeOpenedEnvelope } from '../../src/sandbox/event-envelopes.js';
import { blockActionPayload } from '../../src/sandbox/interaction-payloads.js';
import type { LocalSlack } from '../../src/sandbox/local-slack.js';
import { sendEvent, sendInteraction, sendSlashCommand } from '../../src/sandbox/signing.js';
import { mayReadMetrics } from '../../src/slack/app.js';
import { type Running, start } from '../../src/start.js';
import { test } from '../support/fixtures.js';
import { press } from './harness.js';

/**
 * GET /metrics, as Prometheus scrapes it from the app started the way `npm start` starts it with
 * Slack credentials (HTTP mode), against the local Slack.
 */

const SECRET = 'metricstestsecret0123456789';
const ALICE = 'U0METRICS01';

/** One sample of the exposition: `name{label="value",…} number`. */
type Sample = { name: string; labels: Record<string, string>; value: number };

function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/);
    if (!m?.[1] || !m[3]) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[k as string] = v as string;
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/**
 * An app of its own for each test, started as `npm start` starts it with Slack credentials (its
 * data and its frameworks cache in the test's temp folder), so that each test reads counters only it
 * moved; stopped after the test.
 */
const it = test.extend('metricsApp', async ({ localSlack: slack, tempDir }, { onCleanup }) => {
  const running = await start(
    {
      SLACK_BOT_TOKEN: slack.bot.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: path.join(tempDir, 'data'),
      FRAMEWORKS_CACHE_DIR: path.join(tempDir, 'frameworks-cache'),
    },
    createLogger(LogLevel.ERROR, () => {}),
  );
  onCleanup(() => running.stop());
  return running;
});

describe('GET /metrics', () => {
  let slack: LocalSlack;
  let running: Running;
  let base: string;
  let events: string;

  it.beforeEach(({ localSlack, metricsApp }) => {
    slack = localSlack;
    running = metricsApp;
    base = `http://127.0.0.1:${running.port}`;
    events = `${base}/slack/events`;
  });

  const scrape = async (): Promise<{ text: string; samples: Sample[] }> => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    return { text, samples: parse(text) };
  };
  /** The value of one series now; undefined when it is not reported. */
  const value = async (name: string, labels: Record<string, string> = {}): Promise<number | undefined> =>
    (await scrape()).samples.find(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    )?.value;
  const requests = (surface: string, outcome: string) =>
    value('competency_requests_total', { surface, outcome });

  it('answers in the Prometheus text format, with every series at 0 before any request, and Node’s own figures', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    for (const name of [
      'competency_requests_total',
      'competency_ack_duration_seconds',
      'competency_store_write_duration_seconds',
      'competency_store_write_failures_total',
      'competency_slack_api_errors_total',
      'competency_people',
      'competency_ready',
      'competency_frameworks',
      'competency_store_up',
      'competency_store_writes_total',
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    const samples = parse(text);
    for (const surface of ['command', 'block_actions', 'view_submission', 'event', 'other']) {
      for (const outcome of ['answered', 'malformed', 'unclaimed', 'failed']) {
        expect(samples).toContainEqual({
          name: 'competency_requests_total',
          labels: { surface, outcome },
          value: 0,
        });
      }
    }
    expect(samples).toContainEqual({ name: 'competency_people', labels: {}, value: 0 });
    // What GET /healthz no longer says: whether the app is ready, its frameworks, and its store.
    const bundled = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).length;
    expect(samples).toContainEqual({ name: 'competency_ready', labels: {}, value: 1 });
    expect(samples).toContainEqual({ name: 'competency_frameworks', labels: {}, value: bundled });
    expect(samples).toContainEqual({ name: 'competency_store_up', labels: { store: 'lowdb' }, value: 1 });
    expect(samples).toContainEqual({
      name: 'competency_store_writes_total',
      labels: { store: 'lowdb' },
      value: 0,
    });
  });

  it('counts a command and the clicks that follow as answered, times their acknowledgements and the writes, and counts the people', async () => {
    const answer = await sendSlashCommand(events, SECRET, {
      command: '/competency',
      text: 'solutions-architect senior',
      user_id: ALICE,
      response_url: slack.newResponseUrl(),
    });
    expect(answer.status).toBe(200);
    await expect.poll(() => requests('command', 'answered')).toBe(1);
    expect(await value('competency_ack_duration_seconds_count', { surface: 'command' })).toBe(1);

    // Rate yourself, then the first competency: the rating is written to the store.
    const app = { slack, eventsUrl: events, signingSecret: SECRET };
    const firstStep = await press(app, answer.json, 'Rate yourself', { userId: ALICE });
    await press(app, firstStep, '4 · Advanced', { userId: ALICE });

    await expect.poll(() => requests('block_actions', 'answered')).toBe(2);
    expect(await value('competency_ack_duration_seconds_count', { surface: 'block_actions' })).toBe(2);
    // Two changes (the run started, one rating), each answered only once written: two writes of the file.
    expect(await value('competency_store_write_duration_seconds_count', { operation: 'update' })).toBe(2);
    expect(await value('competency_store_write_failures_total', { operation: 'update' })).toBe(0);
    expect(await value('competency_people')).toBe(1);
    expect(await value('competency_store_writes_total', { store: 'lowdb' })).toBe(2);
    // Nothing that names a person, a workspace, a token or a URL is in any label.
    const { text } = await scrape();
    for (const secret of [ALICE, slack.team.id, slack.bot.token, slack.url, '/response/']) {
      expect(text).not.toContain(secret);
    }
  });

  it('counts a signed but malformed click as malformed, and a button no listener claims as unclaimed', async () => {
    const click = blockActionPayload({
      actionId: 'no_such_button_v0',
      blockId: 'b1',
      value: 'x',
      responseUrl: slack.newResponseUrl(),
      user: { id: ALICE },
    });
    expect((await sendInteraction(events, SECRET, { ...click, user: undefined })).status).toBe(200);
    await expect.poll(() => requests('block_actions', 'malformed')).toBe(1);

    expect((await sendInteraction(events, SECRET, click)).status).toBe(200);
    await expect.poll(() => requests('block_actions', 'unclaimed')).toBe(1);
    expect(await requests('block_actions', 'failed')).toBe(0);
  });

  it('counts a request a listener fails on as failed', async () => {
    running.app.command('/competency-broken', async () => {
      throw new Error('a bug in a listener');
    });
    const res = await sendSlashCommand(events, SECRET, {
      command: '/competency-broken',
      text: '',
      response_url: slack.newResponseUrl(),
    });
    expect(res.status).toBe(200);
    await expect.poll(() => requests('command', 'failed')).toBe(1);
  });

  it('is for this machine only: through a proxy, or from elsewhere, it is not there (404)', async () => {
    const proxied: Record<string, string>[] = [
      { 'x-forwarded-for': '203.0.113.9' },
      { forwarded: 'for=203.0.113.9' },
      { 'x-real-ip': '203.0.113.9' },
    ];
    for (const header of proxied) {
      const res = await fetch(`${base}/metrics`, { headers: header });
      expect(res.status, JSON.stringify(header)).toBe(404);
      expect(await res.text()).not.toContain('competency_');
    }
    const other = { headers: {}, socket: { remoteAddress: '203.0.113.9' } };
    expect(mayReadMetrics(other, undefined)).toBe(false);
    expect(mayReadMetrics({ headers: {}, socket: { remoteAddress: '::1' } }, undefined)).toBe(true);
    // With METRICS_TOKEN set, the token decides, wherever the scraper is.
    const token = 'metrics-token-0123456789';
    expect(mayReadMetrics({ ...other, headers: { authorization: `Bearer ${token}` } }, token)).toBe(true);
    expect(
      mayReadMetrics({ ...other, headers: { authorization: 'Bearer wrong-token-0123456789' } }, token),
    ).toBe(false);
    expect(mayReadMetrics({ headers: {}, socket: { remoteAddress: '127.0.0.1' } }, token)).toBe(false);
  });

  it('counts the Slack API errors by method and by how they failed', async () => {
    const home = async () => {
      const before = slack.calls.filter((c) => c.method === 'views.publish').length;
      const res = await sendEvent(events, SECRET, appHomeOpenedEnvelope({ user: ALICE }));
      expect(res.status).toBe(200);
      await slack.waitForCalls('views.publish', before + 1);
    };
    slack.failNext('views.publish', 'invalid_blocks');
    await home();
    await expect
      .poll(() =>
        value('competency_slack_api_errors_total', { method: 'views.publish', failure: 'platform' }),
      )
      .toBe(1);

    slack.failNextHttp('views.publish', { status: 429, headers: { 'retry-after': '30' } });
    await home();
    await expect
      .poll(() =>
        value('competency_slack_api_errors_total', { method: 'views.publish', failure: 'rate_limited' }),
      )
      .toBe(1);

    // A call that succeeds is not counted.
    await home();
    await expect.poll(() => requests('event', 'answered')).toBe(3);
    const errors = (await scrape()).samples.filter((s) => s.name === 'competency_slack_api_errors_total');
    expect(errors.reduce((sum, s) => sum + s.value, 0)).toBe(2);
  });
});
