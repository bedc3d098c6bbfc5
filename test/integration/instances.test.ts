import { describe, expect } from 'vitest';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import type { Framework } from '../../src/frameworks/schema.js';
import { createLogger, LogLevel } from '../../src/log.js';
import type { LocalSlack, ResponsePost } from '../../src/sandbox/local-slack.js';
import {
  type SlackHttpResponse,
  sendInteraction,
  sendSlashCommand,
  slashCommandBody,
} from '../../src/sandbox/signing.js';
import { type Running, start } from '../../src/start.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/open.js';
import { firstRatingClick, justStarted } from '../fixtures/runs.js';
import type { TestDatabase } from '../store/helpers.js';
import { test } from '../support/fixtures.js';
import { type LocalSocketMode, startLocalSocketMode } from '../support/local-socket-mode.js';
import { type AppProcess, startAppProcess } from './app-process.js';
import { press, pressOverSocket, textOf } from './harness.js';

/**
 * Several instances of the app on one PostgreSQL database, as an organisation runs it behind a load
 * balancer: requests spread across the instances, one person's consecutive clicks landing on
 * different ones, an instance killed in the middle of a burst, and two instances on one app token
 * in Socket Mode (Slack spreads deliveries over an app's connections).
 */

const SECRET = 'instancestestsecret0001';
const TEAM = 'T0LOCAL0001';
const LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];

/** An instance of the app: in its own process where a test kills it, in this one elsewhere. */
type Instance = { port: number | undefined; stop: () => Promise<unknown> };

/** Stops each instance of `starting` that did start. */
async function stopAll(starting: readonly Promise<Instance>[]): Promise<void> {
  const started = await Promise.allSettled(starting);
  await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
}

const quiet = () => createLogger(LogLevel.ERROR, () => {});

/**
 * The instances of this file, each started as `npm start` starts it, on the local Slack and the
 * database they share, and the test's own look into that database; all stopped after the file.
 */
const it = test
  .extend('store', { scope: 'file' }, async ({ sharedDatabase }, { onCleanup }) => {
    const store = await openPostgresStore(sharedDatabase.url);
    onCleanup(() => store.close());
    return store;
  })
  .extend('httpInstances', { scope: 'file' }, async ({ sharedLocalSlack, sharedDatabase }, { onCleanup }) => {
    const env = httpEnv(sharedLocalSlack, sharedDatabase);
    const starting = [startAppProcess(env), start(env, quiet())] as const;
    onCleanup(() => stopAll(starting));
    return Promise.all(starting);
  })
  .extend(
    'socketInstances',
    { scope: 'file' },
    async ({ sharedLocalSlack: slack, sharedDatabase }, { onCleanup }) => {
      const socket = await startLocalSocketMode({ deliver: 'round-robin' });
      slack.useSocketMode(socket.url);
      const env = {
        SLACK_BOT_TOKEN: slack.bot.token,
        SLACK_APP_TOKEN: slack.appToken,
        SLACK_API_URL: slack.apiUrl,
        DATABASE_URL: sharedDatabase.url,
        FRAMEWORKS_CACHE_DIR: 'off',
      };
      const starting = [start(env, quiet()), start(env, quiet())];
      onCleanup(async () => {
        await stopAll(starting);
        await socket.close();
        slack.useSocketMode(undefined);
      });
      await Promise.all(starting);
      return { socket };
    },
  );

let slack: LocalSlack;
let store: PostgresStore;
let framework: Framework;

it.beforeAll(async ({ sharedLocalSlack, store: lookInto }) => {
  slack = sharedLocalSlack;
  // Twenty people at once each wait for their answer from the local Slack: one listener each.
  slack.setMaxListeners(50);
  store = lookInto;
  const bundled = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).find(
    (f) => f.id === 'solutions-architect.e-commerce',
  );
  if (!bundled) throw new Error('no bundled framework');
  framework = bundled;
});

function httpEnv(slack: LocalSlack, db: TestDatabase): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: slack.bot.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    FRAMEWORKS_CACHE_DIR: 'off',
    HOST: '127.0.0.1',
    DATABASE_URL: db.url,
  };
}

const eventsUrl = (app: Instance) => `http://127.0.0.1:${app.port}/slack/events`;

/** `app`, as a click reaches it. */
const at = (app: Instance) => ({ slack, eventsUrl: eventsUrl(app), signingSecret: SECRET });

function command(app: Instance, text: string, userId: string): Promise<SlackHttpResponse> {
  return sendSlashCommand(eventsUrl(app), SECRET, {
    command: '/competency',
    text,
    user_id: userId,
    response_url: slack.newResponseUrl(),
  });
}

