import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Low } from 'lowdb';
import { orgOfPerson, type PersonKey, userOfPerson } from '../model/person.js';
import { planUninstall, reachedBy } from '../model/reach.js';
import {
  type AssessmentRecord,
  type ClaimedReminder,
  countRecords,
  type InstallationRecord,
  type KeptTeamView,
  type PersonData,
  type TeamViewScope,
} from '../model/records.js';
import { claimIfDue } from '../model/reminders.js';
import { anonymise, names, scopeOfKey, teamViewsKey } from '../model/team-views.js';
import { DeletionMarks } from './deletion-marks.js';
import {
  type AfterTempWrite,
  DEFAULT_FILE_NAME,
  DurableJsonFile,
  removeLeftoverTempFiles,
} from './durable-file.js';
import { type FolderLock, lockDataFolder } from './lock.js';
import { ReminderIndex } from './reminder-index.js';
import { applyChange, emptyStoreData, FORMAT_VERSION, type StoreData, teamViewsProblems } from './schema.js';
import {
  InvalidPersonDataError,
  NotSavedError,
  type Store,
  type StoreHealth,
  type StoreLogger,
  type UninstallResult,
  type UninstallTarget,
  type UpdateOptions,
} from './store.js';

/**
 * The embedded default Store: one JSON file in a data folder, read once at start, kept in memory,
 * and written back whole. Built for what lowdb alone gets wrong (see DESIGN.md, "The store"):
 * - group commit: changes land in memory at once; one write serialises the file for all changes
 *   waiting, and each caller hears back only when a write that includes its change is durable;
 * - a failed write is undone: everyone whose change was in it goes back to what the file holds, so
 *   memory always equals the file once writes settle, and no later write carries a refused change;
 * - durable writes (durable-file.ts), one process per data folder (lock.ts), and a file that does not
 *   read cleanly is never overwritten.
 */

// Kept here too for the modules that import them beside openLowdbStore; they live in durable-file.ts and store.ts.
export { DEFAULT_FILE_NAME } from './durable-file.js';
export { StoreError, type StoreLogger } from './store.js';

export type LowdbStoreOptions = {
  /** The data file's name inside the data folder; `competency-data.json` unless given. */
  fileName?: string;
  logger?: StoreLogger;
  /** How long the folder's lock may go without a heartbeat before another process takes it over (10 s). */
  lockStaleMs?: number;
  hooks?: {
    /** Runs after the temp file is written and fsynced, before it is renamed over the data file (for tests). */
    afterTempWrite?: AfterTempWrite;
  };
};

const silent: StoreLogger = { info: () => {}, warn: () => {}, error: () => {} };

