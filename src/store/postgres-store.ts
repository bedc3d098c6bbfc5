import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { orgOfPerson, type PersonKey, userOfPerson } from '../model/person.js';
import { isReached, reachedBy, withoutReviewsOf } from '../model/reach.js';
import {
  type AssessmentRecord,
  type ClaimedReminder,
  countRecords,
  emptyPerson,
  type InstallationRecord,
  type KeptTeamView,
  type PersonData,
  type ReminderSetting,
  type TeamViewScope,
} from '../model/records.js';
import { claimIfDue, effectiveDueAt } from '../model/reminders.js';
import { anonymise } from '../model/team-views.js';
import { deletedMeanwhile } from './deletion-marks.js';
import { applyChange, teamViewsProblems } from './schema.js';
import {
  DELETION_MEMORY_MS,
  InvalidPersonDataError,
  NotSavedError,
  OutcomeUnknownError,
  type Store,
  StoreError,
  type StoreHealth,
  type StoreLogger,
  StoreUnavailableError,
  type UninstallResult,
  type UninstallTarget,
  type UpdateOptions,
} from './store.js';

/**
 * The Store on PostgreSQL, for several app instances behind a load balancer (DATABASE_URL).
 *
 * Data model: one JSON document per person (table `people`: person_key, data json, version), chosen
 * over normalised tables (people, ratings, drafts, assessments, assessed competencies) by
 * bench/store-model.ts (`npx tsx bench/store-model.ts`), which runs both, and jsonb, side by side on
 * one server: 100,000 people with 8 ratings, a draft and 3 finished assessments each (6 kB of JSON),
 * a pool of 10, 2 cores shared with the client (1 December 2026; an earlier run ranked them the same):
 *
 *                       rating click p50/p99   get p50/p99    1,000 clicks at once   tables
 *   document, json      1.11 / 3.2 ms          0.25 / 0.7 ms  432 ms                 122 MB
 *   document, jsonb     1.44 / 5.8 ms          0.24 / 0.5 ms  466 ms                 169 MB
 *   normalised          2.26 / 4.7 ms          0.75 / 1.0 ms  965 ms                 940 MB
 *   this store (json)   1.10 / 4.8 ms          0.29 / 0.4 ms  458 ms                 122 MB
 *
 * A change reads and writes one row whatever it touches, where the normalised tables need a statement
 * per kind of record and take nearly eight times the space (a row and index entry per rating and per assessed
 * competency). json rather than jsonb: as fast or faster, a quarter smaller, and it gives back exactly what was
 * written, as the file store does — keys in their order (drafts are listed in it) and any character
 * (jsonb refuses U+0000). Questions across people (a team's aggregates, later) can read it with
 * PostgreSQL's json functions, or get a table of their own.
 *
 * Consistency: `update` reads the person's row with its version, applies the change, and writes it
 * back only if the version is still the one read (one statement, which commits on its own); for
 * someone new, it inserts the row only if nobody made it meanwhile. That is two round trips to the
 * database for a click, where a transaction takes four. When someone else changed the person in
 * between, nothing was written, and the update runs again in a transaction that locks the person's
 * row (SELECT … FOR UPDATE; for someone new, an empty row is inserted first and locked, and rolled
 * back if nothing is written), so two instances changing the same person take turns and never lose
 * an update, and a person whose clicks keep colliding still gets through at the second try. A
 * serialization failure or deadlock is tried again a few times inside the store, so `change` may
 * run more than once: it must only change its copy and return a value, as the Store contract has it.
 *
 * Check-in reminders live in the person's document like everything else; the column `reminder_due`
 * (migration 0003) repeats when each is due (effectiveDueAt: the later of its due time and a claim's
 * end; NULL without one), written by every statement that writes `data`, so that what is due is found
 * by a partial index and claimed with `FOR UPDATE SKIP LOCKED`: instances never claim the same one.
 *
 * The schema is made and upgraded by the SQL files in migrations/, run by node-pg-migrate at start
 * under its advisory lock: when several instances start at once, one migrates and the others wait,
 * then find the schema current. A database migrated by a newer version of the app is refused.
 *
 * A database that cannot be reached makes every call reject with StoreUnavailableError (the person
 * is told to try again in a minute); the pool drops broken connections and makes new ones when the
 * database is back, so the store recovers by itself.
 */

export type PostgresStoreOptions = {
  logger?: StoreLogger;
  /** Shown in pg_stat_activity, so an operator can tell the app's connections apart. */
  applicationName?: string;
  /** Connections in the pool (10). */
  poolSize?: number;
  /** How long to wait for a connection, new or from the pool, before answering "unavailable" (5 s). */
  connectionTimeoutMillis?: number;
  /** How long one statement may take, on the server and on the wire, before it is given up (10 s). */
  queryTimeoutMillis?: number;
};

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
const MIGRATIONS_TABLE = 'pgmigrations';
const ATTEMPTS = 5;
/** How many people one query of `sharedAssessments` asks for (a channel of thousands takes a few). */
const SHARED_BATCH = 1_000;

