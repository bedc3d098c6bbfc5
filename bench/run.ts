import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../src/frameworks/loader.js';
import { startLocalSlack } from '../src/sandbox/local-slack.js';
import { APP_COMMAND, APP_VARIANT, ensureBuild, log } from './apps.js';
import { prepareAnswers } from './baselines.js';
import {
  type BurstConfig,
  type BurstSummary,
  burstConfig,
  CLICKS,
  COMMAND_EVERY_MS,
  COMMAND_FIRST_MS,
  profileBursts,
  RATERS,
  ROUNDS,
} from './burst.js';
import { CONNECTIONS, commandOrder, commandThroughput, DURATION_SECONDS, WARMUP_SECONDS } from './command.js';
import type { ProfileSummary } from './cpu-profile.js';
import { SeededDatabase } from './data.js';
import { importCost } from './import.js';
import { LENGTHS, lookupCost, ROUND_CPU_MS, WORST_PATTERNS } from './lookup.js';
import { burstRows, lowdbCrossover } from './report/burst.js';
import { commandRows } from './report/command.js';
import { printDetails } from './report/details.js';
import { importRows } from './report/import.js';
import { lookupRows } from './report/lookup.js';
import { SAME_JOB_GOALS, sameJobBurstRows } from './report/same-job.js';
import { startRows } from './report/start.js';
import { steadyRows } from './report/steady.js';
import { GOALS, gitState, people, printTable, type Row } from './report/table.js';
import { printRateLimits, WAVE_GOALS, waveRows } from './report/wave.js';
import { startResponseSink } from './response-sink.js';
import { COPIES, LARGE_COPIES, startAndMemory } from './start.js';
import { RATE, STEADY_QUICK_SECONDS, STEADY_SECONDS, type SteadySummary, steadyPair } from './steady.js';
import { cleanUp, DATABASE_SERVER_URL, ROOT, scratchDatabase } from './support.js';
import { checkInWave, WAVE_SIZES } from './wave.js';

/**
 * `npm run bench`: the real app (the production build, `node dist/main.js`, built first), as its own
 * process(es), against a local Slack, each figure next to a baseline measured in the same run (the
 * machine is shared and noisy: compare ratios, not absolutes).
 *   1. command throughput: the app on lowdb, on PostgreSQL with one and two instances, vs a minimal
 *      Bolt app, loaded by autocannon from a process of its own;
 *   2. 1,000 rating clicks at once, and commands typed meanwhile: lowdb at several sizes (where it
 *      stops meeting the goals), PostgreSQL with one and two instances at 10,000 and 100,000 people,
 *      beside the same-job app (same-job-app.ts: the same answers and the same row written, nothing
 *      more) and the floor (the same answers, no store), and the minimal Bolt app on the same clicks;
 *      resident memory of every instance after its burst;
 *   2b. steady load (steady.ts): 200 requests a second for 60 s (20 s with --quick), PostgreSQL ×2,
 *      the app beside the same-job app;
 *   3. start time with 200 and 500 frameworks vs the bundled ones, and where the time of a start with
 *      500 goes (a CPU profile);
 *   4. the framework lookup on the costliest long texts vs a normal command, a mistyped role and
 *      `/competency find`, with the bundled frameworks, 200 more and 500 more;
 *   5. `competency import` of 100,000-row tables (refused at the first row past a framework's
 *      limits) vs the largest valid framework, and of one-row frameworks by the hundred and thousand.
 * Prints a table and writes every figure to bench/results.json. Each part measures in a module of its
 * own (command.ts, burst.ts, start.ts, lookup.ts, import.ts) and its rows of the table are in report/.
 *
 *   npm run bench                      everything (about 12 minutes on 2 cores, 4 of them the check-in wave)
 *   npm run bench -- --quick           fewer sizes and runs (about 2 minutes)
 *   npm run bench -- --only burst,start          some parts: command, burst, steady, start, lookup, import, wave
 *   npm run bench -- --only wave --quick         the check-in wave under Slack's rate limits (wave.ts), 4 × 1,000 people
 *   npm run bench -- --lowdb-sizes 10000,50000 --pg-sizes 10000     (`--lowdb-sizes none`: no lowdb bursts)
 *   npm run bench -- --profile         also profile the app (PostgreSQL ×1) and the minimal app in a burst
 *   npm run bench -- --out /tmp/figures.json
 * PostgreSQL: BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres,
 * as a user who may create databases; the bench works in a scratch database of its own and drops it.
 * BENCH_APP=source measures `tsx src/main.ts` instead of the build; BENCH_SKIP_BUILD=1 measures dist/ as it is;
 * BENCH_APP_ARGS adds Node options to the app (see apps.ts).
 */

