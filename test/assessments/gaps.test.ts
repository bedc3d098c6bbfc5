import { describe, expect, it } from 'vitest';
import { analyse, changesSince, statusOf } from '../../src/assessments/gaps.js';
import type { AssessedCompetency, AssessmentRecord } from '../../src/store/store.js';

function competency(
  id: string,
  rating: AssessedCompetency['rating'],
  expected: number,
  tier: AssessedCompetency['tier'] = 'primary',
  nextExpected: number | null = 5,
): AssessedCompetency {
  return { id, name: id.toUpperCase(), category: 'technical', tier, expected, nextExpected, rating };
}

function record(competencies: AssessedCompetency[], nextLevelName: string | null = 'Lead'): AssessmentRecord {
  return {
    id: 'r1',
    frameworkId: 'role.domain',
    frameworkVersion: '1',
    roleName: 'Role',
    domainName: 'Domain',
    levelId: 'senior',
    levelName: 'Senior',
    nextLevelName,
    finishedAt: '2026-11-27T10:00:00.000Z',
    competencies,
  };
}

describe('gap status of one competency', () => {
  it.each([
    [5, 4, 'meets', -1],
    [4, 4, 'meets', 0],
    [3, 4, 'one-below', 1],
    [2, 4, 'focus', 2],
    [1, 5, 'focus', 4],
  ] as const)('rated %i against %i expected: %s', (rating, expected, status, gap) => {
    expect(statusOf(rating, expected)).toEqual({ status, gap });
  });

  it('skipped and not applicable have no gap', () => {
    expect(statusOf(null, 3)).toEqual({ status: 'not-rated', gap: null });
    expect(statusOf('na', 3)).toEqual({ status: 'not-applicable', gap: null });
  });
});

describe('analysis of a finished assessment', () => {
  it('counts who meets this level and the next, leaving out skipped and not applicable', () => {
    const summary = analyse(
      record([
        competency('a', 5, 4),
        competency('b', 4, 4, 'primary', 5),
        competency('c', 2, 3),
        competency('d', null, 3),
        competency('e', 'na', 3),
      ]),
    );
    expect(summary.rated).toBe(3);
    expect(summary.meets).toBe(2);
    expect(summary.meetsNext).toBe(1);
  });

  it('has no next-level count at the top level', () => {
    expect(analyse(record([competency('a', 5, 5, 'primary', null)], null)).meetsNext).toBeNull();
  });

  it('puts the largest gaps first, primary before supporting on equal gaps, at most three', () => {
    const summary = analyse(
      record([
        competency('small', 3, 4, 'primary'),
        competency('support-big', 1, 4, 'supporting'),
        competency('support-mid', 2, 4, 'supporting'),
        competency('primary-mid', 2, 4, 'primary'),
        competency('fine', 5, 4, 'primary'),
      ]),
    );
    expect(summary.focusAreas.map((r) => r.id)).toEqual(['support-big', 'primary-mid', 'support-mid']);
  });

  it('has no focus areas when everything meets', () => {
    expect(analyse(record([competency('a', 4, 4), competency('b', 'na', 4)])).focusAreas).toEqual([]);
  });
});

describe('changes between two assessments', () => {
  it('lists the ratings that moved, and ignores competencies that were not in the earlier one', () => {
    const before = record([competency('a', 3, 4), competency('b', 4, 4), competency('c', null, 4)]);
    const after = record([
      competency('a', 4, 4),
      competency('b', 4, 4),
      competency('c', 'na', 4),
      competency('new', 2, 4),
    ]);
    expect(changesSince(before, after)).toEqual([
      { id: 'a', name: 'A', from: 3, to: 4 },
      { id: 'c', name: 'C', from: null, to: 'na' },
    ]);
  });
});
