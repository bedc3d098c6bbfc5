import type { AssessedCompetency, AssessmentRecord, PersonKey, Store } from '../store/store.js';

/**
 * Team views: what a group of people (a channel's members, a user group) rated, as totals only, of
 * the people who chose to include an assessment in team views. Plain TypeScript, no Slack.
 *
 * Anonymity rules, all applied here so that no view can show more than this module hands out:
 * - Only assessments the person included (`inTeamViews`) count, and of those only their latest per
 *   framework and level: one person is one contributor to a role × level, whatever their history.
 * - A role × level with fewer than K contributors shows nothing at all: the result carries only how
 *   many have shared and how many more are needed, no competency, no count, no median.
 * - At K or more, each competency shows how many meet, are above and are below the expected level,
 *   and the median rating — of the people who rated it 1–5. Someone who said "not applicable" or
 *   skipped it is a contributor to the role × level but not to that competency; a competency that
 *   fewer than K people rated shows nothing but its name (so an 'na' cannot bring one person's
 *   rating into view, e.g. 5 contributors of whom 4 said 'na').
 * - Never a person: no keys, names or single ratings leave this module, and no distribution by
 *   rating (only three buckets against the expected level, and the median).
 */

/** K: how many people must have shared a role × level before anything of it is shown. */
export const TEAM_MIN_PEOPLE = { default: 5, min: 3, max: 10 } as const;

/** One competency of a role × level, over the people who rated it 1–5. */
export type CompetencyTotals = {
  id: string;
  name: string;
  tier: AssessedCompetency['tier'];
  /** The expected level, as the latest contributing assessment has it. */
  expected: number;
  /** True when contributors rated against different expected levels (a framework changed between versions). */
  expectedVaries: boolean;
  /** How many rated it 1–5: what the buckets and the median are of. */
  rated: number;
  /** Rated exactly the expected level (each person against the expected level they rated against). */
  meets: number;
  above: number;
  below: number;
  /** Contributors who said not applicable, or skipped it (both are also counted apart below). */
  notRated: number;
  notApplicable: number;
  skipped: number;
  /** Of the 1–5 ratings; the mean of the two middle ones for an even count (e.g. 3.5). */
  median: number;
  /**
   * How many gave each rating 1–5 (for a heat map): counts like the others, and like them only
   * for a competency that K or more people rated.
   */
  byRating: Readonly<Record<1 | 2 | 3 | 4 | 5, number>>;
};

type GroupName = {
  frameworkId: string;
  levelId: string;
  roleName: string;
  domainName: string;
  levelName: string;
};

/** A role × level with at least K contributors: totals per competency. */
export type SharedGroup = GroupName & {
  kind: 'shown';
  contributors: number;
  competencies: CompetencyTotals[];
  /** Competencies fewer than K people rated 1–5: named, nothing else. */
  hidden: { id: string; name: string }[];
};

/** A role × level with fewer than K contributors: how many have shared, and how many more are needed. */
export type TooFewGroup = GroupName & {
  kind: 'too-few';
  contributors: number;
  needed: number;
};

export type TeamGroup = SharedGroup | TooFewGroup;

export type TeamView = {
  /** The K used. */
  minPeople: number;
  /** How many people of the team contributed to at least one role × level. */
  contributors: number;
  /** Most contributors first. */
  groups: TeamGroup[];
};

/** Throws unless `k` is a whole number in the range the configuration allows. */
export function checkMinPeople(k: number): number {
  if (!Number.isInteger(k) || k < TEAM_MIN_PEOPLE.min || k > TEAM_MIN_PEOPLE.max) {
    throw new RangeError(
      `A team view needs K between ${TEAM_MIN_PEOPLE.min} and ${TEAM_MIN_PEOPLE.max} people, not ${k}`,
    );
  }
  return k;
}

const groupKey = (record: Pick<AssessmentRecord, 'frameworkId' | 'levelId'>): string =>
  JSON.stringify([record.frameworkId, record.levelId]);

/**
 * Of one person's assessments, those that count in team views: included, and the latest of those
 * per framework and level (by `finishedAt`; on equal times, the later in the history).
 */
export function countedAssessments(
  records: readonly Readonly<AssessmentRecord>[],
): Readonly<AssessmentRecord>[] {
  const latest = new Map<string, { record: Readonly<AssessmentRecord>; order: number }>();
  records.forEach((record, order) => {
    if (record.inTeamViews !== true) return;
    const key = groupKey(record);
    const current = latest.get(key);
    if (current === undefined || !isEarlier(record, order, current.record, current.order)) {
      latest.set(key, { record, order });
    }
  });
  return [...latest.values()].map(({ record }) => record);
}

