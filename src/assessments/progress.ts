import type { Framework } from '../frameworks/schema.js';
import { nextLevels } from '../frameworks/tracks.js';
import type { AssessmentRecord, RatingValue } from '../model/records.js';

/**
 * Progress over time, as data: how each competency's rating moved across a person's finished
 * assessments of one framework (the trend), and how far their latest assessment already meets the
 * next level on the same track (readiness). Plain arithmetic on the snapshots, which keep the
 * expectations of their time; nothing here knows about Slack or charts.
 */

/** The most assessments one trend shows: the latest ones. */
const TREND_MOST = 8;

/** One finished assessment on the trend's x axis. */
type TrendPoint = { id: string; finishedAt: string; levelName: string };

/**
 * One competency at one assessment: the rating (null when skipped) and the level expected then, or
 * `absent` when that assessment did not have the competency (the framework changed in between).
 */
type TrendValue = { rating: RatingValue | null; expected: number } | 'absent';

type TrendCompetency = { id: string; name: string; values: TrendValue[] };

export type Trend = {
  frameworkId: string;
  roleName: string;
  domainName: string;
  /** Oldest first, at most TREND_MOST. */
  points: TrendPoint[];
  /** How many finished assessments of the framework there are in all (more than `points` when some are left out). */
  total: number;
  /** In the order of the latest assessment, then any that only older ones had. */
  competencies: TrendCompetency[];
};

/**
 * The trend of one framework in a person's history (oldest first, as PersonData keeps it): their
 * latest TREND_MOST assessments of it, each competency's rating and expected level at each one.
 * Undefined when there is no finished assessment of that framework.
 */
export function trendOf(
  history: readonly AssessmentRecord[],
  frameworkId: string,
  most = TREND_MOST,
): Trend | undefined {
  const all = history.filter((r) => r.frameworkId === frameworkId);
  const records = all.slice(-most);
  const latest = records.at(-1);
  if (!latest) return undefined;
  const names = new Map<string, string>();
  for (const record of [...records].reverse()) {
    for (const c of record.competencies) if (!names.has(c.id)) names.set(c.id, c.name);
  }
  const competencies = [...names].map(([id, name]) => ({
    id,
    name,
    values: records.map((record): TrendValue => {
      const c = record.competencies.find((x) => x.id === id);
      return c ? { rating: c.rating, expected: c.expected } : 'absent';
    }),
  }));
  return {
    frameworkId,
    roleName: latest.roleName,
    domainName: latest.domainName,
    points: records.map((r) => ({ id: r.id, finishedAt: r.finishedAt, levelName: r.levelName })),
    total: all.length,
    competencies,
  };
}

/** A competency rated 1–5 below what the next level expects. */
type StillToMeet = { id: string; name: string; rating: number; needs: number };

/**
 * How ready the latest assessment says the person is for the next level on their track:
 * - `next`: `meets` of the `counted` competencies rated 1–5 are at or above the next level's
 *   expectation; `left` are the others (largest gap first); `notCounted` were not applicable or skipped;
 * - `no-next`: the assessment has no single next level: `top` of the track, a `fork` (each track
 *   has its own next level), or `unknown` (the framework no longer says which).
 */
export type Readiness =
  | {
      kind: 'next';
      levelName: string;
      nextLevelName: string;
      counted: number;
      meets: number;
      left: StillToMeet[];
      notCounted: number;
    }
  | { kind: 'no-next'; levelName: string; why: 'top' | 'fork' | 'unknown'; nextLevelNames: string[] };

/**
 * Readiness of a finished assessment for the next level, from its snapshot (the expectations of its
 * time). `framework`, when given and still having the assessment's level, tells the top of a track
 * from a fork.
 */
export function readinessOf(record: AssessmentRecord, framework?: Framework): Readiness {
  if (record.nextLevelName === null) {
    const level = framework?.levels.find((l) => l.id === record.levelId);
    const following = framework && level ? nextLevels(framework, level) : undefined;
    const why =
      following === undefined
        ? 'unknown'
        : following.length === 0
          ? 'top'
          : following.length > 1
            ? 'fork'
            : 'unknown';
    return {
      kind: 'no-next',
      levelName: record.levelName,
      why,
      nextLevelNames: why === 'fork' ? (following ?? []).map((l) => l.name) : [],
    };
  }
  const left: StillToMeet[] = [];
  let counted = 0;
  for (const c of record.competencies) {
    if (typeof c.rating !== 'number' || c.nextExpected === null) continue;
    counted += 1;
    if (c.rating < c.nextExpected)
      left.push({ id: c.id, name: c.name, rating: c.rating, needs: c.nextExpected });
  }
  left.sort((a, b) => b.needs - b.rating - (a.needs - a.rating));
  return {
    kind: 'next',
    levelName: record.levelName,
    nextLevelName: record.nextLevelName,
    counted,
    meets: counted - left.length,
    left,
    notCounted: record.competencies.length - counted,
  };
}