/**
 * The assessments each person included in team views, picked out by PostgreSQL from their JSON
 * document (in the order of their history), so that nothing else of theirs crosses the wire; people
 * with none are left out. The primary key finds the rows of `= ANY($1)`.
 */
const SELECT_SHARED = `
  SELECT person_key, shared FROM (
    SELECT person_key,
      (SELECT json_agg(record ORDER BY position)
         FROM json_array_elements(data -> 'history') WITH ORDINALITY AS h(record, position)
        WHERE record ->> 'inTeamViews' = 'true') AS shared
    FROM people WHERE person_key = ANY($1::text[])
  ) AS found
  WHERE shared IS NOT NULL`;

const silent: StoreLogger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Connects, brings the schema up to date, and opens the store. Rejects with a StoreError an operator
 * can act on when the database cannot be reached or used, or was migrated by a newer version.
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const location = describeDatabaseUrl(url);
  const logger = options.logger ?? silent;
  const applicationName = options.applicationName ?? 'competency-bot';
  const connectionTimeoutMillis = options.connectionTimeoutMillis ?? 5_000;
  const queryTimeoutMillis = options.queryTimeoutMillis ?? 10_000;

  await migrate(url, location, { applicationName, connectionTimeoutMillis, logger });

  const pool = new pg.Pool({
    connectionString: url,
    application_name: applicationName,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis,
    // The server cancels a statement that runs too long; the client gives up a little later still,
    // for a link that carries nothing at all.
    statement_timeout: queryTimeoutMillis,
    query_timeout: queryTimeoutMillis + 1_000,
    idle_in_transaction_session_timeout: queryTimeoutMillis * 2,
    keepAlive: true,
  });
  return new PostgresStore(pool, location, logger);
}

/** `postgres://user@host:port/database`: where the data is, without the password or parameters. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username === '' ? '' : `${parsed.username}@`;
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL is not a URL, so it is not shown)';
  }
}

async function migrate(
  url: string,
  location: string,
  settings: { applicationName: string; connectionTimeoutMillis: number; logger: StoreLogger },
): Promise<void> {
  // A connection of its own, without the pool's statement timeout: waiting for another instance's
  // migrations may take a while.
  const client = new pg.Client({
    connectionString: url,
    application_name: settings.applicationName,
    connectionTimeoutMillis: settings.connectionTimeoutMillis,
  });
  client.on('error', (error) =>
    settings.logger.warn(`Lost the connection that migrates ${location}:`, error),
  );
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw cannotStart(error, location);
  }
  try {
    // Loaded here, so that an app on the file store never loads the migration tool.
    const { runner } = await import('node-pg-migrate');
    const applied = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: 'up',
      singleTransaction: true,
      // Waits for the instance that holds the lock to finish, then finds nothing left to do.
      advisoryLockMode: 'wait',
      logger: { debug: () => {}, info: () => {}, warn: settings.logger.warn, error: () => {} },
    }).catch((error: unknown) => {
      throw cannotStart(error, location, 'Could not bring its schema up to date');
    });
    for (const migration of applied) settings.logger.info(`Migrated ${location}: ${migration.name}`);

    const known = (await readdir(MIGRATIONS_DIR)).map((file) => file.replace(/\.[^.]+$/, ''));
    const { rows } = await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`);
    const unknown = rows.map((row) => row.name).filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw new StoreError(
        `The PostgreSQL database at ${location} was upgraded by a newer version of the app ` +
          `(migrations this version does not know: ${unknown.join(', ')}). Run that version or a later one; ` +
          'this one would misread the data.',
      );
    }
  } catch (error) {
    throw error instanceof StoreError ? error : cannotStart(error, location);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The StoreError that stops the start, in words an operator can act on. */
function cannotStart(error: unknown, location: string, what?: string): StoreError {
  const reason = reasonOf(error);
  const code = error instanceof pg.DatabaseError ? (error.code ?? '') : '';
  let message: string;
  if (code === '3D000') {
    message = `Cannot use the PostgreSQL database at ${location}: ${reason}. Create it, or correct DATABASE_URL.`;
  } else if (code.startsWith('28')) {
    message = `PostgreSQL at ${location} refused the login (${reason}): check the user and password in DATABASE_URL.`;
  } else if (what === undefined || isUnavailable(error)) {
    message =
      `Cannot reach the PostgreSQL database at ${location} (${reason}). Check DATABASE_URL, and that the ` +
      'server is running and reachable from here, then start the app again.';
  } else {
    message = `${what} at ${location}: ${reason}. Nothing was changed by this start.`;
  }
  return new StoreError(message, { cause: error });
}

/** Thrown inside a transaction to carry what `change` threw past the store's own error handling. */
class ChangeThrew {
  constructor(readonly thrown: unknown) {}
}

