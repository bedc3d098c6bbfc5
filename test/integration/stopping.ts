import { access, mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect } from 'vitest';
import type { Framework } from '../../src/frameworks/schema.js';
import type { LocalSlack, ResponsePost } from '../../src/sandbox/local-slack.js';
import { sendInteraction } from '../../src/sandbox/signing.js';
import { openFileStore } from '../../src/store/file/open.js';
import { firstRatingClick, justStarted } from '../fixtures/runs.js';
import type { NpmProcess, SignalTarget } from './app-process.js';

/**
 * What a signal does to the app while people are clicking, as operators stop it: `npm start` or
 * `npm run start:production`, signalled as a terminal's Ctrl-C or systemd does (the whole process
 * group: npm and the app each get it) or as a supervisor that signals only its child (npm alone).
 *
 * The promise a stop keeps: every click the app acknowledged is saved and answered; whatever comes
 * once it is stopping is refused, never taken and dropped; it exits 0 and gives the data folder up,
 * so the next start can take it at once.
 */

const SECRET = 'stoppingtestsecret012345';
const TEAM = 'T0LOCAL0001';

/** How the test starts the app under npm, with the environment given (the scripts differ). */
type Starter = (env: Record<string, string>) => NpmProcess;

export type StopSetup = { slack: LocalSlack; framework: Framework; dataDir: string; start: Starter };

export const sessionOf = (user: string) => `run-${user}`;

/** A data file in which each of `people` has just pressed Rate yourself: the first competency is shown. */
export async function writeJustStarted(dataDir: string, framework: Framework, people: readonly string[]) {
  const at = new Date().toISOString();
  const records: Record<string, unknown> = {};
  for (const user of people) {
    records[`${TEAM}:${user}`] = {
      ratings: {},
      drafts: { [framework.id]: justStarted(framework, sessionOf(user), at) },
      history: [],
    };
  }
  await mkdir(dataDir, { recursive: true });
  await writeFile(
    path.join(dataDir, 'competency-data.json'),
    JSON.stringify({ formatVersion: 1, people: records }),
  );
}

/** Starts the app on a data folder where `people` have each just started a run; resolves with its events URL. */
async function startWith(setup: StopSetup, people: readonly string[]) {
  await writeJustStarted(setup.dataDir, setup.framework, people);
  const app = setup.start({
    SLACK_BOT_TOKEN: setup.slack.bot.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: setup.slack.apiUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: setup.dataDir,
    FRAMEWORKS_CACHE_DIR: path.join(setup.dataDir, 'frameworks-cache'),
  });
  const [, port] = await app.waitFor(/Listening in HTTP mode on 127\.0\.0\.1:(\d+)/);
  return { app, eventsUrl: `http://127.0.0.1:${port}/slack/events` };
}

/**
 * What became of one click, as Slack sees it: acknowledged (200 within its 3 seconds), refused (any
 * other status: 503 while stopping), or no answer at all (the connection was refused or cut, or the
 * app ended first).
 */
type ClickFate = 'acknowledged' | 'refused' | 'unanswered';

/** `user` clicks `4 · Advanced` on the first competency; `ended` resolves once the app has ended. */
function click(
  setup: StopSetup,
  eventsUrl: string,
  user: string,
  responseUrl: string,
  ended: Promise<void>,
): Promise<ClickFate> {
  const payload = firstRatingClick(setup.framework, {
    userId: user,
    sessionId: sessionOf(user),
    responseUrl,
  });
  const sent = sendInteraction(eventsUrl, SECRET, payload, { timeoutMs: 3_000 }).then(
    (res): ClickFate => (res.status === 200 ? 'acknowledged' : 'refused'),
    (): ClickFate => 'unanswered',
  );
  // A connection that the ended app never answered can stay open on this side for a while.
  return Promise.race([sent, ended.then((): ClickFate => 'unanswered')]);
}

