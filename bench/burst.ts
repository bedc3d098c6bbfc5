import { cp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Framework } from '../src/frameworks/schema.js';
import type { PersonData } from '../src/model/records.js';
import { blockActionPayload } from '../src/sandbox/interaction-payloads.js';
import type { LocalSlack } from '../src/sandbox/local-slack.js';
import { slashCommandBody } from '../src/sandbox/signing.js';
import { APP_ARGS, appEnv, baselineArgs, log, signedHeaders } from './apps.js';
import { BURST_RULES, type ProfileSummary, summariseProfiles } from './cpu-profile.js';
import {
  LEVEL_ID,
  type Population,
  personKey,
  type Rater,
  ratersOf,
  readRaters,
  type SeededDatabase,
  timeFileWrite,
  writeDataFile,
} from './data.js';
import type { ResponseSink, SinkPost } from './response-sink.js';
import {
  type Child,
  type CpuAccount,
  cpuAccount,
  freePort,
  listenQueueDrops,
  median,
  metricValue,
  preparePost,
  type RawRequest,
  removeTempDir,
  rssOf,
  sendRaw,
  spawnNode,
  tempDir,
  waitHealthy,
} from './support.js';

/**
 * 2. A burst of rating clicks: 1,000 people who have a run in progress click a rating at the same
 * moment (one connection each); the clock stops when the last of them has been told, on their
 * response_url (the app answers only once the rating is stored: on disk, or committed; the
 * response_urls are on the bench's own light server, response-sink.ts). Meanwhile
 * someone types `/competency solutions-architect senior` every COMMAND_EVERY_MS: how long their
 * answer takes. The same clicks go to:
 * - the app on the lowdb file store, one process, at several sizes of store;
 * - the app on PostgreSQL, one instance and two (clicks half and half), at 10,000 and 100,000 people;
 * - the same-job app (same-job-app.ts), one instance and two: a Bolt app that gives the same answers
 *   and writes the same row in one transaction, and nothing more: the baseline the app is held to;
 * - the floor: the same app with no store (the same acknowledgement and answer);
 * - the minimal Bolt app (one process), which answers `ok`: a reference row, kept from before.
 * Each started app takes ROUNDS bursts, by different people (the first right after start, the next
 * warm); after each: resident memory of every instance, CPU of each process, PostgreSQL and the
 * machine, and the event loop's delay.
 */

export const CLICKS = 1_000;
export const ROUNDS = 2;
/** People half way through a run in every store: one set of CLICKS per round. */
export const RATERS = CLICKS * ROUNDS;
/** The first command is typed this long after the clicks, then one every COMMAND_EVERY_MS until the last answer. */
export const COMMAND_FIRST_MS = 100;
export const COMMAND_EVERY_MS = 250;
const COMMAND_TEXT = 'solutions-architect senior';

/** What every burst needs: the local Slack, the response_url sink, the answers the baselines give (baselines.ts). */
export type BurstHarness = { slack: LocalSlack; sink: ResponseSink; answersFile: string };

export type BurstConfig =
  | { store: 'minimal' }
  | { store: 'lowdb'; people: number }
  | { store: 'postgres'; people: number; instances: 1 | 2; db: SeededDatabase }
  /** same-job-app.ts: the same answers and the same row written, nothing more (baselines.ts). */
  | { store: 'same-job'; people: number; instances: 1 | 2; db: SeededDatabase }
  /** same-job-app.ts with no store: the same acknowledgement and answer. */
  | { store: 'floor'; instances: 1 | 2 };

/** The baselines: Bolt apps that are not the app. */
export const isBaseline = (store: BurstConfig['store']): boolean =>
  store === 'minimal' || store === 'same-job' || store === 'floor';

export function configLabel(config: BurstConfig): string {
  switch (config.store) {
    case 'minimal':
      return 'minimal Bolt app';
    case 'same-job':
      return `same-job app ×${config.instances}, ${config.people.toLocaleString('en')} people`;
    case 'floor':
      return `floor (no store) ×${config.instances}`;
    case 'lowdb':
      return `lowdb, ${config.people.toLocaleString('en')} people`;
    case 'postgres':
      return `PostgreSQL ×${config.instances}, ${config.people.toLocaleString('en')} people`;
  }
}

type Probe = {
  sequence: number;
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  samples: number;
  rssBytes: number;
  heapMB: Record<string, number>;
  oldUsedMB: number;
};

