/**
 * The Store: one asynchronous contract for keeping what the app knows about people and installations,
 * met by every implementation — memory (memory-store.ts, for tests), the data file (file/, the
 * embedded default) and PostgreSQL (postgres/, for several instances) — and proven by one contract
 * suite (test/store/contract/); open.ts opens the one the configuration names. The data it
 * keeps is defined in src/model/ (the data file's format in schema.ts); the errors a store answers
 * with are defined here.
 */

import type { MonthlyCount, OrgData } from '../model/org-data.js';
import type { PersonKey } from '../model/person.js';
import type {
  AssessmentRecord,
  ClaimedReminder,
  InstallationRecord,
  KeptTeamView,
  PersonData,
  TeamViewScope,
} from '../model/records.js';

/** Where a store says what operators should know (Bolt's logger fits). */
export type StoreLogger = {
  info(...parts: unknown[]): void;
  warn(...parts: unknown[]): void;
  error(...parts: unknown[]): void;
};

/** What a change says about the request that asks for it. */
export type UpdateOptions = {
  /**
   * When the person asked for it (Slack's time of the click, or when a form was opened): a deletion
   * after that moment is not undone by it. Every change made for a request that may create someone's
   * record passes it (starting an assessment, the Rate all form, a review's index).
   */
  madeAt?: Date;
};

/** How long a store remembers a deletion (the key and when, nothing else), to refuse requests made before it. */
export const DELETION_MEMORY_MS = 15 * 60_000;

/**
 * Which implementation a store is: the embedded file (`lowdb`, the name operators know it by in
 * metrics labels, GET /healthz and logs), PostgreSQL, or memory (unit tests).
 */
export type StoreKind = 'lowdb' | 'postgres' | 'memory';

/** How a store is doing, for GET /healthz and the start-up log. */
export type StoreHealth = {
  kind: StoreKind;
  /** False while the store cannot take changes (the database is unreachable, the file store lost its lock). */
  ok: boolean;
  /** Why not, in a few words for operators; no secrets. */
  problem?: string;
  /** How many people have data, when the store can say. */
  people?: number;
  /** How many writes this process has made since the store was opened. */
  writes: number;
  /**
   * The file store only: how long its data file is as the next write would have it, and the most it may
   * be, both in UTF-16 code units (see src/store/file/limit.ts). Near the limit the store still takes
   * changes (`ok`), but refuses those that would pass it.
   */
  dataFile?: { length: number; limit: number };
};

/**
 * What the app keeps about people, behind one asynchronous contract that every implementation meets
 * (the tests in test/store/contract/ run the same tests against each).
 *
 * `update(person, change)` is the unit of consistency: everything a change reads and writes happens
 * inside it (one transaction in PostgreSQL, one group-commit turn in the file store), so a decision
 * is never taken from a read made outside the update that acts on it. `change` is synchronous: it
 * gets a copy of the person's data as it is now, may change it, and returns what the caller needs.
 */