/** Each person's rating of the first competency, as the next start finds it (the folder opened as the app opens it). */
export async function storedRatings(
  { dataDir, framework }: Pick<StopSetup, 'dataDir' | 'framework'>,
  people: readonly string[],
) {
  const store = await openFileStore(dataDir);
  try {
    const competency = framework.competencies[0]?.id ?? '';
    const found = new Map<string, unknown>();
    for (const user of people) {
      found.set(user, (await store.get(`${TEAM}:${user}`)).ratings[framework.id]?.[competency]?.value);
    }
    return found;
  } finally {
    await store.close();
  }
}

/**
 * Resolves once npm and every process under it have ended. The app stops within 10 s of a signal,
 * or exits anyway (main.ts): what still runs 10 s after npm has exited was left behind.
 */
async function ended(app: NpmProcess): Promise<void> {
  await app.exited;
  let timer: NodeJS.Timeout | undefined;
  const leftBehind = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`npm exited, but the app under it still ran 10 s later:\n${app.output()}`)),
      10_000,
    );
  });
  await Promise.race([app.ended, leftBehind]).finally(() => clearTimeout(timer));
}

/** The app ended as a clean stop ends: npm and the app exit 0, and the data folder's lock is gone. */
async function expectCleanEnd(setup: StopSetup, app: NpmProcess, signal: NodeJS.Signals) {
  expect(await app.exited, app.output()).toEqual({ code: 0, signal: null });
  const output = app.output();
  expect(output).toContain(`Received ${signal}`);
  expect(output).toContain('Stopped');
  expect(output).not.toContain('stopping anyway');
  expect(output).not.toContain('Did not stop within');
  const lock = path.join(setup.dataDir, 'competency.lock');
  await expect(access(lock), 'the data folder is still locked').rejects.toThrow();
}

/** What clicking sent after the stop began came to: none of it was taken. */
async function expectRefused(
  setup: StopSetup,
  fates: readonly ClickFate[],
  people: readonly string[],
  answered: ReadonlySet<string>,
) {
  expect(fates.filter((fate) => fate === 'acknowledged')).toEqual([]);
  expect(people.filter((user) => answered.has(user))).toEqual([]);
  const stored = await storedRatings(setup, people);
  expect(people.filter((user) => stored.get(user) !== undefined)).toEqual([]);
}

export const users = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `U0${prefix}${String(i).padStart(5, '0')}`);

/**
 * `clicks` people each click a rating at once; when the app has acknowledged `signalAfter` of them,
 * `signal` goes to `target`. Then a few more people click, once the app has said it got the signal.
 * Every acknowledged click must be saved and answered; the later ones must be refused; the app must
 * end cleanly. The signal comes on an event (the 20th acknowledgement), not after a fixed time, so
 * it lands in the middle of the burst on a fast machine as on a slow one.
 */
export async function expectBurstSurvivesSignal(
  setup: StopSetup,
  {
    signal,
    target,
    clicks = 200,
    signalAfter = 20,
  }: {
    signal: NodeJS.Signals;
    target: SignalTarget;
    clicks?: number;
    signalAfter?: number;
  },
): Promise<void> {
  const burst = users('BURST', clicks);
  const late = users('LATE', 10);
  const { app, eventsUrl } = await startWith(setup, [...burst, ...late]);

  // Which person each response_url belongs to; a valid post of the next step to it is the answer.
  const owner = new Map<string, string>();
  const answered = new Set<string>();
  const onResponse = (post: ResponsePost) => {
    const user = owner.get(post.url);
    if (user !== undefined && post.ok && JSON.stringify(post.body).includes('2 of 8')) answered.add(user);
  };
  setup.slack.on('response', onResponse);
  try {
    let acknowledged = 0;
    const send = (user: string) => {
      const responseUrl = setup.slack.newResponseUrl();
      owner.set(responseUrl, user);
      return click(setup, eventsUrl, user, responseUrl, app.ended);
    };
    const fates = Promise.all(
      burst.map(async (user) => {
        const fate = await send(user);
        if (fate === 'acknowledged' && ++acknowledged === signalAfter) app.signal(signal, target);
        return fate;
      }),
    );
    const received = new RegExp(`Received ${signal}`);
    await Promise.race([
      app.waitFor(received),
      fates.then(() => {
        if (acknowledged < signalAfter)
          throw new Error(`only ${acknowledged} clicks were acknowledged, no signal sent:\n${app.output()}`);
        return app.waitFor(received);
      }),
    ]);
    const lateFates = await Promise.all(late.map(send));
    await ended(app);

    const burstFates = await fates;
    const taken = burst.filter((_, i) => burstFates[i] === 'acknowledged');
    expect(taken.length).toBeGreaterThanOrEqual(signalAfter);
    // Nothing acknowledged was lost: each was answered, and is saved (the next start finds it).
    expect(taken.filter((user) => !answered.has(user))).toEqual([]);
    await expectCleanEnd(setup, app, signal);
    const stored = await storedRatings(setup, taken);
    expect(taken.filter((user) => stored.get(user) !== 4)).toEqual([]);
    await expectRefused(setup, lateFates, late, answered);
  } finally {
    setup.slack.off('response', onResponse);
  }
}

