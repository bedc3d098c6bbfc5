import path from 'node:path';
import { type Installation, webApi } from '@slack/bolt';
import { DateTime } from 'luxon';
import pg from 'pg';
import { emptyPerson, type PersonData } from '../src/model/records.js';
import { RATE_LIMITS, type RateLimit } from '../src/sandbox/local-slack/rate-limits.js';
import { type ApiCall, type LocalSlack, startLocalSlack } from '../src/sandbox/local-slack.js';
import { BOT_SCOPES } from '../src/slack/app.js';
import { SealedInstallationStore } from '../src/slack/installations.js';
import { openPostgresStore } from '../src/store/postgres/open.js';
import { TokenCipher } from '../src/util/token-cipher.js';
import { APP_ARGS, log, SIGNING_SECRET } from './apps.js';
import {
  type Child,
  cpuAccount,
  freePort,
  ROOT,
  removeTempDir,
  scratchDatabase,
  spawnNode,
  tempDir,
  waitHealthy,
} from './support.js';

/**
 * The check-in wave (`--only wave`): WORKSPACES × PEOPLE people, each with a monthly check-in due this
 * morning at 10:00 in their own zone (four zones, all within one hour), sent by two instances of the
 * production app in distributed mode (each workspace installed with a token of its own) on one
 * PostgreSQL database, against a local Slack that enforces Slack's rate limits
 * (src/sandbox/local-slack/rate-limits.ts). The apps' clocks are set to that morning
 * (test/support/shifted-clock.mjs); their scheduler first looks 5 s after start, then every minute.
 *
 * Measured from the local Slack's side: every call by method and workspace, the 429s, the messages
 * each person got; the wave's time runs from the first call the apps make for it to the last
 * reminder posted. The floor is what the enforced limits set for the calls made: for each workspace
 * and method, calls ÷ the rate (chat.postMessage: for each conversation), the largest of them, since
 * workspaces are served side by side.
 */

export const WAVE_SIZES = {
  full: { workspaces: 20, people: 5_000 },
  quick: { workspaces: 4, people: 1_000 },
};

/** 10:00 in each falls between 04:00 and 04:30 UTC. */
const ZONES = ['Asia/Dhaka', 'Asia/Kathmandu', 'Asia/Kolkata', 'Asia/Colombo'];
/** Wednesday 4 March 2026, 04:30:00 UTC: everyone is due (10:00 in Kolkata and Colombo, 10:30 in Dhaka). */
const MORNING = Date.parse('2026-03-04T04:30:00Z');
const INSTANCES = 2;
const CLIENT_ID = '1234567890.0987654321';
const CLIENT_SECRET = 'benchwaveclientsecret';

const workspaceId = (w: number) => `T0WAVE${String(w).padStart(5, '0')}`;
const userId = (w: number, i: number) => `U0W${String(w).padStart(3, '0')}${String(i).padStart(6, '0')}`;

/** The person's data: nothing but a monthly check-in due at 10:00 today in their zone. */
function personOf(w: number, i: number): { key: string; data: PersonData; due: string } {
  const timeZone = ZONES[i % ZONES.length] ?? 'UTC';
  const due = DateTime.fromMillis(MORNING, { zone: timeZone })
    .set({ hour: 10, minute: 0, second: 0, millisecond: 0 })
    .toUTC()
    .toISO();
  const data = emptyPerson();
  data.reminder = {
    cadence: 'monthly',
    frameworkId: 'solutions-architect.e-commerce',
    levelId: 'senior',
    userId: userId(w, i),
    teamId: workspaceId(w),
    timeZone,
    dueAt: due ?? '',
    setAt: '2026-02-04T04:00:00.000Z',
  };
  return { key: `${workspaceId(w)}:${userId(w, i)}`, data, due: due ?? '' };
}

/** Everyone into the app's `people` table, with the column the scheduler claims by. */
async function seedPeople(url: string, workspaces: number, people: number): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  try {
    for (let w = 0; w < workspaces; w++) {
      const rows = Array.from({ length: people }, (_, i) => personOf(w, i));
      await pool.query(
        'INSERT INTO people (person_key, data, reminder_due) SELECT * FROM unnest($1::text[], $2::json[], $3::timestamptz[])',
        [rows.map((r) => r.key), rows.map((r) => JSON.stringify(r.data)), rows.map((r) => r.due)],
      );
    }
    await pool.query('VACUUM ANALYZE people');
  } finally {
    await pool.end();
  }
}

