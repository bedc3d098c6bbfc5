import { describe, expect, it } from 'vitest';
import { emptyPerson, type PersonData } from '../../src/model/records.js';
import { ReminderIndex } from '../../src/store/reminder-index.js';

const due = (dueAt: string, until?: string): PersonData => ({
  ...emptyPerson(),
  reminder: {
    cadence: 'monthly',
    frameworkId: 'fw',
    levelId: 'l',
    userId: 'U',
    teamId: 'T',
    timeZone: 'UTC',
    dueAt,
    setAt: '2026-01-01T00:00:00.000Z',
    ...(until === undefined ? {} : { claim: { id: 'c', until } }),
  },
});

const at = (iso: string) => new Date(iso);

describe('ReminderIndex (lowdb and memory stores)', () => {
  it('finds the earliest due first (ties by key), up to the limit, by effective due time', () => {
    const index = new ReminderIndex();
    index.set('b', due('2026-03-01T10:00:00.000Z'));
    index.set('a', due('2026-03-01T10:00:00.000Z'));
    index.set('c', due('2026-02-01T10:00:00.000Z'));
    index.set('d', due('2026-01-01T10:00:00.000Z', '2026-03-01T10:00:01.000Z'));
    index.set('e', due('2026-04-01T10:00:00.000Z'));
    index.set('f', emptyPerson());
    expect(index.size).toBe(5);
    expect(index.dueAt(at('2026-03-01T10:00:00.000Z'), 10)).toEqual(['c', 'a', 'b']);
    expect(index.dueAt(at('2026-03-01T10:00:00.000Z'), 2)).toEqual(['c', 'a']);
    expect(index.dueAt(at('2026-03-02T00:00:00.000Z'), 10)).toEqual(['c', 'a', 'b', 'd']);
    expect(index.dueAt(at('2026-03-02T00:00:00.000Z'), 0)).toEqual([]);
    index.set('c', undefined);
    index.set('a', emptyPerson());
    expect(index.dueAt(at('2026-03-02T00:00:00.000Z'), 10)).toEqual(['b', 'd']);
  });

  it('after a look that found nothing, a reminder set earlier than any before is still found', () => {
    const index = new ReminderIndex();
    index.set('late', due('2026-06-01T10:00:00.000Z'));
    expect(index.dueAt(at('2026-03-01T00:00:00.000Z'), 10)).toEqual([]);
    expect(index.dueAt(at('2026-03-01T00:00:00.000Z'), 10)).toEqual([]);
    index.set('soon', due('2026-02-01T10:00:00.000Z'));
    expect(index.dueAt(at('2026-03-01T00:00:00.000Z'), 10)).toEqual(['soon']);
    // Moved later (claimed), then back (released): found again.
    index.set('soon', due('2026-02-01T10:00:00.000Z', '2026-03-01T00:10:00.000Z'));
    expect(index.dueAt(at('2026-03-01T00:00:00.000Z'), 10)).toEqual([]);
    index.set('soon', due('2026-02-28T00:00:00.000Z'));
    expect(index.dueAt(at('2026-03-01T00:00:00.000Z'), 10)).toEqual(['soon']);
  });

  it('keeps only the earliest `limit` of many, in order', () => {
    const index = new ReminderIndex();
    const base = Date.parse('2026-01-01T00:00:00.000Z');
    const n = 2000;
    for (let i = 0; i < n; i++) {
      const j = (i * 7919) % n; // every number once, out of order
      index.set(`p${String(j).padStart(4, '0')}`, due(new Date(base + j * 60_000).toISOString()));
    }
    const found = index.dueAt(at('2027-01-01T00:00:00.000Z'), 25);
    expect(found).toEqual(Array.from({ length: 25 }, (_, i) => `p${String(i).padStart(4, '0')}`));
  });
});