export interface Store {
  readonly kind: StoreKind;
  /** Where the data lives, for log lines (a file path, a database without its password, or `memory`). */
  readonly location: string;
  /** The person's data as it is now; empty for someone new. Read only: change it with `update`. */
  get(person: PersonKey): Promise<Readonly<PersonData>>;
  /**
   * For a team view: the finished assessments that each of these people chose to include in team
   * views (`inTeamViews`), oldest first, as their history has them. People with none, or with no data,
   * are absent from the map; a key given twice counts once. Nothing else about anyone (their ratings,
   * drafts, assessments they did not include) leaves the store here. Read only, like `get`. Any
   * number of people: the store reads them in batches.
   */
  sharedAssessments(persons: readonly PersonKey[]): Promise<Map<PersonKey, Readonly<AssessmentRecord>[]>>;
  /**
   * Changes the team views kept for one org, framework and level (KeptTeamView), as `update` changes
   * a person: `change` runs on a copy (maybe more than once) and what it leaves is stored, durably,
   * before the promise resolves; changes of the same scope take turns, here and in other instances,
   * so two team views answered at once each see the other.
   */
  updateTeamViews<T>(scope: TeamViewScope, change: (kept: KeptTeamView[]) => T): Promise<T>;
  /**
   * Changes one person's data. `change` runs on a copy (and may run more than once, when the store
   * retries a transaction: it must only change its copy and return), which replaces the stored data only if it
   * returns without throwing and the copy still has the data file's format; a copy left as it was is
   * not written at all. Resolves with what `change` returned, once the change is durable (and once
   * any earlier change of this person it was built on is durable). Rejects with whatever `change`
   * threw, or with a NotSavedError (InvalidPersonDataError when the copy does not fit the format,
   * StoreUnavailableError when the store cannot be reached): then nothing changed. Rarely, with an
   * OutcomeUnknownError: the connection went while the change was being committed.
   *
   * A deletion is never undone by a request already on its way: a change that would create a record
   * for someone whose data was deleted (`forget`, or `uninstall` of their org) after `madeAt` is
   * refused with DeletedMeanwhileError. Deletions are remembered for DELETION_MEMORY_MS.
   */
  update<T>(person: PersonKey, change: (data: PersonData) => T, options?: UpdateOptions): Promise<T>;
  /**
   * Deletes everything kept about a person, durably: their record, and their id in the team views
   * kept for their org (replaced by an anonymous stand-in). Resolves with how many records went;
   * rejects with a NotSavedError when nothing was deleted. For a while after, a change that would
   * bring them back and was asked for before the deletion is refused (DeletedMeanwhileError: see
   * `update`).
   */
  forget(person: PersonKey): Promise<number>;
  /**
   * What an org keeps of its own (OrgData: its published frameworks, the bundled ones it hides, its
   * settings and change log) as it is now; empty, with revision 0, for an org with none. `org` is a
   * workspace id, or an Enterprise Grid org's id for an org-wide install. Read only: change it with
   * `updateOrgData`.
   */
  orgData(org: string): Promise<Readonly<OrgData>>;
  /**
   * The org's `revision` as `orgData` would give it (0 for an org with none), in one cheap read (in
   * PostgreSQL one indexed SELECT of that column only): for an instance to tell whether what it
   * cached of the org is still current, before every use.
   */
  orgRevision(org: string): Promise<number>;
  /**
   * For an org's admins: per framework, level and month (UTC), how many of the org's people (their
   * key's org) finished an assessment then, each person once per cell. Counts only, in no order; the
   * caller leaves out what is below K.
   */
  finishedPerMonth(org: string): Promise<MonthlyCount[]>;
  /**
   * Changes what an org keeps of its own, as `update` changes a person: `change` runs on a copy (maybe
   * more than once) while the org's changes take turns, here and in other instances (PostgreSQL: its
   * row locked); what it leaves is stored, durably, before the promise resolves, with a greater
   * `revision` (the store's: whatever `change` sets it to is ignored) and the change log cut to its
   * last ORG_LOG_LIMIT entries. A copy left as it was is not written, and the revision stays. Rejects
   * with whatever `change` threw, or with a NotSavedError (InvalidOrgDataError when the copy does not
   * fit the data file's format): then nothing changed. `madeAt`, as for `update`: an org with no record
   * that was deleted after then (its app removed) gets none made by this change (DeletedMeanwhileError).
   */
  updateOrgData<T>(org: string, change: (data: OrgData) => T, options?: UpdateOptions): Promise<T>;
  /** How many people have data (for the start-up log line). */
  size(): Promise<number>;
  /** Whether the store can take changes now, and its figures. Never rejects. */
  health(): Promise<StoreHealth>;
  /** Writes what is pending and lets go of what it holds (the data folder, the connection pool). */
  close(): Promise<void>;

  /** Keeps an installation of the app (replacing one with the same id), durably. */
  saveInstallation(record: InstallationRecord): Promise<void>;
  /**
   * Replaces the installation `expected` (as `installation` or `installations` gave it) with `next`
   * (same id), durably, only if the store still has it exactly as `expected`: true when written;
   * false, and nothing written, when it changed meanwhile or is gone. Never adds an installation. For
   * work that must not undo a change made meanwhile (a refreshed token, an uninstall), such as
   * re-encrypting tokens under a new key.
   */
  replaceInstallation(expected: InstallationRecord, next: InstallationRecord): Promise<boolean>;
  /** The installation with this id (a workspace's or an org's), if the app is installed there. */
  installation(id: string): Promise<InstallationRecord | undefined>;
  /** Every installation, in no particular order (for re-encrypting tokens under a new key). */
  installations(): Promise<InstallationRecord[]>;
  /**
   * The app was uninstalled: deletes the installation `installation`, and then everyone whose person
   * key starts with `people` (`<people>:<user>`) whom no remaining installation reaches (see
   * `reachedBy`): their records, the reviews they gave (kept with colleagues) and their ids in kept
   * team views — all in one durable step, so it never stops half way; in the same step, the own data
   * (`orgData`) of every org the uninstall leaves without an installation (see `orgsLeftBehind`).
   * Idempotent: a second call finds nothing.
   */
  uninstall(target: UninstallTarget): Promise<UninstallResult>;

