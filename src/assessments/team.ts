import { statusOf } from '../model/gap-words.js';
import type { PersonKey } from '../model/person.js';
import { personKey, userOfPerson } from '../model/person.js';
import type { AssessedCompetency, AssessmentRecord, KeptTeamView } from '../model/records.js';
import {
  checkMinPeople,
  orgTeamMinimum,
  TEAM_MIN_PEOPLE,
  TEAM_VIEW_MEMORY_DAYS,
} from '../model/team-rules.js';
import { contributorOf } from '../model/team-views.js';
import type { Store } from '../store/store.js';

/**
 * Team views: what a group of people (a channel's members, a user group) rated, as totals only, of
 * the people who chose to include an assessment in team views. Plain TypeScript, no Slack.
 *
 * Anonymity rules, all applied here so that no view can show more than this module hands out:
 * - Only assessments the person included (`inTeamViews`) count, and of those only their latest per
 *   framework and level: one person is one contributor to a role × level, whatever their history.
 * - A role × level with fewer than K contributors is not in the result at all: not its name, not
 *   how many shared it. The message says only that roles and levels with fewer than K are not shown,
 *   the same whether nobody shared or K−1 did (in a two-person channel a count would name the other
 *   person's role, level and choice).
 * - At K or more, each competency shows how many meet, are above and are below the expected level,
 *   and the median rating — of the people who rated it 1–5. Someone who said "not applicable" or
 *   skipped it is a contributor to the role × level but not to that competency; a competency that
 *   fewer than K people rated shows nothing but its name (so an 'na' cannot bring one person's
 *   rating into view, e.g. 5 contributors of whom 4 said 'na').
 * - Never a person: no keys, names or single ratings leave this module, and no distribution by
 *   rating (only three buckets against the expected level, and the median).
 * - Two answers cannot be subtracted: every answer given is kept for a while (`windowDays`, per org,
 *   framework and level: who contributed, and who rated each competency shown — ids, no ratings).
 *   A new answer whose contributors differ from a kept one by 1 to K−1 people is not given for that
 *   role and level (it says, in general terms, that the team changed by fewer than K people since a
 *   recent view); a competency whose raters differ so is not shown. Identical groups are answered
 *   again. Otherwise asking before and after inviting one person to a channel would give, by
 *   subtraction, that person's place on every competency.
 */

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
  /**
   * Rated exactly the expected level, above it, below it (one below and two or more below together),
   * each person against the expected level they rated against: gaps.ts `statusOf`, as every summary.
   */
  meets: number;
  above: number;
  below: number;
  /** Contributors who said not applicable, or skipped it (both are also counted apart below). */
  notRated: number;
  notApplicable: number;
  skipped: number;
  /** Of the 1–5 ratings; the mean of the two middle ones for an even count (e.g. 3.5). */
  median: number;
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
  /**
   * Competencies whose raters differ from those of a recent answer by fewer than K people: named,
   * nothing else (their totals and those of the recent answer would give someone's place away).
   */
  changed: { id: string; name: string }[];
};

/**
 * A role × level with at least K contributors whose contributors differ from those of a team view
 * answered recently by fewer than K people: named, nothing else.
 */
export type ChangedGroup = GroupName & { kind: 'changed' };

export type TeamGroup = SharedGroup | ChangedGroup;

export type TeamView = {
  /** The K used. */
  minPeople: number;
  /** How many days answers are kept to compare with. */
  windowDays: number;
  /** Role × levels with K or more contributors; most contributors first (changed ones by name, last). */
  groups: TeamGroup[];
};

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
 * A role × level that K or more people shared, worked out but not yet checked against the answers
 * kept (see `TeamViews.of`): its totals, its contributors, and who did not rate each competency.
 */
export type Candidate = {
  group: SharedGroup;
  /** One per contributor (model/team-views.ts `contributorOf`). */
  contributors: string[];
  /** Per competency with totals: the contributors who did not rate it 1–5. */
  unrated: Map<string, string[]>;
};

