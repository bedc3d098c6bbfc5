import type { AssessedCompetency, AssessmentRecord } from '../store/store.js';

/**
 * Gap analysis of a finished assessment: plain arithmetic on the snapshot, so it always reads
 * the expectations as they were when the person rated themselves.
 */

export type Status = 'meets' | 'one-below' | 'focus' | 'not-applicable' | 'not-rated';

export type GapRow = AssessedCompetency & {
  /** Expected minus rating, when rated 1–5: 0 or less meets. */
  gap: number | null;
  status: Status;
};

export type GapSummary = {
  rows: GapRow[];
  /** Competencies rated 1–5 (not skipped, not "not applicable"). */
  rated: number;
  meets: number;
  /** How many already meet the next level, when there is one. */
  meetsNext: number | null;
  /** Largest gaps first, primary before supporting on equal gaps; at most three. */
  focusAreas: GapRow[];
};

export function statusOf(
  rating: AssessedCompetency['rating'],
  expected: number,
): { gap: number | null; status: Status } {
  if (rating === null) return { gap: null, status: 'not-rated' };
  if (rating === 'na') return { gap: null, status: 'not-applicable' };
  const gap = expected - rating;
  return { gap, status: gap <= 0 ? 'meets' : gap === 1 ? 'one-below' : 'focus' };
}

export function analyse(record: Pick<AssessmentRecord, 'competencies' | 'nextLevelName'>): GapSummary {
  const rows: GapRow[] = record.competencies.map((c) => ({ ...c, ...statusOf(c.rating, c.expected) }));
  const ratedRows = rows.filter((r) => typeof r.rating === 'number');
  const meetsNext =
    record.nextLevelName === null
      ? null
      : ratedRows.filter((r) => r.nextExpected !== null && (r.rating as number) >= r.nextExpected).length;
  const focusAreas = rows
    .map((row, order) => ({ row, order }))
    .filter(({ row }) => row.gap !== null && row.gap > 0)
    .sort(
      (a, b) =>
        (b.row.gap ?? 0) - (a.row.gap ?? 0) ||
        tierRank(a.row.tier) - tierRank(b.row.tier) ||
        a.order - b.order,
    )
    .slice(0, 3)
    .map(({ row }) => row);
  return {
    rows,
    rated: ratedRows.length,
    meets: ratedRows.filter((r) => r.status === 'meets').length,
    meetsNext,
    focusAreas,
  };
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
