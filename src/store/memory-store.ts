import { randomUUID } from 'node:crypto';
import { claimIfDue } from '../reminders/reminders.js';
import { ReminderIndex } from './reminder-index.js';
import { applyChange } from './schema.js';
import {
  type AssessmentRecord,
  type ClaimedReminder,
  countRecords,
  covers,
  emptyPerson,
  type InstallationRecord,
  type PersonData,
  type PersonKey,
  type Store,
  type StoreHealth,
  type UninstallResult,
  type UninstallTarget,
} from './store.js';

/** A Store that keeps everything in memory: for unit tests of the domain. Nothing survives a restart. */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly location = 'memory';
  private readonly people = new Map<PersonKey, PersonData>();
  private readonly installed = new Map<string, InstallationRecord>();
  private readonly reminders = new ReminderIndex();
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

  async update<T>(person: PersonKey, change: (data: PersonData) => T): Promise<T> {
    return this.change(person, change);
  }

  private change<T>(person: PersonKey, change: (data: PersonData) => T): T {
    // The same change as the other stores, so tests of the domain meet the same refusals.
    const { result, next } = applyChange(this.people.get(person) ?? emptyPerson(), change);
    if (next === undefined) return result;
    this.people.set(person, next);
    this.reminders.set(person, next);
    this.writes++;
    return result;
  }

  async forget(person: PersonKey): Promise<number> {
    const data = this.people.get(person);
    if (!data) return 0;
    this.people.delete(person);
    this.reminders.set(person, undefined);
    this.writes++;
    return countRecords(data);
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

  async installation(id: string): Promise<InstallationRecord | undefined> {
    const record = this.installed.get(id);
    return record && structuredClone(record);
  }

  async installations(): Promise<InstallationRecord[]> {
    return [...this.installed.values()].map((record) => structuredClone(record));
  }

  async uninstall({ installation, people }: UninstallTarget): Promise<UninstallResult> {
    const removed = this.installed.delete(installation);
    const result: UninstallResult = { installation: removed, people: 0, records: 0 };
    if (![...this.installed.values()].some((record) => covers(record, people))) {
      for (const [key, data] of this.people) {
        if (!key.startsWith(`${people}:`)) continue;
        this.people.delete(key);
        this.reminders.set(key, undefined);
        result.people++;
        result.records += countRecords(data);
      }
    }
    if (removed || result.people > 0) this.writes++;
    return result;
  }

  async claimDueReminders(now: Date, limit: number, leaseMs: number): Promise<ClaimedReminder[]> {
    const claimed: ClaimedReminder[] = [];
    for (const person of this.reminders.dueAt(now, limit)) {
      // All in one go (no await): claims made at the same time see each other's.
      const reminder = this.change(person, (data) => claimIfDue(data, now, leaseMs, randomUUID()));
      if (reminder !== undefined) claimed.push({ person, reminder });
    }
    return claimed;
  }
}
