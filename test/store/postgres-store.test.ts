import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { PG_MIGRATE_LOCK_ID as MIGRATION_LOCK_ID } from 'node-pg-migrate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PersonData } from '../../src/model/records.js';
import { openPostgresStore, type PostgresStore } from '../../src/store/postgres/open.js';
import {
  NotSavedError,
  OutcomeUnknownError,
  StoreError,
  StoreUnavailableError,
} from '../../src/store/store.js';
import {
  AT,
  closedPort,
  createTestDatabase,
  PROJECT_ROOT,
  rate,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
  viaPort,
  withClient,
} from './helpers.js';

/**
 * What only the PostgreSQL store has to get right: several app instances on one database, the
 * schema's migrations, and a database that goes away and comes back. The Store contract itself is
 * in contract/.
 */

const FRAMEWORK = 'sa';

const stores: PostgresStore[] = [];
const databases: TestDatabase[] = [];
const proxies: TcpProxy[] = [];

async function open(url: string, options: Parameters<typeof openPostgresStore>[1] = {}) {
  const store = await openPostgresStore(url, options);
  stores.push(store);
  return store;
}

async function freshDatabase(label: string) {
  const database = await createTestDatabase(label);
  databases.push(database);
  return database;
}

async function proxy() {
  const started = await startTcpProxy();
  proxies.push(started);
  return started;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const started of proxies.splice(0)) await started.close();
});

afterAll(async () => {
  for (const database of databases.splice(0)) await database.drop();
});

function step(data: PersonData): number {
  const draft = data.drafts[FRAMEWORK] ?? {
    sessionId: 's1',
    frameworkId: FRAMEWORK,
    frameworkVersion: '1',
    levelId: 'senior',
    position: 0,
    status: 'rating' as const,
    startedAt: AT,
    updatedAt: AT,
  };
  draft.position += 1;
  data.drafts[FRAMEWORK] = draft;
  return draft.position;
}

/** A change that appends a finished assessment with this id (and takes one step). */
function finish(id: string) {
  return (data: PersonData): void => {
    step(data);
    data.history.push({
      id,
      frameworkId: FRAMEWORK,
      frameworkVersion: '1',
      roleName: 'Solutions Architect',
      domainName: 'E-commerce',
      levelId: 'senior',
      levelName: 'Senior',
      nextLevelName: null,
      finishedAt: AT,
      competencies: [],
    });
  };
}

/** The app's connections (by application name) to this database that wait for a lock, and what for. */
async function waitingForLock(url: string, applicationName: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ wait_event: string }>(
      `SELECT wait_event FROM pg_stat_activity
       WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'`,
      [applicationName],
    );
    return rows.map((row) => row.wait_event);
  });
}

async function appliedMigrations(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id');
    return rows.map((row) => row.name);
  });
}

async function migrationFiles(): Promise<string[]> {
  const files = await readdir(path.join(PROJECT_ROOT, 'src/store/migrations'));
  return files.map((file) => file.replace(/\.sql$/, '')).sort();
}

