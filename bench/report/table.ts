import { execFileSync } from 'node:child_process';
import { ROOT } from '../support.js';

/**
 * The table `npm run bench` prints: its rows (each figure beside its baseline, and the goal it is
 * held to), the goals, and how figures are written.
 */

const MB = 1024 * 1024;

export const GOALS = {
  throughputRatio: 0.85,
  p99Ms: 50,
  /** 1,000 clicks all confirmed, PostgreSQL, two instances, 100,000 people; and faster than the minimal app. */
  burstPostgresMs: 1500,
  /** The same on lowdb (one process) at 10,000 people. */
  burstLowdbMs: 3000,
  commandDuringBurstMs: 1000,
  /** Resident memory of a PostgreSQL instance after the burst at 100,000 people. */
  postgresRssBytes: 200 * MB,
  /** "No growth with people": at 100,000 at most this much more than at 10,000. */
  postgresRssGrowth: 1.1,
  startMs: 1000,
  eventLoopMaxMs: 200,
  /** "far fewer flushes than clicks", read as at most one flush per ten clicks. */
  flushesPerClick: 0.1,
  /** "A command of 4,000 or 40,000 characters answers in a few milliseconds of CPU." */
  lookupCpuMs: 5,
  /** "With 500 frameworks loaded, lookup under 1 ms": a normal command, and a mistyped role. */
  lookupLargeMs: 1,
  /** `/competency find`, search and answer, with 500 frameworks loaded. */
  findCpuMs: 5,
  /** The app's answer to the worst 4,000-character command, one at a time (Slack waits 3 s). */
  longCommandP50Ms: 50,
};

export type Row = {
  name: string;
  /** What an indented row belongs to, for the list of missed goals. */
  group?: string;
  app: string;
  baseline: string;
  ratio: string;
  goal: string;
  met: boolean | undefined;
};

export const ms = (n: number) => (Number.isFinite(n) ? (n >= 100 ? n.toFixed(0) : n.toFixed(1)) : 'n/a');
export const mb = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / MB).toFixed(0)} MB` : 'n/a');
export const people = (n: number) => n.toLocaleString('en');
export const span = (s: { min: number; max: number }, unit = ms) =>
  s.min === s.max ? unit(s.max) : `${unit(s.min)}–${unit(s.max)}`;
/** A repeated text as a row names it: `"sr …"`, at most a dozen characters of it. */
export const patternLabel = (unit: string) => {
  const words = unit.trim();
  return `"${words.length > 12 ? `${words.slice(0, 11).trimEnd()}…` : words} …"`;
};
export const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? (a / b).toFixed(2) : 'n/a');

export function printTable(rows: Row[]): void {
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
export function gitState(): { commit: string; uncommittedChanges: boolean } {
  try {
    const git = (...a: string[]) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      uncommittedChanges: git('status', '--porcelain', '--', 'src', 'frameworks').length > 0,
    };
  } catch {
    return { commit: 'unknown', uncommittedChanges: false };
  }
}

export const thousands = (n: number) => `${Math.round(n / 1000)}k`;