/** Installs the app into each workspace (OAuth, as Bolt's installer keeps it), sealed into the store. */
async function installEverywhere(slack: LocalSlack, url: string, key: Buffer, workspaces: number) {
  const store = await openPostgresStore(url, { applicationName: 'competency-bench-wave' });
  const quiet = { info: () => {}, warn: () => {} };
  const installations = new SealedInstallationStore(store, new TokenCipher(key), quiet);
  const web = new webApi.WebClient(undefined, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  const redirectUri = 'http://127.0.0.1/slack/oauth_redirect';
  try {
    for (let w = 0; w < workspaces; w++) {
      const code =
        new URL(slack.approve({ target: workspaceId(w), redirectUri, scopes: BOT_SCOPES })).searchParams.get(
          'code',
        ) ?? '';
      const access = await web.oauth.v2.access({
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        code,
        redirect_uri: redirectUri,
      });
      const token = access.access_token ?? '';
      const me = await web.auth.test({ token });
      const installation: Installation<'v2', false> = {
        team: { id: workspaceId(w), name: `Wave ${w}` },
        enterprise: undefined,
        user: { id: access.authed_user?.id ?? '', token: undefined, scopes: undefined },
        bot: { scopes: BOT_SCOPES, token, userId: access.bot_user_id ?? '', id: me.bot_id ?? '' },
        tokenType: 'bot',
        isEnterpriseInstall: false,
        appId: access.app_id,
        authVersion: 'v2',
      };
      await installations.storeInstallation(installation);
    }
  } finally {
    await store.close();
  }
}

/** What the local Slack saw of the wave, counted as calls come (the calls themselves are not kept). */
function watch(slack: LocalSlack, expected: number) {
  const byMethod = new Map<string, number>();
  /** `${workspace}\n${method}` → calls Slack took (not refused), and per conversation for chat.postMessage. */
  const taken = new Map<string, number>();
  const perConversation = new Map<string, number>();
  const dms = new Map<string, number>();
  let rateLimited = 0;
  let first: number | undefined;
  let last = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const onCall = (call: ApiCall) => {
    const now = performance.now();
    first ??= now;
    byMethod.set(call.method, (byMethod.get(call.method) ?? 0) + 1);
    if (call.error === 'ratelimited') {
      rateLimited++;
      return;
    }
    const team = call.team ?? '';
    taken.set(`${team}\n${call.method}`, (taken.get(`${team}\n${call.method}`) ?? 0) + 1);
    if (call.method === 'chat.postMessage') {
      const channel = `${team}\n${String(call.args.channel)}`;
      perConversation.set(channel, (perConversation.get(channel) ?? 0) + 1);
      if (call.ok) {
        const n = (dms.get(channel) ?? 0) + 1;
        dms.set(channel, n);
        last = now;
        if (n === 1 && dms.size === expected) done();
      }
    }
    // The local Slack keeps every call; a wave of 100,000 would hold them all.
    if (slack.calls.length > 10_000) slack.calls.length = 0;
  };
  slack.on('api', onCall);
  return {
    finished,
    stop: () => slack.off('api', onCall),
    figures: () => ({
      firstCallMs: first,
      lastMessageMs: last,
      byMethod: Object.fromEntries(byMethod),
      calls: [...byMethod.values()].reduce((a, b) => a + b, 0),
      rateLimited,
      messaged: dms.size,
      duplicates: [...dms.values()].filter((n) => n > 1).length,
      floor: floorOf(taken, perConversation),
    }),
  };
}

/** The least time the enforced limits allow for these calls: per workspace and method, calls ÷ rate. */
function floorOf(taken: Map<string, number>, perConversation: Map<string, number>) {
  let worst = { seconds: 0, withBurstSeconds: 0, method: '', workspace: '', calls: 0 };
  const consider = (method: string, workspace: string, calls: number, limit: RateLimit) => {
    const seconds = (calls / limit.perMinute) * 60;
    if (seconds > worst.seconds) {
      const withBurstSeconds = (Math.max(0, calls - limit.burst) / limit.perMinute) * 60;
      worst = { seconds, withBurstSeconds, method, workspace, calls };
    }
  };
  for (const [key, calls] of taken) {
    const [workspace = '', method = ''] = key.split('\n');
    const limit = RATE_LIMITS[method];
    if (limit?.per === 'workspace') consider(method, workspace, calls, limit);
  }
  const post = RATE_LIMITS['chat.postMessage'];
  if (post)
    for (const [key, calls] of perConversation)
      consider('chat.postMessage', key.replace('\n', ' '), calls, post);
  return worst;
}

export type WaveResult = Awaited<ReturnType<typeof checkInWave>>;

export async function checkInWave(options: { quick: boolean }) {
  const { workspaces, people } = options.quick ? WAVE_SIZES.quick : WAVE_SIZES.full;
  const total = workspaces * people;
  const key = Buffer.alloc(32, 7);
  const slack = await startLocalSlack({
    rateLimits: true,
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    workspaces: Array.from({ length: workspaces }, (_, w) => ({
      id: workspaceId(w),
      domain: `wave-${w}`,
      name: `Wave ${w}`,
    })),
  });
  const db = await scratchDatabase('wave');
  const dataDir = await tempDir('wave');
  const children: Child[] = [];
  try {
    log(
      `check-in wave: ${workspaces} workspaces × ${people.toLocaleString('en')} people, PostgreSQL ${db.name}`,
    );
    for (let w = 0; w < workspaces; w++) {
      slack.addMembers(
        workspaceId(w),
        Array.from({ length: people }, (_, i) => ({
          id: userId(w, i),
          timeZone: ZONES[i % ZONES.length] ?? 'UTC',
        })),
      );
    }
    const migrated = await openPostgresStore(db.url, { applicationName: 'competency-bench-migrate' });
    await migrated.close();
    await seedPeople(db.url, workspaces, people);
    await installEverywhere(slack, db.url, key, workspaces);
    slack.reset();

    const watching = watch(slack, total);
    const begun = performance.now();
    const starting: Promise<void>[] = [];
    for (let n = 0; n < INSTANCES; n++) {
      const port = await freePort();
      const env: Record<string, string> = {
        SLACK_CLIENT_ID: CLIENT_ID,
        SLACK_CLIENT_SECRET: CLIENT_SECRET,
        SLACK_STATE_SECRET: 'bench-wave-state-secret',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_TOKEN_ENCRYPTION_KEY: key.toString('base64'),
        SLACK_API_URL: slack.apiUrl,
        SLACK_AUTHORIZE_URL: slack.authorizeUrl,
        SLACK_REDIRECT_URI: `http://127.0.0.1:${port}/slack/oauth_redirect`,
        DATABASE_URL: db.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        TEST_CLOCK_OFFSET_MS: String(MORNING - Date.now()),
      };
      const clock = path.join(ROOT, 'test/support/shifted-clock.mjs');
      const child = spawnNode(`wave: app ${n + 1}`, ['--import', clock, ...APP_ARGS], env);
      children.push(child);
      starting.push(waitHealthy(`http://127.0.0.1:${port}`, child, { timeoutMs: 60_000 }));
    }
    await Promise.all(starting);
    const healthyMs = performance.now() - begun;
    // Where the CPU goes while the wave runs: each instance, PostgreSQL, and this process (the local
    // Slack, which checks and keeps every call, and the counting above).
    const cpu = cpuAccount(Object.fromEntries(children.map((c) => [c.name, c.pid])));
    await cpu.start();
    const limitMs = (options.quick ? 5 : 30) * 60_000;
    const timer = setTimeout(
      () => log(`check-in wave: not finished after ${limitMs / 60_000} minutes; stopping`),
      limitMs,
    );
    await Promise.race([watching.finished, new Promise((resolve) => setTimeout(resolve, limitMs).unref())]);
    clearTimeout(timer);
    const cpuUsed = await cpu.stop();
    // A moment for duplicates to show, if any were coming.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    watching.stop();
    const seen = watching.figures();
    await Promise.all(children.map((c) => c.stop(15_000)));
    const stored = await sentInStore(db.url);
    const waveMs = seen.firstCallMs === undefined ? Number.NaN : seen.lastMessageMs - seen.firstCallMs;
    return {
      workspaces,
      people,
      instances: INSTANCES,
      total,
      healthyMs,
      fromStartMs: seen.lastMessageMs - begun,
      waveMs,
      ...seen,
      storedAsSent: stored,
      callsPerReminder: seen.calls / Math.max(1, seen.messaged),
      floorMs: seen.floor.seconds * 1000,
      floorWithBurstMs: seen.floor.withBurstSeconds * 1000,
      cpu: cpuUsed,
      limits: RATE_LIMITS,
    };
  } finally {
    await Promise.all(children.map((c) => c.stop(5_000)));
    await slack.close();
    await db.drop();
    await removeTempDir(dataDir);
  }
}

/** How many people the store records as sent (lastSentAt set). */
async function sentInStore(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM people WHERE data->'reminder'->>'lastSentAt' IS NOT NULL",
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}
