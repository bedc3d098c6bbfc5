import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  countFinishedPerMonth,
  emptyOrgData,
  type MonthlyCount,
  type OrgData,
} from '../../model/org-data.js';
import { orgOfPerson, type PersonKey, userOfPerson } from '../../model/person.js';
import { orgsLeftBehind, planUninstall, reachedBy } from '../../model/reach.js';
import {
  type AssessmentRecord,
  type ClaimedReminder,
  countRecords,
  type InstallationRecord,
  type KeptTeamView,
  type PersonData,
  type TeamViewScope,
} from '../../model/records.js';
import { claimIfDue } from '../../model/reminders.js';
import { anonymise, names, scopeOfKey, teamViewsKey } from '../../model/team-views.js';
import { DeletionMarks } from '../deletion-marks.js';
import { applyChange, applyOrgDataChange, teamViewsProblems } from '../schema.js';
import {
  InvalidPersonDataError,
  NotSavedError,
  type Store,
  type StoreHealth,
  type UninstallResult,
  type UninstallTarget,
  type UpdateOptions,
} from '../store.js';
import { type FileContents, INSTALLATIONS, ORG_DATA, TEAM_VIEWS } from './contents.js';
import type { GroupCommit } from './group-commit.js';
import type { FolderLock } from './lock.js';

/**
 * The embedded default Store: one JSON file in a data folder (durable-file.ts), read once at start,
 * kept in memory (contents.ts), and written back whole by group commit (group-commit.ts); one
 * process per data folder (lock.ts). A change is in memory at once, and its caller hears back once
 * the file has it; reads wait for a change on its way to the file, so they never show one that the
 * file does not hold yet.
 *
 * The file may grow only as long as the app can read it back (limit.ts). Each change is weighed when
 * it is made, against what memory holds then: one that would make the file too long is refused with
 * DataFileFullError and never kept, while the other changes of the same write go on; a deletion is
 * always taken. Before each write the whole file is measured again: if it is still too long (a
 * deletion whose anonymous stand-ins outgrow what it deleted), that write fails as a whole, with the
 * same error, and is undone like any failed write.
 *
 * Its kind is `lowdb`, the name operators know it by: metrics labels
 * (`competency_store_up{store="lowdb"}`), GET /healthz and the logs carry it, and dashboards and
 * alerts select on it.
 */
export class FileStore implements Store {
  readonly kind = 'lowdb';
  readonly location: string;
  /** Deletions of the last minutes, to refuse requests made before them (see Store.update). */
  private readonly deleted = new DeletionMarks();
  private closing: Promise<void> | null = null;
  /**
   * The last revision given to any org's data (see OrgData.revision): from the greatest in the file
   * at open. One process per data folder, so what caches an org's data lives in this process, and
   * never outlives a revision given before a restart.
   */
  private revisions: number;

  /** Use openFileStore. */
  constructor(
    private readonly contents: FileContents,
    private readonly commit: GroupCommit,
    private readonly lock: FolderLock,
    location: string,
  ) {
    this.location = location;
    this.revisions = contents.orgData.values().reduce((last, data) => Math.max(last, data.revision), 0);
  }

  /** How many writes of the file have completed since open (for tests and benchmarks). */
  get flushCount(): number {
    return this.commit.count;
  }

  /**
   * The person as the file has them: when a change of theirs is on its way to the file, this waits
   * for that write (and, if it fails, answers with what the file still has).
   */
  async get(person: PersonKey): Promise<Readonly<PersonData>> {
    if (this.contents.pending(person) && !this.closing)
      await this.commit.afterNextFlush(person).catch(() => {});
    return this.contents.person(person) ?? EMPTY_PERSON;
  }

  /**
   * Read from memory, like `get`: when a change of any of these people is on its way to the file,
   * this waits for that write first (one write takes every change waiting), so it never shows a
   * choice that the file does not hold yet — or one that failed to reach it and was undone.
   */
  async sharedAssessments(
    persons: readonly PersonKey[],
  ): Promise<Map<PersonKey, Readonly<AssessmentRecord>[]>> {
    const pending = persons.find((person) => this.contents.pending(person));
    if (pending !== undefined && !this.closing) await this.commit.afterNextFlush(pending).catch(() => {});
    const shared = new Map<PersonKey, Readonly<AssessmentRecord>[]>();
    for (const person of persons) {
      const records = this.contents.person(person)?.history.filter((record) => record.inTeamViews === true);
      if (records !== undefined && records.length > 0) shared.set(person, records);
    }
    return shared;
  }