/** Use openPostgresStore. */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  private writes = 0;
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | null = null;
  /** Why the database could not be reached last time, until it can be again. */
  private down: string | null = null;
  /** A change gave up waiting for a free connection, and none has got one since (logged once). */
  private busy = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
    private readonly logger: StoreLogger,
  ) {
    // A connection resting in the pool that the server or the network closes: the pool drops it
    // and makes a new one when needed. Without this listener the error would end the process.
    pool.on('error', (error) => {
      logger.warn(`A resting connection to ${location} closed: ${reasonOf(error)}`);
    });
  }

  get(person: PersonKey): Promise<Readonly<PersonData>> {
    return this.run('read', async () => {
      const { rows } = await this.pool.query<{ data: PersonData }>(
        'SELECT data FROM people WHERE person_key = $1',
        [person],
      );
      return rows[0]?.data ?? emptyPerson();
    });
  }

  sharedAssessments(persons: readonly PersonKey[]): Promise<Map<PersonKey, Readonly<AssessmentRecord>[]>> {
    return this.run('read', async () => {
      const keys = [...new Set(persons)];
      const shared = new Map<PersonKey, Readonly<AssessmentRecord>[]>();
      // One batch after the other: a large channel does not take every connection of the pool.
      for (let start = 0; start < keys.length; start += SHARED_BATCH) {
        const { rows } = await this.pool.query<{ person_key: string; shared: AssessmentRecord[] }>(
          SELECT_SHARED,
          [keys.slice(start, start + SHARED_BATCH)],
        );
        for (const row of rows) shared.set(row.person_key, row.shared);
      }
      return shared;
    });
  }

  update<T>(person: PersonKey, change: (data: PersonData) => T, options?: UpdateOptions): Promise<T> {
    // A record made now must not undo a deletion made since the request for it (see Store.update).
    const notDeletedSince = options?.madeAt === undefined ? undefined : deletionsFrom(options.madeAt);
    return this.run('write', async () => {
      // First without a lock: two statements, when nobody else changes this person meanwhile.
      const quick = await this.withRetries(() =>
        this.withConnection((client) => updateIfUnchanged(client, person, change, notDeletedSince)),
      );
      // Someone did: again, holding the person's row until the change is written.
      const { result, written } =
        quick ??
        (await this.transaction(async (client) => {
          const locked = await lockPerson(client, person);
          const { result, next } = applyOrCarry(locked.data, change);
          if (next === undefined) return { result, write: false };
          if (locked.created && notDeletedSince !== undefined)
            await refuseIfDeletedSince(client, person, notDeletedSince);
          await client.query(
            'UPDATE people SET data = $2, reminder_due = $3, version = version + 1, updated_at = now() WHERE person_key = $1',
            [person, JSON.stringify(next), reminderDue(next)],
          );
          return { result, write: true };
        }));
      if (written) this.writes++;
      return result;
    });
  }

  /**
   * One transaction: the person's row goes, their ids in the org's kept team views are replaced by
   * stand-ins, and the deletion is remembered for a quarter of an hour (see acting.ts).
   */
  forget(person: PersonKey): Promise<number> {
    return this.run('write', async () => {
      const { result, written } = await this.transaction(async (client) => {
        const { rows } = await client.query<{ data: PersonData }>(
          'DELETE FROM people WHERE person_key = $1 RETURNING data',
          [person],
        );
        const data = rows[0]?.data;
        if (data === undefined) return { result: 0, write: false };
        await markDeleted(client, [person]);
        await forgetInTeamViews(client, orgOfPerson(person), new Set([userOfPerson(person)]));
        return { result: countRecords(data), write: true };
      });
      if (written) this.writes++;
      return result;
    });
  }

  updateTeamViews<T>(scope: TeamViewScope, change: (kept: KeptTeamView[]) => T): Promise<T> {
    return this.run('write', async () => {
      const { result, written } = await this.transaction(async (client) => {
        const current = await lockTeamViews(client, scope);
        const copy = structuredClone(current);
        let result: T;
        try {
          result = change(copy);
        } catch (error) {
          throw new ChangeThrew(error);
        }
        if (isDeepStrictEqual(copy, current)) return { result, write: false };
        const problems = teamViewsProblems(copy);
        if (problems.length > 0) throw new ChangeThrew(new InvalidPersonDataError(problems));
        await client.query(
          copy.length === 0
            ? 'DELETE FROM team_views WHERE org = $1 AND framework_id = $2 AND level_id = $3'
            : 'UPDATE team_views SET kept = $4, updated_at = now() WHERE org = $1 AND framework_id = $2 AND level_id = $3',
          [scope.org, scope.frameworkId, scope.levelId, ...(copy.length === 0 ? [] : [JSON.stringify(copy)])],
        );
        return { result, write: true };
      });
      if (written) this.writes++;
      return result;
    });
  }

  size(): Promise<number> {
    return this.run('read', () => this.countPeople());
  }

  saveInstallation(record: InstallationRecord): Promise<void> {
    return this.run('write', async () => {
      await this.withRetries(() =>
        this.pool.query(
          `INSERT INTO installations (id, enterprise_id, data, installed_at, updated_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id) DO UPDATE SET enterprise_id = EXCLUDED.enterprise_id, data = EXCLUDED.data,
             installed_at = EXCLUDED.installed_at, updated_at = EXCLUDED.updated_at`,
          [
            record.id,
            record.enterpriseId,
            JSON.stringify(record.installation),
            record.installedAt,
            record.updatedAt,
          ],
        ),
      );
      this.writes++;
    });
  }

  /**
   * One UPDATE, whose WHERE holds only while the row is as `expected`: a row changed or deleted
   * meanwhile is not written, and no row is ever added. `data` is compared as the text the table
   * keeps (json keeps it as written): the store wrote JSON.stringify of the installation, and
   * JSON.stringify of what it read back is that same text, character for character. jsonb equality
   * would not do: it refuses U+0000 and overlooks the order of keys. The times are compared to the
   * millisecond, as a record carries them.
   */
  replaceInstallation(expected: InstallationRecord, next: InstallationRecord): Promise<boolean> {
    if (next.id !== expected.id)
      return Promise.reject(new Error('replaceInstallation cannot change the id of an installation'));
    return this.run('write', async () => {
      const { rowCount } = await this.withRetries(() =>
        this.pool.query(
          `UPDATE installations
              SET enterprise_id = $6, data = $7, installed_at = $8, updated_at = $9
            WHERE id = $1 AND enterprise_id IS NOT DISTINCT FROM $2 AND data::text = $3
              AND date_trunc('milliseconds', installed_at) = $4
              AND date_trunc('milliseconds', updated_at) = $5`,
          [
            expected.id,
            expected.enterpriseId,
            JSON.stringify(expected.installation),
            expected.installedAt,
            expected.updatedAt,
            next.enterpriseId,
            JSON.stringify(next.installation),
            next.installedAt,
            next.updatedAt,
          ],
        ),
      );
      if (rowCount !== 1) return false;
      this.writes++;
      return true;
    });
  }

  installation(id: string): Promise<InstallationRecord | undefined> {
    return this.run('read', async () => {
      const { rows } = await this.pool.query<InstallationRow>(`${SELECT_INSTALLATIONS} WHERE id = $1`, [id]);
      return rows[0] && installationOf(rows[0]);
    });
  }

  installations(): Promise<InstallationRecord[]> {
    return this.run('read', async () => {
      const { rows } = await this.pool.query<InstallationRow>(SELECT_INSTALLATIONS);
      return rows.map(installationOf);
    });
  }

  uninstall({ installation, people }: UninstallTarget): Promise<UninstallResult> {
    return this.run('write', async () => {
      const { result } = await this.transaction(async (client) => {
        // Uninstalls of the same org take turns, so two workspaces of one org leaving at once cannot
        // each see the other still installed and both keep the org's people.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`uninstall ${people}`]);
        const removed = await client.query('DELETE FROM installations WHERE id = $1', [installation]);
        const result: UninstallResult = { installation: removed.rowCount === 1, people: 0, records: 0 };
        const remaining = await client.query<{ id: string; enterprise_id: string | null }>(
          'SELECT id, enterprise_id FROM installations WHERE id = $1 OR enterprise_id = $1',
          [people],
        );
        const reach = reachedBy(
          remaining.rows.map((row) => ({ id: row.id, enterpriseId: row.enterprise_id })),
          people,
        );
        if (reach.everyone) return { result, write: result.installation };
        let gone: { person_key: string; data: PersonData }[];
        if (reach.workspaces.size === 0) {
          // Nothing of the org or workspace is installed any more: everyone goes, and its team views.
          gone = (
            await client.query<{ person_key: string; data: PersonData }>(
              "DELETE FROM people WHERE split_part(person_key, ':', 1) = $1 RETURNING person_key, data",
              [people],
            )
          ).rows;
          await client.query('DELETE FROM team_views WHERE org = $1', [people]);
          await markDeleted(client, [people, ...gone.map((row) => row.person_key)]);
        } else {
          // Some workspaces of the org keep an install of their own: those who used one of them stay.
          const everyone = await client.query<{ person_key: string; workspaces: string[] | null }>(
            "SELECT person_key, data -> 'workspaces' AS workspaces FROM people WHERE split_part(person_key, ':', 1) = $1 FOR UPDATE",
            [people],
          );
          const leaving = everyone.rows
            .filter((row) => !isReached({ workspaces: row.workspaces ?? undefined }, reach))
            .map((row) => row.person_key);
          gone = (
            await client.query<{ person_key: string; data: PersonData }>(
              'DELETE FROM people WHERE person_key = ANY($1::text[]) RETURNING person_key, data',
              [leaving],
            )
          ).rows;
          await forgetReviewsOf(client, people, new Set(leaving));
          await forgetInTeamViews(client, people, new Set(leaving.map(userOfPerson)));
          await markDeleted(client, leaving);
        }
        result.people = gone.length;
        for (const row of gone) result.records += countRecords(row.data);
        return { result, write: true };
      });
      if (result.installation || result.people > 0) this.writes++;
      return result;
    });
  }

  claimDueReminders(now: Date, limit: number, leaseMs: number): Promise<ClaimedReminder[]> {
    return this.run('write', async () => {
      if (limit <= 0) return [];
      const { result } = await this.transaction(async (client) => {
        const { rows } = await client.query<{ person_key: string; data: PersonData }>(SELECT_DUE, [
          now.toISOString(),
          limit,
        ]);
        const claimed: ClaimedReminder[] = [];
        const keys: string[] = [];
        const documents: (string | null)[] = [];
        const dues: (string | null)[] = [];
        for (const row of rows) {
          let reminder: ReminderSetting | undefined;
          let next: PersonData | undefined;
          try {
            ({ result: reminder, next } = applyChange(row.data, (data) =>
              claimIfDue(data, now, leaseMs, randomUUID()),
            ));
          } catch (error) {
            // A document the data file's format refuses cannot be claimed; left in the queue it would
            // come first every time. Out of the queue (its data as it is), and said.
            this.logger.error(
              `The check-in reminder of ${row.person_key} cannot be sent: their data does not fit the format ` +
                `(${error instanceof InvalidPersonDataError ? error.issues.join('; ') : reasonOf(error)}).`,
            );
            keys.push(row.person_key);
            documents.push(null);
            dues.push(null);
            continue;
          }
          keys.push(row.person_key);
          if (reminder === undefined || next === undefined) {
            // Not due after all: the column was behind the data. Put it right, leaving the data.
            documents.push(null);
            dues.push(reminderDue(row.data));
            continue;
          }
          claimed.push({ person: row.person_key, reminder });
          documents.push(JSON.stringify(next));
          dues.push(reminderDue(next));
        }
        if (keys.length > 0) {
          // One statement for the whole batch.
          await client.query(
            `UPDATE people SET data = COALESCE(claimed.data::json, people.data),
               reminder_due = claimed.due::timestamptz, version = version + 1, updated_at = now()
             FROM unnest($1::text[], $2::text[], $3::text[]) AS claimed(person_key, data, due)
             WHERE people.person_key = claimed.person_key`,
            [keys, documents, dues],
          );
        }
        return { result: claimed, write: keys.length > 0 };
      });
      if (result.length > 0) this.writes++;
      return result;
    });
  }

  async health(): Promise<StoreHealth> {
    if (this.closing)
      return { kind: this.kind, ok: false, problem: 'closed: the app is shutting down', writes: this.writes };
    try {
      const people = await this.run('read', () => this.countPeople());
      return { kind: this.kind, ok: true, people, writes: this.writes };
    } catch (error) {
      const problem =
        this.down !== null
          ? `cannot reach the database: ${this.down}`
          : this.busy
            ? 'every connection to the database is in use, and changes wait too long for one'
            : reasonOf(error instanceof Error && error.cause ? error.cause : error);
      return { kind: this.kind, ok: false, problem, writes: this.writes };
    }
  }

  /** Lets the work in flight finish, then closes every connection. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.inFlight]);
      await this.pool.end();
    })();
    return this.closing;
  }

  private async countPeople(): Promise<number> {
    const { rows } = await this.pool.query<{ people: number }>('SELECT count(*)::int AS people FROM people');
    return rows[0]?.people ?? 0;
  }

  /**
   * Runs one call of the Store: refused once closing, waited for by close, and its errors made into
   * the Store's (what `change` threw passes through as it was).
   */
  private run<T>(kind: 'read' | 'write', work: () => Promise<T>): Promise<T> {
    if (this.closing) {
      return Promise.reject(
        new NotSavedError(
          `The store at ${this.location} is closed: the app is shutting down. Nothing was saved.`,
        ),
      );
    }
    const running = work().then(
      (value) => {
        this.reachable();
        return value;
      },
      (error: unknown) => {
        throw this.storeError(error, kind);
      },
    );
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  private storeError(error: unknown, kind: 'read' | 'write'): unknown {
    if (error instanceof ChangeThrew) {
      this.reachable();
      return error.thrown;
    }
    if (error instanceof StoreError) {
      this.reachable();
      return error;
    }
    const nothing = kind === 'write' ? 'Nothing was saved' : 'Nothing was read';
    if (isPoolQueueTimeout(error) && this.down === null) {
      // Every connection of the pool was in use for the whole wait: the app is busier than its pool,
      // not cut off from the database. Nothing is marked down; the next change that gets a connection
      // goes through as usual.
      const { max, connectionTimeoutMillis } = this.pool.options;
      if (!this.busy) {
        this.busy = true;
        this.logger.warn(
          `All ${max} connections to the PostgreSQL database at ${this.location} were in use for ` +
            `${connectionTimeoutMillis} ms, so a ${kind} waiting for one was given up (${this.pool.waitingCount} ` +
            'more waiting). The app is busier than its connection pool: more instances, or a faster database, help.',
        );
      }
      return new StoreUnavailableError(
        `All connections to the PostgreSQL database at ${this.location} were busy for too long. ${nothing}; try again in a minute.`,
        { cause: error },
      );
    }
    if (isRetryable(error)) {
      this.reachable();
      return new StoreUnavailableError(
        `The PostgreSQL database at ${this.location} could not take the change after ${ATTEMPTS} tries ` +
          `(${reasonOf(error)}). ${nothing}; try again in a minute.`,
        { cause: error },
      );
    }
    if (isUnavailable(error)) {
      const reason = reasonOf(error);
      if (this.down === null) {
        this.logger.error(
          `Cannot reach the PostgreSQL database at ${this.location} (${reason}). People are asked to try ` +
            'again in a minute until it is back; the store reconnects by itself.',
        );
      }
      this.down = reason;
      if (error instanceof Error && LOST_IN_COMMIT in error) {
        return new OutcomeUnknownError(
          `The connection to ${this.location} was lost while a change was being committed (${reason}): ` +
            'it may or may not have been saved.',
          { cause: error },
        );
      }
      return new StoreUnavailableError(
        `Cannot reach the PostgreSQL database at ${this.location} (${reason}). ${nothing}; try again in a minute.`,
        { cause: error },
      );
    }
    this.reachable();
    // The message and code only: pg's error can quote the statement's parameters, which are people's data.
    this.logger.error(
      `The PostgreSQL database at ${this.location} answered with an error: ${reasonOf(error)} (${codeOf(error)})`,
    );
    return new NotSavedError(
      `The PostgreSQL database at ${this.location} answered with an error (${reasonOf(error)}). ${nothing}.`,
      { cause: error },
    );
  }

  private reachable(): void {
    this.busy = false;
    if (this.down === null) return;
    this.down = null;
    this.logger.info(`The PostgreSQL database at ${this.location} is reachable again.`);
  }

  /**
   * One transaction on one connection, tried again on a serialization failure or a deadlock. `work`
   * says whether it wrote anything: if so the transaction commits, else it rolls back.
   */
  private transaction<T>(
    work: (client: pg.PoolClient) => Promise<{ result: T; write: boolean }>,
  ): Promise<{ result: T; written: boolean }> {
    return this.withRetries(() =>
      this.withConnection(async (client, discard) => {
        await client.query('BEGIN');
        try {
          const { result, write } = await work(client);
          if (write) await client.query('COMMIT').catch(markOutcomeUnknown);
          else await client.query('ROLLBACK');
          return { result, written: write };
        } catch (error) {
          if (!isUnavailable(error)) await client.query('ROLLBACK').catch(discard);
          throw error;
        }
      }),
    );
  }

  /**
   * One connection from the pool for `work`. A connection that broke, or may be in the middle of
   * something (an error other than the database's own answer), is closed rather than given to the
   * next caller.
   */
  private async withConnection<T>(
    work: (client: pg.PoolClient, discard: (error: Error) => void) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out connection has no error listener of the pool's: without this one, a connection
    // that breaks while `change` runs would end the process.
    let broken: Error | undefined;
    const discard = (error: Error) => {
      broken ??= error;
    };
    client.on('error', discard);
    try {
      return await work(client, discard);
    } catch (error) {
      const aboutTheConnection = isUnavailable(error) || !(error instanceof pg.DatabaseError);
      if (aboutTheConnection && !(error instanceof ChangeThrew))
        discard(error instanceof Error ? error : new Error(String(error)));
      throw error;
    } finally {
      client.off('error', discard);
      client.release(broken);
    }
  }

  private async withRetries<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (tries >= ATTEMPTS || !isRetryable(error)) throw error;
        await sleep(Math.random() * 20 * tries);
      }
    }
  }
}