/**
 * A Slack whose response_urls take every post and hold it unanswered until `release`: the app's
 * listeners, having saved the rating, wait on their answer for as long as the test likes.
 */
export async function startHoldingSlack() {
  const held: { user: string; res: ServerResponse; cut: boolean }[] = [];
  const watchers = new Set<() => void>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    const post = { user: decodeURIComponent(req.url?.split('/').pop() ?? ''), res, cut: false };
    // The app gave up on its answer (or was killed) before the answer was taken.
    res.once('close', () => {
      if (!res.writableEnded) post.cut = true;
    });
    held.push(post);
    for (const watch of watchers) watch();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    responseUrl: (user: string) => `${url}/response/${encodeURIComponent(user)}`,
    held,
    /** Resolves once `n` posts are held. */
    holding: (n: number) =>
      new Promise<void>((resolve) => {
        const watch = () => {
          if (held.length < n) return;
          watchers.delete(watch);
          resolve();
        };
        watchers.add(watch);
        watch();
      }),
    release: () => {
      for (const { res } of held) {
        if (res.writableEnded || res.destroyed) continue;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      }
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Twenty people's clicks are acknowledged and saved, and their answers are on their way (held by
 * Slack) when `first` comes, then `second`: the second signal must not cut the stop short. Once the
 * answers go through, the app ends cleanly, every answer delivered.
 */
export async function expectSecondSignalWaits(
  setup: StopSetup,
  { first, second, target }: { first: NodeJS.Signals; second: NodeJS.Signals; target: SignalTarget },
): Promise<void> {
  const slow = await startHoldingSlack();
  try {
    const people = users('HELD', 20);
    const late = users('AFTER', 3);
    const { app, eventsUrl } = await startWith(setup, [...people, ...late]);
    const fates = await Promise.all(
      people.map((user) => click(setup, eventsUrl, user, slow.responseUrl(user), app.ended)),
    );
    expect(fates.filter((fate) => fate !== 'acknowledged')).toEqual([]);
    // Every listener has saved its rating and is waiting on Slack for its answer.
    await slow.holding(people.length);

    app.signal(first, target);
    await app.waitFor(new RegExp(`Received ${first}`));
    app.signal(second, target);
    await app.waitFor(new RegExp(`Received ${second} again: already stopping`));
    const lateFates = await Promise.all(
      late.map((user) => click(setup, eventsUrl, user, slow.responseUrl(user), app.ended)),
    );
    slow.release();

    await ended(app);
    expect(slow.held.map((post) => post.user).sort()).toEqual([...people].sort());
    expect(slow.held.filter((post) => post.cut).map((post) => post.user)).toEqual([]);
    await expectCleanEnd(setup, app, first);
    const stored = await storedRatings(setup, people);
    expect(people.filter((user) => stored.get(user) !== 4)).toEqual([]);
    await expectRefused(setup, lateFates, late, new Set());
  } finally {
    await slow.close();
  }
}