const PARTS = ['command', 'burst', 'steady', 'start', 'lookup', 'import', 'wave'] as const;
type Part = (typeof PARTS)[number];

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'lowdb-sizes': { type: 'string' },
    'pg-sizes': { type: 'string' },
    profile: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const QUICK = args.quick ?? false;
const parts = new Set<Part>(
  args.only === undefined
    ? PARTS
    : args.only.split(',').map((p) => {
        if (!(PARTS as readonly string[]).includes(p))
          throw new Error(`--only: unknown part ${p} (${PARTS.join(', ')})`);
        return p as Part;
      }),
);
const sizes = (text: string | undefined, fallback: number[]) =>
  text === undefined
    ? fallback
    : text === 'none'
      ? []
      : text.split(',').map((n) => Number(n.replace(/_/g, '')));
const LOWDB_SIZES = sizes(
  args['lowdb-sizes'],
  QUICK ? [10_000, 100_000] : [10_000, 30_000, 60_000, 100_000, 150_000],
);
const PG_SIZES = sizes(args['pg-sizes'], [10_000, 100_000]);
const NEEDS_POSTGRES: readonly Part[] = ['command', 'burst', 'steady'];
if (PG_SIZES.length === 0 && NEEDS_POSTGRES.some((part) => parts.has(part))) {
  throw new Error(
    `--pg-sizes none: the parts ${NEEDS_POSTGRES.join(', ')} measure PostgreSQL too; give a size, or --only other parts`,
  );
}
const COMMAND_ROUNDS = QUICK ? 1 : 2;
for (const n of [...LOWDB_SIZES, ...PG_SIZES]) {
  if (!Number.isInteger(n) || n < RATERS)
    throw new Error(`sizes must be whole numbers of at least ${RATERS}`);
}

const FRAMEWORK_ID = 'solutions-architect.e-commerce';