/** One process under test; `probeSequence` is the last answer read from its probe. */
export type Instance = {
  name: string;
  baseUrl: string;
  child: Child;
  probeFile: string;
  probeSequence: number;
};

/**
 * Sends SIGUSR2 to a process started with bench/probe.mjs and reads what the probe wrote: the figures
 * since the previous reading (which starts a new one).
 */
async function readProbe(instance: Instance): Promise<Probe> {
  instance.child.process.kill('SIGUSR2');
  const until = performance.now() + 10_000;
  for (;;) {
    try {
      const probe = JSON.parse(await readFile(instance.probeFile, 'utf8')) as Probe;
      if (probe.sequence > instance.probeSequence) {
        instance.probeSequence = probe.sequence;
        return probe;
      }
    } catch {
      // not written yet
    }
    if (performance.now() > until) throw new Error(`the probe in ${instance.name} did not answer SIGUSR2`);
    await sleep(20);
  }
}

export type Click = { responseUrl: string; body: string; headers: Record<string, string> };
type ClickSent = Click & { request: RawRequest };

/**
 * Each rater clicks `4 · Advanced` on the competency at `position` (the first by default): signed,
 * with a response_url of its own.
 */
export function prepareClicks(
  sink: Pick<ResponseSink, 'newResponseUrl'>,
  framework: Framework,
  raters: Rater[],
  position = 0,
): Click[] {
  const first = framework.competencies[position];
  if (!first) throw new Error(`${framework.id} has no competency ${position}`);
  return raters.map((rater) => {
    const responseUrl = sink.newResponseUrl();
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

type CommandSample = { sentAtMs: number; ms: number; status: number; answered: boolean; instance: string };

/**
 * Sends every click at once (one connection each; click i to instance i mod n) and waits until each
 * click's response_url has been posted to; meanwhile, commands typed during the burst.
 */
async function fireClicks(sink: ResponseSink, instances: Instance[], clicks: Click[], minimal: boolean) {
  const expected = new Set(clicks.map((c) => c.responseUrl));
  const arrived = new Map<string, { ms: number; post: SinkPost }>();
  let t0 = 0;
  let done = false;
  const allArrived = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      sink.off('response', onResponse);
      reject(new Error(`only ${arrived.size} of ${clicks.length} response_url posts arrived within 180 s`));
    }, 180_000);
    const onResponse = (post: SinkPost) => {
      if (!expected.has(post.url) || arrived.has(post.url)) return;
      const ms = performance.now() - t0;
      arrived.set(post.url, { ms, post });
      if (arrived.size === clicks.length) {
        clearTimeout(timer);
        sink.off('response', onResponse);
        done = true;
        resolve(ms);
      }
    };
    sink.on('response', onResponse);
  });

  // Commands typed during the burst: each on a connection of its own, without waiting for the one before.
  const commandBody = slashCommandBody({
    command: '/competency',
    text: COMMAND_TEXT,
    response_url: sink.newResponseUrl(),
  });
  const commandHeaders = signedHeaders(commandBody);
  const commandRequests = instances.map((i) =>
    preparePost(`${i.baseUrl}/slack/events`, commandHeaders, commandBody),
  );
  const clickRequests: ClickSent[] = clicks.map((c, i) => ({
    ...c,
    request: preparePost(
      `${(instances[i % instances.length] as Instance).baseUrl}/slack/events`,
      c.headers,
      c.body,
    ),
  }));
  const commands: Promise<CommandSample>[] = [];
  const typeCommands = (async () => {
    await sleep(COMMAND_FIRST_MS);
    for (let i = 0; i === 0 || !done; i++) {
      const instance = instances[i % instances.length] as Instance;
      const sentAt = performance.now();
      commands.push(
        sendRaw(commandRequests[i % instances.length] as RawRequest).then(({ status, response }) => ({
          sentAtMs: sentAt - t0,
          ms: performance.now() - sentAt,
          status,
          answered: status === 200 && (minimal || response.includes('Expected at Senior')),
          instance: instance.name,
        })),
      );
      await sleep(COMMAND_EVERY_MS);
    }
  })();

  const dropsBefore = await listenQueueDrops();
  t0 = performance.now();
  const acks = clickRequests.map((c) =>
    sendRaw(c.request).then(({ status }) => ({ status, ms: performance.now() - t0 })),
  );
  let confirmedMs: number;
  try {
    confirmedMs = await allArrived;
  } finally {
    done = true;
  }
  const ackResults = await Promise.all(acks);
  await typeCommands;
  const commandResults = await Promise.all(commands);
  const dropsAfter = await listenQueueDrops();

  const posts = [...arrived.values()];
  const arrivals = posts.map((p) => p.ms).sort((a, b) => a - b);
  const commandMs = commandResults.map((c) => c.ms);
  return {
    /** From the first click sent to the last confirmation posted to a response_url. */
    confirmedMs,
    firstConfirmationMs: arrivals[0] ?? Number.NaN,
    medianConfirmationMs: median(arrivals),
    acks: {
      status200: ackResults.filter((a) => a.status === 200).length,
      medianAckMs: median(ackResults.map((a) => a.ms)),
      lastAckMs: Math.max(...ackResults.map((a) => a.ms)),
      failures: ackResults.filter((a) => a.status !== 200).slice(0, 5),
    },
    commandsDuringBurst: {
      count: commandResults.length,
      worstMs: Math.max(...commandMs),
      medianMs: median(commandMs),
      firstMs: commandResults[0]?.ms ?? Number.NaN,
      answered: commandResults.filter((c) => c.answered).length,
      samples: commandResults,
    },
    /** Connections the kernel dropped because an accept queue was full (their clients retry after 1 s). */
    listenQueueDrops: dropsAfter - dropsBefore,
    posts: posts.map((p) => p.post),
  };
}