const LOST_IN_COMMIT = Symbol('lost while committing');

type InstallationRow = {
  id: string;
  enterprise_id: string | null;
  data: Record<string, unknown>;
  installed_at: Date;
  updated_at: Date;
};

const SELECT_INSTALLATIONS = 'SELECT id, enterprise_id, data, installed_at, updated_at FROM installations';

function installationOf(row: InstallationRow): InstallationRecord {
  return {
    id: row.id,
    enterpriseId: row.enterprise_id,
    installation: row.data,
    installedAt: row.installed_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/**
 * Reads the person's row and its version, applies `change`, and writes only if the row is still the
 * version read and nobody holds it (for someone new: only if nobody made their row meanwhile).
 * Undefined when it was not: someone else changed the person in between, or is changing them now,
 * and nothing was written.
 */
async function updateIfUnchanged<T>(
  client: pg.PoolClient,
  person: PersonKey,
  change: (data: PersonData) => T,
  notDeletedSince: Date | undefined,
): Promise<{ result: T; written: boolean } | undefined> {
  const found = await client.query<{ data: PersonData; version: string }>(
    'SELECT data, version FROM people WHERE person_key = $1',
    [person],
  );
  const row = found.rows[0];
  const { result, next } = applyOrCarry(row?.data ?? emptyPerson(), change);
  if (next === undefined) return { result, written: false };
  const json = JSON.stringify(next);
  const wrote = await (row
    ? client.query(
        // SKIP LOCKED: a row another transaction holds is not waited for here (the locked update
        // does the waiting), so a connection lost now is lost while writing, not while waiting.
        `WITH unlocked AS (
           SELECT person_key FROM people WHERE person_key = $1 AND version = $3 FOR UPDATE SKIP LOCKED
         )
         UPDATE people SET data = $2, reminder_due = $4, version = version + 1, updated_at = now()
         FROM unlocked WHERE people.person_key = unlocked.person_key`,
        [person, json, row.version, reminderDue(next)],
      )
    : notDeletedSince === undefined
      ? client.query(
          'INSERT INTO people (person_key, data, reminder_due) VALUES ($1, $2, $3) ON CONFLICT (person_key) DO NOTHING',
          [person, json, reminderDue(next)],
        )
      : // Not when the person (or their org) was deleted since the request was made: then nothing is
        // written here, and the locked update finds out why.
        client.query(
          `INSERT INTO people (person_key, data, reminder_due)
           SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM deletions WHERE key = ANY($4::text[]) AND at > $5)
           ON CONFLICT (person_key) DO NOTHING`,
          [person, json, reminderDue(next), [person, orgOfPerson(person)], notDeletedSince.toISOString()],
        )
  ).catch(markOutcomeUnknown);
  return wrote.rowCount === 1 ? { result, written: true } : undefined;
}

/**
 * The `reminder_due` column for this data: when its reminder is due (effectiveDueAt), or null. Every
 * statement that writes `data` writes this with it.
 */
function reminderDue(data: Readonly<PersonData>): string | null {
  return data.reminder === undefined ? null : effectiveDueAt(data.reminder);
}

/**
 * Claims what is due: one transaction locks up to `limit` due rows in due order, skipping rows
 * another instance holds (its claim, or any change of that person, in progress), so two instances
 * claiming at once get different people; the claim goes into the data and `reminder_due` (now the
 * claim's end) before it commits.
 */
const SELECT_DUE = `
  SELECT person_key, data FROM people
  WHERE reminder_due <= $1
  ORDER BY reminder_due, person_key
  LIMIT $2
  FOR UPDATE SKIP LOCKED`;

/** applyChange, with what `change` threw (or InvalidPersonDataError) carried out as it is, never retried. */
function applyOrCarry<T>(current: PersonData, change: (data: PersonData) => T) {
  try {
    return applyChange(current, change);
  } catch (error) {
    throw new ChangeThrew(error);
  }
}

/** A statement that writes on its own, or a COMMIT, that lost its connection may have been carried out. */
function markOutcomeUnknown(error: unknown): never {
  if (isUnavailable(error) && error instanceof Error) Object.assign(error, { [LOST_IN_COMMIT]: true });
  throw error;
}

/**
 * The person's data, their row locked until the transaction ends; for someone new, an empty row
 * (`created`).
 */
async function lockPerson(
  client: pg.PoolClient,
  person: PersonKey,
): Promise<{ data: PersonData; created: boolean }> {
  for (;;) {
    const found = await client.query<{ data: PersonData }>(
      'SELECT data FROM people WHERE person_key = $1 FOR UPDATE',
      [person],
    );
    if (found.rows[0]) return { data: found.rows[0].data, created: false };
    // Someone new: a row of their own to lock, rolled back unless the change writes it. When another
    // instance makes it at the same moment, this waits for that one to end and then locks its row
    // (or makes it again, if that one rolled back or the person was forgotten meanwhile).
    const made = await client.query<{ data: PersonData }>(
      'INSERT INTO people (person_key, data) VALUES ($1, $2) ON CONFLICT (person_key) DO NOTHING RETURNING data',
      [person, JSON.stringify(emptyPerson())],
    );
    if (made.rows[0]) return { data: made.rows[0].data, created: true };
  }
}

/** The moment from which a deletion refuses a new record: when the request was made, within the memory. */
function deletionsFrom(madeAt: Date): Date {
  return new Date(Math.max(Date.now() - DELETION_MEMORY_MS, madeAt.getTime()));
}

/**
 * Throws DeletedMeanwhileError (through ChangeThrew, so the transaction rolls back) when the person,
 * or their org, was deleted since `from`: their record must not come back. Inside the transaction
 * that locked their new row, so a deletion that committed first is seen.
 */
async function refuseIfDeletedSince(client: pg.PoolClient, person: PersonKey, from: Date): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM deletions WHERE key = ANY($1::text[]) AND at > $2', [
    [person, orgOfPerson(person)],
    from.toISOString(),
  ]);
  if ((rowCount ?? 0) > 0) throw new ChangeThrew(deletedMeanwhile());
}