describe('PostgresStore: several app instances on one database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase('instances');
  });

  it('two instances (two pools) changing the same person at once never lose an update', async () => {
    const [a, b] = await Promise.all([
      open(database.url, { applicationName: 'instance-a' }),
      open(database.url, { applicationName: 'instance-b' }),
    ]);
    if (!a || !b) throw new Error('not opened');
    const person = 'T1:U1';
    await a.update(person, step);
    const ids = Array.from({ length: 200 }, (_, i) => [`a${i}`, `b${i}`]).flat();
    // The person's row is held when the changes come, so that both instances go the locked way
    // (the quick update skips a held row): PostgreSQL shows each of them waiting for it.
    const outcomes = await withClient(database.url, async (holder) => {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM people WHERE person_key = $1 FOR UPDATE', [person]);
      const changes = Promise.allSettled(
        ids.map((id) => (id.startsWith('a') ? a : b).update(person, finish(id))),
      );
      for (const instance of ['instance-a', 'instance-b'])
        await expect.poll(() => waitingForLock(database.url, instance)).not.toEqual([]);
      await holder.query('COMMIT');
      return changes;
    });

    // Every change confirmed is stored, once; none that was refused is. On a machine too busy to
    // serve 400 changes of one row in time, some wait too long for a connection and are refused
    // with "nothing was saved" (StoreUnavailableError): refused, never lost.
    const confirmed = ids.filter((_, i) => outcomes[i]?.status === 'fulfilled');
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') {
        expect(outcome.reason).toBeInstanceOf(StoreUnavailableError);
        expect(String(outcome.reason)).toMatch(/busy for too long/);
      }
    }
    expect(confirmed.length).toBeGreaterThan(0);
    for (const store of [a, b]) {
      const data = await store.get(person);
      expect(data.history.map((record) => record.id).sort()).toEqual([...confirmed].sort());
      // The first step, before the race, and one per change confirmed.
      expect(data.drafts[FRAMEWORK]?.position).toBe(confirmed.length + 1);
    }
    expect((await a.health()).writes + (await b.health()).writes).toBe(confirmed.length + 1);
  });

  it('when every connection is in use for too long, a change is refused as "busy", not as an outage, and the store stays healthy', async () => {
    const logged: string[] = [];
    const log = (line: unknown) => logged.push(String(line));
    const store = await open(database.url, {
      poolSize: 1,
      connectionTimeoutMillis: 300,
      applicationName: 'busy-pool',
      logger: { info: log, warn: log, error: log },
    });
    await store.update('T9:U1', step);
    await withClient(database.url, async (holder) => {
      // The pool's one connection waits for this row lock, so the next change waits for the connection.
      await holder.query('BEGIN');
      await holder.query("SELECT 1 FROM people WHERE person_key = 'T9:U1' FOR UPDATE");
      const holding = store.update('T9:U1', step);
      await expect.poll(() => waitingForLock(database.url, 'busy-pool')).toHaveLength(1);
      const refused = store.update('T9:U2', step);
      await expect(refused).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(refused).rejects.toThrow(/busy for too long.*Nothing was saved/);
      await holder.query('COMMIT');
      expect(await holding).toBe(2);
    });
    expect(logged.filter((line) => /connections .* were in use/.test(line))).toHaveLength(1);
    expect(logged.filter((line) => /Cannot reach/i.test(line))).toEqual([]);
    expect(await store.health()).toMatchObject({ ok: true });
    expect(await store.get('T9:U2')).toEqual({ ratings: {}, drafts: {}, history: [] });
    expect(await store.update('T9:U2', step)).toBe(1);
  });

  it('a read does not queue behind changes: with every connection for changes waiting, a person is still read at once', async () => {
    const store = await open(database.url, {
      poolSize: 1,
      connectionTimeoutMillis: 300,
      applicationName: 'busy-changes',
    });
    await store.update('T9:R1', step);
    await withClient(database.url, async (holder) => {
      await holder.query('BEGIN');
      await holder.query("SELECT 1 FROM people WHERE person_key = 'T9:R1' FOR UPDATE");
      const holding = store.update('T9:R1', step);
      await expect.poll(() => waitingForLock(database.url, 'busy-changes')).toHaveLength(1);
      // The one connection for changes waits for the lock: this change waits for the connection.
      const queued = store.update('T9:R2', step);
      // What a command's page needs (how far the person got) comes back though no change can start.
      expect((await store.get('T9:R1')).drafts[FRAMEWORK]?.position).toBe(1);
      expect(await store.get('T9:R2')).toEqual({ ratings: {}, drafts: {}, history: [] });
      await holder.query('COMMIT');
      expect(await holding).toBe(2);
      await queued.catch(() => undefined);
    });
  });

  it('what one instance has confirmed, the other reads at once', async () => {
    const [a, b] = await Promise.all([open(database.url), open(database.url)]);
    if (!a || !b) throw new Error('not opened');
    await a.update('T1:U2', rate(FRAMEWORK, 'c1', 5));
    expect((await b.get('T1:U2')).ratings[FRAMEWORK]?.c1?.value).toBe(5);
    expect(await b.forget('T1:U2')).toBe(1);
    expect(await a.get('T1:U2')).toEqual({ ratings: {}, drafts: {}, history: [] });
  });
});