  /**
   * Claims up to `limit` people whose reminder is due at `now` (effectiveDueAt ≤ now), earliest
   * first: each gets `claim: { id: <random>, until: now + leaseMs }`, durably, and is returned with it.
   * Two instances never claim the same one (PostgreSQL: FOR UPDATE SKIP LOCKED).
   */
  claimDueReminders(now: Date, limit: number, leaseMs: number): Promise<ClaimedReminder[]>;
}

export type UninstallTarget = {
  /** The installation to delete: an org id for an org-wide install, else a workspace id. */
  installation: string;
  /**
   * Whose data goes with it: the first part of their person keys (the org id in Enterprise Grid, else
   * the workspace id). Kept while another installation of the same org or workspace remains.
   */
  people: string;
};

export type UninstallResult = {
  /** Whether an installation was there to delete. */
  installation: boolean;
  /** How many people's data was deleted, and how many records they held. */
  people: number;
  records: number;
  /** Whether an org's own data (its frameworks, settings and change log: `orgData`) was deleted. */
  orgData: boolean;
};

// ---------------------------------------------------------------------------------------------
// Errors

/** A problem with the store that an operator has to fix (the message says how). */
export class StoreError extends Error {
  override name = 'StoreError';
}

/**
 * This change was not applied: nothing was saved, or nothing was deleted, in memory or on disk.
 * The person can be told exactly that, and to try again; the cause (a full disk, say) is for the log.
 */
export class NotSavedError extends StoreError {
  override name = 'NotSavedError';
}

/**
 * The store cannot be reached right now (the database is down or unreachable): nothing was saved or
 * read. The person is told to try again in a minute; the store recovers by itself when it returns.
 */
export class StoreUnavailableError extends NotSavedError {
  override name = 'StoreUnavailableError';
}

/**
 * The connection was lost while a change was being committed: it may or may not have been saved.
 * The person is told exactly that, and where to look; the store recovers by itself.
 */
export class OutcomeUnknownError extends StoreError {
  override name = 'OutcomeUnknownError';
}

/**
 * The change would have brought back a person whose data was deleted (`/competency forget`, or the
 * app removed) after they asked for it (a click made just before, arriving just after): refused,
 * nothing saved, so a deletion is never undone by a request already on its way.
 */
export class DeletedMeanwhileError extends NotSavedError {
  override name = 'DeletedMeanwhileError';
}

/**
 * The change would have made the data file longer than the app can read back at its next start (the
 * file store's limit, see src/store/file/limit.ts): refused, nothing saved, in memory or on disk. Only
 * moving the data to PostgreSQL (`competency migrate`) makes room; the message tells the operator so.
 */
export class DataFileFullError extends NotSavedError {
  override name = 'DataFileFullError';
}

/** A change would have left the person's data in a shape the data file does not allow: refused. */
export class InvalidPersonDataError extends NotSavedError {
  override name = 'InvalidPersonDataError';
  /** What is wrong, one line per field, e.g. `history[0].competencies[0].expected: required field is missing`. */
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    const shown = issues.slice(0, 3).join('; ');
    const more = issues.length > 3 ? `; and ${issues.length - 3} more` : '';
    super(
      `Refused a change that does not fit the data file's format (${shown}${more}). Nothing was saved. ` +
        'This is a bug in the app or in a framework file: report it with this message.',
    );
    this.issues = issues;
  }
}

/** A change would have left an org's own data (OrgData) in a shape the data file does not allow: refused. */
export class InvalidOrgDataError extends NotSavedError {
  override name = 'InvalidOrgDataError';
  /** What is wrong, one line per field, e.g. `frameworks[0].versions: expected at least one version`. */
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    const shown = issues.slice(0, 3).join('; ');
    const more = issues.length > 3 ? `; and ${issues.length - 3} more` : '';
    super(
      `Refused a change of an org's frameworks or settings that does not fit the data file's format (${shown}${more}). ` +
        'Nothing was saved. This is a bug in the app: report it with this message.',
    );
    this.issues = issues;
  }
}
