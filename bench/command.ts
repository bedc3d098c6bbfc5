import os from 'node:os';
import type { LocalSlack } from '../src/sandbox/local-slack.js';
import { sendSigned, slashCommandBody } from '../src/sandbox/signing.js';
import { APP_ARGS, appEnv, baselineArgs, FORM, log, SIGNING_SECRET, signedHeaders } from './apps.js';
import {
  type Child,
  type CpuAccount,
  cpuAccount,
  freePort,
  median,
  removeTempDir,
  spawnNode,
  tempDir,
  waitHealthy,
} from './support.js';

/**
 * 1. Command throughput: `/competency solutions-architect senior`, loaded by autocannon from a
 * process of its own, against
 * - the same-job app (same-job-app.ts: verify, parse, acknowledge with the app's own 6.4 kB answer,
 *   prepared once): the baseline the app is held to;
 * - the minimal Bolt app (verify, parse, acknowledge `ok`): a reference, kept from before;
 * - the app on the lowdb file store (empty);
 * - the app on PostgreSQL, one instance (each command reads the person's progress from the database);
 * - two instances on the same database, the connections spread over both (autocannon with two URLs).
 * The runs alternate (…, then the same modes in reverse) so that a slow spell of the machine falls on
 * all of them. For each run: the CPU of every app process, of autocannon, of PostgreSQL and of the
 * machine, to show what limits two instances on two cores.
 */

export const CONNECTIONS = 50;
export const DURATION_SECONDS = 10;
export const WARMUP_SECONDS = 2;

const MODES = ['same-job', 'minimal', 'lowdb', 'postgres', 'postgres-x2'] as const;
export type Mode = (typeof MODES)[number];
const MODE_LABELS: Record<Mode, string> = {
  'same-job': 'same-job app',
  minimal: 'minimal Bolt app',
  lowdb: 'app, lowdb',
  postgres: 'app, PostgreSQL ×1',
  'postgres-x2': 'app, PostgreSQL ×2',
};

type LoadSummary = {
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  requestsPerSecondAverage: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  bytesPerResponse: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  warmup?: { requests: number; non2xx: number; errors: number };
};

/** `rounds` passes over the modes, every other one in reverse order. */
export function commandOrder(rounds: number): Mode[] {
  return Array.from({ length: rounds }, (_, r) => (r % 2 === 0 ? [...MODES] : [...MODES].reverse())).flat();
}

