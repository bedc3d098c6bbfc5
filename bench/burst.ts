import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Framework } from '../src/frameworks/schema.js';
import type { LocalSlack, ResponsePost } from '../src/sandbox/local-slack.js';
import { blockActionPayload } from '../src/sandbox/signing.js';
import type { StoreData } from '../src/store/schema.js';
import { APP_ARGS, appEnv, log, signedHeaders } from './apps.js';
import { LEVEL_ID, type Rater, seedData, TEAM_ID, type WriteTiming, writeDataFile } from './data.js';
import {
  type Child,
  cpuTimeOf,
  freePort,
  health,
  listenQueueDrops,
  median,
  removeTempDir,
  rssOf,
  spawnNode,
  tempDir,
  waitHealthy,
} from './support.js';

/**
 * 2. A burst of rating clicks on a large store: 1,000 people click a rating at the same moment;
 * the clock stops when the last of them has been told (the app answers only once the rating is on
 * disk). The baseline is one full write of the same file. As a floor for this machine, the same
 * clicks also go to the minimal Bolt app, which acknowledges and answers each on its response_url
 * with no store and no views.
 */

export const FINISHED_PEOPLE = 10_000;
export const CLICKS = 1_000;

type Probe = {
  sequence: number;
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  samples: number;
  rssBytes: number;
};

/** Sends SIGUSR2 to a process started with bench/probe.mjs and reads what the probe wrote. */
async function readProbe(child: Child, file: string, previous: number): Promise<Probe> {
  child.process.kill('SIGUSR2');
  const until = performance.now() + 10_000;
  for (;;) {
    try {
      const probe = JSON.parse(await readFile(file, 'utf8')) as Probe;
      if (probe.sequence > previous) return probe;
    } catch {
      // not written yet
    }
    if (performance.now() > until) throw new Error(`the probe in ${child.name} did not answer SIGUSR2`);
    await sleep(20);
  }
}

type Click = { responseUrl: string; body: string; headers: Record<string, string> };

/** Each rater clicks `4 · Advanced` on the first competency: signed, with a response_url of its own. */
function prepareClicks(slack: LocalSlack, framework: Framework, raters: Rater[]): Click[] {
  const first = framework.competencies[0];
  if (!first) throw new Error(`${framework.id} has no competencies`);
  return raters.map((rater) => {
    const responseUrl = slack.newResponseUrl();
    const payload = blockActionPayload({
      user: { id: rater.userId },
      actionId: 'assessment_answer:4',
      blockId: 'rating_scale',
      value: JSON.stringify({ f: framework.id, v: framework.version, s: rater.sessionId, c: first.id, a: 4 }),
      text: '4 · Advanced',
      responseUrl,
    });
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return { responseUrl, body, headers: signedHeaders(body) };
  });
}

/**
 * Sends every click at once (one connection each, as when many people click together) and waits
 * until each click's response_url has been posted to.
 */
