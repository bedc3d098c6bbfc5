import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../src/frameworks/loader.js';
import { startLocalSlack } from '../src/sandbox/local-slack.js';
import { log } from './apps.js';
import { CLICKS, FINISHED_PEOPLE, ratingBurst } from './burst.js';
import {
  COMMAND_ORDER,
  CONNECTIONS,
  commandThroughput,
  DURATION_SECONDS,
  WARMUP_SECONDS,
} from './command.js';
import { LENGTHS, lookupCost, ROUND_CPU_MS, WORST_PATTERNS } from './lookup.js';
import { COPIES, START_TRIALS, startAndMemory } from './start.js';
import { cleanUp, ROOT } from './support.js';

/**
 * `npm run bench`: the real app, as its own process, against a local Slack, each figure next to a
 * baseline measured in the same run (the machine is shared and noisy: compare ratios, not absolutes).
 *   1. command throughput: the real app vs a minimal Bolt app, loaded by autocannon from a third process;
 *   2. a burst of 1,000 rating clicks on a store of 11,000 people vs one full write of that file;
 *   3. start time with 200 frameworks vs the bundled one, and resident memory;
 *   4. the framework lookup on the costliest long texts vs a normal command, in process and through the app.
 * Prints a table and writes every figure to bench/results.json.
 */

const FRAMEWORK_ID = 'solutions-architect.e-commerce';

const GOALS = {
  throughputRatio: 0.85,
  p99Ms: 50,
  burstMs: 3000,
  eventLoopMaxMs: 200,
  /** "far fewer flushes than clicks", read as at most one flush per ten clicks. */
  flushesPerClick: 0.1,
  /** "A command of 4,000 or 40,000 characters answers in a few milliseconds of CPU." */
  lookupCpuMs: 5,
  /** The app's answer to the worst 4,000-character command, one at a time (Slack waits 3 s). */
  longCommandP50Ms: 50,
};

// ---------------------------------------------------------------------------------------------
// Report

type Row = {
  name: string;
  app: string;
  baseline: string;
  ratio: string;
  goal: string;
  met: boolean | undefined;
};