/** Did each rater's click land: the first competency rated 4, the run moved on to the second. */
function clickLanded(framework: Framework, person: PersonData | undefined): boolean {
  const firstId = framework.competencies[0]?.id ?? '';
  const draft = person?.drafts[framework.id];
  return (
    person?.ratings[framework.id]?.[firstId]?.value === 4 &&
    draft?.position === 1 &&
    draft.levelId === LEVEL_ID
  );
}

export type BurstRound = Awaited<ReturnType<typeof burstRound>>;

async function burstRound(
  sink: ResponseSink,
  framework: Framework,
  instances: Instance[],
  raters: Rater[],
  minimal: boolean,
) {
  const clicks = prepareClicks(sink, framework, raters);
  await Promise.all(instances.map((i) => readProbe(i)));
  const writesBefore = await storeWrites(instances);
  const cpu = cpuAccount(Object.fromEntries(instances.map((i) => [i.name, i.child.pid])));
  await cpu.start();
  const { posts, ...fired } = await fireClicks(sink, instances, clicks, minimal);
  const cpuUsed: CpuAccount = await cpu.stop();
  const rss = await Promise.all(instances.map((i) => rssOf(i.child.pid)));
  const loops = await Promise.all(instances.map((i) => readProbe(i)));
  const writesAfter = await storeWrites(instances);
  sink.reset();
  return {
    ...fired,
    responsesOk: posts.filter((post) => post.ok && (minimal || JSON.stringify(post.body).includes('2 of 8')))
      .length,
    cpu: cpuUsed,
    /** Resident memory of each instance right after the last confirmation. */
    rssBytes: rss.map((r, n) => r ?? loops[n]?.rssBytes ?? Number.NaN),
    eventLoop: loops.map((l) => ({ maxMs: l.maxMs, p99Ms: l.p99Ms, meanMs: l.meanMs, samples: l.samples })),
    /** V8's spaces right after the burst (MB committed), and how much of old space was in use. */
    heap: loops.map((l) => ({ spacesMB: l.heapMB, oldUsedMB: l.oldUsedMB })),
    /** Store writes (lowdb: flushes of the file; PostgreSQL: committed transactions), all instances. */
    storeWrites: writesAfter - writesBefore,
  };
}