/** Remembers these deletions (person keys, or an org's id) for DELETION_MEMORY_MS, and forgets older ones. */
async function markDeleted(client: pg.PoolClient, keys: readonly string[]): Promise<void> {
  const at = new Date();
  await client.query('DELETE FROM deletions WHERE at < $1', [new Date(at.getTime() - DELETION_MEMORY_MS)]);
  if (keys.length === 0) return;
  await client.query(
    `INSERT INTO deletions (key, at) SELECT key, $2 FROM unnest($1::text[]) AS key
     ON CONFLICT (key) DO UPDATE SET at = EXCLUDED.at`,
    [keys, at.toISOString()],
  );
}

/** The org's team views for one framework and level, locked until the transaction ends (made empty when new). */
async function lockTeamViews(client: pg.PoolClient, scope: TeamViewScope): Promise<KeptTeamView[]> {
  const args = [scope.org, scope.frameworkId, scope.levelId];
  for (;;) {
    const found = await client.query<{ kept: KeptTeamView[] }>(
      'SELECT kept FROM team_views WHERE org = $1 AND framework_id = $2 AND level_id = $3 FOR UPDATE',
      args,
    );
    if (found.rows[0]) return found.rows[0].kept;
    // Rolled back with the transaction unless something is kept.
    const made = await client.query<{ kept: KeptTeamView[] }>(
      `INSERT INTO team_views (org, framework_id, level_id, kept) VALUES ($1, $2, $3, '[]')
       ON CONFLICT DO NOTHING RETURNING kept`,
      args,
    );
    if (made.rows[0]) return made.rows[0].kept;
  }
}

