import { type BurstSummary, CLICKS } from '../burst.js';
import { mb, ms, people, type Row, ratio, span } from './table.js';

/**
 * The goals the app is held to beside the same-job app (bench/same-job-app.ts: the same answers and
 * the same row written, nothing more) and the floor (the same answers, no store), measured in the
 * same run; and the burst's rows that compare them.
 */
export const SAME_JOB_GOALS = {
  /** Commands answered per second, app / same-job: at least. */
  commandThroughput: 0.95,
  /** CPU per command, app / same-job: at most. */
  commandCpu: 1.1,
  /** 1,000 clicks at once, time to the last confirmed answer: app / same-job, at most. */
  burstTime: 1,
  /** … and app / floor, at most. */
  burstTimeFloor: 1.3,
  /** CPU per click (every instance): app / same-job, at most. */
  burstCpu: 0.85,
  /** … and app / floor, at most. */
  burstCpuFloor: 1.1,
  /** The slowest answer to a command typed during the burst: app / same-job, at most. */
  commandDuringBurst: 1.1,
  /** Resident memory of an instance after the burst: app / same-job, at most. */
  memoryAfterBurst: 1.2,
  /** Steady load: p99 of the confirmed answer, app / same-job, at most. */
  steadyP99: 1.3,
  /** Slack's limit for an acknowledgement. */
  slackLimitMs: 3000,
};

/** App CPU per click in a configuration, every instance and every round together (ms). */
function cpuPerClick(b: BurstSummary): number {
  const total = b.rounds.reduce((n, r) => n + Object.values(r.cpu.processesMs).reduce((a, x) => a + x, 0), 0);
  return total / (CLICKS * b.rounds.length);
}

/**
 * A reference row: the same-job app's own figure beside the floor's, so that a goal against the floor
 * can be read against what an app that stores the same row does.
 */
function beside(what: string, same: number, floor: number, show: (n: number) => string, group: string): Row {
  return {
    name: `  reference: the same-job app beside the floor, ${what}`,
    group,
    app: `${show(same)} (same-job)`,
    baseline: `${show(floor)} (floor)`,
    ratio: ratio(same, floor),
    goal: '—',
    met: undefined,
  };
}

/**
 * For each number of instances at the largest PostgreSQL size: the app beside the same-job app and
 * the floor, as the goals ask (time to the last confirmation and CPU per click against both; the
 * slowest command during the burst and the memory after it against the same-job app).
 */
export function sameJobBurstRows(bursts: BurstSummary[]): Row[] {
  const rows: Row[] = [];
  for (const instances of [1, 2]) {
    const same = bursts.find((b) => b.store === 'same-job' && b.instances === instances);
    if (!same) continue;
    const app = bursts.find(
      (b) => b.store === 'postgres' && b.instances === instances && b.people === same.people,
    );
    const floor = bursts.find((b) => b.store === 'floor' && b.instances === instances);
    if (!app) continue;
    const group = `burst, PostgreSQL ×${instances}, ${people(app.people)} people`;
    const time = app.confirmedMs.max;
    rows.push({
      name: `${CLICKS} clicks at once, PostgreSQL ×${instances}, ${people(app.people)} people: last confirmed (ms, slower round)`,
      group,
      app: span(app.confirmedMs),
      baseline: `${span(same.confirmedMs)} (same-job)`,
      ratio: ratio(time, same.confirmedMs.max),
      goal: `≤ ${SAME_JOB_GOALS.burstTime}`,
      met: time / same.confirmedMs.max <= SAME_JOB_GOALS.burstTime,
    });
    if (floor) {
      rows.push({
        name: '  the same, beside the floor (no store)',
        group,
        app: ms(time),
        baseline: `${span(floor.confirmedMs)} (floor)`,
        ratio: ratio(time, floor.confirmedMs.max),
        goal: `≤ ${SAME_JOB_GOALS.burstTimeFloor}`,
        met: time / floor.confirmedMs.max <= SAME_JOB_GOALS.burstTimeFloor,
      });
      rows.push(beside('last confirmed (ms)', same.confirmedMs.max, floor.confirmedMs.max, ms, group));
    }
    const cpu = cpuPerClick(app);
    rows.push({
      name: '  app CPU per click, every instance (ms)',
      group,
      app: cpu.toFixed(2),
      baseline: `${cpuPerClick(same).toFixed(2)} (same-job)`,
      ratio: ratio(cpu, cpuPerClick(same)),
      goal: `≤ ${SAME_JOB_GOALS.burstCpu}`,
      met: cpu / cpuPerClick(same) <= SAME_JOB_GOALS.burstCpu,
    });
    if (floor) {
      rows.push({
        name: '  the same, beside the floor',
        group,
        app: cpu.toFixed(2),
        baseline: `${cpuPerClick(floor).toFixed(2)} (floor)`,
        ratio: ratio(cpu, cpuPerClick(floor)),
        goal: `≤ ${SAME_JOB_GOALS.burstCpuFloor}`,
        met: cpu / cpuPerClick(floor) <= SAME_JOB_GOALS.burstCpuFloor,
      });
      rows.push(
        beside('CPU per click (ms)', cpuPerClick(same), cpuPerClick(floor), (n) => n.toFixed(2), group),
      );
    }
    rows.push({
      name: '  a command typed during the burst, slowest answer (ms)',
      group,
      app: `${span(app.commandWorstMs)} (median ${ms(app.commandMedianMs.max)})`,
      baseline: `${span(same.commandWorstMs)} (same-job)`,
      ratio: ratio(app.commandWorstMs.max, same.commandWorstMs.max),
      goal: `≤ ${SAME_JOB_GOALS.commandDuringBurst}`,
      met:
        app.commandsAllAnswered &&
        app.commandWorstMs.max / same.commandWorstMs.max <= SAME_JOB_GOALS.commandDuringBurst,
    });
    rows.push({
      name: '  resident memory of an instance after the burst',
      group,
      app: span(app.rssBytes, mb),
      baseline: `${span(same.rssBytes, mb)} (same-job)${floor ? `, ${span(floor.rssBytes, mb)} (floor)` : ''}`,
      ratio: ratio(app.rssBytes.max, same.rssBytes.max),
      goal: `≤ ${SAME_JOB_GOALS.memoryAfterBurst}`,
      met: app.rssBytes.max / same.rssBytes.max <= SAME_JOB_GOALS.memoryAfterBurst,
    });
  }
  return rows;
}