async function fireClicks(slack: LocalSlack, baseUrl: string, child: Child, clicks: Click[]) {
  const expected = new Set(clicks.map((c) => c.responseUrl));
  const arrived = new Map<string, { ms: number; post: ResponsePost }>();
  let t0 = 0;
  const allArrived = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      slack.off('response', onResponse);
      reject(new Error(`only ${arrived.size} of ${clicks.length} response_url posts arrived within 60 s`));
    }, 60_000);
    const onResponse = (post: ResponsePost) => {
      if (!expected.has(post.url) || arrived.has(post.url)) return;
      const ms = performance.now() - t0;
      arrived.set(post.url, { ms, post });
      if (arrived.size === clicks.length) {
        clearTimeout(timer);
        slack.off('response', onResponse);
        resolve(ms);
      }
    };
    slack.on('response', onResponse);
  });

  const dropsBefore = await listenQueueDrops();
  const cpuBefore = await cpuTimeOf(child.pid);
  const benchCpuBefore = process.cpuUsage();
  t0 = performance.now();
  const acks = clicks.map((c) =>
    fetch(`${baseUrl}/slack/events`, { method: 'POST', headers: c.headers, body: c.body }).then(
      async (res) => {
        await res.text();
        return { status: res.status, ms: performance.now() - t0 };
      },
      (error: unknown) => ({ status: 0, ms: performance.now() - t0, error: String(error) }),
    ),
  );
  const durableMs = await allArrived;
  const ackResults = await Promise.all(acks);
  const cpuAfter = await cpuTimeOf(child.pid);
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const dropsAfter = await listenQueueDrops();

  const posts = [...arrived.values()];
  const arrivals = posts.map((p) => p.ms).sort((a, b) => a - b);
  return {
    durableMs,
    firstResponseMs: arrivals[0] ?? Number.NaN,
    medianResponseMs: median(arrivals),
    acks: {
      status200: ackResults.filter((a) => a.status === 200).length,
      medianAckMs: median(ackResults.map((a) => a.ms)),
      lastAckMs: Math.max(...ackResults.map((a) => a.ms)),
      failures: ackResults.filter((a) => a.status !== 200).slice(0, 5),
    },
    /** CPU time the app used from the first click to the last reply (user + system, all its threads). */
    appCpuMs: cpuAfter - cpuBefore,
    /** CPU time of this process meanwhile (sending the clicks, receiving and checking the replies). */
    benchCpuMs: (benchCpu.user + benchCpu.system) / 1000,
    /** Connections the kernel dropped because the app's accept queue was full (their clients retry after 1 s). */
    listenQueueDrops: dropsAfter - dropsBefore,
    posts: posts.map((p) => p.post),
  };
}

export async function ratingBurst(slack: LocalSlack, framework: Framework, finishedPeople = FINISHED_PEOPLE) {
  const dataDir = await tempDir('burst');
  const probeDir = await tempDir('probe');
  const probeFile = path.join(probeDir, 'probe.json');
  const dataFile = path.join(dataDir, 'competency-data.json');

  log(`rating burst: writing a data file with ${finishedPeople} + ${CLICKS} people`);
  const { data, raters } = seedData(framework, { finished: finishedPeople, raters: CLICKS });
  const writes: WriteTiming[] = await writeDataFile(dataFile, data);
  const app = await appBurst(slack, framework, raters, { dataDir, dataFile, probeFile });
  await removeTempDir(dataDir);
  if (app.peopleAtStart !== finishedPeople + CLICKS) {
    throw new Error(`the app started with ${app.peopleAtStart} people, not ${finishedPeople + CLICKS}`);
  }

  // The same clicks on a store of only the 1,000 people who click: what the file's size costs.
  const smallDir = await tempDir('burst-small');
  const small = seedData(framework, { finished: 0, raters: CLICKS });
  const smallWrites = await writeDataFile(path.join(smallDir, 'competency-data.json'), small.data);
  const smallStore = await appBurst(slack, framework, small.raters, {
    dataDir: smallDir,
    dataFile: path.join(smallDir, 'competency-data.json'),
    probeFile,
  });
  await removeTempDir(smallDir);

  const minimalApp = await minimalBurst(slack, framework, raters, probeFile);
  await removeTempDir(probeDir);
  return {
    people: finishedPeople + CLICKS,
    clicks: CLICKS,
    dataFileBytes: writes[0]?.bytes ?? 0,
    oneWrite: { medianMs: median(writes.map((w) => w.totalMs)), timings: writes },
    ...app,
    smallStore: { people: CLICKS, dataFileBytes: smallWrites[0]?.bytes ?? 0, ...smallStore },
    minimalApp,
  };
}

