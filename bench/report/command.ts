import { CONNECTIONS, type commandThroughput } from '../command.js';
import { GOALS, ms, type Row, ratio, span } from './table.js';

/** The rows of part 1, command throughput: the app on each store beside the minimal Bolt app. */

export type Command = Awaited<ReturnType<typeof commandThroughput>>;

export function commandRows(command: Command): Row[] {
  const m = command.modes;
  const all = Object.values(m);
  const cores = (c: (typeof m)['minimal']['cores']) =>
    `${c.apps.toFixed(2)} app / ${c.autocannon.toFixed(2)} load / ${c.postgres.toFixed(2)} pg / ${c.machine.toFixed(2)} all`;
  return [
    {
      name: `command throughput (req/s, ${CONNECTIONS} conn): app, lowdb`,
      app: `${m.lowdb.requestsPerSecond.toFixed(0)} (${span(m.lowdb.requestsPerSecondRange, (n) => n.toFixed(0))})`,
      baseline: `${m.minimal.requestsPerSecond.toFixed(0)} (minimal)`,
      ratio: ratio(m.lowdb.requestsPerSecond, m.minimal.requestsPerSecond),
      goal: `≥ ${GOALS.throughputRatio}`,
      met: m.lowdb.requestsPerSecond / m.minimal.requestsPerSecond >= GOALS.throughputRatio,
    },
    {
      name: '  app, PostgreSQL ×1',
      group: 'command throughput',
      app: `${m.postgres.requestsPerSecond.toFixed(0)} (${span(m.postgres.requestsPerSecondRange, (n) => n.toFixed(0))})`,
      baseline: `${m.minimal.requestsPerSecond.toFixed(0)} (minimal)`,
      ratio: ratio(m.postgres.requestsPerSecond, m.minimal.requestsPerSecond),
      goal: `≥ ${GOALS.throughputRatio}`,
      met: m.postgres.requestsPerSecond / m.minimal.requestsPerSecond >= GOALS.throughputRatio,
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
      baseline: `${m.minimal.appCpuMsPerRequest.toFixed(3)} (minimal)`,
      ratio: ratio(m.postgres.appCpuMsPerRequest, m.minimal.appCpuMsPerRequest),
      goal: '—',
      met: undefined,
    },
    {
      name: 'command latency p50 (ms): lowdb / PG ×1 / PG ×2',
      app: `${ms(m.lowdb.p50Ms)} / ${ms(m.postgres.p50Ms)} / ${ms(m['postgres-x2'].p50Ms)}`,
      baseline: `${ms(m.minimal.p50Ms)} (minimal)`,
      ratio: ratio(m.lowdb.p50Ms, m.minimal.p50Ms),
      goal: '—',
      met: undefined,
    },
    {
      name: 'command latency p99 (ms): lowdb / PG ×1 / PG ×2',
      app: `${ms(m.lowdb.p99Ms)} / ${ms(m.postgres.p99Ms)} / ${ms(m['postgres-x2'].p99Ms)}`,
      baseline: `${ms(m.minimal.p99Ms)} (minimal)`,
      ratio: ratio(m.lowdb.p99Ms, m.minimal.p99Ms),
      goal: `≤ ${GOALS.p99Ms} ms`,
      met: Math.max(m.lowdb.p99Ms, m.postgres.p99Ms, m['postgres-x2'].p99Ms) <= GOALS.p99Ms,
    },
    {
      name: 'command non-2xx / errors (all runs)',
      app: `${all.reduce((n, x) => n + x.non2xx, 0) - m.minimal.non2xx} / ${all.reduce((n, x) => n + x.errors, 0) - m.minimal.errors}`,
      baseline: `${m.minimal.non2xx} / ${m.minimal.errors}`,
      ratio: '',
      goal: '0',
      met:
        all.every((x) => x.non2xx + x.errors === 0) &&
        Object.entries(command.answers).every(([name, a]) => name === 'minimal' || a.showsFramework),
    },
    {
      name: 'command response size (bytes)',
      app: m.lowdb.bytesPerResponse.toFixed(0),
      baseline: m.minimal.bytesPerResponse.toFixed(0),
      ratio: ratio(m.lowdb.bytesPerResponse, m.minimal.bytesPerResponse),
      goal: '—',
      met: undefined,
    },
  ];
}
