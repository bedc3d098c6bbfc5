import type { MonthlyCount, OrgData } from '../../model/org-data.js';
import type { PersonKey } from '../../model/person.js';
import {
  type AssessmentRecord,
  type ClaimedReminder,
  emptyPerson,
  type InstallationRecord,
  type KeptTeamView,
  type PersonData,
  type TeamViewScope,
} from '../../model/records.js';
import type {
  Store,
  StoreHealth,
  StoreLogger,
  UninstallResult,
  UninstallTarget,
  UpdateOptions,
} from '../store.js';
import type { Database } from './database.js';
import { deletionsFrom, forgetPerson, refuseIfDeletedSince, uninstallIn } from './deletions.js';
import {
  readInstallation,
  readInstallations,
  replaceInstallationIfUnchanged,
  upsertInstallation,
} from './installations.js';
import { changeOrgData, readFinishedPerMonth, readOrgData, readOrgRevision } from './org-data.js';
import { applyOrCarry, lockPerson, readSharedAssessments, updateIfUnchanged, writePerson } from './people.js';
import { PersonReads } from './person-reads.js';
import { claimDue } from './reminders.js';
import { changeTeamViews } from './team-views.js';

/**
 * The Store on PostgreSQL, for several app instances behind a load balancer (DATABASE_URL).
 *
 * Data model: one JSON document per person (table `people`: person_key, data json, version), so a
 * change reads and writes one row whatever it touches; chosen over normalised tables, and over jsonb,
 * by bench/store-model.ts. json rather than jsonb also gives back exactly what was written, as the
 * file store does: keys in their order (drafts are listed in it) and any character (jsonb refuses
 * U+0000).
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
 * The SQL lives beside this file, by table: people.ts (with person-reads.ts, a person's reads taken
 * together under load), team-views.ts, org-data.ts, deletions.ts
 * (forget and uninstall), installations.ts, reminders.ts; the pool and transactions in database.ts, what
 * PostgreSQL's errors mean in errors.ts, and the schema's migrations in migrate.ts (run by open.ts).
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly location: string;
  private writes = 0;

  /** The reads of one person (every command's page), taken together under load. */
  private readonly personReads: PersonReads;

  /** Use openPostgresStore. */
  constructor(
    private readonly db: Database,
    private readonly logger: StoreLogger,
  ) {
    this.location = db.location;
    this.personReads = new PersonReads(db.reads, db.reads.options.max);
  }

  get(person: PersonKey): Promise<Readonly<PersonData>> {
    return this.db.run('read', async () => (await this.personReads.read(person)) ?? emptyPerson());
  }

  sharedAssessments(persons: readonly PersonKey[]): Promise<Map<PersonKey, Readonly<AssessmentRecord>[]>> {
    return this.db.run('read', () => readSharedAssessments(this.db.reads, persons));
  }

  update<T>(person: PersonKey, change: (data: PersonData) => T, options?: UpdateOptions): Promise<T> {
    // A record made now must not undo a deletion made since the request for it (see Store.update).
    const notDeletedSince = options?.madeAt === undefined ? undefined : deletionsFrom(options.madeAt);
    return this.db.run('write', async () => {
      // First without a lock: two statements, when nobody else changes this person meanwhile.
      const quick = await this.db.withRetries(() =>
        this.db.withConnection((client) => updateIfUnchanged(client, person, change, notDeletedSince)),
      );
      // Someone did: again, holding the person's row until the change is written.
      const { result, written } =
        quick ??
        (await this.db.transaction(async (client) => {
          const locked = await lockPerson(client, person);
          const { result, next } = applyOrCarry(locked.data, change);
          if (next === undefined) return { result, write: false };
          if (locked.created && notDeletedSince !== undefined)
            await refuseIfDeletedSince(client, person, notDeletedSince);
          await writePerson(client, person, next);
          return { result, write: true };
        }));
      if (written) this.writes++;
      return result;
    });
  }

  /**
   * One transaction: the person's row goes, their ids in the org's kept team views are replaced by
   * stand-ins, and the deletion is remembered for DELETION_MEMORY_MS (see Store.update).
   */
  forget(person: PersonKey): Promise<number> {
    return this.db.run('write', async () => {
      const { result, written } = await this.db.transaction((client) => forgetPerson(client, person));
      if (written) this.writes++;
      return result;
    });
  }

  updateTeamViews<T>(scope: TeamViewScope, change: (kept: KeptTeamView[]) => T): Promise<T> {
    return this.db.run('write', async () => {
      const { result, written } = await this.db.transaction((client) =>
        changeTeamViews(client, scope, change),
      );
      if (written) this.writes++;
      return result;
    });
  }

  orgData(org: string): Promise<Readonly<OrgData>> {
    return this.db.run('read', () => readOrgData(this.db.reads, org));
  }

  orgRevision(org: string): Promise<number> {
    return this.db.run('read', () => readOrgRevision(this.db.reads, org));
  }

  finishedPerMonth(org: string): Promise<MonthlyCount[]> {
    return this.db.run('read', () => readFinishedPerMonth(this.db.reads, org));
  }

  /** One transaction that holds the org's row (FOR UPDATE) while `change` runs, as updateTeamViews. */
  updateOrgData<T>(org: string, change: (data: OrgData) => T, options?: UpdateOptions): Promise<T> {
    const notDeletedSince = options?.madeAt === undefined ? undefined : deletionsFrom(options.madeAt);
    return this.db.run('write', async () => {
      const { result, written } = await this.db.transaction((client) =>
        changeOrgData(client, org, change, notDeletedSince),
      );
      if (written) this.writes++;
      return result;
    });
  }

  size(): Promise<number> {
    return this.db.run('read', () => this.countPeople());
  }

  saveInstallation(record: InstallationRecord): Promise<void> {
    return this.db.run('write', async () => {
      await this.db.withRetries(() => upsertInstallation(this.db.pool, record));
      this.writes++;
    });
  }

  replaceInstallation(expected: InstallationRecord, next: InstallationRecord): Promise<boolean> {
    if (next.id !== expected.id)
      return Promise.reject(new Error('replaceInstallation cannot change the id of an installation'));
    return this.db.run('write', async () => {
      const replaced = await this.db.withRetries(() =>
        replaceInstallationIfUnchanged(this.db.pool, expected, next),
      );
      if (!replaced) return false;
      this.writes++;
      return true;
    });
  }

  installation(id: string): Promise<InstallationRecord | undefined> {
    return this.db.run('read', () => readInstallation(this.db.reads, id));
  }

  installations(): Promise<InstallationRecord[]> {
    return this.db.run('read', () => readInstallations(this.db.reads));
  }

  uninstall(target: UninstallTarget): Promise<UninstallResult> {
    return this.db.run('write', async () => {
      const { result } = await this.db.transaction((client) => uninstallIn(client, target));
      if (result.installation || result.people > 0 || result.orgData) this.writes++;
      return result;
    });
  }

  claimDueReminders(now: Date, limit: number, leaseMs: number): Promise<ClaimedReminder[]> {
    return this.db.run('write', async () => {
      if (limit <= 0) return [];
      const { result } = await this.db.transaction((client) =>
        claimDue(client, now, limit, leaseMs, this.logger),
      );
      if (result.length > 0) this.writes++;
      return result;
    });
  }

  async health(): Promise<StoreHealth> {
    if (this.db.closed)
      return { kind: this.kind, ok: false, problem: 'closed: the app is shutting down', writes: this.writes };
    try {
      const people = await this.db.run('read', () => this.countPeople());
      return { kind: this.kind, ok: true, people, writes: this.writes };
    } catch (error) {
      return { kind: this.kind, ok: false, problem: this.db.problem(error), writes: this.writes };
    }
  }

  /** Lets the work in flight finish, then closes every connection. Safe to call more than once. */
  close(): Promise<void> {
    return this.db.close();
  }

  private async countPeople(): Promise<number> {
    const { rows } = await this.db.reads.query<{ people: number }>(
      'SELECT count(*)::int AS people FROM people',
    );
    return rows[0]?.people ?? 0;
  }
}
