import { describe, expect, it } from 'vitest';
import {
  candidates,
  countedAssessments,
  median,
  type SharedGroup,
  TeamViews,
} from '../../src/assessments/team.js';
import type { PersonKey } from '../../src/model/person.js';
import type { AssessmentRecord, RatingValue } from '../../src/model/records.js';
import { checkMinPeople, TEAM_MIN_PEOPLE } from '../../src/model/team-rules.js';
import { MemoryStore } from '../../src/store/memory-store.js';

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

/** The role × levels with K or more contributors, as worked out before any check against kept answers. */
const teamView = (shared: ReadonlyMap<PersonKey, readonly AssessmentRecord[]>, k: number) => ({
  groups: candidates(shared, k).map((c) => c.group),
});

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
    expect(() => new TeamViews(new MemoryStore(), { minPeople: 2 })).toThrow(RangeError);
  });
});

describe('a team view of a role × level', () => {
  it('with K−1 contributors gives nothing at all: no role, no level, no count', () => {
    const view = teamView(team([assessment([4, 4, 3])], [assessment([5, 2, 3])]), 3);
    expect(view.groups).toEqual([]);
  });

  it('with K contributors gives totals per competency: meet, above, below, median', () => {
    // omni expected 4: 4 meets, 5 above, 2 below; scale expected 4: 3, 3, 4; data expected 3: 3, 3, 3
    const view = teamView(team([assessment([4, 3, 3])], [assessment([5, 3, 3])], [assessment([2, 4, 3])]), 3);
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
    });
    // Three buckets and the median: no count by rating anywhere.
    expect(Object.keys(group.competencies[0] ?? {}).sort()).toEqual(
      [
        'above',
        'below',
        'expected',
        'expectedVaries',
        'id',
        'median',
        'meets',
        'name',
        'notApplicable',
        'notRated',
        'rated',
        'skipped',
        'tier',
      ].sort(),
    );
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
    expect(four.groups).toEqual([]);
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
    expect(view.groups).toEqual([]);
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
    // The 1s of the person who did not include theirs are nowhere: 4, 5, 4 against 4.
    expect(group.competencies[0]).toMatchObject({ meets: 2, above: 1, below: 0, median: 4 });
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
    // 5 (the newer), 4, 4 against 4: the older 1 is not counted.
    expect(group.competencies[0]).toMatchObject({ meets: 2, above: 1, below: 0 });
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
    // Lead, with two, is not there at all.
    expect(view.groups.map((g) => [g.levelName, g.kind, g.contributors])).toEqual([['Senior', 'shown', 3]]);
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

  it('holds no person: no key, no id of an assessment', async () => {
    const histories = [[assessment([4, 4, 3])], [assessment([5, 3, 3])], [assessment([2, 4, 3])]];
    const store = new MemoryStore();
    for (const [i, history] of histories.entries())
      await store.update(`T1:U${i}`, (data) => {
        data.history.push(...history);
      });
    const view = await new TeamViews(store, { minPeople: 3 }).of('T1', ['U0', 'U1', 'U2']);
    expect(shown(view.groups[0]).contributors).toBe(3);
    const text = JSON.stringify(view);
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
    const views = new TeamViews(store, { minPeople: 3 });
    expect(shown((await views.of('T1', ['U1', 'U2', 'U3', 'U1'])).groups[0]).contributors).toBe(3);
    expect((await views.of('T1', ['U1', 'U2', 'U2'])).groups).toEqual([]);
    expect(await views.of('T1', [])).toEqual({ minPeople: 3, windowDays: 30, groups: [] });
    // People of another org are other people, even with the same user ids.
    expect((await views.of('T2', ['U1', 'U2', 'U3'])).groups).toEqual([]);
  });
});

