import { readdirSync } from 'node:fs';
import path from 'node:path';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PersonData } from '../../src/model/records.js';
import {
  claimIfDue,
  completeReminder,
  effectiveDueAt,
  type ReminderInput,
  setReminder,
  stopReminder,
} from '../../src/model/reminders.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/open.js';
import { createTestDatabase, PROJECT_ROOT, rate, type TestDatabase, withClient } from './helpers.js';

/**
 * Check-in reminders on PostgreSQL: the `reminder_due` column (migration 0003) says when each
 * person's reminder is due, and must equal effectiveDueAt(data.reminder) after every write, or the
 * claim would miss reminders or send them early.
 */

const SET_AT = new Date('2026-02-20T12:00:00Z');
const DUE = new Date('2026-03-20T10:00:00Z');
const input = (userId: string): ReminderInput => ({
  cadence: 'monthly',
  frameworkId: 'fw',
  levelId: 'senior',
  userId,
  teamId: 'T1',
  timeZone: 'Europe/London',
});

let database: TestDatabase;
const stores: PostgresStore[] = [];
const open = async (url = database.url) => {
  const store = await openPostgresStore(url);
  stores.push(store);
  return store;
};

beforeAll(async () => {
  database = await createTestDatabase('reminders');
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await withClient(database.url, (client) => client.query('TRUNCATE people'));
});
afterAll(async () => {
  await database.drop();
});

type Row = { person_key: string; reminder_due: Date | null; data: PersonData };

async function rows(url = database.url): Promise<Row[]> {
  return withClient(url, async (client) => {
    const found = await client.query<Row>(
      'SELECT person_key, reminder_due, data FROM people ORDER BY person_key',
    );
    return found.rows;
  });
}

/** The statements of the connections that wait for a lock the connection `pid` holds. */
async function waitingFor(pid: number): Promise<string[]> {
  return withClient(database.url, async (client) => {
    const found = await client.query<{ query: string }>(
      `SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND $1 = ANY(pg_blocking_pids(pid))`,
      [pid],
    );
    return found.rows.map((row) => row.query.replace(/\s+/g, ' ').trim());
  });
}

/** Every row's `reminder_due` is what its data says. */
async function expectColumnMatchesData(url = database.url): Promise<void> {
  for (const row of await rows(url)) {
    const expected = row.data.reminder === undefined ? null : effectiveDueAt(row.data.reminder);
    expect(row.reminder_due?.toISOString() ?? null, row.person_key).toBe(expected);
  }
}