describe('PostgresStore: the schema and its migrations', () => {
  it('several instances starting at once on an empty database: the schema is made once, all of them start', async () => {
    const database = await freshDatabase('migrate');
    const started = await Promise.all(Array.from({ length: 4 }, () => open(database.url)));
    expect(await appliedMigrations(database.url)).toEqual(await migrationFiles());
    await Promise.all(started.map((store, i) => store.update(`T1:U${i}`, step)));
    expect(await started[0]?.size()).toBe(4);
  });

  it('an instance waits while another holds the migration lock, then finds the schema as it should be', async () => {
    const database = await freshDatabase('migration_lock');
    await withClient(database.url, async (holder) => {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      const opening = [
        open(database.url, { applicationName: 'waits-for-migrations' }),
        open(database.url, { applicationName: 'waits-for-migrations' }),
      ];
      await expect
        .poll(() => waitingForLock(database.url, 'waits-for-migrations'))
        .toEqual(['advisory', 'advisory']);
      const { rows } = await holder.query("SELECT to_regclass('people') AS people");
      expect(rows[0]?.people).toBeNull();

      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
      const [first, second] = await Promise.all(opening);
      await first?.update('T1:U1', step);
      expect((await second?.get('T1:U1'))?.drafts[FRAMEWORK]?.position).toBe(1);
    });
    expect(await appliedMigrations(database.url)).toEqual(await migrationFiles());
  });

  it('a database whose schema is newer than this version knows: refuses to start, and says why', async () => {
    const database = await freshDatabase('newer');
    await (await openPostgresStore(database.url)).close();
    await withClient(database.url, (client) =>
      client.query("INSERT INTO pgmigrations (name, run_on) VALUES ('9000_from_a_newer_version', now())"),
    );
    const refused = openPostgresStore(database.url);
    await expect(refused).rejects.toBeInstanceOf(StoreError);
    await expect(refused).rejects.toThrow(/newer version of the app.*9000_from_a_newer_version/s);
  });
});

describe('PostgresStore: a database that cannot be reached at start', () => {
  it('refuses to start with a StoreError that names the database, never its password', async () => {
    const url = viaPort('postgres://postgres:not-this-secret@127.0.0.1:5432/competency', await closedPort());
    const refused = openPostgresStore(url, { connectionTimeoutMillis: 2000 });
    await expect(refused).rejects.toBeInstanceOf(StoreError);
    const error = (await refused.catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/cannot reach the PostgreSQL database/i);
    expect(error.message).toContain(`127.0.0.1:${new URL(url).port}/competency`);
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).not.toContain('not-this-secret');
  });

  it('refuses to start when the database does not exist, and says so', async () => {
    const url = new URL((await freshDatabase('exists')).url);
    url.pathname = '/competency_no_such_database';
    await expect(openPostgresStore(url.href)).rejects.toThrow(
      /database "competency_no_such_database" does not exist/,
    );
  });

  it('shows where the data lives without the password', async () => {
    const database = await freshDatabase('location');
    const url = new URL(database.url);
    url.password = 'not-this-secret';
    const store = await open(url.href);
    expect(store.location).toBe(`postgres://${url.username}@${url.host}/${database.name}`);
  });
});

