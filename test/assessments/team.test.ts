import { describe, expect, it } from 'vitest';
import {
  checkMinPeople,
  countedAssessments,
  median,
  type SharedGroup,
  TEAM_MIN_PEOPLE,
  TeamViews,
  teamView,
} from '../../src/assessments/team.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { AssessmentRecord, RatingValue } from '../../src/store/store.js';

const SA = 'solutions-architect.e-commerce';
/** Three competencies, expected 4, 4 and 3. */
const COMPETENCIES = [
  { id: 'omni', name: 'Omnichannel Architecture', expected: 4 },
  { id: 'scale', name: 'Platform Scaling', expected: 4 },
  { id: 'data', name: 'Customer Data', expected: 3 },
] as const;

let sequence = 0;

/** A finished assessment with these ratings (null: skipped), in the order of COMPETENCIES. */
function assessment(
  ratings: readonly (RatingValue | null)[],
  options: {
    included?: boolean;
    frameworkId?: string;
    levelId?: string;
    levelName?: string;
    finishedAt?: string;
    expected?: readonly number[];
  } = {},
): AssessmentRecord {
  sequence++;
  return {
    id: `r${sequence}`,
    frameworkId: options.frameworkId ?? SA,
    frameworkVersion: '1',
    roleName: 'Solutions Architect',
    domainName: 'E-commerce',
    levelId: options.levelId ?? 'senior',
    levelName: options.levelName ?? 'Senior',
    nextLevelName: 'Lead-Principal',
    finishedAt: options.finishedAt ?? '2026-03-01T10:00:00.000Z',
    competencies: COMPETENCIES.map((c, i) => ({
      id: c.id,
      name: c.name,
      category: 'Architecture',
      tier: 'primary',
      expected: options.expected?.[i] ?? c.expected,
      nextExpected: 5,
      rating: ratings[i] ?? null,
    })),
    ...(options.included === false ? {} : { inTeamViews: true as const }),
  };
}

/** People by key, each with their history (oldest first). */
const team = (...histories: AssessmentRecord[][]) =>
  new Map(histories.map((history, i) => [`T1:U${i}`, history] as const));

const shown = (group: unknown): SharedGroup => {
  const g = group as SharedGroup;
  if (g?.kind !== 'shown') throw new Error(`expected totals, got ${JSON.stringify(group)}`);
  return g;
};

describe('median', () => {
  it('is the middle value of an odd count and the mean of the two middle values of an even count', () => {
    expect(median([3])).toBe(3);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([4, 4, 3, 3])).toBe(3.5);
    expect(median([1, 5])).toBe(3);
  });
});

describe('K', () => {
  it('is 5 by default, and must be a whole number from 3 to 10', () => {
    expect(TEAM_MIN_PEOPLE.default).toBe(5);
    expect(checkMinPeople(3)).toBe(3);
    expect(checkMinPeople(10)).toBe(10);
    for (const k of [0, 1, 2, 11, 4.5, Number.NaN]) expect(() => checkMinPeople(k)).toThrow(RangeError);
    expect(() => teamView(new Map(), 2)).toThrow(RangeError);
    expect(new TeamViews(new MemoryStore()).minPeople).toBe(5);
  });
});