/** Replaces these users' ids in the org's kept team views with anonymous stand-ins (in the transaction). */
async function forgetInTeamViews(
  client: pg.PoolClient,
  org: string,
  users: ReadonlySet<string>,
): Promise<void> {
  if (users.size === 0) return;
  // Only the rows whose text names one of them: `"<user id>#`, as JSON writes it.
  const patterns = [...users].map((user) => `%${likeEscape(JSON.stringify(user).slice(0, -1))}#%`);
  const { rows } = await client.query<{ framework_id: string; level_id: string; kept: KeptTeamView[] }>(
    'SELECT framework_id, level_id, kept FROM team_views WHERE org = $1 AND kept::text LIKE ANY($2::text[]) FOR UPDATE',
    [org, patterns],
  );
  for (const row of rows) {
    if (!anonymise(row.kept, users)) continue;
    await client.query(
      'UPDATE team_views SET kept = $4, updated_at = now() WHERE org = $1 AND framework_id = $2 AND level_id = $3',
      [org, row.framework_id, row.level_id, JSON.stringify(row.kept)],
    );
  }
}

/**
 * Deletes, from the records of the org's people who stay, the reviews given by people who go and the
 * index entries of reviews given to them (in the transaction; see withoutReviewsOf).
 */
async function forgetReviewsOf(
  client: pg.PoolClient,
  org: string,
  gone: ReadonlySet<PersonKey>,
): Promise<void> {
  if (gone.size === 0) return;
  const { rows } = await client.query<{ person_key: string; data: PersonData }>(
    `SELECT person_key, data FROM people
      WHERE split_part(person_key, ':', 1) = $1 AND (data -> 'reviews' IS NOT NULL OR data -> 'reviewsGiven' IS NOT NULL)
      FOR UPDATE`,
    [org],
  );
  for (const row of rows) {
    const next = withoutReviewsOf(row.data, gone);
    if (next === undefined) continue;
    await client.query(
      'UPDATE people SET data = $2, reminder_due = $3, version = version + 1, updated_at = now() WHERE person_key = $1',
      [row.person_key, JSON.stringify(next), reminderDue(next)],
    );
  }
}