describe('PostgresStore: the database goes away and comes back', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase('outage');
  });

  const quickly = { connectionTimeoutMillis: 1000, queryTimeoutMillis: 2000 };

  it('while cut off: reads and writes reject with StoreUnavailableError, health says so; then it recovers by itself', async () => {
    const link = await proxy();
    const logged: string[] = [];
    const logger = {
      info: (...a: unknown[]) => logged.push(`info ${a.join(' ')}`),
      warn: (...a: unknown[]) => logged.push(`warn ${a.join(' ')}`),
      error: (...a: unknown[]) => logged.push(`error ${a.join(' ')}`),
    };
    const store = await open(viaPort(database.url, link.port), { ...quickly, logger });
    // Several connections in the pool, all of them cut at once.
    await Promise.all(Array.from({ length: 5 }, (_, i) => store.update(`T1:U${i}`, step)));

    await link.cut();
    await expect(store.update('T1:U1', step)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.update('T1:U9', step)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.get('T1:U1')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.forget('T1:U2')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.size()).rejects.toBeInstanceOf(StoreUnavailableError);
    const down = await store.health();
    expect(down).toMatchObject({ kind: 'postgres', ok: false, writes: 5 });
    expect(down.problem).toMatch(/cannot reach/i);
    expect(logged.filter((line) => /cannot reach/i.test(line))).toHaveLength(1);

    await link.restore();
    expect(await store.update('T1:U1', step)).toBe(2);
    expect((await store.get('T1:U9')).drafts).toEqual({});
    expect(await store.size()).toBe(5);
    expect(await store.health()).toMatchObject({ ok: true, people: 5, writes: 6 });
    expect(logged.filter((line) => /reachable again/i.test(line))).toHaveLength(1);
  });

  it('an update cut off while it waits for a row lock is not saved', async () => {
    const link = await proxy();
    const store = await open(viaPort(database.url, link.port), {
      ...quickly,
      applicationName: 'cut-while-waiting',
    });
    await store.update('T2:U1', step);
    await withClient(database.url, async (holder) => {
      await holder.query('BEGIN');
      await holder.query("SELECT 1 FROM people WHERE person_key = 'T2:U1' FOR UPDATE");
      const waiting = store.update('T2:U1', step);
      await expect.poll(() => waitingForLock(database.url, 'cut-while-waiting')).toHaveLength(1);
      await link.cut();
      await expect(waiting).rejects.toBeInstanceOf(StoreUnavailableError);
      await holder.query('COMMIT');
    });
    await link.restore();
    expect((await store.get('T2:U1')).drafts[FRAMEWORK]?.position).toBe(1);
    expect(await store.update('T2:U1', step)).toBe(2);
  });

  it('a write whose connection is lost while the database carries it out: "may or may not have been saved" (and here it was)', async () => {
    const link = await proxy();
    const store = await open(viaPort(database.url, link.port), {
      ...quickly,
      applicationName: 'cut-while-writing',
    });
    await store.update('T2:slow', step);
    // From now on, a write of this person waits on the server, inside the statement, for an
    // advisory lock the test holds: the write is under way for as long as the test says.
    const HELD = 4242;
    await withClient(database.url, (client) =>
      client.query(`
        CREATE FUNCTION test_slow() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.person_key = 'T2:slow' THEN
            PERFORM pg_advisory_lock(${HELD});
            PERFORM pg_advisory_unlock(${HELD});
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER test_slow BEFORE UPDATE ON people FOR EACH ROW EXECUTE FUNCTION test_slow();`),
    );
    try {
      await withClient(database.url, async (holder) => {
        await holder.query('SELECT pg_advisory_lock($1)', [HELD]);
        const writing = store.update('T2:slow', step);
        await expect.poll(() => waitingForLock(database.url, 'cut-while-writing')).toEqual(['advisory']);
        await link.cut();
        await expect(writing).rejects.toBeInstanceOf(OutcomeUnknownError);
        await holder.query('SELECT pg_advisory_unlock($1)', [HELD]);
      });
      await link.restore();
      // The server finished the statement after the app stopped listening: the change was saved.
      await expect.poll(async () => (await store.get('T2:slow')).drafts[FRAMEWORK]?.position).toBe(2);
    } finally {
      await withClient(database.url, (client) =>
        client.query('DROP TRIGGER test_slow ON people; DROP FUNCTION test_slow();'),
      );
    }
  });

  it('a link that stops carrying anything: StoreUnavailableError after the timeouts, and back to work when it carries again', async () => {
    const link = await proxy();
    const store = await open(viaPort(database.url, link.port), quickly);
    await store.update('T3:U1', step);

    link.freeze();
    await expect(store.update('T3:U1', step)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.get('T3:U1')).rejects.toBeInstanceOf(StoreUnavailableError);
    expect((await store.health()).ok).toBe(false);

    link.thaw();
    expect(await store.update('T3:U1', step)).toBe(2);
    expect((await store.health()).ok).toBe(true);
  });
});