/** The app (or the minimal app) as `count` processes, each with the event-loop probe. */
export async function startInstances(
  slack: LocalSlack,
  config: BurstConfig,
  count: number,
  dataDir: string,
  probeDir: string,
  nodeArgs: string[],
  answersFile: string,
): Promise<{ instances: Instance[]; startMs: number }> {
  const t0 = performance.now();
  const instances: Instance[] = [];
  for (let n = 0; n < count; n++) {
    const port = await freePort();
    const name = count === 1 ? 'app' : `app ${String.fromCharCode(65 + n)}`;
    const probeFile = path.join(probeDir, `probe-${n}.json`);
    await rm(probeFile, { force: true });
    const extra: Record<string, string> = { BENCH_PROBE_FILE: probeFile };
    let args: string[];
    if (config.store === 'minimal') {
      args = ['--import', './bench/probe.mjs', ...nodeArgs, ...(await baselineArgs('minimal-app'))];
      extra.BENCH_MINIMAL_ACTIONS = '1';
    } else if (config.store === 'same-job' || config.store === 'floor') {
      args = ['--import', './bench/probe.mjs', ...nodeArgs, ...(await baselineArgs('same-job-app'))];
      extra.BENCH_ANSWERS_FILE = answersFile;
      if (config.store === 'same-job') extra.DATABASE_URL = config.db.url;
      else extra.BENCH_NO_STORE = '1';
    } else {
      args = ['--import', './bench/probe.mjs', ...nodeArgs, ...APP_ARGS];
      if (config.store === 'postgres') extra.DATABASE_URL = config.db.url;
    }
    const child = spawnNode(`${configLabel(config)}: ${name}`, args, appEnv(slack, port, dataDir, extra));
    instances.push({ name, baseUrl: `http://127.0.0.1:${port}`, child, probeFile, probeSequence: 0 });
  }
  try {
    await Promise.all(
      instances.map((i) => waitHealthy(i.baseUrl, i.child, { intervalMs: 20, timeoutMs: 300_000 })),
    );
  } catch (error) {
    await Promise.all(instances.map((i) => i.child.stop()));
    throw error;
  }
  return { instances, startMs: performance.now() - t0 };
}

/**
 * One configuration: start it, ROUNDS bursts by different raters, check what each person was told and
 * what the store holds, stop it.
 */
export async function burstConfig(
  harness: BurstHarness,
  framework: Framework,
  config: BurstConfig,
  at: string,
  /** Node options for the processes under test, e.g. `--cpu-prof`. */
  nodeArgs: string[] = [],
) {
  const { slack, sink } = harness;
  const label = configLabel(config);
  const baseline = isBaseline(config.store);
  const dataDir = await tempDir('burst');
  const probeDir = await tempDir('probe');
  const dataFile = path.join(dataDir, 'competency-data.json');
  const population: Population | undefined =
    config.store === 'lowdb' || config.store === 'postgres'
      ? { total: config.people, raters: RATERS }
      : undefined;
  const raters = ratersOf({ total: RATERS, raters: RATERS });

  let file: { bytes: number; writeMs: number; writeTimingsMs: number[] } | undefined;
  if (config.store === 'lowdb' && population) {
    log(`rating burst: writing a data file of ${population.total.toLocaleString('en')} people`);
    const { bytes } = await writeDataFile(dataFile, framework, population, at);
    const write = await timeFileWrite(dataFile);
    file = { bytes, writeMs: write.medianMs, writeTimingsMs: write.timingsMs };
  }
  if (config.store === 'postgres' || config.store === 'same-job') await config.db.resetRaters();

  const instanceCount = 'instances' in config ? config.instances : 1;
  log(`rating burst: starting ${label}`);
  const { instances, startMs } = await startInstances(
    slack,
    config,
    instanceCount,
    dataDir,
    probeDir,
    nodeArgs,
    harness.answersFile,
  );
  try {
    const peopleAtStart = baseline
      ? Number.NaN
      : await metricValue(instances[0]?.baseUrl ?? '', 'competency_people');
    if (population && peopleAtStart !== population.total) {
      throw new Error(`${label} started with ${peopleAtStart} people, not ${population.total}`);
    }
    const rounds: BurstRound[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const who = raters.slice(round * CLICKS, (round + 1) * CLICKS);
      log(`rating burst: ${CLICKS} clicks at once on ${label} (round ${round + 1} of ${ROUNDS})`);
      const result = await burstRound(sink, framework, instances, who, config.store === 'minimal');
      log(
        `  all confirmed in ${result.confirmedMs.toFixed(0)} ms; commands meanwhile: worst ${result.commandsDuringBurst.worstMs.toFixed(0)} ms of ${result.commandsDuringBurst.count}; rss ${result.rssBytes.map((b) => `${(b / 2 ** 20).toFixed(0)} MB`).join(', ')}; heap ${result.heap.map((h) => `old ${h.spacesMB.old ?? '?'} MB (${h.oldUsedMB} in use), new ${h.spacesMB.new ?? '?'} MB, code ${h.spacesMB.code ?? '?'} MB, large ${h.spacesMB.large_object ?? '?'} MB`).join('; ')}`,
      );
      rounds.push(result);
      await sleep(500);
    }

    // What is stored, for every rater who clicked.
    let stored: number | undefined;
    if (config.store === 'lowdb') {
      const people = await readRaters(dataFile, raters);
      stored = raters.filter((r) => clickLanded(framework, people.get(personKey(r.userId)))).length;
    } else if (config.store === 'postgres' || config.store === 'same-job') {
      const people = await config.db.ratersData(raters);
      stored = raters.filter((r) => clickLanded(framework, people.get(personKey(r.userId)))).length;
    }
    return summarise(label, config, { startMs, peopleAtStart, file, stored, rounds });
  } finally {
    await Promise.all(instances.map((i) => i.child.stop(15_000)));
    await removeTempDir(dataDir);
    await removeTempDir(probeDir);
  }
}