/** `text` with LIKE's own characters (`%`, `_` and the escape `\`) taken literally. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Connection trouble: the database is down, restarting, unreachable, too slow or out of connections. */
function isUnavailable(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? '';
    return code.startsWith('08') || code.startsWith('53') || UNAVAILABLE_CODES.has(code);
  }
  if (error instanceof StoreError || error instanceof TypeError || error instanceof RangeError) return false;
  // Anything else pg throws is about the connection: refused, reset, timed out, or "Connection
  // terminated unexpectedly".
  return error instanceof Error;
}

const UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown: the server is stopping, or an administrator ended the connection
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting
  '57014', // query_canceled: a statement ran past the timeout
  '55P03', // lock_not_available
  '25006', // read_only_sql_transaction: connected to a standby, as during a failover
]);

/**
 * pg-pool's answer to a caller that waited `connectionTimeoutMillis` in its queue because every
 * connection was in use (a connection that cannot be opened in time fails with another message:
 * "Connection terminated due to connection timeout").
 */
function isPoolQueueTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'timeout exceeded when trying to connect';
}

/** Worth trying again at once: a serialization failure or a deadlock. */
function isRetryable(error: unknown): boolean {
  return error instanceof pg.DatabaseError && (error.code === '40001' || error.code === '40P01');
}

function codeOf(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'no code';
}

/** A few words on what went wrong, e.g. `connect ECONNREFUSED 127.0.0.1:5432`. */
function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
    return error.message || code || error.name;
  }
  return String(error);
}