/**
 * The role × levels that K or more of these people shared (as `Store.sharedAssessments` gives it:
 * people who shared nothing may be left out), with what the check against kept answers needs.
 * Nothing of a role × level with fewer than K contributors comes out of here.
 */
export function candidates(
  shared: ReadonlyMap<PersonKey, readonly Readonly<AssessmentRecord>[]>,
  minPeople: number,
): Candidate[] {
  const k = checkMinPeople(minPeople);
  const groups = new Map<string, { person: PersonKey; record: Readonly<AssessmentRecord> }[]>();
  for (const [person, records] of shared) {
    for (const record of countedAssessments(records)) {
      const key = groupKey(record);
      const group = groups.get(key) ?? [];
      group.push({ person, record });
      groups.set(key, group);
    }
  }
  const result: Candidate[] = [];
  for (const entries of groups.values()) {
    if (entries.length < k) continue;
    result.push(candidateOf(entries, k));
  }
  result.sort((a, b) => compareGroups(a.group, b.group));
  return result;
}

function compareGroups(a: TeamGroup, b: TeamGroup): number {
  const size = (g: TeamGroup) => (g.kind === 'shown' ? g.contributors : -1);
  return (
    size(b) - size(a) ||
    a.roleName.localeCompare(b.roleName) ||
    a.domainName.localeCompare(b.domainName) ||
    a.levelName.localeCompare(b.levelName)
  );
}

/** One role × level of K or more contributors: totals per competency. */
function candidateOf(
  entries: readonly { person: PersonKey; record: Readonly<AssessmentRecord> }[],
  k: number,
): Candidate {
  const records = entries.map((e) => e.record);
  // Names as the latest assessment has them (a framework may have been renamed since).
  const newest = records.reduce((a, b) => (Date.parse(b.finishedAt) > Date.parse(a.finishedAt) ? b : a));
  const name: GroupName = {
    frameworkId: newest.frameworkId,
    levelId: newest.levelId,
    roleName: newest.roleName,
    domainName: newest.domainName,
    levelName: newest.levelName,
  };
  const contributors = entries.map((e) => contributorOf(userOfPerson(e.person), e.record.id));

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
  const unrated = new Map<string, string[]>();
  for (const id of order) {
    const about = described.get(id);
    if (about === undefined) continue;
    const ratings: number[] = [];
    const notRatedBy: string[] = [];
    const expectations = new Set<number>();
    let meets = 0;
    let above = 0;
    let below = 0;
    let notApplicable = 0;
    let skipped = 0;
    entries.forEach(({ record }, i) => {
      const c = record.competencies.find((x) => x.id === id);
      if (c === undefined || typeof c.rating !== 'number') {
        notRatedBy.push(contributors[i] ?? '');
        if (c?.rating === 'na') notApplicable++;
        if (c?.rating === null) skipped++;
        return;
      }
      ratings.push(c.rating);
      expectations.add(c.expected);
      // The one definition of a gap (gaps.ts), as every summary counts it; one below and two or
      // more below stay one total here: a finer split would come close to a count per rating.
      const { status } = statusOf(c.rating, c.expected);
      if (status === 'meets') meets++;
      else if (status === 'above') above++;
      else below++;
    });
    if (ratings.length < k) {
      hidden.push({ id, name: about.name });
      continue;
    }
    unrated.set(id, notRatedBy);
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
    });
  }
  return {
    group: { kind: 'shown', ...name, contributors: records.length, competencies, hidden, changed: [] },
    contributors,
    unrated,
  };
}

/** How many of `a` and `b` are in one and not the other. */
function difference(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let count = 0;
  for (const x of a) if (!b.has(x)) count++;
  for (const x of b) if (!a.has(x)) count++;
  return count;
}

/** The contributors of a kept view who rated a competency it showed. */
function ratersOf(contributors: readonly string[], unrated: readonly string[]): Set<string> {
  const out = new Set(contributors);
  for (const x of unrated) out.delete(x);
  return out;
}