/** The real app on the seeded data file, with the probe: the burst, then what it did and what is on disk. */
async function appBurst(
  slack: LocalSlack,
  framework: Framework,
  raters: Rater[],
  files: { dataDir: string; dataFile: string; probeFile: string },
) {
  // A probe file left by an earlier run would be taken for this process's answer.
  await rm(files.probeFile, { force: true });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawnNode(
    'app (burst)',
    ['--import', './bench/probe.mjs', ...APP_ARGS],
    appEnv(slack, port, files.dataDir, { BENCH_PROBE_FILE: files.probeFile }),
  );
  try {
    const ready = await waitHealthy(baseUrl, child, { intervalMs: 20, timeoutMs: 120_000 });
    const appStartMs = performance.now() - started;
    const people = Number((ready.store as { people?: unknown } | undefined)?.people);
    const clicks = prepareClicks(slack, framework, raters);
    const reset = await readProbe(child, files.probeFile, 0);
    const writesBefore = storeWrites(await health(baseUrl));

    log(`rating burst: ${CLICKS} clicks at once on the app (${people} people)`);
    const { posts, ...fired } = await fireClicks(slack, baseUrl, child, clicks);
    const eventLoop = await readProbe(child, files.probeFile, reset.sequence);
    const writesAfter = storeWrites(await health(baseUrl));
    const rssBytes = await rssOf(child.pid);

    // What the people saw, and what is on disk.
    const responsesOk = posts.filter(
      (post) => post.ok && JSON.stringify(post.body).includes('2 of 8'),
    ).length;
    const onDisk = JSON.parse(await readFile(files.dataFile, 'utf8')) as StoreData;
    const firstId = framework.competencies[0]?.id ?? '';
    const ratingsOnDisk = raters.filter((rater) => {
      const person = onDisk.people[`${TEAM_ID}:${rater.userId}`];
      const draft = person?.drafts[framework.id];
      return (
        person?.ratings[framework.id]?.[firstId]?.value === 4 &&
        draft?.position === 1 &&
        draft.levelId === LEVEL_ID
      );
    }).length;
    return {
      ...fired,
      appStartMs,
      peopleAtStart: people,
      eventLoop: {
        maxMs: eventLoop.maxMs,
        p99Ms: eventLoop.p99Ms,
        meanMs: eventLoop.meanMs,
        samples: eventLoop.samples,
      },
      flushes: writesAfter - writesBefore,
      responsesOk,
      ratingsOnDisk,
      rssBytes: rssBytes ?? eventLoop.rssBytes,
    };
  } finally {
    await child.stop(10_000);
  }
}

/** The same burst against the minimal Bolt app: ack, then a short answer on the response_url. */
async function minimalBurst(slack: LocalSlack, framework: Framework, raters: Rater[], probeFile: string) {
  const dataDir = await tempDir('burst-minimal');
  await rm(probeFile, { force: true });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawnNode(
    'minimal app (burst)',
    ['--import', './bench/probe.mjs', '--import', 'tsx', 'bench/minimal-app.ts'],
    appEnv(slack, port, dataDir, { BENCH_PROBE_FILE: probeFile, BENCH_MINIMAL_ACTIONS: '1' }),
  );
  try {
    await waitHealthy(baseUrl, child, { intervalMs: 20 });
    const clicks = prepareClicks(slack, framework, raters);
    const reset = await readProbe(child, probeFile, 0);
    log(`rating burst: ${CLICKS} clicks at once on the minimal app`);
    const { posts, ...fired } = await fireClicks(slack, baseUrl, child, clicks);
    const eventLoop = await readProbe(child, probeFile, reset.sequence);
    return {
      ...fired,
      responsesOk: posts.filter((post) => post.ok).length,
      eventLoop: { maxMs: eventLoop.maxMs, p99Ms: eventLoop.p99Ms, meanMs: eventLoop.meanMs },
    };
  } finally {
    await child.stop();
    await removeTempDir(dataDir);
  }
}

/** How many writes the store has made, from GET /healthz. */
function storeWrites(report: Record<string, unknown>): number {
  return Number((report.store as { writes?: unknown } | undefined)?.writes);
}
