import os from 'node:os';
import { RATE_LIMITS } from '../../src/sandbox/local-slack/rate-limits.js';
import type { WaveResult } from '../wave.js';
import { people, type Row } from './table.js';

/** The rows of the check-in wave (`--only wave`), its goals, and the table of the limits it ran under. */

export const WAVE_GOALS = {
  /** Slack calls per reminder sent, on average over the wave. */
  callsPerReminder: 1.1,
  /** 429s received, as a share of every call. */
  rateLimitedShare: 0.01,
  /** The wave's time, as a multiple of the floor the enforced limits set for the calls made. */
  floorRatio: 1.2,
};

const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'n/a');

export function waveRows(wave: WaveResult): Row[] {
  const group = `check-in wave, ${wave.workspaces} × ${people(wave.people)}`;
  const byMethod = Object.entries(wave.byMethod)
    .sort((a, b) => b[1] - a[1])
    .map(([method, n]) => `${method} ${(n / Math.max(1, wave.messaged)).toFixed(3)}`)
    .join(', ');
  const share = wave.rateLimited / Math.max(1, wave.calls);
  const floorRatio = wave.waveMs / wave.floorMs;
  const once = wave.messaged === wave.total && wave.duplicates === 0 && wave.storedAsSent === wave.total;
  return [
    {
      name: `check-in wave: ${wave.workspaces} workspaces × ${people(wave.people)} people, monthly, due within one hour in 4 zones, PostgreSQL ×${wave.instances}, Slack's rate limits enforced: first call to last reminder`,
      app: `${seconds(wave.waveMs)} (${seconds(wave.fromStartMs)} from start; apps healthy at ${seconds(wave.healthyMs)})`,
      baseline: `floor ${seconds(wave.floorMs)}: ${wave.floor.method} ${people(wave.floor.calls)} calls in ${wave.floor.workspace} (${seconds(wave.floorWithBurstMs)} with its burst)`,
      ratio: Number.isFinite(floorRatio) ? floorRatio.toFixed(2) : 'n/a',
      goal: `≤ ${WAVE_GOALS.floorRatio}× the floor`,
      met: Number.isFinite(floorRatio) && floorRatio <= WAVE_GOALS.floorRatio,
    },
    {
      name: '  every due reminder sent exactly once',
      group,
      app: `${people(wave.messaged)} of ${people(wave.total)} people messaged, ${wave.duplicates} twice; ${people(wave.storedAsSent)} recorded as sent`,
      baseline: '',
      ratio: '',
      goal: 'each once',
      met: once,
    },
    {
      name: '  Slack calls per reminder, by method',
      group,
      app: `${wave.callsPerReminder.toFixed(3)} (${byMethod})`,
      baseline: 'a users.info per person: 2.0',
      ratio: '',
      goal: `≤ ${WAVE_GOALS.callsPerReminder}`,
      met: wave.callsPerReminder <= WAVE_GOALS.callsPerReminder,
    },
    {
      name: '  CPU per reminder (ms, from the apps healthy to the last reminder): both instances / PostgreSQL / local Slack and bench',
      group,
      app: cpuPerReminder(wave),
      baseline: `cores busy: ${(wave.cpu.machineBusyShare * os.availableParallelism()).toFixed(2)} of ${os.availableParallelism()}`,
      ratio: '',
      goal: 'report',
      met: true,
    },
    {
      name: '  429s received',
      group,
      app: `${people(wave.rateLimited)} of ${people(wave.calls)} calls (${(share * 100).toFixed(2)}%)`,
      baseline: '',
      ratio: '',
      goal: `< ${WAVE_GOALS.rateLimitedShare * 100}%`,
      met: share < WAVE_GOALS.rateLimitedShare,
    },
  ];
}

function cpuPerReminder(wave: WaveResult): string {
  const per = (ms: number) => (ms / Math.max(1, wave.messaged)).toFixed(3);
  const apps = Object.values(wave.cpu.processesMs).reduce((a, b) => a + b, 0);
  return `${per(apps)} / ${per(wave.cpu.postgresMs)} / ${per(wave.cpu.benchMs)}`;
}

/** The limits the local Slack enforced (src/sandbox/local-slack/rate-limits.ts), as a table. */
export function printRateLimits(): void {
  const lines = Object.entries(RATE_LIMITS).map(
    ([method, l]) =>
      `  ${method.padEnd(30)} ${l.tier.padEnd(8)} ${String(l.perMinute).padStart(4)}/min  burst ${String(l.burst).padStart(3)}  per ${l.per}`,
  );
  process.stdout.write(
    `\nSlack's rate limits the local Slack enforced in the check-in wave (per app and workspace; past them 429 + Retry-After):\n${lines.join('\n')}\n`,
  );
}
