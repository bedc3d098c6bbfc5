import { setTimeout as sleep } from 'node:timers/promises';
import type { Framework } from '../src/frameworks/schema.js';
import { slashCommandBody } from '../src/sandbox/signing.js';
import { log, signedHeaders } from './apps.js';
import {
  type BurstConfig,
  type BurstHarness,
  configLabel,
  prepareClicks,
  RATERS,
  startInstances,
} from './burst.js';
import { ratersOf, type SeededDatabase } from './data.js';
import type { SinkPost } from './response-sink.js';
import {
  type CpuAccount,
  cpuAccount,
  preparePost,
  type RawRequest,
  removeTempDir,
  rssOf,
  sendRaw,
  tempDir,
} from './support.js';

/**
 * Steady load, as an organisation sends it: RATE requests a second for a minute (20 s with --quick),
 * four rating clicks to one `/competency solutions-architect senior`, from many people, spread over
 * two instances on PostgreSQL with 100,000 people; the same load on the same-job app (same-job-app.ts)
 * in the same run. Requests go out on a schedule (open loop: one every 1000 / RATE ms, whether or not
 * the ones before were answered), each on a connection of its own, from prepared bytes.
 * - a click: its acknowledgement (the HTTP answer), and its confirmed answer (the app's post to its
 *   response_url, sent once the rating is stored), each from the moment it was sent;
 * - a command: its answer (in the acknowledgement);
 * - the resident memory of every instance, once a second.
 * The RATERS people half way through a run click in turn: click j is person j mod RATERS rating the
 * competency at position ⌊j / RATERS⌋, so a person's next click comes RATERS / (0.8 · RATE) seconds
 * after their last one (12.5 s at 200 a second), long after it was stored.
 */

export const RATE = 200;
export const STEADY_SECONDS = 60;
export const STEADY_QUICK_SECONDS = 20;
/** Of every five requests, four are clicks and one a command. */
const COMMAND_EVERY = 5;
const COMMAND_TEXT = 'solutions-architect senior';

type Sent = { kind: 'click' | 'command'; at: number; ackMs: number; status: number; ok: boolean };

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN);

function latency(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    over3s: sorted.filter((v) => v > 3000).length,
  };
}