const ms = (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : 'n/a');
const mb = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(0)} MB` : 'n/a');
/** A repeated text as a row names it: `"sr …"`, at most a dozen characters of it. */
const patternLabel = (unit: string) => {
  const words = unit.trim();
  return `"${words.length > 12 ? `${words.slice(0, 11).trimEnd()}…` : words} …"`;
};
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? (a / b).toFixed(2) : 'n/a');

function printTable(rows: Row[]): void {
  const headers = ['benchmark', 'app', 'baseline', 'ratio', 'goal'];
  const cells = rows.map((r) => [
    r.name,
    r.app,
    r.baseline,
    r.ratio,
    `${r.goal}${r.met === undefined ? '' : r.met ? '  ✓' : '  ✗'}`,
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('   ')
      .trimEnd();
  process.stdout.write(`${line(headers)}\n${cells.map(line).join('\n')}\n`);
}

/** Which code was measured: the commit, and whether src/ or frameworks/ had changes not committed. */
function gitState(): { commit: string; uncommittedChanges: boolean } {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      uncommittedChanges: git('status', '--porcelain', '--', 'src', 'frameworks').length > 0,
    };
  } catch {
    return { commit: 'unknown', uncommittedChanges: false };
  }
}

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

  const framework = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).find((f) => f.id === FRAMEWORK_ID);
  if (!framework) throw new Error(`the bundled framework ${FRAMEWORK_ID} is missing`);
  const slack = await startLocalSlack();
  try {
    const command = await commandThroughput(slack);
    const burst = await ratingBurst(slack, framework);
    const start = await startAndMemory(slack);
    const lookup = await lookupCost(slack);

    const throughputRatio = command.app.requestsPerSecond / command.minimal.requestsPerSecond;
    const rows: Row[] = [
      {
        name: `command throughput (req/s, ${CONNECTIONS} conn)`,
        app: command.app.requestsPerSecond.toFixed(0),
        baseline: command.minimal.requestsPerSecond.toFixed(0),
        ratio: throughputRatio.toFixed(2),
        goal: `≥ ${GOALS.throughputRatio}`,
        met: throughputRatio >= GOALS.throughputRatio,
      },
      {
        name: 'command latency p50 (ms)',
        app: ms(command.app.p50Ms),
        baseline: ms(command.minimal.p50Ms),
        ratio: ratio(command.app.p50Ms, command.minimal.p50Ms),
        goal: '—',
        met: undefined,
      },
      {
        name: 'command latency p99 (ms)',
        app: ms(command.app.p99Ms),
        baseline: ms(command.minimal.p99Ms),
        ratio: ratio(command.app.p99Ms, command.minimal.p99Ms),
        goal: `≤ ${GOALS.p99Ms} ms`,
        met: command.app.p99Ms <= GOALS.p99Ms,
      },
      {
        name: 'command non-2xx / errors (all runs)',
        app: `${command.app.non2xx} / ${command.app.errors}`,
        baseline: `${command.minimal.non2xx} / ${command.minimal.errors}`,
        ratio: '',
        goal: '0',
        met:
          command.app.non2xx + command.app.errors + command.minimal.non2xx + command.minimal.errors === 0 &&
          command.answerCheck.appShowsFramework,
      },
      {
        name: 'command response size (bytes)',
        app: command.app.bytesPerResponse.toFixed(0),
        baseline: command.minimal.bytesPerResponse.toFixed(0),
        ratio: ratio(command.app.bytesPerResponse, command.minimal.bytesPerResponse),
        goal: '—',
        met: undefined,
      },
      ...lookup.inProcess.flatMap((c) =>
        c.worst.map((w) => ({
          name: `lookup CPU (ms): ${w.length.toLocaleString('en')} chars of ${patternLabel(w.pattern)}${c.catalog === 'copies' ? `, +${COPIES} fw` : ''}`,
          app: w.ms.toFixed(3),
          baseline: `${c.normalMs.toFixed(3)} (normal)`,
          ratio: ratio(w.ms, c.normalMs),
          goal: `≤ ${GOALS.lookupCpuMs} ms`,
          met: w.ms <= GOALS.lookupCpuMs,
        })),
      ),
      {
        name: `long command p50 (ms): 4,000 chars, +${COPIES} fw`,
        app: ms(lookup.app.worst.p50Ms),
        baseline: `${ms(lookup.app.normal.p50Ms)} (normal)`,
        ratio: ratio(lookup.app.worst.p50Ms, lookup.app.normal.p50Ms),
        goal: `≤ ${GOALS.longCommandP50Ms} ms`,
        met: lookup.app.worst.p50Ms <= GOALS.longCommandP50Ms,
      },
      {
        name: '  app CPU per command (ms)',
        app: ms(lookup.app.worst.cpuMsPerCommand),
        baseline: `${ms(lookup.app.normal.cpuMsPerCommand)} (normal)`,
        ratio: ratio(lookup.app.worst.cpuMsPerCommand, lookup.app.normal.cpuMsPerCommand),
        goal: '—',
        met: undefined,
      },
      {
        name: `burst: ${CLICKS} clicks durable (ms)`,
        app: ms(burst.durableMs),
        baseline: `${ms(burst.oneWrite.medianMs)} (1 write)`,
        ratio: ratio(burst.durableMs, burst.oneWrite.medianMs),
        goal: `≤ ${GOALS.burstMs} ms`,
        met:
          burst.durableMs <= GOALS.burstMs &&
          burst.ratingsOnDisk === CLICKS &&
          burst.responsesOk === CLICKS &&
          burst.acks.status200 === CLICKS,
      },
      {
        name: `  same clicks, store of ${CLICKS} people only`,
        app: ms(burst.durableMs),
        baseline: `${ms(burst.smallStore.durableMs)} (small)`,
        ratio: ratio(burst.durableMs, burst.smallStore.durableMs),
        goal: '—',
        met: undefined,
      },
      {
        name: '  same clicks, minimal Bolt app',
        app: ms(burst.durableMs),
        baseline: `${ms(burst.minimalApp.durableMs)} (minimal)`,
        ratio: ratio(burst.durableMs, burst.minimalApp.durableMs),
        goal: '—',
        met: undefined,
      },
      {
        name: '  app CPU during the burst (ms)',
        app: ms(burst.appCpuMs),
        baseline: `${ms(burst.smallStore.appCpuMs)} (small)`,
        ratio: ratio(burst.appCpuMs, burst.smallStore.appCpuMs),
        goal: '—',
        met: undefined,
      },
      {
        name: '  app CPU during the burst (ms)',
        app: ms(burst.appCpuMs),
        baseline: `${ms(burst.minimalApp.appCpuMs)} (minimal)`,
        ratio: ratio(burst.appCpuMs, burst.minimalApp.appCpuMs),
        goal: '—',
        met: undefined,
      },
      {
        name: '  slowest ack (ms; Slack allows 3000)',
        app: ms(burst.acks.lastAckMs),
        baseline: `${ms(burst.minimalApp.acks.lastAckMs)} (minimal)`,
        ratio: ratio(burst.acks.lastAckMs, burst.minimalApp.acks.lastAckMs),
        goal: '—',
        met: undefined,
      },
      {
        name: '  connections dropped (accept queue full)',
        app: String(burst.listenQueueDrops),
        baseline: `${burst.minimalApp.listenQueueDrops} (minimal)`,
        ratio: '',
        goal: '—',
        met: undefined,
      },
      {
        name: 'burst: ratings on disk / replies ok',
        app: `${burst.ratingsOnDisk} / ${burst.responsesOk}`,
        baseline: `${CLICKS} clicks`,
        ratio: '',
        goal: `all ${CLICKS}`,
        met:
          burst.ratingsOnDisk === CLICKS && burst.responsesOk === CLICKS && burst.acks.status200 === CLICKS,
      },
      {
        name: 'burst: event-loop delay max (ms)',
        app: ms(burst.eventLoop.maxMs),
        baseline: `${ms(burst.minimalApp.eventLoop.maxMs)} (minimal)`,
        ratio: ratio(burst.eventLoop.maxMs, burst.minimalApp.eventLoop.maxMs),
        goal: `≤ ${GOALS.eventLoopMaxMs} ms`,
        met: burst.eventLoop.maxMs <= GOALS.eventLoopMaxMs,
      },
      {
        name: 'burst: event-loop delay p99 (ms)',
        app: ms(burst.eventLoop.p99Ms),
        baseline: `${ms(burst.minimalApp.eventLoop.p99Ms)} (minimal)`,
        ratio: ratio(burst.eventLoop.p99Ms, burst.minimalApp.eventLoop.p99Ms),
        goal: '—',
        met: undefined,
      },
      {
        name: `burst: flushes for ${CLICKS} clicks`,
        app: String(burst.flushes),
        baseline: `${CLICKS} clicks`,
        ratio: ratio(burst.flushes, CLICKS),
        goal: `≤ ${GOALS.flushesPerClick} per click`,
        met: burst.flushes <= CLICKS * GOALS.flushesPerClick,
      },
      {
        name: `start to /healthz 200 (ms), +${COPIES} frameworks`,
        app: ms(start.withCopies.medianMs),
        baseline: `${ms(start.bundledOnly.medianMs)} (bundled)`,
        ratio: ratio(start.withCopies.medianMs, start.bundledOnly.medianMs),
        goal: '—',
        met: undefined,
      },
      {
        name: `resident memory after burst (${burst.people} people)`,
        app: mb(burst.rssBytes),
        baseline: `${mb(start.bundledOnly.rssBytes)} (empty)`,
        ratio: ratio(burst.rssBytes, start.bundledOnly.rssBytes),
        goal: '—',
        met: undefined,
      },
    ];

    const results = {
      machine: { ...machine, loadAverageAtEnd: os.loadavg() },
      code,
      settings: {
        connections: CONNECTIONS,
        durationSeconds: DURATION_SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        commandOrder: COMMAND_ORDER,
        finishedPeople: FINISHED_PEOPLE,
        clicks: CLICKS,
        frameworkCopies: COPIES,
        startTrials: START_TRIALS,
        lookupPatterns: WORST_PATTERNS,
        lookupLengths: LENGTHS,
        lookupRoundCpuMs: ROUND_CPU_MS,
        goals: GOALS,
        notes: [
          'Command figures are medians of the runs of each app (alternating minimal, app, …); requests/s = completed requests / duration.',
          'Event-loop delay is from monitorEventLoopDelay({ resolution: 10 }) and includes the 10 ms sampling interval.',
          'The one-write baseline is JSON.stringify + writeFile + fsync of the seeded data in the bench process (median of 3).',
          'The burst floor sends the same signed clicks to the minimal Bolt app, which acks and answers each on its response_url (no store, no views).',
          'The small-store burst sends the same kind of clicks to the real app on a store of only the 1,000 people who click (file ≈ 0.5 MB): what the size of the file costs.',
          'Connections dropped = ListenDrops in /proc/net/netstat during the burst (whole network namespace); a dropped client retries after about 1 s.',
          'The memory baseline is the VmRSS of the app just after start with an empty store and the bundled framework only.',
          'Lookup CPU is process.cpuUsage() per Catalog.lookup in the bench process (median of 5 rounds of at least 25 ms CPU each); each row shows the costliest of the long texts tried at that length. The normal command is padded past 200 characters so that the catalog does not answer it from memory.',
          'The long command is the costliest 4,000-character text sent to the app (with 200 more frameworks) as a signed slash command, alternating with the normal command, one at a time; app CPU is from /proc/<pid>/stat (10 ms ticks, summed over all commands).',
        ],
      },
      command,
      burst,
      start,
      lookup,
      table: rows,
      benchSeconds: (performance.now() - begun) / 1000,
    };
    await writeFile(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);

    process.stdout.write(
      `\n${machine.cpuModel} · ${machine.cores} cores · Node ${machine.node} · ${machine.date} · load ${machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')} · app at ${code.commit}${code.uncommittedChanges ? ' (+ uncommitted changes)' : ''}\n\n`,
    );
    printTable(rows);
    const missed = rows.filter((r) => r.met === false);
    process.stdout.write(
      `\n${missed.length === 0 ? 'All goals met.' : `Goals missed: ${missed.map((r) => r.name).join('; ')}`}\n` +
        `Figures in bench/results.json (${results.benchSeconds.toFixed(0)} s).\n`,
    );
  } finally {
    await slack.close();
  }
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    log(`${signal}: stopping the apps and removing temp folders`);
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