export async function openLowdbStore(dataDir: string, options: LowdbStoreOptions = {}): Promise<LowdbStore> {
  const dir = path.resolve(dataDir);
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  const logger = options.logger ?? silent;
  await mkdir(dir, { recursive: true });

  const lock = await lockDataFolder(dir, {
    logger,
    ...(options.lockStaleMs === undefined ? {} : { staleMs: options.lockStaleMs }),
  });
  try {
    const adapter = new DurableJsonFile(dir, fileName, options.hooks?.afterTempWrite);
    const db = new Low<StoreData>(adapter, emptyStoreData());
    await db.read();
    await removeLeftoverTempFiles(dir, fileName, logger);
    const store = new LowdbStore(db, adapter, lock, logger);
    // Encode everyone's part of the file now, at start, rather than in the first write under load.
    store.serialize();
    return store;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from('}');

/** A caller waiting for its change to be durable, and whose change it was. */
type Waiter = { person: PersonKey; resolve: () => void; reject: (error: unknown) => void };

export class LowdbStore implements Store {
  readonly kind = 'lowdb';
  readonly location: string;
  private readonly people: Record<PersonKey, PersonData>;
  private peopleCount: number;
  /**
   * Everyone changed since the file last took their change, with their data as the file has it
   * (undefined: not in the file). A failed write puts them back to exactly that.
   */
  private readonly onDisk = new Map<PersonKey, PersonData | undefined>();
  /** Changes in memory that no write has started on yet. */
  private waiting: Waiter[] = [];
  private flushScheduled = false;
  private flushing: Promise<void> | null = null;
  private flushes = 0;
  private closing: Promise<void> | null = null;
  /**
   * Each person's part of the file (`"key":{…}`), kept from the last write: a write serialises only
   * the people who changed and joins the rest as they were. Rewriting the whole file stays simple and
   * durable, while JSON.stringify of every person on every write (≈ 130 ms at 10,000 people) does not
   * hold up the event loop.
   */
  private readonly fragments = new Map<PersonKey, Buffer>();
  /** Where the app is installed. */
  private readonly installed: FileSection<InstallationRecord>;
  /** Who has a reminder, and when it is due, as memory has them. */
  private readonly reminders = new ReminderIndex();
  /** Team views answered recently, by scope (see model/team-views.ts). */
  private readonly teamViews: FileSection<KeptTeamView[]>;
  /** Deletions of the last minutes, to refuse requests made before them (see acting.ts). */
  private readonly deleted = new DeletionMarks();

  /** Use openLowdbStore. */
  constructor(
    private readonly db: Low<StoreData>,
    adapter: DurableJsonFile,
    private readonly lock: FolderLock,
    private readonly logger: StoreLogger,
  ) {
    this.location = adapter.file;
    // No prototype, so any person key (even "__proto__") is a plain own property.
    this.people = Object.assign(Object.create(null) as Record<PersonKey, PersonData>, db.data.people);
    this.installed = new FileSection('installations', db.data.installations);
    this.teamViews = new FileSection('teamViews', db.data.teamViews);
    db.data = { formatVersion: FORMAT_VERSION, people: this.people };
    this.peopleCount = Object.keys(this.people).length;
    for (const key in this.people) this.reminders.set(key, this.people[key]);
    adapter.serialize = () => this.serialize();
  }

  /**
   * The whole file, byte for byte as JSON.stringify would write it, as a list of pieces: each person's
   * part is encoded once and reused until they change, and the pieces go to disk as they are (writev),
   * so no write builds the whole file as one string on the event loop.
   */
  serialize(): Buffer[] {
    const pieces: Buffer[] = [Buffer.from(`{"formatVersion":${FORMAT_VERSION},"people":{`)];
    let first = true;
    for (const key in this.people) {
      let fragment = this.fragments.get(key);
      if (fragment === undefined) {
        fragment = Buffer.from(`${JSON.stringify(key)}:${JSON.stringify(this.people[key])}`);
        this.fragments.set(key, fragment);
      }
      if (!first) pieces.push(COMMA);
      pieces.push(fragment);
      first = false;
    }
    // Installations and team views follow the people, only when there are any (files of one
    // workspace from before them stay as they were).
    pieces.push(CLOSE);
    for (const section of [this.installed, this.teamViews]) {
      const json = section.serialized();
      if (json !== undefined) pieces.push(COMMA, json);
    }
    pieces.push(CLOSE);
    return pieces;
  }

  /** How many writes of the file have completed since open (for tests and benchmarks). */
  get flushCount(): number {
    return this.flushes;
  }

  /**
   * The person as the file has them: when a change of theirs is on its way to the file, this waits
   * for that write (and, if it fails, answers with what the file still has).
   */
  async get(person: PersonKey): Promise<Readonly<PersonData>> {
    if (this.onDisk.has(person) && !this.closing) await this.afterNextFlush(person).catch(() => {});
    return this.people[person] ?? EMPTY_PERSON;
  }

  /**
   * Read from memory, like `get`: when a change of any of these people is on its way to the file,
   * this waits for that write first (one write takes every change waiting), so it never shows a
   * choice that the file does not hold yet — or one that failed to reach it and was undone.
   */
  async sharedAssessments(
    persons: readonly PersonKey[],
  ): Promise<Map<PersonKey, Readonly<AssessmentRecord>[]>> {
    const pending = persons.find((person) => this.onDisk.has(person));
    if (pending !== undefined && !this.closing) await this.afterNextFlush(pending).catch(() => {});
    const shared = new Map<PersonKey, Readonly<AssessmentRecord>[]>();
    for (const person of persons) {
      // `people` has no prototype: a key such as "__proto__" is a person like any other.
      const records = this.people[person]?.history.filter((record) => record.inTeamViews === true);
      if (records !== undefined && records.length > 0) shared.set(person, records);
    }
    return shared;
  }

  update<T>(person: PersonKey, change: (data: PersonData) => T, options?: UpdateOptions): Promise<T> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    let applied: ReturnType<typeof applyChange<T>>;
    try {
      const existing = this.people[person];
      // What the next start would refuse never goes into memory, let alone the file.
      applied = applyChange(existing ?? EMPTY_PERSON, change);
      // Someone new, or deleted after the request for this was made.
      if (applied.next !== undefined && existing === undefined) this.deleted.check(person, options?.madeAt);
    } catch (error) {
      return Promise.reject(error);
    }
    const { result, next } = applied;
    if (next === undefined) {
      // Nothing to write; but what `change` decided rests on any change of theirs still on its way.
      return this.onDisk.has(person)
        ? this.afterNextFlush(person).then(() => result)
        : Promise.resolve(result);
    }
    this.replace(person, next);
    return this.afterNextFlush(person).then(() => result);
  }

  forget(person: PersonKey): Promise<number> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const data = this.people[person];
    // Not in memory and no change of theirs on its way to the file: not in the file either.
    if (data === undefined && !this.onDisk.has(person)) return Promise.resolve(0);
    this.deleted.mark(person);
    // Otherwise wait even with nothing to delete: a write under way may still hold their data.
    this.replace(person, undefined);
    const waits = [this.afterNextFlush(person)];
    if (this.forgetInTeamViews(orgOfPerson(person), new Set([userOfPerson(person)])))
      waits.push(this.afterNextFlush(TEAM_VIEWS));
    // Both in the same write, queued in this turn.
    return Promise.all(waits).then(() => (data ? countRecords(data) : 0));
  }

  updateTeamViews<T>(scope: TeamViewScope, change: (kept: KeptTeamView[]) => T): Promise<T> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const key = teamViewsKey(scope);
    const current = this.teamViews.get(key) ?? [];
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
      this.teamViews.change((all) => {
        if (copy.length === 0) delete all[key];
        else all[key] = copy;
      });
    } else if (!this.teamViews.pending) {
      return Promise.resolve(result);
    }
    // Also when nothing changed: what `change` decided rests on what is on its way to the file.
    return this.afterNextFlush(TEAM_VIEWS).then(() => result);
  }

  /**
   * Replaces these users' ids in the org's kept team views with anonymous stand-ins, or drops the
   * org's team views altogether; returns whether anything changed (to be written).
   */
  private forgetInTeamViews(org: string, users: ReadonlySet<string> | 'everyone'): boolean {
    const keys = this.teamViews.keys().filter((key) => scopeOfKey(key)?.org === org);
    const affected = keys.filter(
      (key) => users === 'everyone' || names(this.teamViews.get(key) ?? [], users),
    );
    if (affected.length === 0) return false;
    this.teamViews.change((all) => {
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

  async size(): Promise<number> {
    return this.peopleCount;
  }

  saveInstallation(record: InstallationRecord): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    this.installed.change((installed) => {
      installed[record.id] = structuredClone(record);
    });
    return this.afterNextFlush(INSTALLATIONS);
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
    const current = this.installed.get(expected.id);
    if (current === undefined || !isDeepStrictEqual(current, expected)) {
      if (!this.installed.pending) return Promise.resolve(false);
      return this.afterNextFlush(INSTALLATIONS).then(
        () => false,
        () => false,
      );
    }
    this.installed.change((installed) => {
      installed[next.id] = structuredClone(next);
    });
    return this.afterNextFlush(INSTALLATIONS).then(() => true);
  }

  async installation(id: string): Promise<InstallationRecord | undefined> {
    if (this.installed.pending && !this.closing) await this.afterNextFlush(INSTALLATIONS).catch(() => {});
    const record = this.installed.get(id);
    return record && structuredClone(record);
  }

  async installations(): Promise<InstallationRecord[]> {
    if (this.installed.pending && !this.closing) await this.afterNextFlush(INSTALLATIONS).catch(() => {});
    return this.installed.values().map((record) => structuredClone(record));
  }

  uninstall({ installation, people }: UninstallTarget): Promise<UninstallResult> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    const removed = this.installed.get(installation) !== undefined;
    if (removed)
      this.installed.change((installed) => {
        delete installed[installation];
      });
    const result: UninstallResult = { installation: removed, people: 0, records: 0 };
    const waits: Promise<void>[] = [this.afterNextFlush(INSTALLATIONS)];
    const reach = reachedBy(this.installed.values(), people);
    const { gone, kept } = planUninstall(this.entries(), people, reach);
    const nobodyLeft = !reach.everyone && reach.workspaces.size === 0;
    if (nobodyLeft) {
      // Also those whose deletion is still on its way to the file: wait for it, as forget does.
      for (const key of this.onDisk.keys())
        if (orgOfPerson(key) === people && !gone.includes(key)) gone.push(key);
      this.deleted.mark(people);
    }
    for (const key of gone) {
      const data = this.people[key];
      if (data) {
        result.people++;
        result.records += countRecords(data);
      }
      this.replace(key, undefined);
      this.deleted.mark(key);
      waits.push(this.afterNextFlush(key));
    }
    for (const [key, data] of kept) {
      this.replace(key, data);
      waits.push(this.afterNextFlush(key));
    }
    if (this.forgetInTeamViews(people, nobodyLeft ? 'everyone' : new Set(gone.map(userOfPerson))))
      waits.push(this.afterNextFlush(TEAM_VIEWS));
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
    const due = this.reminders.dueAt(now, limit);
    const claims = await Promise.all(
      due.map((person) => this.update(person, (data) => claimIfDue(data, now, leaseMs, randomUUID()))),
    );
    const claimed: ClaimedReminder[] = [];
    due.forEach((person, i) => {
      const reminder = claims[i];
      if (reminder !== undefined) claimed.push({ person, reminder });
    });
    return claimed;
  }

  /** Everyone with data and their data, as memory has them (for `competency migrate`). */
  *entries(): IterableIterator<[PersonKey, Readonly<PersonData>]> {
    for (const key in this.people) {
      const data = this.people[key];
      if (data !== undefined) yield [key, data];
    }
  }

  async health(): Promise<StoreHealth> {
    const lost = this.lock.lost;
    return {
      kind: this.kind,
      ok: lost === undefined,
      ...(lost ? { problem: 'lost its lock on the data folder; restart it' } : {}),
      people: this.peopleCount,
      writes: this.flushes,
    };
  }

  /** Writes what is pending, then releases the data folder. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    try {
      if (this.flushing) await this.flushing;
      if (this.waiting.length > 0) {
        const failed = await this.flush();
        if (failed !== undefined) throw failed;
      }
    } finally {
      await this.lock.release();
    }
  }

  /** Why no change can be taken now, if so. */
  private refusal(): NotSavedError | undefined {
    if (this.closing)
      return new NotSavedError(`The store at ${this.location} is closed: the app is shutting down.`);
    return this.lock.lost;
  }

  /** Puts `data` in memory for `person` (undefined: deletes them), remembering what the file has. */
  private replace(person: PersonKey, data: PersonData | undefined): void {
    const before = this.people[person];
    if (!this.onDisk.has(person)) this.onDisk.set(person, before);
    if (data === undefined) delete this.people[person];
    else this.people[person] = data;
    this.peopleCount += (data === undefined ? 0 : 1) - (before === undefined ? 0 : 1);
    this.fragments.delete(person);
    this.reminders.set(person, data);
  }

  /** Resolves once a write that starts after this call has made the file durable. */
  private afterNextFlush(person: PersonKey): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ person, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    // A running flush schedules the next one when it ends, so flushes never overlap.
    if (this.flushScheduled || this.flushing) return;
    this.flushScheduled = true;
    // setImmediate, not a microtask: every change made in this turn of the event loop shares one write.
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.flushing && this.waiting.length > 0) void this.flush();
    });
  }

  /** One write for every change waiting; resolves with the error if it failed (never rejects). */
  private flush(): Promise<unknown> {
    const batch = this.waiting;
    this.waiting = [];
    // Everyone changed since the file last took their change, as this write has them.
    const written = new Map<PersonKey, PersonData | undefined>();
    for (const person of this.onDisk.keys()) written.set(person, this.people[person]);
    const installedWritten = this.installed.beforeWrite();
    const teamViewsWritten = this.teamViews.beforeWrite();
    let failure: unknown;
    // A lost lock may mean another process owns the folder now: write nothing over its file.
    const lost = this.lock.lost;
    // db.write() serialises db.data before its first await, so changes made from here on go in the next write.
    const write = lost ? Promise.reject(lost) : this.db.write();
    const running = write.then(
      () => {
        this.flushes++;
        for (const [person, data] of written) {
          // Unchanged since: the file has them as memory does. Changed again: the file has this write's.
          if (this.people[person] === data) this.onDisk.delete(person);
          else this.onDisk.set(person, data);
        }
        this.installed.written(installedWritten);
        this.teamViews.written(teamViewsWritten);
        for (const waiter of batch) waiter.resolve();
      },
      (error: unknown) => {
        failure = error;
        if (installedWritten !== undefined) written.set(INSTALLATIONS, undefined);
        if (teamViewsWritten !== undefined) written.set(TEAM_VIEWS, undefined);
        this.undo(written, batch, error);
      },
    );
    this.flushing = running.finally(() => {
      this.flushing = null;
      if (this.waiting.length > 0 && !this.closing) this.scheduleFlush();
    });
    return this.flushing.then(() => failure);
  }

  /**
   * After a failed write: everyone whose change was in it goes back to what the file holds, and
   * every change of theirs is refused — those in the write, and those queued since, which were made
   * on top of the state that failed. Other people's queued changes go in the next write.
   */
  private undo(written: Map<PersonKey, PersonData | undefined>, batch: Waiter[], error: unknown): void {
    // The installations go back to what the file has; changes of them queued since are refused below.
    if (written.has(INSTALLATIONS)) this.installed.undo();
    if (written.has(TEAM_VIEWS)) this.teamViews.undo();
    for (const person of written.keys()) {
      if (person === INSTALLATIONS || person === TEAM_VIEWS) continue;
      const before = this.people[person];
      const onDisk = this.onDisk.get(person);
      if (onDisk === undefined) delete this.people[person];
      else this.people[person] = onDisk;
      this.peopleCount += (onDisk === undefined ? 0 : 1) - (before === undefined ? 0 : 1);
      this.fragments.delete(person);
      this.reminders.set(person, onDisk);
      this.onDisk.delete(person);
    }
    const notSaved =
      error instanceof NotSavedError
        ? error
        : new NotSavedError(`Could not save to ${this.location}. Nothing was saved.`, { cause: error });
    const later = this.waiting.filter((waiter) => written.has(waiter.person));
    this.waiting = this.waiting.filter((waiter) => !written.has(waiter.person));
    this.logger.error(
      `Could not save ${batch.length} change(s) of ${written.size} person(s) to ${this.location}; ` +
        `they were undone, with ${later.length} later change(s) of the same people (memory equals the file again):`,
      error,
    );
    for (const waiter of batch) waiter.reject(notSaved);
    const builtOnFailed = new NotSavedError(
      `Not applied: an earlier change of the same person could not be saved to ${this.location}. Nothing was saved.`,
      { cause: notSaved },
    );
    for (const waiter of later) waiter.reject(builtOnFailed);
  }
}