describe('two answers cannot be subtracted', () => {
  const DAY = 86_400_000;
  /** People U0…U<n-1> of T1, each with one included assessment (omni rated 2 + i % 4). */
  async function storeOf(
    n: number,
    rate: (i: number) => readonly (RatingValue | null)[] = (i) => [(2 + (i % 4)) as RatingValue, 4, 3],
  ) {
    const store = new MemoryStore();
    for (let i = 0; i < n; i++)
      await store.update(`T1:U${i}`, (data) => {
        data.history.push(assessment(rate(i)));
      });
    return store;
  }
  const users = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `U${from + i}`);
  const at = (days: number) => new Date(Date.UTC(2026, 5, 1) + days * DAY);

  it('K then K+1: the second answer shows nothing of that role and level, and names no number', async () => {
    const store = await storeOf(6);
    let now = at(0);
    const views = new TeamViews(store, { minPeople: 5, now: () => now });
    const first = await views.of('T1', users(0, 5));
    expect(shown(first.groups[0]).contributors).toBe(5);
    now = at(1);
    const second = await views.of('T1', users(0, 6));
    expect(second.groups).toEqual([
      {
        kind: 'changed',
        frameworkId: SA,
        levelId: 'senior',
        roleName: 'Solutions Architect',
        domainName: 'E-commerce',
        levelName: 'Senior',
      },
    ]);
  });

  it('K+1 then K: the same, the other way round', async () => {
    const store = await storeOf(6);
    const views = new TeamViews(store, { minPeople: 5 });
    expect(shown((await views.of('T1', users(0, 6))).groups[0]).contributors).toBe(6);
    expect((await views.of('T1', users(1, 6))).groups[0]?.kind).toBe('changed');
    // …and the first group again is answered as before: nothing new to subtract.
    expect(shown((await views.of('T1', users(0, 6))).groups[0]).contributors).toBe(6);
  });

  it('differences of 1 to K−1 people are refused, K or more answered', async () => {
    const store = await storeOf(20);
    const views = new TeamViews(store, { minPeople: 5 });
    expect((await views.of('T1', users(0, 5))).groups[0]?.kind).toBe('shown');
    for (const n of [6, 7, 8, 9]) expect((await views.of('T1', users(0, n))).groups[0]?.kind).toBe('changed');
    // Ten differs from five by five people: answered, and kept.
    expect(shown((await views.of('T1', users(0, 10))).groups[0]).contributors).toBe(10);
    // Eleven differs from ten by one: refused, though it differs from five by six.
    expect((await views.of('T1', users(0, 11))).groups[0]?.kind).toBe('changed');
    // A group that shares nobody with them (U10…U14) is answered.
    expect(shown((await views.of('T1', users(10, 15))).groups[0]).contributors).toBe(5);
  });

  it('someone who includes another assessment is another contributor', async () => {
    const store = await storeOf(5);
    const views = new TeamViews(store, { minPeople: 5 });
    expect((await views.of('T1', users(0, 5))).groups[0]?.kind).toBe('shown');
    await store.update('T1:U4', (data) => {
      const [old] = data.history;
      if (old) delete old.inTeamViews;
      data.history.push(assessment([5, 5, 5], { finishedAt: '2026-04-01T10:00:00.000Z' }));
    });
    // The same five people, but U4's new ratings would be the difference.
    expect((await views.of('T1', users(0, 5))).groups[0]?.kind).toBe('changed');
  });

  it('a competency whose raters differ by fewer than K is only named, though the team differs by K', async () => {
    // U0…U9 rate everything; U10…U14 say not applicable to omni, except U14, who rates it 1.
    const store = await storeOf(15, (i) =>
      i >= 10 && i < 14 ? ['na', 4, 3] : i === 14 ? [1, 4, 3] : [4, 4, 3],
    );
    const views = new TeamViews(store, { minPeople: 5 });
    expect(shown((await views.of('T1', users(0, 10))).groups[0]).competencies.map((c) => c.id)).toEqual([
      'omni',
      'scale',
      'data',
    ]);
    const second = shown((await views.of('T1', users(0, 15))).groups[0]);
    // omni's raters are U0…U9 then U0…U9 and U14: subtracting would give U14's place.
    expect(second.changed).toEqual([{ id: 'omni', name: 'Omnichannel Architecture' }]);
    expect(second.competencies.map((c) => c.id)).toEqual(['scale', 'data']);
    expect(JSON.stringify(second)).not.toMatch(/"omni","name":"Omnichannel Architecture","tier"/);
  });

  it('answers are compared for the window only (30 days unless told)', async () => {
    const store = await storeOf(6);
    let now = at(0);
    const views = new TeamViews(store, { minPeople: 5, now: () => now });
    await views.of('T1', users(0, 5));
    now = at(29);
    expect((await views.of('T1', users(0, 6))).groups[0]?.kind).toBe('changed');
    now = at(31);
    expect(shown((await views.of('T1', users(0, 6))).groups[0]).contributors).toBe(6);
    const short = new TeamViews(store, { minPeople: 5, windowDays: 2, now: () => now });
    now = at(32);
    expect((await short.of('T1', users(0, 5))).groups[0]?.kind).toBe('changed');
    now = at(34);
    expect((await short.of('T1', users(0, 5))).groups[0]?.kind).toBe('shown');
  });

  it('each org keeps its own: the same user ids in another org are other people', async () => {
    const store = await storeOf(6);
    for (let i = 0; i < 5; i++)
      await store.update(`T2:U${i}`, (data) => {
        data.history.push(assessment([3, 3, 3]));
      });
    const views = new TeamViews(store, { minPeople: 5 });
    await views.of('T1', users(0, 6));
    expect((await views.of('T2', users(0, 5))).groups[0]?.kind).toBe('shown');
  });

  it('forgetting someone removes their id from what is kept, and still refuses the answer without them', async () => {
    const store = await storeOf(6);
    const views = new TeamViews(store, { minPeople: 5 });
    await views.of('T1', users(0, 6));
    const keptBefore = JSON.stringify(
      await store.updateTeamViews({ org: 'T1', frameworkId: SA, levelId: 'senior' }, (k) => k),
    );
    expect(keptBefore).toContain('"U5#');
    await store.forget('T1:U5');
    const kept = JSON.stringify(
      await store.updateTeamViews({ org: 'T1', frameworkId: SA, levelId: 'senior' }, (k) => k),
    );
    expect(kept).not.toContain('U5');
    // The five others, once six: one person changed (the one who left), so nothing is shown.
    expect((await views.of('T1', users(0, 5))).groups[0]?.kind).toBe('changed');
  });

  it('keeps ids only: no rating, no name', async () => {
    const store = await storeOf(5);
    await new TeamViews(store, { minPeople: 5 }).of('T1', users(0, 5));
    const kept = await store.updateTeamViews({ org: 'T1', frameworkId: SA, levelId: 'senior' }, (k) => k);
    expect(kept).toHaveLength(1);
    expect(Object.keys(kept[0] ?? {}).sort()).toEqual(['at', 'contributors', 'shown']);
    expect(JSON.stringify(kept)).not.toMatch(/Omnichannel|Solutions Architect|"rating"|median/);
  });
});
