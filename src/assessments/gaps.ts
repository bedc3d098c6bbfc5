import { STATUSES, type Status, statusOf } from '../model/gap-words.js';
import type { AssessedCompetency, AssessmentRecord } from '../model/records.js';

/**
 * Gap analysis of a finished assessment: plain arithmetic on the snapshot, so it always reads
 * the expectations as they were when the person rated themselves. The one definition of a gap
 * (its words are in gap-words.ts): for a competency rated 1–5, above (rating > expected), meets
 * (rating = expected), one below (worth a conversation), two or more below (a focus area); with no
 * rating, not applicable or skipped.
 */

export type GapRow = AssessedCompetency & {
  /** Expected minus rating, when rated 1–5: negative above, 0 meets, 1 one below, 2 or more a focus area. */
  gap: number | null;
  status: Status;
};

export type GapSummary = {
  rows: GapRow[];
  /** How many competencies have each status: exact, never capped. */
  counts: Record<Status, number>;
  /** Competencies rated 1–5 (not skipped, not "not applicable"). */
  rated: number;
  /** Rated at or above the expected level: above + meets. */
  atOrAbove: number;
  /** How many are rated at or above the next level's expectation, when there is a next level. */
  atOrAboveNext: number | null;
  /** Every focus area (two or more below): largest gap first, primary before supporting, then framework order. */
  focusAreas: GapRow[];
  /** Every competency one below (worth a conversation): primary before supporting, then framework order. */
  worthAConversation: GapRow[];
};

export function analyse(record: Pick<AssessmentRecord, 'competencies' | 'nextLevelName'>): GapSummary {
  const rows: GapRow[] = record.competencies.map((c) => ({ ...c, ...statusOf(c.rating, c.expected) }));
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const row of rows) counts[row.status] += 1;
  const ratedRows = rows.filter((r) => typeof r.rating === 'number');
  const atOrAboveNext =
    record.nextLevelName === null
      ? null
      : ratedRows.filter((r) => r.nextExpected !== null && (r.rating as number) >= r.nextExpected).length;
  return {
    rows,
    counts,
    rated: ratedRows.length,
    atOrAbove: counts.above + counts.meets,
    atOrAboveNext,
    focusAreas: inOrder(rows.filter((r) => r.status === 'focus')),
    worthAConversation: inOrder(rows.filter((r) => r.status === 'one-below')),
  };
}

/** Largest gap first, primary before supporting on equal gaps, then as the framework lists them. */
function inOrder(rows: readonly GapRow[]): GapRow[] {
  return rows
    .map((row, order) => ({ row, order }))
    .sort(
      (a, b) =>
        (b.row.gap ?? 0) - (a.row.gap ?? 0) ||
        tierRank(a.row.tier) - tierRank(b.row.tier) ||
        a.order - b.order,
    )
    .map(({ row }) => row);
}

const tierRank = (tier: AssessedCompetency['tier']): number => (tier === 'primary' ? 0 : 1);

export type Change = {
  id: string;
  name: string;
  from: AssessedCompetency['rating'];
  to: AssessedCompetency['rating'];
};

/** What changed between two assessments of the same framework: ratings that moved, by competency. */
export function changesSince(previous: AssessmentRecord, current: AssessmentRecord): Change[] {
  const before = new Map(previous.competencies.map((c) => [c.id, c.rating]));
  const changes: Change[] = [];
  for (const c of current.competencies) {
    if (!before.has(c.id)) continue;
    const from = before.get(c.id) ?? null;
    if (from !== c.rating) changes.push({ id: c.id, name: c.name, from, to: c.rating });
  }
  return changes;
}

/**
 * What moved from one assessment to the next of the same framework: the ratings that changed, and
 * how many competencies of both kept the same rating (a competency new in `current` is neither).
 */
export type Moves = { previous: AssessmentRecord; changes: Change[]; unchanged: number };

export function movesSince(previous: AssessmentRecord, current: AssessmentRecord): Moves {
  const changes = changesSince(previous, current);
  const before = new Set(previous.competencies.map((c) => c.id));
  const compared = current.competencies.filter((c) => before.has(c.id)).length;
  return { previous, changes, unchanged: compared - changes.length };
}
