import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type Cadence, countRecords, emptyPerson, type PersonData } from '../../src/model/records.js';
import {
  CADENCES,
  claimIfDue,
  completeReminder,
  dropClaimedReminder,
  effectiveDueAt,
  isKnownTimeZone,
  nextDueAt,
  normalizeTimeZone,
  REMINDER_HOUR,
  type ReminderInput,
  releaseReminder,
  setReminder,
  snoozedDueAt,
  snoozeReminder,
  stopReminder,
} from '../../src/model/reminders.js';
import { personDataProblems } from '../../src/store/schema.js';

const ZONES = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland', 'UTC'];

const input = (timeZone = 'Europe/London', cadence: Cadence = 'monthly'): ReminderInput => ({
  cadence,
  frameworkId: 'solutions-architect.e-commerce',
  levelId: 'senior',
  userId: 'U1',
  teamId: 'T1',
  timeZone,
});

const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone });

describe('nextDueAt', () => {
  it('lands at 10:00 local on a working day, one cadence later by local dates, in every zone', () => {
    // A day of every weekday and hours all round the clock, through both DST changes of the year.
    for (const zone of ZONES) {
      for (const cadence of CADENCES) {
        for (let day = 0; day < 400; day += 3) {
          const after = new Date(Date.UTC(2026, 0, 1, (day * 7) % 24, 17) + day * 86_400_000);
          const due = nextDueAt(after, cadence, zone);
          const at = local(due, zone);
          expect(at.hour, `${zone} ${after.toISOString()}`).toBe(REMINDER_HOUR);
          expect(at.minute).toBe(0);
          expect(at.weekday).toBeLessThanOrEqual(5);
          // At least one cadence on, by local date; at most a weekend (two days) further.
          const from = local(after, zone).startOf('day');
          const earliest = from.plus({ months: cadence === 'monthly' ? 1 : 3 });
          expect(at.startOf('day') >= earliest).toBe(true);
          expect(at.startOf('day').diff(earliest, 'days').days).toBeLessThanOrEqual(2);
        }
      }
    }
  });

  it('asked again at other hours, gives the answer of the local date each time: the date changes at local midnight', () => {
    // Kolkata is 5:30 ahead: its 30 June starts at 18:30Z on 29 June. Every half hour of two days,
    // each asked twice, against the date worked out by hand.
    const expected = (after: Date) => {
      let at = local(after, 'Asia/Kolkata').startOf('day').plus({ months: 1 }).set({ hour: REMINDER_HOUR });
      while (at.weekday > 5) at = at.plus({ days: 1 });
      return at.toUTC().toISO();
    };
    for (let half = 0; half < 96; half++) {
      const after = new Date(Date.UTC(2026, 5, 29, 0, 0) + half * 30 * 60_000);
      for (let again = 0; again < 2; again++) {
        expect(nextDueAt(after, 'monthly', 'Asia/Kolkata').toISOString(), after.toISOString()).toBe(
          expected(after),
        );
      }
    }
    // 29 July 2026 is a Wednesday, 30 and 31 July a Thursday and a Friday, 1 August a Saturday.
    expect(nextDueAt(new Date('2026-06-29T18:29:00Z'), 'monthly', 'Asia/Kolkata').toISOString()).toBe(
      '2026-07-29T04:30:00.000Z',
    );
    expect(nextDueAt(new Date('2026-06-29T18:30:00Z'), 'monthly', 'Asia/Kolkata').toISOString()).toBe(
      '2026-07-30T04:30:00.000Z',
    );
  });

  it('set a month before, on the same date at 10:00 local (London, winter time)', () => {
    // 20 February 2026 is a Friday; 20 March too, before the clocks change on 29 March.
    expect(nextDueAt(new Date('2026-02-20T12:00:00Z'), 'monthly', 'Europe/London').toISOString()).toBe(
      '2026-03-20T10:00:00.000Z',
    );
  });

  it('keeps 10:00 local across a daylight-saving change between set and due', () => {
    // London: set in GMT (10:00 = 10:00Z), due in BST (10:00 = 09:00Z).
    expect(nextDueAt(new Date('2026-03-10T12:00:00Z'), 'monthly', 'Europe/London').toISOString()).toBe(
      '2026-04-10T09:00:00.000Z',
    );
    // London, back to GMT in October: 1 Nov 2026 is a Sunday, so Monday 2 November, 10:00Z.
    expect(nextDueAt(new Date('2026-10-01T12:00:00Z'), 'monthly', 'Europe/London').toISOString()).toBe(
      '2026-11-02T10:00:00.000Z',
    );
    // New York: set in EST (10:00 = 15:00Z), due after the change of 8 March in EDT (10:00 = 14:00Z).
    expect(nextDueAt(new Date('2026-02-20T12:00:00Z'), 'monthly', 'America/New_York').toISOString()).toBe(
      '2026-03-20T14:00:00.000Z',
    );
    // Auckland (southern hemisphere): set on 10 March local in NZDT (+13), due on 10 April in NZST
    // (+12) after summer time ends on 5 April: 10:00 local is 22:00Z the day before.
    expect(nextDueAt(new Date('2026-03-09T12:00:00Z'), 'monthly', 'Pacific/Auckland').toISOString()).toBe(
      '2026-04-09T22:00:00.000Z',
    );
    // Kolkata has no daylight saving: 10:00 IST is 04:30Z.
    expect(nextDueAt(new Date('2026-02-20T12:00:00Z'), 'monthly', 'Asia/Kolkata').toISOString()).toBe(
      '2026-03-20T04:30:00.000Z',
    );
  });

  it('counts by the local date, not the UTC one', () => {
    // 23:30Z on 20 February is already 21 February in Auckland: due 21 March, a Saturday → Monday 23rd.
    const due = nextDueAt(new Date('2026-02-20T23:30:00Z'), 'monthly', 'Pacific/Auckland');
    expect(local(due, 'Pacific/Auckland').toISODate()).toBe('2026-03-23');
    expect(due.toISOString()).toBe('2026-03-22T21:00:00.000Z');
  });

  it('moves a weekend to the Monday after', () => {
    // 14 Feb 2026 + 1 month = 14 March, a Saturday.
    expect(nextDueAt(new Date('2026-02-14T12:00:00Z'), 'monthly', 'UTC').toISOString()).toBe(
      '2026-03-16T10:00:00.000Z',
    );
    // Sunday 15 March → Monday 16 March too.
    expect(nextDueAt(new Date('2026-02-15T12:00:00Z'), 'monthly', 'UTC').toISOString()).toBe(
      '2026-03-16T10:00:00.000Z',
    );
  });

  it('ends at the end of a shorter month (31 January + 1 month)', () => {
    // 2028: 29 February, a Tuesday.
    expect(nextDueAt(new Date('2028-01-31T12:00:00Z'), 'monthly', 'UTC').toISOString()).toBe(
      '2028-02-29T10:00:00.000Z',
    );
    // 2026: 28 February is a Saturday → Monday 2 March.
    expect(nextDueAt(new Date('2026-01-31T12:00:00Z'), 'monthly', 'UTC').toISOString()).toBe(
      '2026-03-02T10:00:00.000Z',
    );
    // Quarterly from 30 November: 28 February 2027 is a Sunday → Monday 1 March.
    expect(nextDueAt(new Date('2026-11-30T12:00:00Z'), 'quarterly', 'UTC').toISOString()).toBe(
      '2027-03-01T10:00:00.000Z',
    );
  });

  it('quarterly is three calendar months', () => {
    expect(nextDueAt(new Date('2026-02-20T12:00:00Z'), 'quarterly', 'UTC').toISOString()).toBe(
      '2026-05-20T10:00:00.000Z',
    );
  });

  it('an unknown or empty zone counts as UTC', () => {
    for (const zone of ['Mars/Olympus', '', 'not a zone']) {
      expect(nextDueAt(new Date('2026-02-20T12:00:00Z'), 'monthly', zone).toISOString()).toBe(
        '2026-03-20T10:00:00.000Z',
      );
    }
    expect(normalizeTimeZone('Mars/Olympus')).toBe('UTC');
    expect(normalizeTimeZone(undefined)).toBe('UTC');
    expect(normalizeTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
  });

  it('a zone keeps its answer when asked again, also after many made-up names (the answers are remembered)', () => {
    expect(isKnownTimeZone('Europe/Lisbon')).toBe(true);
    expect(isKnownTimeZone('Europe/Lisboa')).toBe(false);
    for (let i = 0; i < 2_500; i++) expect(isKnownTimeZone(`Nowhere/Place${i}`)).toBe(false);
    expect(isKnownTimeZone('Europe/Lisbon')).toBe(true);
    expect(isKnownTimeZone('Europe/Lisboa')).toBe(false);
    expect(normalizeTimeZone('America/Sao_Paulo')).toBe('America/Sao_Paulo');
  });
});

describe('snoozedDueAt', () => {
  it('a week on, at 10:00 local, on a working day', () => {
    expect(snoozedDueAt(new Date('2026-03-04T15:00:00Z'), 'Europe/London').toISOString()).toBe(
      '2026-03-11T10:00:00.000Z',
    );
    // Saturday 7 March + 7 days is a Saturday: Monday 16 March.
    expect(snoozedDueAt(new Date('2026-03-07T15:00:00Z'), 'Europe/London').toISOString()).toBe(
      '2026-03-16T10:00:00.000Z',
    );
    // Across the London change of 29 March: 10:00 BST = 09:00Z.
    expect(snoozedDueAt(new Date('2026-03-25T15:00:00Z'), 'Europe/London').toISOString()).toBe(
      '2026-04-01T09:00:00.000Z',
    );
    for (const zone of ZONES) {
      const due = local(snoozedDueAt(new Date('2026-03-27T23:00:00Z'), zone), zone);
      expect(due.hour).toBe(10);
      expect(due.weekday).toBeLessThanOrEqual(5);
    }
  });
});

describe('reminder changes', () => {
  const NOW = new Date('2026-02-20T12:00:00Z');

  it('setReminder sets (and replaces) it, due one cadence on; it fits the data file and counts as a record', () => {
    const data = emptyPerson();
    const set = setReminder(data, input(), NOW);
    expect(set).toEqual({ ...input(), dueAt: '2026-03-20T10:00:00.000Z', setAt: NOW.toISOString() });
    expect(data.reminder).toEqual(set);
    expect(personDataProblems(data)).toEqual([]);
    expect(countRecords(data)).toBe(1);

    const replaced = setReminder(data, { ...input('Mars/Olympus', 'quarterly'), enterpriseId: 'E1' }, NOW);
    expect(replaced).toMatchObject({ cadence: 'quarterly', timeZone: 'UTC', enterpriseId: 'E1' });
    expect(replaced.dueAt).toBe('2026-05-20T10:00:00.000Z');
    expect(personDataProblems(data)).toEqual([]);
  });

  it('setting again drops a claim in flight: its completion does nothing', () => {
    const data = emptyPerson();
    setReminder(data, input(), NOW);
    claimIfDue(data, new Date('2026-03-20T10:00:00Z'), 60_000, 'c1');
    setReminder(data, input('UTC', 'quarterly'), NOW);
    expect(data.reminder?.claim).toBeUndefined();
    expect(completeReminder(data, 'c1', new Date('2026-03-20T10:00:01Z'))).toBe(false);
    expect(data.reminder?.dueAt).toBe('2026-05-20T10:00:00.000Z');
  });

  it('stopReminder removes it, and says whether there was one', () => {
    const data = emptyPerson();
    expect(stopReminder(data)).toBe(false);
    setReminder(data, input(), NOW);
    expect(stopReminder(data)).toBe(true);
    expect(data.reminder).toBeUndefined();
    expect(data).toEqual(emptyPerson());
  });

  it('snoozeReminder puts it off a week, to a working day at 10:00; nothing without a reminder', () => {
    const data = emptyPerson();
    expect(snoozeReminder(data, NOW)).toBeUndefined();
    expect(data.reminder).toBeUndefined();
    setReminder(data, input(), NOW);
    const at = new Date('2026-03-20T10:05:00Z'); // Friday
    const snoozed = snoozeReminder(data, at);
    expect(snoozed?.dueAt).toBe('2026-03-27T10:00:00.000Z');
    expect(snoozed?.snoozedAt).toBe(at.toISOString());
    expect(personDataProblems(data)).toEqual([]);
  });

  it('effectiveDueAt: the claim while it ends after dueAt, else dueAt', () => {
    const data = emptyPerson();
    const r = setReminder(data, input(), NOW);
    expect(effectiveDueAt(r)).toBe(r.dueAt);
    r.claim = { id: 'c', until: '2026-03-20T10:10:00.000Z' };
    expect(effectiveDueAt(r)).toBe('2026-03-20T10:10:00.000Z');
    r.claim = { id: 'c', until: '2026-03-01T00:00:00.000Z' };
    expect(effectiveDueAt(r)).toBe(r.dueAt);
  });

  it('claimIfDue claims only what is due', () => {
    const data = emptyPerson();
    expect(claimIfDue(data, NOW, 1000, 'c')).toBeUndefined();
    setReminder(data, input(), NOW);
    expect(claimIfDue(data, new Date('2026-03-20T09:59:59.999Z'), 1000, 'c')).toBeUndefined();
    const claimed = claimIfDue(data, new Date('2026-03-20T10:00:00Z'), 1000, 'c');
    expect(claimed?.claim).toEqual({ id: 'c', until: '2026-03-20T10:00:01.000Z' });
    // Held: not due again until the lease ends.
    expect(claimIfDue(data, new Date('2026-03-20T10:00:00.500Z'), 1000, 'd')).toBeUndefined();
    expect(claimIfDue(data, new Date('2026-03-20T10:00:01Z'), 1000, 'd')?.claim?.id).toBe('d');
  });

  it('completeReminder moves it on only for the claim that holds it, with the zone Slack gave', () => {
    const data = emptyPerson();
    setReminder(data, input(), NOW);
    const sentAt = new Date('2026-03-20T10:00:02Z');
    claimIfDue(data, new Date('2026-03-20T10:00:00Z'), 60_000, 'c1');
    const before = structuredClone(data);
    expect(completeReminder(data, 'stale', sentAt)).toBe(false);
    expect(data).toEqual(before);

    snoozeReminder(data, new Date('2026-03-20T10:00:01Z'));
    claimIfDue(data, new Date('2026-03-27T10:00:00Z'), 60_000, 'c2');
    expect(completeReminder(data, 'c2', sentAt, 'America/New_York')).toBe(true);
    expect(data.reminder).toMatchObject({ timeZone: 'America/New_York', lastSentAt: sentAt.toISOString() });
    expect(data.reminder?.claim).toBeUndefined();
    expect(data.reminder?.snoozedAt).toBeUndefined();
    // 20 April 2026, a Monday, 10:00 EDT.
    expect(data.reminder?.dueAt).toBe('2026-04-20T14:00:00.000Z');
    expect(completeReminder(data, 'c2', sentAt)).toBe(false);
    expect(personDataProblems(data)).toEqual([]);

    // An unknown zone from Slack leaves the one kept.
    claimIfDue(data, new Date('2026-04-20T14:00:00Z'), 60_000, 'c3');
    expect(completeReminder(data, 'c3', new Date('2026-04-20T14:00:00Z'), 'Mars/Olympus')).toBe(true);
    expect(data.reminder?.timeZone).toBe('America/New_York');
  });

  it('releaseReminder makes it due at the retry time, only for the claim that holds it', () => {
    const data = emptyPerson();
    setReminder(data, input(), NOW);
    claimIfDue(data, new Date('2026-03-20T10:00:00Z'), 60_000, 'c1');
    const retry = new Date('2026-03-20T10:05:00Z');
    expect(releaseReminder(data, 'other', retry)).toBe(false);
    expect(releaseReminder(data, 'c1', retry)).toBe(true);
    expect(data.reminder?.dueAt).toBe(retry.toISOString());
    expect(data.reminder?.claim).toBeUndefined();
    expect(releaseReminder(data, 'c1', retry)).toBe(false);
  });

  it('dropClaimedReminder removes it only for the claim that holds it', () => {
    const data: PersonData = emptyPerson();
    setReminder(data, input(), NOW);
    claimIfDue(data, new Date('2026-03-20T10:00:00Z'), 60_000, 'c1');
    expect(dropClaimedReminder(data, 'c0')).toBe(false);
    expect(data.reminder).toBeDefined();
    expect(dropClaimedReminder(data, 'c1')).toBe(true);
    expect(data.reminder).toBeUndefined();
  });

  it('the data file refuses a reminder of the wrong shape', () => {
    const data = emptyPerson();
    setReminder(data, input(), NOW);
    (data.reminder as unknown as Record<string, unknown>).cadence = 'weekly';
    expect(personDataProblems(data).join('\n')).toMatch(/reminder\.cadence/);
  });
});