  update<T>(person: PersonKey, change: (data: PersonData) => T, options?: UpdateOptions): Promise<T> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    let applied: ReturnType<typeof applyChange<T>>;
    try {
      const existing = this.contents.person(person);
      // What the next start would refuse never goes into memory, let alone the file.
      applied = applyChange(existing ?? EMPTY_PERSON, change);
      // Someone new, or deleted after the request for this was made.
      if (applied.next !== undefined && existing === undefined) this.deleted.check(person, options?.madeAt);
      // Nor what would make the file too long to read back (DataFileFullError).
      if (applied.next !== undefined) this.contents.replace(person, applied.next, 'admit');
    } catch (error) {
      return Promise.reject(error);
    }
    const { result, next } = applied;
    if (next === undefined) {
      // Nothing to write; but what `change` decided rests on any change of theirs still on its way.
      return this.contents.pending(person)
        ? this.commit.afterNextFlush(person).then(() => result)
        : Promise.resolve(result);
    }
    return this.commit.afterNextFlush(person).then(() => result);
  }

  forget(person: PersonKey): Promise<number> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const data = this.contents.person(person);
    // Not in memory and no change of theirs on its way to the file: not in the file either.
    if (data === undefined && !this.contents.pending(person)) return Promise.resolve(0);
    this.deleted.mark(person);
    // Otherwise wait even with nothing to delete: a write under way may still hold their data.
    this.contents.replace(person, undefined);
    const waits = [this.commit.afterNextFlush(person)];
    if (this.forgetInTeamViews(orgOfPerson(person), new Set([userOfPerson(person)])))
      waits.push(this.commit.afterNextFlush(TEAM_VIEWS));
    // Both in the same write, queued in this turn.
    return Promise.all(waits).then(() => (data ? countRecords(data) : 0));
  }

  updateTeamViews<T>(scope: TeamViewScope, change: (kept: KeptTeamView[]) => T): Promise<T> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const teamViews = this.contents.teamViews;
    const key = teamViewsKey(scope);
    const current = teamViews.get(key) ?? [];
    const copy = structuredClone(current);
    let result: T;
    try {
      result = change(copy);
    } catch (error) {
      return Promise.reject(error);
    }
    if (!isDeepStrictEqual(copy, current)) {
      const problems = teamViewsProblems(copy);
      if (problems.length > 0) return Promise.reject(new InvalidPersonDataError(problems));
      try {
        teamViews.change((all) => {
          if (copy.length === 0) delete all[key];
          else all[key] = copy;
        }, this.admit);
      } catch (error) {
        return Promise.reject(error);
      }
    } else if (!teamViews.pending) {
      return Promise.resolve(result);
    }
    // Also when nothing changed: what `change` decided rests on what is on its way to the file.
    return this.commit.afterNextFlush(TEAM_VIEWS).then(() => result);
  }

  /** From memory, like `get`: when a change of orgs' data is on its way to the file, after that write. */
  async orgData(org: string): Promise<Readonly<OrgData>> {
    await this.orgDataWritten();
    const data = this.contents.orgData.get(org);
    return data === undefined ? emptyOrgData() : structuredClone(data);
  }

  async orgRevision(org: string): Promise<number> {
    await this.orgDataWritten();
    return this.contents.orgData.get(org)?.revision ?? 0;
  }

  async finishedPerMonth(org: string): Promise<MonthlyCount[]> {
    // A scan of everyone in memory: for an admin's occasional look, not a request's hot path.
    return countFinishedPerMonth(this.contents.entries(), org);
  }

  /** Changes and checks in the same turn, so changes of one org take turns; written like any other change. */
  updateOrgData<T>(org: string, change: (data: OrgData) => T, options?: UpdateOptions): Promise<T> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const section = this.contents.orgData;
    let applied: ReturnType<typeof applyOrgDataChange<T>>;
    try {
      const existing = section.get(org);
      applied = applyOrgDataChange(existing ?? emptyOrgData(), change);
      // A record made now must not undo the org's removal made since the request for it.
      if (applied.next !== undefined && existing === undefined)
        this.deleted.checkKeys([org], options?.madeAt);
    } catch (error) {
      return Promise.reject(error);
    }
    const { result, next } = applied;
    if (next !== undefined) {
      // Never given back, even when the write fails: no two versions of an org share a revision.
      next.revision = ++this.revisions;
      try {
        section.change((all) => {
          all[org] = next;
        }, this.admit);
      } catch (error) {
        return Promise.reject(error);
      }
    } else if (!section.pending) {
      return Promise.resolve(result);
    }
    // Also when nothing changed: what `change` decided rests on what is on its way to the file.
    return this.commit.afterNextFlush(ORG_DATA).then(() => result);
  }

  async size(): Promise<number> {
    return this.contents.size;
  }

  saveInstallation(record: InstallationRecord): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    try {
      this.contents.installed.change((installed) => {
        installed[record.id] = structuredClone(record);
      }, this.admit);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.commit.afterNextFlush(INSTALLATIONS);
  }

  /**
   * Compares and changes in the same turn, so nothing can come in between; the change goes in the
   * next write like any other. When nothing is written, it still waits for a change of the
   * installations on its way to the file, so the caller reads what the file has.
   */
  replaceInstallation(expected: InstallationRecord, next: InstallationRecord): Promise<boolean> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    if (next.id !== expected.id)
      return Promise.reject(new Error('replaceInstallation cannot change the id of an installation'));
    const installed = this.contents.installed;
    const current = installed.get(expected.id);
    if (current === undefined || !isDeepStrictEqual(current, expected)) {
      if (!installed.pending) return Promise.resolve(false);
      return this.commit.afterNextFlush(INSTALLATIONS).then(
        () => false,
        () => false,
      );
    }
    try {
      installed.change((all) => {
        all[next.id] = structuredClone(next);
      }, this.admit);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.commit.afterNextFlush(INSTALLATIONS).then(() => true);
  }

  async installation(id: string): Promise<InstallationRecord | undefined> {
    if (this.contents.installed.pending && !this.closing)
      await this.commit.afterNextFlush(INSTALLATIONS).catch(() => {});
    const record = this.contents.installed.get(id);
    return record && structuredClone(record);
  }

  /**
   * Every org's own record and every kept team view, as the file has them (for `competency migrate`,
   * which copies them into PostgreSQL): by org id, and by team-view scope.
   */
  orgRecordsAndTeamViews(): { orgs: [string, OrgData][]; teamViews: [TeamViewScope, KeptTeamView[]][] } {
    const orgs = this.contents.orgData.keys().flatMap((org): [string, OrgData][] => {
      const data = this.contents.orgData.get(org);
      return data ? [[org, structuredClone(data)]] : [];
    });
    const teamViews = this.contents.teamViews.keys().flatMap((key): [TeamViewScope, KeptTeamView[]][] => {
      const scope = scopeOfKey(key);
      const kept = this.contents.teamViews.get(key);
      return scope && kept ? [[scope, structuredClone(kept)]] : [];
    });
    return { orgs, teamViews };
  }

  async installations(): Promise<InstallationRecord[]> {
    if (this.contents.installed.pending && !this.closing)
      await this.commit.afterNextFlush(INSTALLATIONS).catch(() => {});
    return this.contents.installed.values().map((record) => structuredClone(record));
  }

  uninstall({ installation, people }: UninstallTarget): Promise<UninstallResult> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const installed = this.contents.installed;
    const removed = installed.get(installation) !== undefined;
    if (removed)
      installed.change((all) => {
        delete all[installation];
      });
    const result: UninstallResult = { installation: removed, people: 0, records: 0, orgData: false };
    const waits: Promise<void>[] = [this.commit.afterNextFlush(INSTALLATIONS)];
    const orgs = orgsLeftBehind({ installation, people }, installed.values()).filter(
      (org) => this.contents.orgData.get(org) !== undefined,
    );
    if (orgs.length > 0) {
      this.contents.orgData.change((all) => {
        for (const org of orgs) delete all[org];
      });
      result.orgData = true;
      waits.push(this.commit.afterNextFlush(ORG_DATA));
    }
    const reach = reachedBy(installed.values(), people);
    const { gone, kept } = planUninstall(this.contents.entries(), people, reach);
    const nobodyLeft = !reach.everyone && reach.workspaces.size === 0;
    if (nobodyLeft) {
      // Also those whose deletion is still on its way to the file: wait for it, as forget does.
      for (const key of this.contents.pendingPeople())
        if (orgOfPerson(key) === people && !gone.includes(key)) gone.push(key);
      this.deleted.mark(people);
    }
    for (const key of gone) {
      const data = this.contents.person(key);
      if (data) {
        result.people++;
        result.records += countRecords(data);
      }
      this.contents.replace(key, undefined);
      this.deleted.mark(key);
      waits.push(this.commit.afterNextFlush(key));
    }
    for (const [key, data] of kept) {
      this.contents.replace(key, data);
      waits.push(this.commit.afterNextFlush(key));
    }
    if (this.forgetInTeamViews(people, nobodyLeft ? 'everyone' : new Set(gone.map(userOfPerson))))
      waits.push(this.commit.afterNextFlush(TEAM_VIEWS));
    // Every part is in the same write (they were all queued in this turn): it lands whole or not at all.
    return Promise.all(waits).then(() => result);
  }

  /**
   * Claims what is due from memory (the index), and writes the claims as ordinary changes: all in
   * one group-commit write, durable before they are returned. One process per data folder, so no
   * one else claims at the same time.
   */
  async claimDueReminders(now: Date, limit: number, leaseMs: number): Promise<ClaimedReminder[]> {
    const refused = this.refusal();
    if (refused) throw refused;
    const due = this.contents.reminders.dueAt(now, limit);
    const claims = await Promise.all(
      due.map((person) => this.update(person, (data) => claimIfDue(data, now, leaseMs, randomUUID()))),
    );
    const claimed: ClaimedReminder[] = [];
    due.forEach((person, i) => {
      const reminder = claims[i];
      const data = this.contents.person(person);
      if (reminder !== undefined && data !== undefined) claimed.push({ person, reminder, data });
    });
    return claimed;
  }

  /** Everyone with data and their data, as memory has them (for `competency migrate`). */
  entries(): IterableIterator<[PersonKey, Readonly<PersonData>]> {
    return this.contents.entries();
  }

  async health(): Promise<StoreHealth> {
    const lost = this.lock.lost;
    return {
      kind: this.kind,
      ok: lost === undefined,
      ...(lost ? { problem: 'lost its lock on the data folder; restart it' } : {}),
      people: this.contents.size,
      writes: this.commit.count,
      dataFile: { length: this.contents.length, limit: this.contents.limit.limit },
    };
  }

  /** Writes what is pending, then releases the data folder. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    try {
      await this.commit.close();
    } finally {
      await this.lock.release();
    }
  }

  /** Waits for a change of orgs' data on its way to the file (if it fails, memory is back to what the file has). */
  private async orgDataWritten(): Promise<void> {
    if (this.contents.orgData.pending && !this.closing)
      await this.commit.afterNextFlush(ORG_DATA).catch(() => {});
  }

  /**
   * Refuses (DataFileFullError) a change of a section that would make the file too long to read
   * back. Deletions (forget, uninstall) are not asked: they shrink the file, and the check before
   * each write still stands.
   */
  private readonly admit = (growth: number): void => this.contents.admit(growth);

  /** Why no change can be taken now, if so. */
  private refusal(): NotSavedError | undefined {
    if (this.closing)
      return new NotSavedError(`The store at ${this.location} is closed: the app is shutting down.`);
    return this.lock.lost;
  }

  /**
   * Replaces these users' ids in the org's kept team views with anonymous stand-ins, or drops the
   * org's team views altogether; returns whether anything changed (to be written).
   */
  private forgetInTeamViews(org: string, users: ReadonlySet<string> | 'everyone'): boolean {
    const teamViews = this.contents.teamViews;
    const keys = teamViews.keys().filter((key) => scopeOfKey(key)?.org === org);
    const affected = keys.filter((key) => users === 'everyone' || names(teamViews.get(key) ?? [], users));
    if (affected.length === 0) return false;
    teamViews.change((all) => {
      for (const key of affected) {
        const kept = all[key];
        if (users === 'everyone' || kept === undefined) delete all[key];
        else {
          const copy = structuredClone(kept);
          anonymise(copy, users);
          all[key] = copy;
        }
      }
    });
    return true;
  }
}

/** What `get` returns for someone new: frozen, so writing to it throws instead of vanishing. */
const EMPTY_PERSON: Readonly<PersonData> = Object.freeze({
  ratings: Object.freeze({}),
  drafts: Object.freeze({}),
  history: Object.freeze([]) as unknown as PersonData['history'],
});