/** One configuration (the app or the same-job app, two instances) under the steady load. */
async function steadyLoad(
  harness: BurstHarness,
  framework: Framework,
  config: Extract<BurstConfig, { store: 'postgres' | 'same-job' }>,
  seconds: number,
) {
  const { slack, sink } = harness;
  const label = configLabel(config);
  const total = RATE * seconds;
  const clicksWanted = total - Math.floor(total / COMMAND_EVERY);
  const positions = Math.ceil(clicksWanted / RATERS);
  if (positions >= framework.competencies.length) {
    throw new Error(
      `steady load: ${seconds} s would have people finish their run (${positions} clicks each)`,
    );
  }
  await config.db.resetRaters();
  const dataDir = await tempDir('steady');
  const probeDir = await tempDir('steady-probe');
  log(`steady load: starting ${label}`);
  const { instances } = await startInstances(
    slack,
    config,
    config.instances,
    dataDir,
    probeDir,
    [],
    harness.answersFile,
  );
  try {
    // Every request prepared beforehand: clicks by position, then person; a command every fifth.
    const raters = ratersOf({ total: RATERS, raters: RATERS });
    const clicks = Array.from({ length: positions }, (_, p) =>
      prepareClicks(sink, framework, raters, p),
    ).flat();
    const requests: { kind: 'click' | 'command'; request: RawRequest; responseUrl?: string }[] = [];
    let nextClick = 0;
    for (let i = 0; i < total; i++) {
      const instance = instances[i % instances.length];
      if (!instance) throw new Error('no instance');
      const url = `${instance.baseUrl}/slack/events`;
      if (i % COMMAND_EVERY === COMMAND_EVERY - 1) {
        const body = slashCommandBody({
          command: '/competency',
          text: COMMAND_TEXT,
          user_id: `UF${String(i).padStart(8, '0')}`,
          response_url: sink.newResponseUrl(),
        });
        requests.push({ kind: 'command', request: preparePost(url, signedHeaders(body), body) });
      } else {
        const click = clicks[nextClick++];
        if (!click) throw new Error('not enough clicks prepared');
        requests.push({
          kind: 'click',
          request: preparePost(url, click.headers, click.body),
          responseUrl: click.responseUrl,
        });
      }
    }

    const sentAt = new Map<string, number>();
    const confirmed: number[] = [];
    const confirmedAt: { atMs: number; ms: number }[] = [];
    let t0 = 0;
    let confirmationsOk = 0;
    let allConfirmed: () => void = () => undefined;
    const everyConfirmation = new Promise<void>((resolve) => {
      allConfirmed = resolve;
    });
    const clickCount = requests.filter((r) => r.kind === 'click').length;
    const onResponse = (post: SinkPost) => {
      const at = sentAt.get(post.url);
      if (at === undefined) return;
      sentAt.delete(post.url);
      confirmed.push(performance.now() - at);
      confirmedAt.push({ atMs: at - t0, ms: performance.now() - at });
      if (post.ok) confirmationsOk++;
      if (confirmed.length === clickCount) allConfirmed();
    };
    sink.on('response', onResponse);

    const memory: { atMs: number; rssBytes: (number | undefined)[] }[] = [];
    const cpu = cpuAccount(Object.fromEntries(instances.map((i) => [i.name, i.child.pid])));
    await cpu.start();
    t0 = performance.now();
    const sampling = (async () => {
      for (let s = 0; s <= seconds; s++) {
        await sleep(Math.max(0, t0 + s * 1000 - performance.now()));
        memory.push({
          atMs: performance.now() - t0,
          rssBytes: await Promise.all(instances.map((i) => rssOf(i.child.pid))),
        });
      }
    })();
    log(`steady load: ${RATE} requests a second for ${seconds} s on ${label}`);
    const results: Promise<Sent>[] = [];
    const interval = 1000 / RATE;
    let next = 0;
    while (next < requests.length) {
      const due = Math.min(requests.length, Math.floor((performance.now() - t0) / interval) + 1);
      for (; next < due; next++) {
        const r = requests[next];
        if (!r) continue;
        const at = performance.now();
        if (r.responseUrl) sentAt.set(r.responseUrl, at);
        results.push(
          sendRaw(r.request).then(({ status, response }) => ({
            kind: r.kind,
            at: at - t0,
            ackMs: performance.now() - at,
            status,
            ok: status === 200 && (r.kind === 'click' || response.includes('Expected at Senior')),
          })),
        );
      }
      await sleep(Math.max(1, t0 + next * interval - performance.now()));
    }
    const sent = await Promise.all(results);
    await Promise.race([everyConfirmation, sleep(30_000)]);
    const cpuUsed: CpuAccount = await cpu.stop();
    sink.off('response', onResponse);
    await sampling;
    sink.reset();

    const clicksSent = sent.filter((s) => s.kind === 'click');
    const commands = sent.filter((s) => s.kind === 'command');
    const appCpuMs = Object.values(cpuUsed.processesMs).reduce((a, b) => a + b, 0);
    const perInstance = instances.map((instance, n) => {
      const values = memory.map((m) => m.rssBytes[n] ?? Number.NaN).filter(Number.isFinite);
      return {
        name: instance.name,
        firstBytes: values[0] ?? Number.NaN,
        lastBytes: values.at(-1) ?? Number.NaN,
        maxBytes: Math.max(...values),
      };
    });
    const summary = {
      label,
      store: config.store,
      instances: config.instances,
      people: config.people,
      seconds,
      rate: RATE,
      requests: sent.length,
      /** How far behind its schedule the last request went out (the sender's own lag). */
      sendLagMs: (sent.at(-1)?.at ?? 0) - (requests.length - 1) * interval,
      clickAck: latency(clicksSent.map((s) => s.ackMs)),
      clickConfirmed: latency(confirmed),
      command: latency(commands.map((s) => s.ackMs)),
      failures: {
        clicksNot200: clicksSent.filter((s) => !s.ok).length,
        commandsNotAnswered: commands.filter((s) => !s.ok).length,
        clicksNotConfirmed: clicksSent.length - confirmed.length,
        confirmationsRefused: confirmed.length - confirmationsOk,
      },
      appCpuMsPerRequest: appCpuMs / sent.length,
      cores: {
        apps: appCpuMs / cpuUsed.wallMs,
        postgres: cpuUsed.postgresMs / cpuUsed.wallMs,
        bench: cpuUsed.benchMs / cpuUsed.wallMs,
        machine: cpuUsed.machineBusyShare,
      },
      /** The slowest requests: when each was sent (ms from the start) and how long it took. */
      slowest: [
        ...sent.map((x) => ({ kind: x.kind, atMs: x.at, ms: x.ackMs })),
        ...confirmedAt.map((c) => ({ kind: 'confirmed' as const, atMs: c.atMs, ms: c.ms })),
      ]
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 10),
      memory: perInstance,
      memorySamples: memory,
    };
    log(
      `  click ack p50/p99 ${summary.clickAck.p50Ms.toFixed(1)}/${summary.clickAck.p99Ms.toFixed(1)} ms, confirmed p50/p99 ${summary.clickConfirmed.p50Ms.toFixed(1)}/${summary.clickConfirmed.p99Ms.toFixed(1)} ms (max ${summary.clickConfirmed.maxMs.toFixed(0)}), command p50/p99 ${summary.command.p50Ms.toFixed(1)}/${summary.command.p99Ms.toFixed(1)} ms; ${summary.appCpuMsPerRequest.toFixed(2)} ms CPU per request`,
    );
    return summary;
  } finally {
    await Promise.all(instances.map((i) => i.child.stop(15_000)));
    await removeTempDir(dataDir);
    await removeTempDir(probeDir);
  }
}

export type SteadySummary = Awaited<ReturnType<typeof steadyLoad>>;

/** The app and the same-job app, each two instances on PostgreSQL, under the same steady load. */
export async function steadyPair(
  harness: BurstHarness,
  framework: Framework,
  db: SeededDatabase,
  people: number,
  seconds: number,
): Promise<SteadySummary[]> {
  const out: SteadySummary[] = [];
  out.push(await steadyLoad(harness, framework, { store: 'same-job', people, instances: 2, db }, seconds));
  out.push(await steadyLoad(harness, framework, { store: 'postgres', people, instances: 2, db }, seconds));
  return out;
}
