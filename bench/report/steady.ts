import type { SteadySummary } from '../steady.js';
import { SAME_JOB_GOALS } from './same-job.js';
import { mb, ms, people, type Row, ratio } from './table.js';

/** The rows of the steady load: the app beside the same-job app under the same load. */
export function steadyRows(steady: SteadySummary[]): Row[] {
  const app = steady.find((s) => s.store === 'postgres');
  const same = steady.find((s) => s.store === 'same-job');
  if (!app || !same) return [];
  const group = 'steady load';
  const pair = (l: { p50Ms: number; p99Ms: number }) => `${ms(l.p50Ms)} / ${ms(l.p99Ms)}`;
  const failures = (s: SteadySummary) =>
    s.failures.clicksNot200 +
    s.failures.commandsNotAnswered +
    s.failures.clicksNotConfirmed +
    s.failures.confirmationsRefused;
  const memory = (s: SteadySummary) =>
    s.memory.map((m) => `${mb(m.firstBytes)} → ${mb(m.lastBytes)} (max ${mb(m.maxBytes)})`).join(', ');
  return [
    {
      name: `steady load, ${app.rate}/s for ${app.seconds} s (4 clicks : 1 command), PostgreSQL ×${app.instances}, ${people(app.people)} people: click acknowledged p50 / p99 (ms)`,
      group,
      app: pair(app.clickAck),
      baseline: `${pair(same.clickAck)} (same-job)`,
      ratio: ratio(app.clickAck.p99Ms, same.clickAck.p99Ms),
      goal: '—',
      met: undefined,
    },
    {
      name: '  click confirmed on its response_url, p50 / p99 (ms)',
      group,
      app: pair(app.clickConfirmed),
      baseline: `${pair(same.clickConfirmed)} (same-job)`,
      ratio: ratio(app.clickConfirmed.p99Ms, same.clickConfirmed.p99Ms),
      goal: `p99 ≤ ${SAME_JOB_GOALS.steadyP99}`,
      met: app.clickConfirmed.p99Ms / same.clickConfirmed.p99Ms <= SAME_JOB_GOALS.steadyP99,
    },
    {
      name: '  command answered, p50 / p99 (ms)',
      group,
      app: pair(app.command),
      baseline: `${pair(same.command)} (same-job)`,
      ratio: ratio(app.command.p99Ms, same.command.p99Ms),
      goal: `p99 ≤ ${SAME_JOB_GOALS.steadyP99}`,
      met: app.command.p99Ms / same.command.p99Ms <= SAME_JOB_GOALS.steadyP99,
    },
    {
      name: `  slowest of anything (ms; past Slack's ${SAME_JOB_GOALS.slackLimitMs / 1000} s / failed)`,
      group,
      app: `${ms(Math.max(app.clickAck.maxMs, app.clickConfirmed.maxMs, app.command.maxMs))} (${app.clickAck.over3s + app.clickConfirmed.over3s + app.command.over3s} / ${failures(app)})`,
      baseline: `${ms(Math.max(same.clickAck.maxMs, same.clickConfirmed.maxMs, same.command.maxMs))} (${same.clickAck.over3s + same.clickConfirmed.over3s + same.command.over3s} / ${failures(same)}) (same-job)`,
      ratio: '',
      goal: 'none past 3 s, none failed',
      met: app.clickAck.over3s + app.clickConfirmed.over3s + app.command.over3s === 0 && failures(app) === 0,
    },
    {
      name: '  app CPU per request (ms, both instances)',
      group,
      app: app.appCpuMsPerRequest.toFixed(2),
      baseline: `${same.appCpuMsPerRequest.toFixed(2)} (same-job)`,
      ratio: ratio(app.appCpuMsPerRequest, same.appCpuMsPerRequest),
      goal: '—',
      met: undefined,
    },
    {
      name: '  resident memory over the run, each instance: first → last (max)',
      group,
      app: memory(app),
      baseline: `${memory(same)} (same-job)`,
      ratio: '',
      goal: 'flat (report)',
      met: undefined,
    },
  ];
}
