import { describe, expect, it } from 'vitest';
import { analyse, changesSince } from '../../src/assessments/gaps.js';
import {
  countsText,
  gapLabel,
  gapShort,
  RATED_STATUSES,
  statusOf,
  UNRATED_STATUSES,
} from '../../src/model/gap-words.js';
import type { AssessedCompetency, AssessmentRecord } from '../../src/model/records.js';

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
    [5, 4, 'above', -1],
    [5, 3, 'above', -2],
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
  it('counts each status exactly, and who is at or above this level and the next', () => {
    const summary = analyse(
      record([
        competency('a', 5, 4),
        competency('b', 4, 4, 'primary', 5),
        competency('c', 2, 3),
        competency('d', null, 3),
        competency('e', 'na', 3),
        competency('f', 1, 4),
        competency('g', 3, 5),
        competency('h', 2, 4),
        competency('i', 1, 5),
      ]),
    );
    expect(summary.counts).toEqual({
      above: 1,
      meets: 1,
      'one-below': 1,
      focus: 4,
      'not-applicable': 1,
      'not-rated': 1,
    });
    expect(summary.rated).toBe(7);
    expect(summary.atOrAbove).toBe(2);
    expect(summary.atOrAboveNext).toBe(1);
  });

  it('has no next-level count at the top level', () => {
    expect(analyse(record([competency('a', 5, 5, 'primary', null)], null)).atOrAboveNext).toBeNull();
  });

  it('lists every focus area (two or more below), largest gap first, primary before supporting: no cap', () => {
    const summary = analyse(
      record([
        competency('small', 3, 4, 'primary'),
        competency('support-big', 1, 4, 'supporting'),
        competency('support-mid', 2, 4, 'supporting'),
        competency('primary-mid', 2, 4, 'primary'),
        competency('fine', 5, 4, 'primary'),
        competency('support-big-2', 2, 5, 'supporting'),
      ]),
    );
    expect(summary.focusAreas.map((r) => r.id)).toEqual([
      'support-big',
      'support-big-2',
      'primary-mid',
      'support-mid',
    ]);
    // One below is never a focus area: it is worth a conversation.
    expect(summary.worthAConversation.map((r) => r.id)).toEqual(['small']);
  });

  it('lists those worth a conversation primary first, then in framework order', () => {
    const summary = analyse(
      record([
        competency('s1', 3, 4, 'supporting'),
        competency('p1', 2, 3, 'primary'),
        competency('s2', 4, 5, 'supporting'),
        competency('p2', 4, 5, 'primary'),
      ]),
    );
    expect(summary.worthAConversation.map((r) => r.id)).toEqual(['p1', 'p2', 's1', 's2']);
    expect(summary.focusAreas).toEqual([]);
  });

  it('has no focus areas when everything is at or above', () => {
    const summary = analyse(record([competency('a', 4, 4), competency('b', 'na', 4), competency('c', 5, 4)]));
    expect(summary.focusAreas).toEqual([]);
    expect(summary.worthAConversation).toEqual([]);
  });
});

describe('the words for gaps', () => {
  it.each([
    [5, 3, '2 above', '2 above'],
    [5, 4, '1 above', '1 above'],
    [4, 4, 'meets', 'meets'],
    [3, 4, '1 below', '1 below · worth a conversation'],
    [2, 4, '2 below', '2 below · focus area'],
    [null, 4, 'skipped', 'skipped'],
    ['na', 4, 'not applicable', 'not applicable'],
  ] as const)('rated %s against %i: "%s", "%s"', (rating, expected, short, label) => {
    const { status, gap } = statusOf(rating, expected);
    expect(gapShort(status, gap)).toBe(short);
    expect(gapLabel(status, gap)).toBe(label);
  });

  it('counts with their meaning, exact, leaving out the ones with none', () => {
    const counts = { above: 1, meets: 3, 'one-below': 0, focus: 4, 'not-applicable': 1, 'not-rated': 0 };
    expect(countsText(counts, RATED_STATUSES)).toBe('1 above, 3 meet, 4 focus areas (two or more below)');
    expect(countsText(counts, UNRATED_STATUSES)).toBe('1 not applicable');
    expect(countsText({ ...counts, meets: 1, 'one-below': 2, focus: 1 }, RATED_STATUSES)).toBe(
      '1 above, 1 meets, 2 worth a conversation (one below), 1 focus area (two or more below)',
    );
    expect(countsText({ ...counts, above: 0, meets: 0, focus: 0 }, RATED_STATUSES)).toBe('');
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