function isEarlier(
  a: Readonly<AssessmentRecord>,
  aOrder: number,
  b: Readonly<AssessmentRecord>,
  bOrder: number,
): boolean {
  const at = Date.parse(a.finishedAt);
  const bt = Date.parse(b.finishedAt);
  if (at !== bt) return at < bt;
  return aOrder < bOrder;
}

/** The median of some numbers (at least one). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  if (sorted.length % 2 === 1) return upper;
  return ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/**
 * The team view of some people, from what each of them shared (as `Store.sharedAssessments` gives
 * it: people who shared nothing may be left out). `minPeople` is K.
 */
export function teamView(
  shared: ReadonlyMap<PersonKey, readonly Readonly<AssessmentRecord>[]>,
  minPeople: number,
): TeamView {
  const k = checkMinPeople(minPeople);
  const groups = new Map<string, Readonly<AssessmentRecord>[]>();
  let contributors = 0;
  for (const records of shared.values()) {
    const counted = countedAssessments(records);
    if (counted.length > 0) contributors++;
    for (const record of counted) {
      const key = groupKey(record);
      const group = groups.get(key) ?? [];
      group.push(record);
      groups.set(key, group);
    }
  }
  const result = [...groups.values()].map((records) => groupOf(records, k));
  result.sort(
    (a, b) =>
      b.contributors - a.contributors ||
      a.roleName.localeCompare(b.roleName) ||
      a.domainName.localeCompare(b.domainName) ||
      a.levelName.localeCompare(b.levelName),
  );
  return { minPeople: k, contributors, groups: result };
}

/** One role × level: nothing but counts below K; totals per competency from K. */
function groupOf(records: readonly Readonly<AssessmentRecord>[], k: number): TeamGroup {
  // Names as the latest assessment has them (a framework may have been renamed since).
  const newest = records.reduce((a, b) => (Date.parse(b.finishedAt) > Date.parse(a.finishedAt) ? b : a));
  const name: GroupName = {
    frameworkId: newest.frameworkId,
    levelId: newest.levelId,
    roleName: newest.roleName,
    domainName: newest.domainName,
    levelName: newest.levelName,
  };
  if (records.length < k) {
    return { kind: 'too-few', ...name, contributors: records.length, needed: k };
  }

  // Competencies in the order of the latest assessment, then any that only older versions had.
  const byNewestFirst = [...records].sort((a, b) => Date.parse(b.finishedAt) - Date.parse(a.finishedAt));
  const order: string[] = [];
  const described = new Map<string, Readonly<AssessedCompetency>>();
  for (const record of byNewestFirst) {
    for (const c of record.competencies) {
      if (described.has(c.id)) continue;
      described.set(c.id, c);
      order.push(c.id);
    }
  }

  const competencies: CompetencyTotals[] = [];
  const hidden: { id: string; name: string }[] = [];
  for (const id of order) {
    const about = described.get(id);
    if (about === undefined) continue;
    const ratings: number[] = [];
    const expectations = new Set<number>();
    let meets = 0;
    let above = 0;
    let below = 0;
    let notApplicable = 0;
    let skipped = 0;
    const byRating = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
    for (const record of records) {
      const c = record.competencies.find((x) => x.id === id);
      if (c === undefined) continue;
      if (c.rating === 'na') notApplicable++;
      if (c.rating === null) skipped++;
      if (typeof c.rating !== 'number') continue;
      ratings.push(c.rating);
      byRating[c.rating]++;
      expectations.add(c.expected);
      if (c.rating === c.expected) meets++;
      else if (c.rating > c.expected) above++;
      else below++;
    }
    if (ratings.length < k) {
      hidden.push({ id, name: about.name });
      continue;
    }
    competencies.push({
      id,
      name: about.name,
      tier: about.tier,
      expected: about.expected,
      expectedVaries: expectations.size > 1,
      rated: ratings.length,
      meets,
      above,
      below,
      notRated: notApplicable + skipped,
      notApplicable,
      skipped,
      median: median(ratings),
      byRating,
    });
  }
  return { kind: 'shown', ...name, contributors: records.length, competencies, hidden };
}

/** Team views over a store: reads only what people shared, then aggregates. */
export class TeamViews {
  readonly minPeople: number;

  constructor(
    private readonly store: Pick<Store, 'sharedAssessments'>,
    minPeople: number = TEAM_MIN_PEOPLE.default,
  ) {
    this.minPeople = checkMinPeople(minPeople);
  }

  /** The team view of these people (person keys; duplicates count once). */
  async of(persons: readonly PersonKey[]): Promise<TeamView> {
    const unique = [...new Set(persons)];
    return teamView(await this.store.sharedAssessments(unique), this.minPeople);
  }
}
