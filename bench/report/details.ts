import os from 'node:os';
import { type BurstSummary, CLICKS } from '../burst.js';
import type { ProfileSummary } from '../cpu-profile.js';
import type { Start } from './start.js';

/**
 * Details printed under the table: what limits the figures on this machine (the CPU each process used
 * in each burst) and, when profiled, where the CPU of a burst and of a start went.
 */
export function printDetails(m: {
  bursts: BurstSummary[];
  start: Start | undefined;
  burstProfiles: { label: string; profile: ProfileSummary | undefined }[];
}): void {
  const out: string[] = [];
  const cores = os.availableParallelism();
  if (m.bursts.length > 0) {
    out.push(`\nCPU during each burst (ms, summed over rounds; the machine has ${cores} cores):`);
    for (const b of m.bursts) {
      const sum = (pick: (r: BurstSummary['rounds'][number]) => number) =>
        b.rounds.reduce((n, r) => n + pick(r), 0);
      const apps = sum((r) => Object.values(r.cpu.processesMs).reduce((n, x) => n + x, 0));
      const wall = sum((r) => r.cpu.wallMs);
      out.push(
        `  ${b.label.padEnd(32)} app ${apps.toFixed(0).padStart(5)} (${(apps / (CLICKS * b.rounds.length)).toFixed(2)} ms/click)` +
          ` · pg ${sum((r) => r.cpu.postgresMs)
            .toFixed(0)
            .padStart(4)} · bench ${sum((r) => r.cpu.benchMs)
            .toFixed(0)
            .padStart(4)}` +
          ` · machine busy ${((sum((r) => r.cpu.machineBusyMs) / (wall * cores)) * 100).toFixed(0)}% of ${wall.toFixed(0)} ms × ${cores}`,
      );
    }
  }
  for (const p of m.burstProfiles) {
    if (!p.profile) continue;
    out.push(
      `\nWhere the CPU goes in a burst, ${p.label} (busy ${p.profile.busyMs.toFixed(0)} ms, --cpu-prof):`,
    );
    for (const part of p.profile.parts.filter((x) => x.part !== '(idle)').slice(0, 10)) {
      out.push(`  ${part.ms.toFixed(0).padStart(6)} ms  ${part.part}`);
    }
  }
  if (m.start?.profile) {
    out.push(
      `\nWhere a start with ${m.start.largeCopies} more frameworks goes (busy ${m.start.profile.busyMs.toFixed(0)} ms of ${m.start.profile.wallMs.toFixed(0)} ms, --cpu-prof):`,
    );
    for (const part of m.start.profile.parts.slice(0, 10))
      out.push(`  ${part.ms.toFixed(0).padStart(6)} ms  ${part.part}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