describe('a team view of a role × level', () => {
  it('with K−1 contributors shows nothing but how many shared and how many are needed', () => {
    const view = teamView(team([assessment([4, 4, 3])], [assessment([5, 2, 3])]), 3);
    expect(view.groups).toEqual([
      {
        kind: 'too-few',
        frameworkId: SA,
        levelId: 'senior',
        roleName: 'Solutions Architect',
        domainName: 'E-commerce',
        levelName: 'Senior',
        contributors: 2,
        needed: 3,
      },
    ]);
    // Nothing of the ratings is there to show, whatever a view would do with it.
    expect(JSON.stringify(view)).not.toMatch(/competencies|median|meets|Omnichannel/);
  });

  it('with K contributors gives totals per competency: meet, above, below, median', () => {
    // omni expected 4: 4 meets, 5 above, 2 below; scale expected 4: 3, 3, 4; data expected 3: 3, 3, 3
    const view = teamView(team([assessment([4, 3, 3])], [assessment([5, 3, 3])], [assessment([2, 4, 3])]), 3);
    expect(view.contributors).toBe(3);
    const group = shown(view.groups[0]);
    expect(group.contributors).toBe(3);
    expect(group.hidden).toEqual([]);
    expect(
      group.competencies.map(({ id, meets, above, below, median, rated }) => ({
        id,
        meets,
        above,
        below,
        median,
        rated,
      })),
    ).toEqual([
      { id: 'omni', meets: 1, above: 1, below: 1, median: 4, rated: 3 },
      { id: 'scale', meets: 1, above: 0, below: 2, median: 3, rated: 3 },
      { id: 'data', meets: 3, above: 0, below: 0, median: 3, rated: 3 },
    ]);
    expect(group.competencies[0]).toMatchObject({
      name: 'Omnichannel Architecture',
      expected: 4,
      expectedVaries: false,
      byRating: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 },
    });
  });

  it('with the default K of 5: four people show nothing, five show totals', () => {
    const five = [
      [4, 4, 3],
      [5, 3, 2],
      [3, 4, 4],
      [4, 5, 3],
      [2, 4, 3],
    ] as const;
    const histories = five.map((r) => [assessment([...r])]);
    const four = teamView(team(...histories.slice(0, 4)), 5);
    expect(four.groups[0]).toMatchObject({ kind: 'too-few', contributors: 4, needed: 5 });
    const all = shown(teamView(team(...histories), 5).groups[0]);
    expect(all.contributors).toBe(5);
    expect(all.competencies[0]).toMatchObject({ meets: 2, above: 1, below: 2, median: 4 });
  });

  it('takes the median of an even number of ratings as the mean of the two middle ones', () => {
    const group = shown(
      teamView(
        team(
          [assessment([4, 4, 3])],
          [assessment([3, 4, 3])],
          [assessment([2, 4, 3])],
          [assessment([5, 4, 3])],
        ),
        4,
      ).groups[0],
    );
    // 2, 3, 4, 5
    expect(group.competencies[0]?.median).toBe(3.5);
  });

  it('never counts an assessment its owner did not include, nor someone who included nothing', () => {
    const view = teamView(
      team(
        [assessment([4, 4, 3])],
        [assessment([5, 5, 5])],
        [assessment([1, 1, 1], { included: false })],
        [],
      ),
      3,
    );
    expect(view.contributors).toBe(2);
    expect(view.groups[0]).toMatchObject({ kind: 'too-few', contributors: 2 });
    const withThird = teamView(
      team(
        [assessment([4, 4, 3])],
        [assessment([5, 5, 5])],
        [assessment([1, 1, 1], { included: false })],
        [assessment([4, 4, 3])],
      ),
      3,
    );
    const group = shown(withThird.groups[0]);
    expect(group.contributors).toBe(3);
    // The 1s of the person who did not include theirs are nowhere.
    expect(group.competencies.every((c) => c.byRating[1] === 0)).toBe(true);
  });

  it('counts only the latest included assessment per person and role × level', () => {
    const older = assessment([1, 1, 1], { finishedAt: '2026-01-01T10:00:00.000Z' });
    const newer = assessment([5, 5, 5], { finishedAt: '2026-02-01T10:00:00.000Z' });
    const newestNotIncluded = assessment([2, 2, 2], {
      finishedAt: '2026-03-01T10:00:00.000Z',
      included: false,
    });
    expect(countedAssessments([older, newer, newestNotIncluded])).toEqual([newer]);
    // Written out of order in the history: the time decides.
    expect(countedAssessments([newer, older])).toEqual([newer]);

    const view = teamView(
      team([older, newer, newestNotIncluded], [assessment([4, 4, 3])], [assessment([4, 4, 3])]),
      3,
    );
    const group = shown(view.groups[0]);
    expect(group.contributors).toBe(3);
    expect(group.competencies[0]?.byRating).toEqual({ 1: 0, 2: 0, 3: 0, 4: 2, 5: 1 });
  });

  it("leaves 'na' and skipped out of a competency's totals, and hides a competency fewer than K rated", () => {
    const view = teamView(
      team(
        [assessment([4, 'na', 3])],
        [assessment([5, null, 3])],
        [assessment([3, 4, 'na'])],
        [assessment([4, 4, 3])],
      ),
      3,
    );
    const group = shown(view.groups[0]);
    expect(group.contributors).toBe(4);
    // scale: two rated it (below K = 3): its totals would come from two people, so it is only named.
    expect(group.hidden).toEqual([{ id: 'scale', name: 'Platform Scaling' }]);
    expect(group.competencies.map((c) => c.id)).toEqual(['omni', 'data']);
    expect(group.competencies[1]).toMatchObject({
      id: 'data',
      rated: 3,
      notRated: 1,
      notApplicable: 1,
      skipped: 0,
      meets: 3,
    });
    expect(JSON.stringify(group)).not.toContain('"scale","name":"Platform Scaling","tier"');
  });

  it('keeps role × levels apart, most contributors first, each with its own K', () => {
    const lead = { levelId: 'lead', levelName: 'Lead' };
    const view = teamView(
      team(
        [assessment([4, 4, 3]), assessment([4, 4, 4], lead)],
        [assessment([4, 4, 3])],
        [assessment([4, 4, 3])],
        [assessment([3, 3, 3], lead)],
      ),
      3,
    );
    expect(view.contributors).toBe(4);
    expect(view.groups.map((g) => [g.levelName, g.kind, g.contributors])).toEqual([
      ['Senior', 'shown', 3],
      ['Lead', 'too-few', 2],
    ]);
  });

  it('compares each person with the expected level they rated against, and says when it varied', () => {
    const view = teamView(
      team(
        [assessment([3, 4, 3], { expected: [3, 4, 3], finishedAt: '2026-01-01T10:00:00.000Z' })],
        [assessment([3, 4, 3])],
        [assessment([3, 4, 3])],
      ),
      3,
    );
    const omni = shown(view.groups[0]).competencies[0];
    // One rated 3 against 3 (meets), two rated 3 against 4 (below); the latest version expects 4.
    expect(omni).toMatchObject({ expected: 4, expectedVaries: true, meets: 1, below: 2 });
  });

  it('holds no person: no key, no id of an assessment', () => {
    const histories = [[assessment([4, 4, 3])], [assessment([5, 3, 3])], [assessment([2, 4, 3])]];
    const text = JSON.stringify(teamView(team(...histories), 3));
    for (const [i, history] of histories.entries()) {
      expect(text).not.toContain(`U${i}`);
      expect(text).not.toContain(`"${history[0]?.id}"`);
    }
  });
});

describe('TeamViews over a store', () => {
  it('reads what the people shared and nobody else, each person once', async () => {
    const store = new MemoryStore();
    const people = ['T1:U1', 'T1:U2', 'T1:U3', 'T1:OUTSIDER'];
    for (const person of people) {
      await store.update(person, (data) => {
        data.history.push(assessment([4, 4, 3]));
      });
    }
    const views = new TeamViews(store, 3);
    expect(shown((await views.of(['T1:U1', 'T1:U2', 'T1:U3', 'T1:U1'])).groups[0]).contributors).toBe(3);
    expect((await views.of(['T1:U1', 'T1:U2', 'T1:U2'])).groups[0]).toMatchObject({
      kind: 'too-few',
      contributors: 2,
    });
    expect(await views.of([])).toEqual({ minPeople: 3, contributors: 0, groups: [] });
  });
});