function summarise(
  label: string,
  config: BurstConfig,
  m: {
    startMs: number;
    peopleAtStart: number;
    file: { bytes: number; writeMs: number; writeTimingsMs: number[] } | undefined;
    stored: number | undefined;
    rounds: BurstRound[];
  },
) {
  const of = (pick: (r: BurstRound) => number) => m.rounds.map(pick);
  const span = (values: number[]) => ({ min: Math.min(...values), max: Math.max(...values), values });
  const instances = m.rounds[0]?.rssBytes.length ?? 1;
  return {
    label,
    store: config.store,
    people: 'people' in config ? config.people : 0,
    instances,
    startMs: m.startMs,
    peopleAtStart: m.peopleAtStart,
    dataFile: m.file,
    clicksPerRound: CLICKS,
    confirmedMs: span(of((r) => r.confirmedMs)),
    lastAckMs: span(of((r) => r.acks.lastAckMs)),
    commandWorstMs: span(of((r) => r.commandsDuringBurst.worstMs)),
    commandMedianMs: span(of((r) => r.commandsDuringBurst.medianMs)),
    /** Largest resident memory of any instance after a burst, and of each instance after each round. */
    rssBytes: span(m.rounds.flatMap((r) => r.rssBytes)),
    eventLoopMaxMs: span(m.rounds.flatMap((r) => r.eventLoop.map((l) => l.maxMs))),
    listenQueueDrops: m.rounds.reduce((n, r) => n + r.listenQueueDrops, 0),
    /** Every click acknowledged with 200, every person told their next step, every rating stored. */
    allConfirmed:
      m.rounds.every((r) => r.acks.status200 === CLICKS && r.responsesOk === CLICKS) &&
      (m.stored === undefined || m.stored === CLICKS * m.rounds.length),
    commandsAllAnswered: m.rounds.every(
      (r) => r.commandsDuringBurst.answered === r.commandsDuringBurst.count,
    ),
    stored: m.stored,
    storeWrites: of((r) => r.storeWrites),
    rounds: m.rounds,
  };
}

export type BurstSummary = Awaited<ReturnType<typeof burstConfig>>;

/** How many writes the store of each instance has made, summed, from GET /metrics (none for the minimal app). */
async function storeWrites(instances: Instance[]): Promise<number> {
  let total = 0;
  for (const i of instances) {
    const writes = await metricValue(i.baseUrl, 'competency_store_writes_total');
    total += Number.isNaN(writes) ? 0 : writes;
  }
  return total;
}

/**
 * One more burst on PostgreSQL ×1 (with `people` people), on the same-job app and on the floor, each
 * under --cpu-prof, summarised by part.
 */
export async function profileBursts(
  harness: BurstHarness,
  framework: Framework,
  db: SeededDatabase,
  at: string,
  people: number,
) {
  const profiles: { label: string; profile: ProfileSummary | undefined }[] = [];
  for (const config of [
    { store: 'postgres', people, instances: 1, db },
    { store: 'same-job', people, instances: 1, db },
    { store: 'floor', instances: 1 },
  ] as BurstConfig[]) {
    const dir = await tempDir('burst-profile');
    const result = await burstConfig(harness, framework, config, at, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const summaries = await summariseProfiles(dir, BURST_RULES);
    profiles.push({ label: result.label, profile: summaries.sort((a, b) => b.busyMs - a.busyMs)[0] });
    // BENCH_PROFILE_DIR keeps the profiles themselves, to read in Chrome's DevTools or a script.
    const keep = process.env.BENCH_PROFILE_DIR;
    if (keep) await cp(dir, path.join(keep, config.store), { recursive: true });
    await removeTempDir(dir);
  }
  return profiles;
}
