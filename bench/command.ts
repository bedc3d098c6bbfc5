import type { LocalSlack } from '../src/sandbox/local-slack.js';
import { sendSigned, slashCommandBody } from '../src/sandbox/signing.js';
import { APP_ARGS, appEnv, FORM, log, SIGNING_SECRET, signedHeaders } from './apps.js';
import {
  type Child,
  freePort,
  median,
  removeTempDir,
  runNode,
  spawnNode,
  tempDir,
  waitHealthy,
} from './support.js';

/**
 * 1. Command throughput: `/competency solutions-architect senior` against the real app and against a
 * minimal Bolt app (the baseline), loaded in turn by autocannon from a process of its own.
 */

export const CONNECTIONS = 50;
export const DURATION_SECONDS = 10;
export const WARMUP_SECONDS = 2;
export const COMMAND_ORDER = ['minimal', 'app', 'minimal', 'app'] as const;

type Mode = 'minimal' | 'app';

export type LoadSummary = {
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

export async function commandThroughput(slack: LocalSlack) {
  const dataDir = await tempDir('command');
  const ports = { app: await freePort(), minimal: await freePort() };
  const urls = { app: `http://127.0.0.1:${ports.app}`, minimal: `http://127.0.0.1:${ports.minimal}` };
  const children: Record<Mode, Child> = {
    app: spawnNode('app', APP_ARGS, appEnv(slack, ports.app, dataDir)),
    minimal: spawnNode(
      'minimal app',
      ['--import', 'tsx', 'bench/minimal-app.ts'],
      appEnv(slack, ports.minimal, dataDir),
    ),
  };
  try {
    await Promise.all([
      waitHealthy(urls.app, children.app, { intervalMs: 50 }),
      waitHealthy(urls.minimal, children.minimal, { intervalMs: 50 }),
    ]);
    const body = slashCommandBody({
      command: '/competency',
      text: 'solutions-architect senior',
      response_url: slack.newResponseUrl(),
    });

    // The answer really is the framework (and the baseline really answers).
    const appAnswer = await sendSigned(`${urls.app}/slack/events`, SIGNING_SECRET, body, FORM);
    const minimalAnswer = await sendSigned(`${urls.minimal}/slack/events`, SIGNING_SECRET, body, FORM);
    const answerCheck = {
      appStatus: appAnswer.status,
      appBodyBytes: Buffer.byteLength(appAnswer.text),
      appShowsFramework: appAnswer.text.includes('Expected at Senior'),
      appBlocks: Array.isArray((appAnswer.json as { blocks?: unknown[] } | undefined)?.blocks)
        ? ((appAnswer.json as { blocks: unknown[] }).blocks.length ?? 0)
        : 0,
      minimalStatus: minimalAnswer.status,
      minimalBodyBytes: Buffer.byteLength(minimalAnswer.text),
    };
    if (answerCheck.appStatus !== 200 || !answerCheck.appShowsFramework) {
      throw new Error(
        `the app did not answer with the framework: ${appAnswer.status} ${appAnswer.text.slice(0, 300)}`,
      );
    }
    if (answerCheck.minimalStatus !== 200)
      throw new Error(`the minimal app answered ${minimalAnswer.status}`);

    const runs: { mode: Mode; result: LoadSummary }[] = [];
    for (const mode of COMMAND_ORDER) {
      log(`command throughput: ${mode} (${WARMUP_SECONDS} s warm-up + ${DURATION_SECONDS} s)`);
      const stdout = await runNode('autocannon', ['--import', 'tsx', 'bench/load.ts'], {
        BENCH_LOAD_OPTIONS: JSON.stringify({
          url: `${urls[mode]}/slack/events`,
          headers: signedHeaders(body),
          body,
          connections: CONNECTIONS,
          durationSeconds: DURATION_SECONDS,
          warmupSeconds: WARMUP_SECONDS,
        }),
      });
      const result = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as LoadSummary;
      runs.push({ mode, result });
      log(
        `  ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
      );
    }
    const of = (mode: Mode) => runs.filter((r) => r.mode === mode).map((r) => r.result);
    const summarise = (mode: Mode) => {
      const results = of(mode);
      return {
        requestsPerSecond: median(results.map((r) => r.requestsPerSecond)),
        p50Ms: median(results.map((r) => r.latencyMs.p50)),
        p99Ms: median(results.map((r) => r.latencyMs.p99)),
        bytesPerResponse: median(results.map((r) => r.bytesPerResponse)),
        non2xx: results.reduce((n, r) => n + r.non2xx + (r.warmup?.non2xx ?? 0), 0),
        errors: results.reduce((n, r) => n + r.errors + (r.warmup?.errors ?? 0), 0),
        requests: results.reduce((n, r) => n + r.requests, 0),
      };
    };
    return {
      connections: CONNECTIONS,
      answerCheck,
      app: summarise('app'),
      minimal: summarise('minimal'),
      runs,
    };
  } finally {
    await Promise.all([children.app.stop(), children.minimal.stop()]);
    await removeTempDir(dataDir);
  }
}