export async function commandThroughput(
  slack: LocalSlack,
  databaseUrl: string,
  rounds: number,
  /** The app's answers, for the same-job app (baselines.ts). */
  answersFile: string,
) {
  const dataDir = await tempDir('command');
  const ports = {
    sameJob: await freePort(),
    minimal: await freePort(),
    lowdb: await freePort(),
    pgA: await freePort(),
    pgB: await freePort(),
  };
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const pgEnv = { DATABASE_URL: databaseUrl };
  const children = {
    sameJob: spawnNode(
      'same-job app',
      await baselineArgs('same-job-app'),
      appEnv(slack, ports.sameJob, dataDir, { BENCH_ANSWERS_FILE: answersFile, BENCH_NO_STORE: '1' }),
    ),
    minimal: spawnNode(
      'minimal app',
      await baselineArgs('minimal-app'),
      appEnv(slack, ports.minimal, dataDir),
    ),
    lowdb: spawnNode('app (lowdb)', APP_ARGS, appEnv(slack, ports.lowdb, dataDir)),
    pgA: spawnNode('app (PostgreSQL) A', APP_ARGS, appEnv(slack, ports.pgA, dataDir, pgEnv)),
    pgB: spawnNode('app (PostgreSQL) B', APP_ARGS, appEnv(slack, ports.pgB, dataDir, pgEnv)),
  } satisfies Record<string, Child>;
  const targets: Record<Mode, { urls: string[]; children: Child[] }> = {
    'same-job': { urls: [url(ports.sameJob)], children: [children.sameJob] },
    minimal: { urls: [url(ports.minimal)], children: [children.minimal] },
    lowdb: { urls: [url(ports.lowdb)], children: [children.lowdb] },
    postgres: { urls: [url(ports.pgA)], children: [children.pgA] },
    'postgres-x2': { urls: [url(ports.pgA), url(ports.pgB)], children: [children.pgA, children.pgB] },
  };
  try {
    await Promise.all(
      Object.entries(ports).map(([name, port]) =>
        waitHealthy(url(port), children[name as keyof typeof children], { intervalMs: 50 }),
      ),
    );
    const body = slashCommandBody({
      command: '/competency',
      text: 'solutions-architect senior',
      response_url: slack.newResponseUrl(),
    });

    // The answer really is the framework, from every app instance (and the baseline really answers).
    const answers: Record<string, { status: number; bytes: number; showsFramework: boolean }> = {};
    for (const [name, port] of Object.entries(ports)) {
      const answer = await sendSigned(`${url(port)}/slack/events`, SIGNING_SECRET, body, FORM);
      answers[name] = {
        status: answer.status,
        bytes: Buffer.byteLength(answer.text),
        showsFramework: answer.text.includes('Expected at Senior'),
      };
      if (answer.status !== 200 || (name !== 'minimal' && !answers[name].showsFramework)) {
        throw new Error(
          `${name} did not answer with the framework: ${answer.status} ${answer.text.slice(0, 300)}`,
        );
      }
    }

    const runs: { mode: Mode; result: LoadSummary; cpu: CpuAccount }[] = [];
    for (const mode of commandOrder(rounds)) {
      log(`command throughput: ${MODE_LABELS[mode]} (${WARMUP_SECONDS} s warm-up + ${DURATION_SECONDS} s)`);
      const loader = spawnNode('autocannon', ['--import', 'tsx', 'bench/load.ts'], {
        BENCH_LOAD_OPTIONS: JSON.stringify({
          url: targets[mode].urls.map((u) => `${u}/slack/events`),
          headers: signedHeaders(body),
          body,
          connections: CONNECTIONS,
          durationSeconds: DURATION_SECONDS,
          warmupSeconds: WARMUP_SECONDS,
        }),
      });
      // CPU over the measured seconds only (after autocannon's start and warm-up).
      const cpu = cpuAccount({
        autocannon: loader.pid,
        ...Object.fromEntries(targets[mode].children.map((c) => [c.name, c.pid])),
      });
      const measured = (async () => {
        await new Promise((resolve) => setTimeout(resolve, (WARMUP_SECONDS + 1.5) * 1000));
        await cpu.start();
        await new Promise((resolve) => setTimeout(resolve, (DURATION_SECONDS - 1.5) * 1000));
        return cpu.stop();
      })();
      const code = await loader.exited;
      if (code !== 0) throw new Error(`autocannon exited with ${code}:\n${loader.output().slice(-4000)}`);
      const result = JSON.parse(loader.stdout().trim().split('\n').at(-1) ?? '') as LoadSummary;
      runs.push({ mode, result, cpu: await measured });
      log(
        `  ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
      );
    }
    const summarise = (mode: Mode) => {
      const results = runs.filter((r) => r.mode === mode);
      const rps = results.map((r) => r.result.requestsPerSecond);
      const cpuShare = (pick: (c: CpuAccount) => number) =>
        median(results.map((r) => pick(r.cpu) / r.cpu.wallMs));
      return {
        requestsPerSecond: median(rps),
        requestsPerSecondRange: { min: Math.min(...rps), max: Math.max(...rps) },
        p50Ms: median(results.map((r) => r.result.latencyMs.p50)),
        p99Ms: median(results.map((r) => r.result.latencyMs.p99)),
        bytesPerResponse: median(results.map((r) => r.result.bytesPerResponse)),
        non2xx: results.reduce((n, r) => n + r.result.non2xx + (r.result.warmup?.non2xx ?? 0), 0),
        errors: results.reduce((n, r) => n + r.result.errors + (r.result.warmup?.errors ?? 0), 0),
        requests: results.reduce((n, r) => n + r.result.requests, 0),
        /** Cores busy on average while measuring (1 = one whole core), median over the runs. */
        cores: {
          apps: cpuShare((c) =>
            Object.entries(c.processesMs)
              .filter(([name]) => name !== 'autocannon')
              .reduce((n, [, ms]) => n + ms, 0),
          ),
          autocannon: cpuShare((c) => c.processesMs.autocannon ?? 0),
          postgres: cpuShare((c) => c.postgresMs),
          machine: median(results.map((r) => r.cpu.machineBusyShare)) * os.availableParallelism(),
        },
        /** App CPU per request (ms), all instances together. */
        appCpuMsPerRequest: median(
          results.map(
            (r) =>
              Object.entries(r.cpu.processesMs)
                .filter(([name]) => name !== 'autocannon')
                .reduce((n, [, ms]) => n + ms, 0) /
              (r.result.requestsPerSecond * (r.cpu.wallMs / 1000)),
          ),
        ),
      };
    };
    return {
      connections: CONNECTIONS,
      answers,
      modes: Object.fromEntries(MODES.map((mode) => [mode, summarise(mode)])) as Record<
        Mode,
        ReturnType<typeof summarise>
      >,
      runs,
    };
  } finally {
    await Promise.all(Object.values(children).map((c) => c.stop()));
    await removeTempDir(dataDir);
  }
}