/**
 * Checks a candidate against the answers kept for its org, framework and level, and keeps it when
 * it is given: pure, on the kept list the store hands over (and writes back). Answers older than the
 * window are dropped first.
 * - contributors differing from a kept answer's by 1 to K−1: not given (`changed`);
 * - else each competency whose raters differ from those of a kept answer that showed it by 1 to K−1
 *   is named only; the rest is given, and kept as answered now (an identical answer already kept is
 *   only marked as answered again).
 */
function checkAgainstKept(
  kept: KeptTeamView[],
  candidate: Candidate,
  k: number,
  now: Date,
  windowDays: number,
): TeamGroup {
  const oldest = now.getTime() - windowDays * 86_400_000;
  const recent = kept.filter((view) => Date.parse(view.at) >= oldest);
  kept.splice(0, kept.length, ...recent);

  const contributors = new Set(candidate.contributors);
  const { group } = candidate;
  for (const view of kept) {
    const d = difference(new Set(view.contributors), contributors);
    if (d > 0 && d < k) {
      const { frameworkId, levelId, roleName, domainName, levelName } = group;
      return { kind: 'changed', frameworkId, levelId, roleName, domainName, levelName };
    }
  }

  const changed = new Set<string>();
  for (const c of group.competencies) {
    const raters = ratersOf(candidate.contributors, candidate.unrated.get(c.id) ?? []);
    for (const view of kept) {
      const theirs = view.shown[c.id];
      if (theirs === undefined) continue;
      const d = difference(ratersOf(view.contributors, theirs), raters);
      if (d > 0 && d < k) changed.add(c.id);
    }
  }
  const shown: Record<string, string[]> = {};
  for (const c of group.competencies)
    if (!changed.has(c.id)) shown[c.id] = [...(candidate.unrated.get(c.id) ?? [])];

  const at = now.toISOString();
  const same = kept.find(
    (view) => difference(new Set(view.contributors), contributors) === 0 && sameShown(view.shown, shown),
  );
  if (same) same.at = at;
  else kept.push({ at, contributors: [...candidate.contributors], shown });

  return {
    ...group,
    competencies: group.competencies.filter((c) => !changed.has(c.id)),
    changed: group.competencies.filter((c) => changed.has(c.id)).map(({ id, name }) => ({ id, name })),
  };
}

function sameShown(a: Record<string, string[]>, b: Record<string, string[]>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => {
    const x = a[key];
    const y = b[key];
    return x !== undefined && y !== undefined && difference(new Set(x), new Set(y)) === 0;
  });
}

/** Team views over a store: reads only what people shared, aggregates, and checks against kept answers. */
export class TeamViews {
  readonly minPeople: number;
  readonly windowDays: number;

  constructor(
    private readonly store: Pick<Store, 'sharedAssessments' | 'updateTeamViews' | 'orgData'>,
    options: { minPeople?: number; windowDays?: number; now?: () => Date } = {},
  ) {
    this.minPeople = checkMinPeople(options.minPeople ?? TEAM_MIN_PEOPLE.default);
    this.windowDays = options.windowDays ?? TEAM_VIEW_MEMORY_DAYS.default;
    this.now = options.now ?? (() => new Date());
  }

  private readonly now: () => Date;

  /**
   * The team view of these people of one org (a workspace, or an Enterprise Grid org): user ids,
   * duplicates counting once. Each role × level shown is kept, durably, before this resolves: an
   * answer is never given that a later one could not be compared with.
   */
  async of(org: string, userIds: readonly string[]): Promise<TeamView> {
    const persons = [...new Set(userIds)].map((userId) => personKey({ userId, teamId: org }));
    const k = orgTeamMinimum(this.minPeople, (await this.store.orgData(org)).settings);
    const found = candidates(await this.store.sharedAssessments(persons), k);
    const now = this.now();
    const groups = await Promise.all(
      found.map((candidate) => {
        const { frameworkId, levelId } = candidate.group;
        return this.store.updateTeamViews({ org, frameworkId, levelId }, (kept) =>
          checkAgainstKept(kept, candidate, k, now, this.windowDays),
        );
      }),
    );
    groups.sort(compareGroups);
    return { minPeople: k, windowDays: this.windowDays, groups };
  }
}
