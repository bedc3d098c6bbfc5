import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { countFinishedPerMonth, emptyOrgData, type MonthlyCount, type OrgData } from '../model/org-data.js';
import { orgOfPerson, type PersonKey, userOfPerson } from '../model/person.js';
import { orgsLeftBehind, planUninstall, reachedBy } from '../model/reach.js';
import {
  type AssessmentRecord,
  type ClaimedReminder,
  countRecords,
  emptyPerson,
  type InstallationRecord,
  type KeptTeamView,
  type PersonData,
  type TeamViewScope,
} from '../model/records.js';
import { claimIfDue } from '../model/reminders.js';
import { anonymise, scopeOfKey, teamViewsKey } from '../model/team-views.js';
import { DeletionMarks } from './deletion-marks.js';
import { ReminderIndex } from './reminder-index.js';
import { applyChange, applyOrgDataChange, teamViewsProblems } from './schema.js';
import {
  InvalidPersonDataError,
  type Store,
  type StoreHealth,
  type UninstallResult,
  type UninstallTarget,
  type UpdateOptions,
} from './store.js';

/** A Store that keeps everything in memory: for unit tests of the domain. Nothing survives a restart. */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly location = 'memory';
  private readonly people = new Map<PersonKey, PersonData>();
  private readonly installed = new Map<string, InstallationRecord>();
  private readonly reminders = new ReminderIndex();
  private readonly teamViews = new Map<string, KeptTeamView[]>();
  private readonly orgs = new Map<string, OrgData>();
  /** The last revision given to any org's data (see OrgData.revision). */
  private revisions = 0;
  private readonly deleted = new DeletionMarks();
  private writes = 0;

  async get(person: PersonKey): Promise<Readonly<PersonData>> {
    return this.people.get(person) ?? emptyPerson();
  }

  async sharedAssessments(
    persons: readonly PersonKey[],
  ): Promise<Map<PersonKey, Readonly<AssessmentRecord>[]>> {
    const shared = new Map<PersonKey, Readonly<AssessmentRecord>[]>();
    for (const person of persons) {
      const records = this.people.get(person)?.history.filter((record) => record.inTeamViews === true);
      if (records !== undefined && records.length > 0) shared.set(person, records);
    }
    return shared;
  }

  async update<T>(person: PersonKey, change: (data: PersonData) => T, options?: UpdateOptions): Promise<T> {
    return this.change(person, change, options);
  }

  async updateTeamViews<T>(scope: TeamViewScope, change: (kept: KeptTeamView[]) => T): Promise<T> {
    const key = teamViewsKey(scope);
    const current = this.teamViews.get(key) ?? [];
    const copy = structuredClone(current);
    const result = change(copy);
    if (!isDeepStrictEqual(copy, current)) {
      // The same refusal as the other stores.
      const problems = teamViewsProblems(copy);
      if (problems.length > 0) throw new InvalidPersonDataError(problems);
      if (copy.length === 0) this.teamViews.delete(key);
      else this.teamViews.set(key, copy);
      this.writes++;
    }
    return result;
  }

  async orgData(org: string): Promise<Readonly<OrgData>> {
    const data = this.orgs.get(org);
    return data === undefined ? emptyOrgData() : structuredClone(data);
  }

  async orgRevision(org: string): Promise<number> {
    return this.orgs.get(org)?.revision ?? 0;
  }

  async finishedPerMonth(org: string): Promise<MonthlyCount[]> {
    return countFinishedPerMonth(this.people, org);
  }

  async updateOrgData<T>(org: string, change: (data: OrgData) => T, options?: UpdateOptions): Promise<T> {
    // All in one go (no await): changes of the same org take turns. The same change as the other stores.
    const { result, next } = applyOrgDataChange(this.orgs.get(org) ?? emptyOrgData(), change);
    if (next !== undefined && !this.orgs.has(org)) this.deleted.checkKeys([org], options?.madeAt);
    if (next !== undefined) {
      next.revision = ++this.revisions;
      this.orgs.set(org, next);
      this.writes++;
    }
    return result;
  }

  private change<T>(person: PersonKey, change: (data: PersonData) => T, options?: UpdateOptions): T {
    const existing = this.people.get(person);
    // The same change as the other stores, so tests of the domain meet the same refusals.
    const { result, next } = applyChange(existing ?? emptyPerson(), change);
    if (next !== undefined && existing === undefined) this.deleted.check(person, options?.madeAt);
    if (next === undefined) return result;
    this.people.set(person, next);
    this.reminders.set(person, next);
    this.writes++;
    return result;
  }

  async forget(person: PersonKey): Promise<number> {
    const data = this.people.get(person);
    if (!data) return 0;
    this.deleted.mark(person);
    this.forgetInTeamViews(orgOfPerson(person), new Set([userOfPerson(person)]));
    this.people.delete(person);
    this.reminders.set(person, undefined);
    this.writes++;
    return countRecords(data);
  }

  /** Replaces these users' ids in the org's kept team views (or drops them all, for everyone). */
  private forgetInTeamViews(org: string, users: ReadonlySet<string> | 'everyone'): void {
    for (const [key, kept] of this.teamViews) {
      if (scopeOfKey(key)?.org !== org) continue;
      if (users === 'everyone') this.teamViews.delete(key);
      else anonymise(kept, users);
    }
  }

  async size(): Promise<number> {
    return this.people.size;
  }

  async health(): Promise<StoreHealth> {
    return { kind: this.kind, ok: true, people: this.people.size, writes: this.writes };
  }

  async close(): Promise<void> {}

  async saveInstallation(record: InstallationRecord): Promise<void> {
    this.installed.set(record.id, structuredClone(record));
    this.writes++;
  }

  async replaceInstallation(expected: InstallationRecord, next: InstallationRecord): Promise<boolean> {
    if (next.id !== expected.id)
      throw new Error('replaceInstallation cannot change the id of an installation');
    const current = this.installed.get(expected.id);
    if (current === undefined || !isDeepStrictEqual(current, expected)) return false;
    this.installed.set(next.id, structuredClone(next));
    this.writes++;
    return true;
  }

  async installation(id: string): Promise<InstallationRecord | undefined> {
    const record = this.installed.get(id);
    return record && structuredClone(record);
  }

  async installations(): Promise<InstallationRecord[]> {
    return [...this.installed.values()].map((record) => structuredClone(record));
  }

  async uninstall({ installation, people }: UninstallTarget): Promise<UninstallResult> {
    const removed = this.installed.delete(installation);
    const result: UninstallResult = { installation: removed, people: 0, records: 0, orgData: false };
    for (const org of orgsLeftBehind({ installation, people }, [...this.installed.values()]))
      if (this.orgs.delete(org)) result.orgData = true;
    const reach = reachedBy([...this.installed.values()], people);
    const { gone, kept } = planUninstall(this.people, people, reach);
    for (const key of gone) {
      const data = this.people.get(key);
      if (data) {
        result.people++;
        result.records += countRecords(data);
      }
      this.people.delete(key);
      this.reminders.set(key, undefined);
      this.deleted.mark(key);
    }
    for (const [key, data] of kept) this.people.set(key, data);
    if (!reach.everyone && reach.workspaces.size === 0) {
      this.deleted.mark(people);
      this.forgetInTeamViews(people, 'everyone');
    } else if (gone.length > 0) {
      this.forgetInTeamViews(people, new Set(gone.map(userOfPerson)));
    }
    if (removed || result.people > 0 || result.orgData) this.writes++;
    return result;
  }

  async claimDueReminders(now: Date, limit: number, leaseMs: number): Promise<ClaimedReminder[]> {
    const claimed: ClaimedReminder[] = [];
    for (const person of this.reminders.dueAt(now, limit)) {
      // All in one go (no await): claims made at the same time see each other's.
      const reminder = this.change(person, (data) => claimIfDue(data, now, leaseMs, randomUUID()));
      const data = this.people.get(person);
      if (reminder !== undefined && data !== undefined) claimed.push({ person, reminder, data });
    }
    return claimed;
  }
}