async function main(): Promise<void> {
  const begun = performance.now();
  const machine = {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    availableParallelism: os.availableParallelism(),
    totalMemoryBytes: os.totalmem(),
    loadAverageAtStart: os.loadavg(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
  const code = gitState();
  log(
    `${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`,
  );
  log(`parts: ${[...parts].join(', ')}${QUICK ? ' (quick)' : ''}; the app as ${APP_COMMAND}`);
  await ensureBuild();

  const framework = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).find((f) => f.id === FRAMEWORK_ID);
  if (!framework) throw new Error(`the bundled framework ${FRAMEWORK_ID} is missing`);
  const at = new Date().toISOString();
  const slack = await startLocalSlack();
  const sink = await startResponseSink();
  let seeded: SeededDatabase | undefined;
  try {
    // One scratch database for the whole run, grown from the smallest size to the largest.
    const seeding: { people: number; ms: number; tableBytes: number }[] = [];
    if (parts.has('command') || parts.has('burst') || parts.has('steady')) {
      const db = await scratchDatabase('run');
      log(`PostgreSQL: scratch database ${db.name} on ${new URL(DATABASE_SERVER_URL).host}`);
      seeded = await SeededDatabase.open(db.url, framework, RATERS, at);
    }
    const grow = async (n: number) => {
      if (!seeded || (seeding.at(-1)?.people ?? 0) >= n) return;
      log(`PostgreSQL: seeding ${people(n)} people`);
      const t = await seeded.growTo(n);
      seeding.push({ people: n, ms: t, tableBytes: await seeded.tableBytes() });
    };
    await grow(Math.min(...PG_SIZES));

    // The same-job app and the floor give the app's own answers, taken from it once (baselines.ts).
    const answers = seeded ? await prepareAnswers(slack, sink, framework, at) : undefined;
    const answersFile = answers?.file ?? '';
    const command =
      parts.has('command') && seeded
        ? await commandThroughput(slack, seeded.url, COMMAND_ROUNDS, answersFile)
        : undefined;

    // Bursts: the minimal app first and last, PostgreSQL from the smallest size up, then lowdb.
    const bursts: BurstSummary[] = [];
    let burstProfiles: { label: string; profile: ProfileSummary | undefined }[] = [];
    if (parts.has('burst') && seeded) {
      const harness = { slack, sink, answersFile };
      const run = async (config: BurstConfig) => {
        bursts.push(await burstConfig(harness, framework, config, at));
      };
      await run({ store: 'minimal' });
      await run({ store: 'floor', instances: 1 });
      await run({ store: 'floor', instances: 2 });
      for (const n of [...PG_SIZES].sort((a, b) => a - b)) {
        await grow(n);
        // The same-job app beside the app, at the largest size (the goals' size).
        const sameJob = n === Math.max(...PG_SIZES);
        if (sameJob) await run({ store: 'same-job', people: n, instances: 1, db: seeded });
        await run({ store: 'postgres', people: n, instances: 1, db: seeded });
        if (sameJob) await run({ store: 'same-job', people: n, instances: 2, db: seeded });
        await run({ store: 'postgres', people: n, instances: 2, db: seeded });
      }
      for (const n of [...LOWDB_SIZES].sort((a, b) => a - b)) await run({ store: 'lowdb', people: n });
      if (!QUICK) await run({ store: 'minimal' });
      if (args.profile)
        burstProfiles = await profileBursts(harness, framework, seeded, at, Math.max(...PG_SIZES));
    }
    let steady: SteadySummary[] = [];
    if (parts.has('steady') && seeded) {
      await grow(Math.max(...PG_SIZES));
      steady = await steadyPair(
        { slack, sink, answersFile },
        framework,
        seeded,
        Math.max(...PG_SIZES),
        QUICK ? STEADY_QUICK_SECONDS : STEADY_SECONDS,
      );
    }

    const start = parts.has('start')
      ? await startAndMemory(slack, { trials: QUICK ? 2 : 3, source: !QUICK, profile: true })
      : undefined;
    const lookup = parts.has('lookup') ? await lookupCost(slack) : undefined;
    const imports = parts.has('import') ? await importCost() : undefined;
    const wave = parts.has('wave') ? await checkInWave({ quick: QUICK }) : undefined;

    const rows: Row[] = [
      ...(command ? commandRows(command) : []),
      ...(lookup ? lookupRows(lookup) : []),
      ...(imports ? importRows(imports) : []),
      ...sameJobBurstRows(bursts),
      ...steadyRows(steady),
      ...burstRows(bursts, PG_SIZES),
      ...(start ? startRows(start) : []),
      ...(wave ? waveRows(wave) : []),
    ];
    const crossovers = lowdbCrossover(bursts);
    rows.push(...crossovers.rows);

    const results = {
      machine: { ...machine, loadAverageAtEnd: os.loadavg() },
      code,
      app: { variant: APP_VARIANT, command: APP_COMMAND },
      parts: [...parts],
      quick: QUICK,
      settings: {
        connections: CONNECTIONS,
        durationSeconds: DURATION_SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        commandOrder: command ? commandOrder(COMMAND_ROUNDS) : [],
        clicks: CLICKS,
        burstRounds: ROUNDS,
        ratersPerStore: RATERS,
        commandFirstMs: COMMAND_FIRST_MS,
        commandEveryMs: COMMAND_EVERY_MS,
        lowdbSizes: LOWDB_SIZES,
        postgresSizes: PG_SIZES,
        frameworkCopies: COPIES,
        largeFrameworkCopies: LARGE_COPIES,
        lookupPatterns: WORST_PATTERNS,
        lookupLengths: LENGTHS,
        lookupRoundCpuMs: ROUND_CPU_MS,
        goals: GOALS,
        sameJobGoals: SAME_JOB_GOALS,
        steadyRate: RATE,
        waveGoals: WAVE_GOALS,
        waveSizes: WAVE_SIZES,
        baselineAnswers: answers && { commandBytes: answers.commandBytes, clickBytes: answers.clickBytes },
        notes: [
          `The app under test is ${APP_COMMAND} (${APP_VARIANT === 'production' ? 'the production build, built by the bench from the current src/' : 'from source, through tsx'}).`,
          'Command figures are medians of the runs of each mode (the modes alternate, then run in reverse); requests/s = completed requests / duration. Cores busy are measured over the middle of each run from /proc.',
          `Bursts: ${CLICKS} clicks sent at once, one connection each, from prepared bytes (the cheapest client; Node's fetch costs the shared cores several times as much); confirmed = the app's answer has reached the click's response_url, on the bench's own light server (response-sink.ts). Each configuration is started once and takes ${ROUNDS} bursts by different people: the first right after start, the next warm; ranges are over those rounds.`,
          `A command is typed ${COMMAND_FIRST_MS} ms after the clicks and every ${COMMAND_EVERY_MS} ms after that until the last click is confirmed, each on a connection of its own; the figure is the slowest answer.`,
          'Stores: N people = N − 2,000 who finished an assessment (8 ratings, one history entry) and 2,000 half way through a run (1,000 click in each round). lowdb: one data file of those people; PostgreSQL: the same people, one row each in the table the app’s migration creates, in a scratch database.',
          'Resident memory is VmRSS of each instance right after its last confirmation, the largest over rounds (and instances).',
          'Event-loop delay is from monitorEventLoopDelay({ resolution: 10 }) and includes the 10 ms sampling interval.',
          'Connections dropped = ListenDrops in /proc/net/netstat during the burst (whole network namespace); a dropped client retries after about 1 s.',
          'The lowdb crossovers interpolate linearly between the sizes measured; the largest openable file is computed from the bytes per person of the largest file and V8’s longest string.',
          'Lookup CPU is process.cpuUsage() per Catalog.lookup in the bench process (median of 5 rounds of at least 25 ms CPU each).',
        ],
      },
      postgresSeeding: seeding,
      command,
      bursts,
      burstProfiles,
      steady,
      lowdbCrossover: crossovers.figures,
      start,
      lookup,
      import: imports,
      wave,
      table: rows,
      benchSeconds: (performance.now() - begun) / 1000,
    };
    const out = args.out ?? path.join(ROOT, 'bench', 'results.json');
    await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);

    process.stdout.write(
      `\n${machine.cpuModel} · ${machine.cores} cores · Node ${machine.node} · ${machine.date} · load ${machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')} · app at ${code.commit}${code.uncommittedChanges ? ' (+ uncommitted changes)' : ''} · ${APP_COMMAND}\n\n`,
    );
    printTable(rows);
    printDetails({ bursts, start, burstProfiles });
    if (wave) printRateLimits();
    const missed = rows.filter((r) => r.met === false);
    process.stdout.write(
      `\n${missed.length === 0 ? 'All goals met.' : `Goals missed:\n${missed.map((r) => `  ${r.group ? `${r.group}: ` : ''}${r.name.trim()}`).join('\n')}`}\n` +
        `Figures in ${path.relative(process.cwd(), out)} (${results.benchSeconds.toFixed(0)} s).\n`,
    );
  } finally {
    await seeded?.close();
    await sink.close();
    await slack.close();
  }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping the apps, removing temp folders, dropping the scratch database`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (error) {
  if (!interrupted) {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  }
} finally {
  await cleanUp();
}
