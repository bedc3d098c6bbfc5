import { describe, expect, it } from 'vitest';
import { readinessOf, trendOf } from '../../src/assessments/progress.js';
import type { Framework } from '../../src/frameworks/schema.js';
import type { AssessmentRecord, RatingValue } from '../../src/model/records.js';
import { readinessText } from '../../src/slack/views/progress.js';

/** A finished assessment of a three-competency framework, as the history keeps it. */
function record(
  id: string,
  finishedAt: string,
  ratings: (RatingValue | null)[],
  options: { level?: string; next?: string | null; expected?: number[]; nextExpected?: number[] } = {},
): AssessmentRecord {
  const names = ['Delivery', 'Design', 'Mentoring'];
  const next = options.next === undefined ? 'Lead' : options.next;
  return {
    id,
    frameworkId: 'eng.web',
    frameworkVersion: '1',
    roleName: 'Engineer',
    domainName: 'Web',
    levelId: (options.level ?? 'Senior').toLowerCase(),
    levelName: options.level ?? 'Senior',
    nextLevelName: next,
    finishedAt,
    competencies: names.map((name, i) => ({
      id: name.toLowerCase(),
      name,
      category: 'c',
      tier: 'primary' as const,
      expected: options.expected?.[i] ?? 3,
      nextExpected: next === null ? null : (options.nextExpected?.[i] ?? 4),
      rating: ratings[i] ?? null,
    })),
  };
}

describe('the trend of a framework', () => {
  it('lines up each competency’s rating and expected level across the assessments, oldest first', () => {
    const other = { ...record('x', '2026-02-01T00:00:00Z', [1, 1, 1]), frameworkId: 'other.one' };
    const trend = trendOf(
      [
        record('a', '2026-01-05T09:00:00Z', [2, 'na', 3]),
        other,
        record('b', '2026-03-02T09:00:00Z', [3, null, 4], { level: 'Lead', expected: [4, 4, 4] }),
      ],
      'eng.web',
    );
    expect(trend?.points.map((p) => [p.id, p.levelName])).toEqual([
      ['a', 'Senior'],
      ['b', 'Lead'],
    ]);
    expect(trend?.total).toBe(2);
    expect(trend?.competencies).toEqual([
      {
        id: 'delivery',
        name: 'Delivery',
        values: [
          { rating: 2, expected: 3 },
          { rating: 3, expected: 4 },
        ],
      },
      {
        id: 'design',
        name: 'Design',
        values: [
          { rating: 'na', expected: 3 },
          { rating: null, expected: 4 },
        ],
      },
      {
        id: 'mentoring',
        name: 'Mentoring',
        values: [
          { rating: 3, expected: 3 },
          { rating: 4, expected: 4 },
        ],
      },
    ]);
  });

  it('keeps the latest ones when there are many, and marks a competency an assessment did not have', () => {
    const history = Array.from({ length: 10 }, (_, i) =>
      record(`r${i}`, `2026-01-${String(i + 10)}T00:00:00Z`, [((i % 5) + 1) as RatingValue, 3, 3]),
    );
    const older = history[8];
    if (older) older.competencies = older.competencies.filter((c) => c.id !== 'design');
    const trend = trendOf(history, 'eng.web', 8);
    expect(trend?.points.map((p) => p.id)).toEqual(['r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
    expect(trend?.total).toBe(10);
    expect(trend?.competencies.find((c) => c.id === 'design')?.values[6]).toBe('absent');
  });

  it('is undefined for a framework never assessed', () => {
    expect(trendOf([record('a', '2026-01-05T00:00:00Z', [1, 2, 3])], 'nope')).toBeUndefined();
  });
});

describe('readiness for the next level', () => {
  it('counts what already meets the next level, names what is left, and leaves out n/a and skipped', () => {
    const readiness = readinessOf(
      record('a', '2026-01-05T00:00:00Z', [4, 'na', 2], { nextExpected: [4, 4, 5] }),
    );
    expect(readiness).toEqual({
      kind: 'next',
      levelName: 'Senior',
      nextLevelName: 'Lead',
      counted: 2,
      meets: 1,
      left: [{ id: 'mentoring', name: 'Mentoring', rating: 2, needs: 5 }],
      notCounted: 1,
    });
    expect(readinessText(readiness)).toBe(
      '*Ready for Lead?* 1 of 2 competencies rated 1–5 already meets it; left: Mentoring (rated 2, needs 5). 1 not counted (not applicable or skipped).',
    );
  });

  it('says so when everything rated meets it, and when nothing was rated', () => {
    const all = readinessOf(record('a', '2026-01-05T00:00:00Z', [4, 5, null]));
    expect(readinessText(all)).toBe(
      '*Ready for Lead?* All 2 competencies rated 1–5 already meet it. 1 not counted (not applicable or skipped).',
    );
    const none = readinessOf(record('a', '2026-01-05T00:00:00Z', ['na', null, null]));
    expect(readinessText(none)).toBe(
      '*Ready for Lead?* Nothing is rated 1–5, so there is nothing to count yet. 3 not counted (not applicable or skipped).',
    );
  });

  it('says there is no single next level at the top of a track, and at a fork, and points to Compare levels', () => {
    const framework = {
      levels: [
        { id: 'senior', name: 'Senior', aliases: [] },
        { id: 'staff', name: 'Staff', aliases: [], track: 'ic' },
        { id: 'manager', name: 'Manager', aliases: [], track: 'mgmt' },
      ],
      tracks: [
        { id: 'ic', name: 'Individual contributor' },
        { id: 'mgmt', name: 'People manager' },
      ],
    } as unknown as Framework;
    const atFork = record('a', '2026-01-05T00:00:00Z', [3, 3, 3], { next: null });
    expect(readinessText(readinessOf(atFork, framework))).toBe(
      '*No single next level after Senior:* the track splits here (Staff, Manager), and each path expects its own. *Compare levels* shows what each one expects.',
    );
    const atTop = record('a', '2026-01-05T00:00:00Z', [3, 3, 3], { next: null, level: 'Staff' });
    expect(readinessText(readinessOf(atTop, framework))).toContain(
      '*No next level after Staff:* it is the top of its track',
    );
    // Without the framework, the summary cannot tell which: it says both, truthfully.
    expect(readinessText(readinessOf(atFork))).toBe(
      '*No single next level after Senior* on this track: it is the top of its track, or the tracks split there. *Compare levels* shows what each level expects.',
    );
  });
});