describe('PostgresStore: conflicts and ended connections', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase('conflicts');
    await (await openPostgresStore(database.url)).close();
    // Makes the next `failures` writes of people fail as a serialization failure would. A sequence
    // counts the writes, since a failed transaction undoes everything else it did.
    await withClient(database.url, (client) =>
      client.query(`
        CREATE TABLE test_failures (failures int NOT NULL);
        INSERT INTO test_failures VALUES (0);
        CREATE SEQUENCE test_writes;
        CREATE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF nextval('test_writes') <= (SELECT failures FROM test_failures) THEN
            RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER test_fail BEFORE UPDATE ON people FOR EACH ROW EXECUTE FUNCTION test_fail();`),
    );
  });
  const failNext = (failures: number) =>
    withClient(database.url, async (client) => {
      await client.query('ALTER SEQUENCE test_writes RESTART');
      await client.query('UPDATE test_failures SET failures = $1', [failures]);
    });
  afterEach(() => failNext(0));

  it('a serialization failure is tried again inside the store: the change lands once', async () => {
    const store = await open(database.url);
    await store.update('T5:U1', step);
    await failNext(3);
    expect(await store.update('T5:U1', step)).toBe(2);
    expect((await store.get('T5:U1')).drafts[FRAMEWORK]?.position).toBe(2);
  });

  it('one that keeps failing: StoreUnavailableError, and nothing saved', async () => {
    const store = await open(database.url);
    await store.update('T5:U2', step);
    await failNext(100);
    await expect(store.update('T5:U2', step)).rejects.toBeInstanceOf(StoreUnavailableError);
    await failNext(0);
    expect((await store.get('T5:U2')).drafts[FRAMEWORK]?.position).toBe(1);
  });

  it('a connection ended by the server (57P01, as in a restart) while it waits: StoreUnavailableError, then work goes on', async () => {
    const store = await open(database.url, { applicationName: 'ended-by-admin' });
    await store.update('T5:U3', step);
    await withClient(database.url, async (holder) => {
      await holder.query('BEGIN');
      await holder.query("SELECT 1 FROM people WHERE person_key = 'T5:U3' FOR UPDATE");
      const waiting = store.update('T5:U3', step);
      await expect.poll(() => waitingForLock(database.url, 'ended-by-admin')).toHaveLength(1);
      await holder.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'ended-by-admin' AND wait_event_type = 'Lock'`,
      );
      const error = await waiting.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).cause).toMatchObject({ code: '57P01' });
      await holder.query('COMMIT');
    });
    expect(await store.update('T5:U3', step)).toBe(2);
  });
});

describe('PostgresStore: closing', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase('closing');
  });

  it('close lets the updates in flight finish, then refuses new ones', async () => {
    const store = await open(database.url);
    const updates = Array.from({ length: 20 }, (_, i) => store.update(`T1:U${i}`, step));
    const closing = store.close();
    await expect(Promise.all(updates)).resolves.toEqual(Array.from({ length: 20 }, () => 1));
    await closing;
    await expect(store.update('T1:U0', step)).rejects.toBeInstanceOf(NotSavedError);
    expect((await store.health()).ok).toBe(false);

    const again = await open(database.url);
    expect(await again.size()).toBe(20);
  });
});
