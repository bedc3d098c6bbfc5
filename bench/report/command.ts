import { CONNECTIONS, type commandThroughput } from '../command.js';
import { SAME_JOB_GOALS } from './same-job.js';
import { GOALS, ms, type Row, ratio, span } from './table.js';

/**
 * The rows of part 1, command throughput: the app on each store beside the same-job app (the goals),
 * and beside the minimal Bolt app that acknowledges `ok` (a reference).
 */

export type Command = Awaited<ReturnType<typeof commandThroughput>>;

export function commandRows(command: Command): Row[] {
  const m = command.modes;
  const all = Object.values(m);
  const cores = (c: (typeof m)['minimal']['cores']) =>
    `${c.apps.toFixed(2)} app / ${c.autocannon.toFixed(2)} load / ${c.postgres.toFixed(2)} pg / ${c.machine.toFixed(2)} all`;
  const same = m['same-job'];
  const rps = (mode: (typeof m)['minimal']) =>
    `${mode.requestsPerSecond.toFixed(0)} (${span(mode.requestsPerSecondRange, (n) => n.toFixed(0))})`;
  const throughput = (label: string, mode: (typeof m)['minimal']): Row => ({
    name: label,
    group: 'command throughput vs the same-job app',
    app: rps(mode),
    baseline: `${same.requestsPerSecond.toFixed(0)} (same-job)`,
    ratio: ratio(mode.requestsPerSecond, same.requestsPerSecond),
    goal: `≥ ${SAME_JOB_GOALS.commandThroughput}`,
    met: mode.requestsPerSecond / same.requestsPerSecond >= SAME_JOB_GOALS.commandThroughput,
  });
  const cpu = (label: string, mode: (typeof m)['minimal']): Row => ({
    name: label,
    group: 'CPU per command vs the same-job app',
    app: `${(mode.appCpuMsPerRequest * 1000).toFixed(0)} µs`,
    baseline: `${(same.appCpuMsPerRequest * 1000).toFixed(0)} µs (same-job)`,
    ratio: ratio(mode.appCpuMsPerRequest, same.appCpuMsPerRequest),
    goal: `≤ ${SAME_JOB_GOALS.commandCpu}`,
    met: mode.appCpuMsPerRequest / same.appCpuMsPerRequest <= SAME_JOB_GOALS.commandCpu,
  });
  return [
    throughput(`command throughput (req/s, ${CONNECTIONS} conn) vs the same-job app: app, lowdb`, m.lowdb),
    throughput('  app, PostgreSQL ×1', m.postgres),
    cpu('CPU per command vs the same-job app: app, lowdb', m.lowdb),
    cpu('  app, PostgreSQL ×1', m.postgres),
    {
      name: '  reference: the minimal app acking `ok` (req/s; app lowdb / PG ×1)',
      app: `${m.lowdb.requestsPerSecond.toFixed(0)} / ${m.postgres.requestsPerSecond.toFixed(0)}`,
      baseline: `${rps(m.minimal)} (minimal)`,
      ratio: `${ratio(m.lowdb.requestsPerSecond, m.minimal.requestsPerSecond)} / ${ratio(m.postgres.requestsPerSecond, m.minimal.requestsPerSecond)}`,
      goal: '—',
      met: undefined,
    },
    {
      name: '  two instances vs one (PostgreSQL)',
      app: `${m['postgres-x2'].requestsPerSecond.toFixed(0)} (×2)`,
      baseline: `${m.postgres.requestsPerSecond.toFixed(0)} (×1)`,
      ratio: ratio(m['postgres-x2'].requestsPerSecond, m.postgres.requestsPerSecond),
      goal: 'report',
      met: undefined,
    },
    {
      name: '  cores busy, PostgreSQL ×1 (app / autocannon / pg / all)',
      app: cores(m.postgres.cores),
      baseline: `minimal: ${cores(m.minimal.cores)}`,
      ratio: '',
      goal: '—',
      met: undefined,
    },
    {
      name: '  cores busy, PostgreSQL ×2',
      app: cores(m['postgres-x2'].cores),
      baseline: `×1: ${m.postgres.cores.machine.toFixed(2)} all`,
      ratio: '',
      goal: '—',
      met: undefined,
    },
    {
      name: '  app CPU per command (ms): lowdb / PG ×1 / PG ×2',
      app: `${m.lowdb.appCpuMsPerRequest.toFixed(3)} / ${m.postgres.appCpuMsPerRequest.toFixed(3)} / ${m['postgres-x2'].appCpuMsPerRequest.toFixed(3)}`,
      baseline: `${same.appCpuMsPerRequest.toFixed(3)} (same-job), ${m.minimal.appCpuMsPerRequest.toFixed(3)} (minimal)`,
      ratio: ratio(m.postgres.appCpuMsPerRequest, m.minimal.appCpuMsPerRequest),
      goal: '—',
      met: undefined,
    },
    {
      name: 'command latency p50 (ms): lowdb / PG ×1 / PG ×2',
      app: `${ms(m.lowdb.p50Ms)} / ${ms(m.postgres.p50Ms)} / ${ms(m['postgres-x2'].p50Ms)}`,
      baseline: `${ms(same.p50Ms)} (same-job)`,
      ratio: ratio(m.lowdb.p50Ms, same.p50Ms),
      goal: '—',
      met: undefined,
    },
    {
      name: 'command latency p99 (ms): lowdb / PG ×1 / PG ×2',
      app: `${ms(m.lowdb.p99Ms)} / ${ms(m.postgres.p99Ms)} / ${ms(m['postgres-x2'].p99Ms)}`,
      baseline: `${ms(same.p99Ms)} (same-job)`,
      ratio: ratio(m.lowdb.p99Ms, same.p99Ms),
      goal: `≤ ${GOALS.p99Ms} ms`,
      met: Math.max(m.lowdb.p99Ms, m.postgres.p99Ms, m['postgres-x2'].p99Ms) <= GOALS.p99Ms,
    },
    {
      name: 'command non-2xx / errors (all runs)',
      app: `${all.reduce((n, x) => n + x.non2xx, 0) - m.minimal.non2xx - same.non2xx} / ${all.reduce((n, x) => n + x.errors, 0) - m.minimal.errors - same.errors}`,
      baseline: `${m.minimal.non2xx + same.non2xx} / ${m.minimal.errors + same.errors}`,
      ratio: '',
      goal: '0',
      met:
        all.every((x) => x.non2xx + x.errors === 0) &&
        Object.entries(command.answers).every(([name, a]) => name === 'minimal' || a.showsFramework),
    },
    {
      name: 'command response size (bytes)',
      app: m.lowdb.bytesPerResponse.toFixed(0),
      baseline: `${same.bytesPerResponse.toFixed(0)} (same-job), ${m.minimal.bytesPerResponse.toFixed(0)} (minimal)`,
      ratio: ratio(m.lowdb.bytesPerResponse, same.bytesPerResponse),
      goal: '—',
      met: undefined,
    },
  ];
}
