import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PersonKey } from '../../src/model/person.js';
import { completeReminder, type ReminderInput, setReminder } from '../../src/model/reminders.js';
import { ManualClock, ReminderScheduler, type ReminderSender } from '../../src/reminders/scheduler.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/open.js';
import type { StoreLogger } from '../../src/store/store.js';
import { createTestDatabase, type TestDatabase, withClient } from '../store/helpers.js';

/**
 * Several app instances on one PostgreSQL database, each with its own pool and its own scheduler:
 * every due reminder is sent once, and one an instance claimed and never finished is sent by another
 * once the claim's lease runs out.
 */

const silent: StoreLogger = { info: () => {}, warn: () => {}, error: () => {} };
const SET_AT = new Date('2026-02-20T12:00:00Z');
const DUE = new Date('2026-03-20T10:00:00Z');

const input = (person: PersonKey): ReminderInput => {
  const [teamId = 'T1', userId = 'U1'] = person.split(':');
  return {
    cadence: 'monthly',
    frameworkId: 'fw',
    levelId: 'senior',
    userId,
    teamId,
    timeZone: 'Europe/London',
  };
};

let database: TestDatabase;
const stores: PostgresStore[] = [];
const open = async () => {
  const store = await openPostgresStore(database.url, { poolSize: 4 });
  stores.push(store);
  return store;
};

beforeAll(async () => {
  database = await createTestDatabase('reminder_instances');
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await withClient(database.url, (client) => client.query('TRUNCATE people'));
});
afterAll(async () => {
  await database.drop();
});

/** A sender that counts, per person, how many times it was asked to send; it answers after a moment. */
function counting(
  sends: Map<PersonKey, number>,
  who: string,
  byInstance: Map<string, number>,
): ReminderSender {
  return async (person) => {
    sends.set(person, (sends.get(person) ?? 0) + 1);
    byInstance.set(who, (byInstance.get(who) ?? 0) + 1);
    await new Promise((resolve) => setImmediate(resolve));
    return { kind: 'sent' };
  };
}

describe('ReminderScheduler on PostgreSQL, two instances', () => {
  it('200 due reminders, two stores and two schedulers running at once: each person sent exactly once', async () => {
    const setup = await open();
    const people = Array.from({ length: 200 }, (_, i) => `T${i % 8}:U${i}`);
    for (let i = 0; i < people.length; i += 20)
      await Promise.all(
        people.slice(i, i + 20).map((p) => setup.update(p, (d) => setReminder(d, input(p), SET_AT))),
      );

    const [a, b] = [await open(), await open()];
    const sends = new Map<PersonKey, number>();
    const byInstance = new Map<string, number>();
    const schedulers = [
      new ReminderScheduler({
        store: a,
        send: counting(sends, 'a', byInstance),
        logger: silent,
        clock: new ManualClock(DUE),
        batchSize: 10,
        perWorkspaceGapMs: 1100,
      }),
      new ReminderScheduler({
        store: b,
        send: counting(sends, 'b', byInstance),
        logger: silent,
        clock: new ManualClock(DUE),
        batchSize: 10,
        perWorkspaceGapMs: 1100,
      }),
    ];
    const results = await Promise.all(schedulers.map((s) => s.runOnce()));
    expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(200);
    expect(results.every((r) => r.retried === 0 && r.stopped === 0)).toBe(true);
    expect(sends.size).toBe(200);
    expect([...sends.values()].every((n) => n === 1)).toBe(true);
    // Both took part (their claims interleave, batch by batch).
    expect(byInstance.get('a')).toBeGreaterThan(0);
    expect(byInstance.get('b')).toBeGreaterThan(0);

    // All done: neither sends anything again, and each person's next one is in April.
    const again = await Promise.all(schedulers.map((s) => s.runOnce()));
    expect(again.every((r) => r.sent === 0)).toBe(true);
    for (const p of ['T0:U0', 'T7:U199']) {
      // Sent on 20 March (paced, so a little after 10:00): next on Monday 20 April, 10:00 BST.
      const reminder = (await a.get(p)).reminder;
      expect(reminder?.lastSentAt?.slice(0, 10)).toBe('2026-03-20');
      expect(reminder?.dueAt).toBe('2026-04-20T09:00:00.000Z');
    }
  });

  it('a claim its instance never finished (it died) is sent by another once the lease runs out, once', async () => {
    const setup = await open();
    for (const p of ['T1:U1', 'T1:U2', 'T2:U3'])
      await setup.update(p, (d) => setReminder(d, input(p), SET_AT));

    // Instance A claims two and dies before sending them.
    const dead = await open();
    const lease = 5 * 60_000;
    const claimedByDead = await dead.claimDueReminders(DUE, 2, lease);
    expect(claimedByDead).toHaveLength(2);
    await dead.close();

    const b = await open();
    const clock = new ManualClock(DUE);
    const sends = new Map<PersonKey, number>();
    const scheduler = new ReminderScheduler({
      store: b,
      send: counting(sends, 'b', new Map()),
      logger: silent,
      clock,
      leaseMs: lease,
    });
    expect(await scheduler.runOnce()).toMatchObject({ sent: 1 });
    clock.set(new Date(DUE.getTime() + lease - 1));
    expect(await scheduler.runOnce()).toMatchObject({ sent: 0 });
    clock.set(new Date(DUE.getTime() + lease));
    expect(await scheduler.runOnce()).toMatchObject({ sent: 2 });
    expect([...sends.entries()].sort()).toEqual([
      ['T1:U1', 1],
      ['T1:U2', 1],
      ['T2:U3', 1],
    ]);

    // Had A come back to finish, its stale claims would change nothing.
    const revived = await open();
    for (const { person, reminder } of claimedByDead) {
      const id = reminder.claim?.id ?? '';
      expect(await revived.update(person, (d) => completeReminder(d, id, DUE))).toBe(false);
    }
    expect(await scheduler.runOnce()).toMatchObject({ sent: 0 });
  });

  it('survives a restart: new stores and a new scheduler on the same database send what is due', async () => {
    const first = await open();
    for (const p of ['T1:U1', 'T1:U2']) await first.update(p, (d) => setReminder(d, input(p), SET_AT));
    await first.close();

    const second = await open();
    const sends = new Map<PersonKey, number>();
    const scheduler = new ReminderScheduler({
      store: second,
      send: counting(sends, 'x', new Map()),
      logger: silent,
      clock: new ManualClock(DUE),
    });
    expect(await scheduler.runOnce()).toEqual({ sent: 2, retried: 0, stopped: 0 });
    expect(sends.size).toBe(2);
  });
});