/**
 * Stands for the installations among the keys of people waiting for a write (no person key starts
 * with a NUL character).
 */
const INSTALLATIONS = '\u0000installations';
/** Stands for the team views among them, likewise. */
const TEAM_VIEWS = '\u0000teamViews';

/**
 * A part of the file besides the people, changed as a whole and written with them (installations,
 * team views): what
 * memory has; what the file has while a change is on its way (a failed write puts it back); and its
 * JSON, kept until it changes, so that a write of other changes does not encode it again.
 */
class FileSection<T> {
  private current: Record<string, T>;
  private onDisk: Record<string, T> | null = null;
  private version = 0;
  private json: Buffer | undefined;

  constructor(
    private readonly field: string,
    initial: Record<string, T> | undefined,
  ) {
    // No prototype: keys are data (ids), never Object's own names.
    this.current = Object.assign(Object.create(null) as Record<string, T>, initial);
  }

  get(key: string): T | undefined {
    return Object.hasOwn(this.current, key) ? this.current[key] : undefined;
  }

  keys(): string[] {
    return Object.keys(this.current);
  }

  values(): T[] {
    return Object.values(this.current);
  }

  /** Whether a change is on its way to the file. */
  get pending(): boolean {
    return this.onDisk !== null;
  }

  /** Changes memory (a copy of the section, so what the file has stays as it was until written). */
  change(apply: (all: Record<string, T>) => void): void {
    this.onDisk ??= this.current;
    const next = Object.assign(Object.create(null) as Record<string, T>, this.current);
    apply(next);
    this.current = next;
    this.version++;
    this.json = undefined;
  }