describe('two instances in HTTP mode on one database', () => {
  /** `a` runs in a process of its own: the last test kills it. */
  let a: AppProcess;
  let b: Running;
  it.beforeAll(({ httpInstances }) => {
    [a, b] = httpInstances;
  }, 60_000);

  /** Rates every competency, each click sent to the other instance than the one before. */
  async function rateAcross(userId: string, ratings: number[]): Promise<string> {
    const apps = [a, b];
    const answer = (await command(apps[0] as Instance, 'sa senior', userId)).json;
    let step = await press(at(apps[1] as Instance), answer, 'Rate yourself', { userId });
    for (const [i, rating] of ratings.entries()) {
      expect(textOf(step)).toContain(`${i + 1} of 8`);
      step = await press(at(apps[i % 2] as Instance), step, LABELS[rating] ?? '', { userId });
    }
    return textOf(step);
  }

  it("one person's consecutive clicks on different instances: every rating kept once, the flow advances", async () => {
    const summary = await rateAcross('U0ACROSS001', [4, 5, 2, 4, 3, 2, 3, 1]);
    expect(summary).toContain('*5 of 8 at or above Senior expectations*');
    const person = await store.get(`${TEAM}:U0ACROSS001`);
    expect(Object.values(person.ratings[framework.id] ?? {}).map((r) => r.value)).toEqual([
      4, 5, 2, 4, 3, 2, 3, 1,
    ]);
    expect(person.history).toHaveLength(1);
  }, 60_000);

  it('twenty people at once, every click on the other instance: every assessment complete, none twice', async () => {
    const people = Array.from({ length: 20 }, (_, i) => `U0MANY${String(i).padStart(5, '0')}`);
    const summaries = await Promise.all(people.map((user) => rateAcross(user, [3, 3, 3, 3, 3, 3, 3, 3])));
    for (const summary of summaries) expect(summary).toContain('at or above Senior expectations');
    for (const user of people) {
      const person = await store.get(`${TEAM}:${user}`);
      expect(Object.keys(person.ratings[framework.id] ?? {}), user).toHaveLength(8);
      expect(person.history, user).toHaveLength(1);
    }
  }, 90_000);

  it('kill -9 of one instance during a burst: the other keeps serving, nothing confirmed is lost', async () => {
    const PEOPLE = 200;
    const userOf = (i: number) => `U0BURST${String(i).padStart(5, '0')}`;
    const at = new Date().toISOString();
    // Each of them has just pressed Rate yourself.
    await Promise.all(
      Array.from({ length: PEOPLE }, (_, i) =>
        store.update(`${TEAM}:${userOf(i)}`, (d) => {
          d.drafts[framework.id] = justStarted(framework, `burst-${i}`, at);
        }),
      ),
    );
    const owner = new Map<string, string>();
    const confirmed = new Set<string>();
    let confirmedByA = 0;
    const viaA = new Set<string>();
    const onResponse = (post: ResponsePost) => {
      const user = owner.get(post.url);
      if (!user || !post.ok || !JSON.stringify(post.body).includes('2 of 8')) return;
      confirmed.add(user);
      if (viaA.has(user) && ++confirmedByA === 20) a.child.kill('SIGKILL');
    };
    slack.on('response', onResponse);
    const clicks = Array.from({ length: PEOPLE }, (_, i) => {
      const user = userOf(i);
      const responseUrl = slack.newResponseUrl();
      owner.set(responseUrl, user);
      const target = i % 2 === 0 ? a : b;
      if (target === a) viaA.add(user);
      const payload = firstRatingClick(framework, { userId: user, sessionId: `burst-${i}`, responseUrl });
      // Clicks cut off by the kill fail; that is the point.
      return sendInteraction(eventsUrl(target), SECRET, payload).catch(() => undefined);
    });
    await Promise.all(clicks);
    await a.exited;
    // The survivor acknowledged every click at once; its answers follow through the response_urls.
    const sentToB = [...owner.values()].filter((user) => !viaA.has(user));
    await expect.poll(() => sentToB.filter((user) => confirmed.has(user)).length).toBe(sentToB.length);
    slack.off('response', onResponse);
    expect(confirmedByA).toBeGreaterThanOrEqual(20);

    // Every confirmed rating is in the database, whichever instance confirmed it.
    for (const user of confirmed) {
      const person = await store.get(`${TEAM}:${user}`);
      expect(person.ratings[framework.id]?.[framework.competencies[0]?.id ?? '']?.value, user).toBe(4);
    }
    // And it keeps serving.
    const res = await command(b, 'sa senior', 'U0AFTER0001');
    expect(res.status).toBe(200);
    expect(textOf(res.json)).toContain('Expected at Senior');
  }, 90_000);
});

describe('two instances in Socket Mode on one app token', () => {
  let socket: LocalSocketMode;
  it.beforeAll(async ({ socketInstances }) => {
    socket = socketInstances.socket;
    await socket.waitForConnections(2);
  }, 60_000);

  it('Slack spreads the deliveries over both; the whole rating flow works across them', async () => {
    const user = 'U0SOCKET001';
    const fields = Object.fromEntries(
      new URLSearchParams(
        slashCommandBody({
          command: '/competency',
          text: 'sa senior',
          user_id: user,
          response_url: slack.newResponseUrl(),
        }),
      ),
    );
    const ack = await socket.send('slash_commands', fields);
    expect(textOf(ack.payload)).toContain('Expected at Senior');

    const pressOver = async (message: unknown, label: string) =>
      (await pressOverSocket({ slack, socket }, message, label, user)).answer;
    let step: unknown = await pressOver(ack.payload, 'Rate yourself');
    for (const rating of [4, 4, 4, 4, 3, 4, 3, 3]) step = await pressOver(step, LABELS[rating] ?? '');
    expect(textOf(step)).toContain('*8 of 8 at or above Senior expectations*: 8 meet.');

    // Both connections (one per instance) took deliveries.
    expect(new Set(socket.deliveries.map((d) => d.connection))).toEqual(new Set([1, 2]));
    const person = await store.get(`${TEAM}:${user}`);
    expect(person.history).toHaveLength(1);
    expect(Object.keys(person.ratings[framework.id] ?? {})).toHaveLength(8);
  }, 60_000);
});