describe('PostgresStore: reminder_due', () => {
  it('follows the data on every write: new person, change, claim, completion, stop, forget', async () => {
    const store = await open();
    await store.update('T1:U1', (d) => setReminder(d, input('U1'), SET_AT)); // insert
    await store.update('T1:U2', rate('fw', 'c1', 3)); // insert, no reminder
    await expectColumnMatchesData();
    expect((await rows()).map((r) => r.reminder_due?.toISOString() ?? null)).toEqual([
      DUE.toISOString(),
      null,
    ]);

    await store.update('T1:U2', (d) => setReminder(d, input('U2'), SET_AT)); // update
    await store.update('T1:U1', rate('fw', 'c1', 4)); // update that leaves the reminder alone
    await expectColumnMatchesData();

    const claimed = await store.claimDueReminders(DUE, 1, 60_000);
    expect(claimed).toHaveLength(1);
    await expectColumnMatchesData();
    const [first] = await rows();
    expect(first?.reminder_due?.toISOString()).toBe(new Date(DUE.getTime() + 60_000).toISOString());

    const id = claimed[0]?.reminder.claim?.id ?? '';
    await store.update('T1:U1', (d) => completeReminder(d, id, DUE));
    await expectColumnMatchesData();
    expect((await rows())[0]?.reminder_due?.toISOString()).toBe('2026-04-20T09:00:00.000Z');

    await store.update('T1:U2', (d) => stopReminder(d));
    await expectColumnMatchesData();
    expect((await rows())[1]?.reminder_due).toBeNull();
    await store.forget('T1:U1');
    expect(await store.claimDueReminders(new Date('2030-01-01T00:00:00Z'), 10, 1000)).toEqual([]);
  });

  it('follows the data when the update has to wait for the row (the locked fallback)', async () => {
    const store = await open();
    await store.update('T1:U1', rate('fw', 'c1', 3));
    // Someone else holds the row: the quick update skips it, the locked one waits, then writes.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      const { rows: me } = await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await holder.query('BEGIN');
      await holder.query("SELECT 1 FROM people WHERE person_key = 'T1:U1' FOR UPDATE");
      const updating = store.update('T1:U1', (d) => setReminder(d, input('U1'), SET_AT));
      // PostgreSQL shows the store waiting for the row the holder has locked, in the locked read
      // (the quick update skips a locked row rather than wait for it).
      await expect.poll(() => waitingFor(me[0]?.pid ?? 0)).toEqual([expect.stringMatching(/ FOR UPDATE$/)]);
      expect((await rows())[0]?.reminder_due).toBeNull();
      await holder.query('COMMIT');
      await updating;
    } finally {
      await holder.end();
    }
    await expectColumnMatchesData();
    expect((await rows())[0]?.reminder_due?.toISOString()).toBe(DUE.toISOString());
  });

  it('follows the data under many concurrent changes from two instances', async () => {
    const [a, b] = [await open(), await open()];
    const changes = Array.from({ length: 40 }, (_, i) =>
      (i % 2 === 0 ? a : b).update(`T1:U${i % 4}`, (d) => {
        if (i % 3 === 0) stopReminder(d);
        else
          setReminder(d, { ...input(`U${i % 4}`), cadence: i % 3 === 1 ? 'monthly' : 'quarterly' }, SET_AT);
        claimIfDue(d, new Date('2027-01-01T00:00:00Z'), i * 1000, `c${i}`);
      }),
    );
    await Promise.all(changes);
    await expectColumnMatchesData();
  });

  it('a row whose column is out of step with its data, or whose data is damaged, never blocks the queue', async () => {
    const store = await open();
    for (const user of ['U1', 'U2', 'U3'])
      await store.update(`T1:${user}`, (d) => setReminder(d, input(user), SET_AT));
    // Written by hand, not by the store: U1's column says due long ago but its data has no reminder;
    // U2's document has a reminder the format refuses.
    await withClient(database.url, async (client) => {
      await client.query(
        `UPDATE people SET data = '{"ratings":{},"drafts":{},"history":[]}', reminder_due = '2020-01-01Z'
         WHERE person_key = 'T1:U1'`,
      );
      await client.query(
        `UPDATE people SET data = json_build_object('ratings', '{}'::json, 'drafts', '{}'::json, 'history', '[]'::json,
           'reminder', json_build_object('cadence', 'weekly')), reminder_due = '2020-01-02Z'
         WHERE person_key = 'T1:U2'`,
      );
    });
    const error = vi.fn();
    const logged = await openPostgresStore(database.url, {
      logger: { info: () => {}, warn: () => {}, error },
    });
    stores.push(logged);
    // One at a time: each comes out of the queue, and then the next is reached.
    expect((await logged.claimDueReminders(DUE, 1, 60_000)).map((c) => c.person)).toEqual([]);
    expect(error).not.toHaveBeenCalled();
    expect((await logged.claimDueReminders(DUE, 1, 60_000)).map((c) => c.person)).toEqual([]);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/T1:U2.*reminder\.cadence/));
    expect((await logged.claimDueReminders(DUE, 1, 60_000)).map((c) => c.person)).toEqual(['T1:U3']);
    const [u1, u2] = await rows();
    expect(u1?.reminder_due).toBeNull();
    expect(u2?.reminder_due).toBeNull();
    expect(u2?.data.reminder).toEqual({ cadence: 'weekly' });
  });

  it('has a partial index for the claim, used to find what is due', async () => {
    const { indexdef } = await withClient(database.url, async (client) => {
      const found = await client.query<{ indexdef: string }>(
        "SELECT indexdef FROM pg_indexes WHERE tablename = 'people' AND indexname = 'people_reminder_due'",
      );
      return found.rows[0] ?? { indexdef: '' };
    });
    expect(indexdef).toMatch(/\(reminder_due\) WHERE \(reminder_due IS NOT NULL\)/);
  });
});

describe('migration 0003_reminders', () => {
  it('fills reminder_due for reminders already in the data', async () => {
    const migrated = await createTestDatabase('reminders_migration');
    try {
      await (await openPostgresStore(migrated.url)).close();
      // Back to the schema before reminders, with people whose documents already hold one.
      await withClient(migrated.url, async (client) => {
        await runner({
          dbClient: client,
          dir: path.join(PROJECT_ROOT, 'src/store/migrations'),
          migrationsTable: 'pgmigrations',
          direction: 'down',
          // Every migration from 0003 on (later ones came after reminders), however many there are now.
          count: readdirSync(path.join(PROJECT_ROOT, 'src/store/migrations')).filter((f) => f >= '0003')
            .length,
          singleTransaction: true,
          logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
        });
        const withReminder = { ratings: {}, drafts: {}, history: [] } as PersonData;
        setReminder(withReminder, input('U1'), SET_AT);
        const claimed = structuredClone(withReminder);
        claimIfDue(claimed, DUE, 60_000, 'c1');
        await client.query('INSERT INTO people (person_key, data) VALUES ($1, $2), ($3, $4), ($5, $6)', [
          'T1:U1',
          JSON.stringify(withReminder),
          'T1:U2',
          JSON.stringify(claimed),
          'T1:U3',
          JSON.stringify({ ratings: {}, drafts: {}, history: [] }),
        ]);
      });
      const store = await open(migrated.url);
      await expectColumnMatchesData(migrated.url);
      expect((await rows(migrated.url)).map((r) => r.reminder_due?.toISOString() ?? null)).toEqual([
        DUE.toISOString(),
        new Date(DUE.getTime() + 60_000).toISOString(),
        null,
      ]);
      expect((await store.claimDueReminders(DUE, 10, 1000)).map((c) => c.person)).toEqual(['T1:U1']);
    } finally {
      for (const store of stores.splice(0)) await store.close();
      await migrated.drop();
    }
  });
});