  /** `"field":{…}` for the file, or undefined when the section is empty (then it is left out). */
  serialized(): Buffer | undefined {
    if (Object.keys(this.current).length === 0) return undefined;
    this.json ??= Buffer.from(`${JSON.stringify(this.field)}:${JSON.stringify(this.current)}`);
    return this.json;
  }

  /** At the start of a write: what it writes (undefined when the section has no change on its way). */
  beforeWrite(): { data: Record<string, T>; version: number } | undefined {
    return this.onDisk === null ? undefined : { data: this.current, version: this.version };
  }

  /** The write took `snapshot`: the file has it now, and memory equals the file unless changed since. */
  written(snapshot: { data: Record<string, T>; version: number } | undefined): void {
    if (snapshot === undefined) return;
    this.onDisk = this.version === snapshot.version ? null : snapshot.data;
  }

  /** The write failed: back to what the file has; every change since is dropped too. */
  undo(): void {
    if (this.onDisk === null) return;
    this.current = this.onDisk;
    this.onDisk = null;
    this.version++;
    this.json = undefined;
  }
}

/** What `get` returns for someone new: frozen, so writing to it throws instead of vanishing. */
const EMPTY_PERSON: Readonly<PersonData> = Object.freeze({
  ratings: Object.freeze({}),
  drafts: Object.freeze({}),
  history: Object.freeze([]) as unknown as PersonData['history'],
});
