import { describe, expect, it } from 'vitest';
import type { PersonData, ReminderSetting } from '../../../src/model/records.js';
import { completeReminder, releaseReminder, stopReminder } from '../../../src/model/reminders.js';
import type { Store } from '../../../src/store/store.js';
import { AT } from '../helpers.js';
import { FRAMEWORK, implementations, openStoreForEachTest, somebody } from './support.js';

/**
 * The Store contract (src/store/store.ts, this folder's support.ts), on every store: check-in
 * reminders claimed when due.
 */

/** A monthly check-in reminder due at `dueAt`, as setReminder would leave it. */
const reminderDue = (dueAt: string, teamId = 'T1'): ReminderSetting => ({
  cadence: 'monthly',
  frameworkId: FRAMEWORK,
  levelId: 'senior',
  userId: 'U1',
  teamId,
  timeZone: 'Europe/London',
  dueAt,
  setAt: AT,
});

const withReminder =
  (dueAt: string, teamId?: string) =>
  (data: PersonData): void => {
    data.reminder = reminderDue(dueAt, teamId);
  };

describe.each(implementations())('Store contract: $kind', (implementation) => {
  let store: Store;
  const open = openStoreForEachTest(implementation, (opened) => {
    store = opened;
  });

  describe('check-in reminders (claimDueReminders)', () => {
    const NOW = new Date('2026-03-02T10:00:00.000Z');
    const LEASE = 10 * 60_000;
    const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000).toISOString();

    it('claims only what is due, earliest first, up to the limit, with a claim until now + lease', async () => {
      await store.update('T1:U1', withReminder(minutes(-5)));
      await store.update('T1:U2', withReminder(minutes(-60)));
      await store.update('T1:U3', withReminder(minutes(0)));
      await store.update('T1:U4', withReminder(minutes(1)));
      await store.update('T1:U5', somebody);

      const first = await store.claimDueReminders(NOW, 2, LEASE);
      expect(first.map((c) => c.person)).toEqual(['T1:U2', 'T1:U1']);
      for (const { person, reminder, data } of first) {
        expect(reminder.claim?.until).toBe(minutes(10));
        expect(reminder.claim?.id).toMatch(/./);
        // Durably: the person's data holds the same claim.
        expect((await store.get(person)).reminder).toEqual(reminder);
        // And the claim comes with the person's data as claimed, for the reminder to show.
        expect(data).toEqual(await store.get(person));
      }
      expect(first[0]?.reminder.claim?.id).not.toBe(first[1]?.reminder.claim?.id);

      const rest = await store.claimDueReminders(NOW, 10, LEASE);
      expect(rest.map((c) => c.person)).toEqual(['T1:U3']);
      expect(await store.claimDueReminders(NOW, 10, LEASE)).toEqual([]);
      expect(await store.claimDueReminders(new Date(minutes(1)), 10, LEASE)).toHaveLength(1);
      expect(await store.claimDueReminders(NOW, 0, LEASE)).toEqual([]);
    });

    it('a claim holds until its lease runs out; then the reminder is claimed again, with a new id', async () => {
      await store.update('T1:U1', withReminder(minutes(-1)));
      const [first] = await store.claimDueReminders(NOW, 10, LEASE);
      expect(await store.claimDueReminders(new Date(minutes(9)), 10, LEASE)).toEqual([]);
      const [again] = await store.claimDueReminders(new Date(minutes(10)), 10, LEASE);
      expect(again?.person).toBe('T1:U1');
      expect(again?.reminder.claim?.id).not.toBe(first?.reminder.claim?.id);
      expect(again?.reminder.claim?.until).toBe(minutes(20));
      // The first instance's claim is stale now: completing with it does nothing.
      const claimId = first?.reminder.claim?.id ?? '';
      expect(await store.update('T1:U1', (d) => completeReminder(d, claimId, NOW))).toBe(false);
      expect((await store.get('T1:U1')).reminder?.claim).toEqual(again?.reminder.claim);
    });

    it('a completed reminder is due next at its new time; a released one at its retry time', async () => {
      await store.update('T1:U1', withReminder(minutes(-1)));
      await store.update('T1:U2', withReminder(minutes(-1)));
      const claimed = await store.claimDueReminders(NOW, 10, LEASE);
      const idOf = (person: string) => claimed.find((c) => c.person === person)?.reminder.claim?.id ?? '';
      expect(await store.update('T1:U1', (d) => completeReminder(d, idOf('T1:U1'), NOW))).toBe(true);
      expect(
        await store.update('T1:U2', (d) => releaseReminder(d, idOf('T1:U2'), new Date(minutes(5)))),
      ).toBe(true);
      const u1 = (await store.get('T1:U1')).reminder;
      expect(u1?.claim).toBeUndefined();
      expect(u1?.dueAt).toBe('2026-04-02T09:00:00.000Z'); // 10:00 in London, summer time
      const [retried] = await store.claimDueReminders(new Date(minutes(20)), 10, LEASE);
      expect(retried?.person).toBe('T1:U2');
      const retriedId = retried?.reminder.claim?.id ?? '';
      expect(await store.update('T1:U2', (d) => completeReminder(d, retriedId, new Date(minutes(20))))).toBe(
        true,
      );
      expect(await store.claimDueReminders(new Date('2026-04-02T08:59:59.999Z'), 10, LEASE)).toEqual([]);
      // Both are due next on 2 April at 10:00 in London (summer time by then): 09:00 UTC.
      const april = await store.claimDueReminders(new Date('2026-04-02T09:00:00.000Z'), 10, LEASE);
      expect(april.map((c) => c.person)).toEqual(['T1:U1', 'T1:U2']);
    });

    it('a stopped, forgotten or uninstalled person is never claimed; the reminder counts as a record', async () => {
      await store.saveInstallation({
        id: 'T2',
        enterpriseId: null,
        installation: {},
        installedAt: AT,
        updatedAt: AT,
      });
      await store.update('T1:U1', withReminder(minutes(-1)));
      await store.update('T1:U2', withReminder(minutes(-1)));
      await store.update('T2:U3', withReminder(minutes(-1), 'T2'));
      await store.update('T1:U4', withReminder(minutes(-1)));
      await store.update('T1:U1', (d) => stopReminder(d));
      expect(await store.forget('T1:U2')).toBe(1);
      expect(await store.uninstall({ installation: 'T2', people: 'T2' })).toEqual({
        installation: true,
        people: 1,
        records: 1,
        orgData: false,
      });
      expect((await store.claimDueReminders(NOW, 10, LEASE)).map((c) => c.person)).toEqual(['T1:U4']);
    });

    it('claims made at the same time never share a reminder', async () => {
      for (let i = 0; i < 30; i++) await store.update(`T1:U${i}`, withReminder(minutes(-i)));
      const batches = await Promise.all([1, 2, 3].map(() => store.claimDueReminders(NOW, 7, LEASE)));
      const people = batches.flat().map((c) => c.person);
      expect(people).toHaveLength(21);
      expect(new Set(people).size).toBe(21);
    });

    it('a change of the person while claimed keeps the claim (it is part of their data)', async () => {
      await store.update('T1:U1', withReminder(minutes(-1)));
      const [claimed] = await store.claimDueReminders(NOW, 10, LEASE);
      await store.update('T1:U1', somebody);
      expect((await store.get('T1:U1')).reminder).toEqual(claimed?.reminder);
      expect(await store.claimDueReminders(NOW, 10, LEASE)).toEqual([]);
    });

    it.skipIf(!implementation.durable)('reminders and claims last after close and reopen', async () => {
      await store.update('T1:U1', withReminder(minutes(-1)));
      await store.update('T1:U2', withReminder(minutes(-2)));
      const [claimed] = await store.claimDueReminders(new Date(minutes(-1.5)), 1, LEASE);
      expect(claimed?.person).toBe('T1:U2');
      await store.close();
      const again = await open();
      expect((await again.get('T1:U2')).reminder).toEqual(claimed?.reminder);
      expect((await again.claimDueReminders(NOW, 10, LEASE)).map((c) => c.person)).toEqual(['T1:U1']);
      // U2's lease from before the restart has run out; U1's, taken just now, holds for ten minutes more.
      expect((await again.claimDueReminders(new Date(minutes(9)), 10, LEASE)).map((c) => c.person)).toEqual([
        'T1:U2',
      ]);
    });
  });
});
