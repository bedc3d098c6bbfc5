/**
 * What the app keeps about people: their self-ratings, the assessment they are in the middle of,
 * and the assessments they finished. The domain depends on the Store interface only; the lowdb
 * file store is the embedded default (lowdb-store.ts), and memory-store.ts serves tests.
 */

/** Who a record belongs to: `<workspace or Enterprise Grid org id>:<user id>`, e.g. `T0123:U0456`. */
export type PersonKey = string;

/** A self-rating on the 1–5 scale, or "not applicable" to this person's work. */
export type RatingValue = 1 | 2 | 3 | 4 | 5 | 'na';

export type StoredRating = {
  value: RatingValue;
  /** When it was given (ISO 8601). */
  at: string;
  /** The framework version the person saw when they rated. */
  frameworkVersion: string;
};

/** An assessment in progress, one per person and framework: where they are, so they can come back to it. */
export type Draft = {
  /** New for each run through the competencies; a finished assessment keeps it as its id. */
  sessionId: string;
  frameworkId: string;
  frameworkVersion: string;
  levelId: string;
  /** Index of the competency being shown (0-based); equal to the number of competencies once finished. */
  position: number;
  status: 'rating' | 'finished';
  startedAt: string;
  updatedAt: string;
};

/** One competency of a finished assessment, with the expectations as they were at the time. */
export type AssessedCompetency = {
  id: string;
  name: string;
  category: string;
  tier: 'primary' | 'supporting';
  expected: number;
  /** Expected at the next level up, when there is one. */
  nextExpected: number | null;
  /** `null` when the person skipped it. */
  rating: RatingValue | null;
};

/** A finished assessment: a snapshot, so later edits of the framework do not move past goalposts. */
export type AssessmentRecord = {
  id: string;
  frameworkId: string;
  frameworkVersion: string;
  roleName: string;
  domainName: string;
  levelId: string;
  levelName: string;
  nextLevelName: string | null;
  finishedAt: string;
  competencies: AssessedCompetency[];
  /**
   * The person chose to include this assessment in team views (`/competency team`): only totals of
   * everyone who chose so, never who said what. Absent (the default) means not included; data files
   * from before team views have no such field and load as they are. At most one assessment per
   * framework and level carries it: including one leaves the others of the same framework and level.
   */
  inTeamViews?: true;
};

/**
 * Where a review request stands: `asked` (sent, not started), `rating` (the reviewer is going through
 * the competencies), `finished`, `declined` (by the reviewer) or `withdrawn` (by the person reviewed).
 */
export type ReviewStatus = 'asked' | 'rating' | 'finished' | 'declined' | 'withdrawn';

/**
 * A colleague's review of one finished assessment: asked for by the person reviewed, who chose the
 * reviewer; never taken. Kept in the record of the person reviewed (`PersonData.reviews`), so every
 * change of a review — asked, started, each answer, finished, declined, withdrawn — is one
 * `store.update` of that one person, like every other change. The reviewer's record keeps only an
 * index of the reviews they were asked for (`PersonData.reviewsGiven`), so that forgetting the
 * reviewer can find and delete what they gave, and their export can include it.
 */
export type Review = {
  /** Random; new for each request, so buttons of an older request of the same pair do nothing. */
  id: string;
  /** The finished assessment this review is about: its id in the reviewed person's history. */
  assessmentId: string;
  /** The reviewer's person key (same org or workspace as the person reviewed). */
  reviewer: PersonKey;
  /** The reviewer's Slack user id, to send them the request and to mention them. */
  reviewerUserId: string;
  /** The reviewer's name as Slack gave it (a mention's label, or their clicks), for the chart's legend. */
  reviewerName?: string;
  status: ReviewStatus;
  /** Index of the competency the reviewer is on (0-based); the number of competencies once finished. */
  position: number;
  /**
   * The reviewer's answers: competency id (of the assessment) → rating, `null` when skipped. Empty
   * until they start; emptied again when the request is declined or withdrawn before it finished.
   */
  answers: Record<string, RatingValue | null>;
  askedAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** The direct message the request was sent as, to mark it withdrawn there. */
  requestMessage?: { channel: string; ts: string };
};

/** An entry of a reviewer's index: the review `id` kept in the record of person `of`. */
export type ReviewGiven = { of: PersonKey; id: string };

/** How often a check-in reminder comes. */
export type Cadence = 'monthly' | 'quarterly';

/**
 * A person's check-in reminder (see src/reminders/reminders.ts), kept in their record so that
 * forgetting them, uninstalling and exporting reach it like everything else.
 */
export type ReminderSetting = {
  cadence: Cadence;
  /** What the check-in asks about. */
  frameworkId: string;
  levelId: string;
  /** Whom, and through which workspace or org install. */
  userId: string;
  teamId: string;
  enterpriseId?: string;
  /** IANA zone from Slack's users.info; 'UTC' when unknown. */
  timeZone: string;
  /** ISO 8601 UTC: when the next one is due. */
  dueAt: string;
  /** A sending instance holds it until `until` (ISO 8601 UTC); then anyone may claim it again. */
  claim?: { id: string; until: string };
  lastSentAt?: string;
  snoozedAt?: string;
  setAt: string;
};

/** A reminder claimed by `Store.claimDueReminders`, with its claim. */
export type ClaimedReminder = { person: PersonKey; reminder: ReminderSetting };

export type PersonData = {
  /** Current self-ratings: framework id → competency id → rating. */
  ratings: Record<string, Record<string, StoredRating>>;
  /** Assessment in progress (or last finished) per framework id. */
  drafts: Record<string, Draft>;
  /** Finished assessments, oldest first. */
  history: AssessmentRecord[];
  /**
   * Reviews of this person's assessments that they asked colleagues for (see Review), oldest first.
   * Absent in data files from before reviews (format version 1 all the same) and for people who never
   * asked: both read as "none".
   */
  reviews?: Review[];
  /** Reviews this person was asked to give, kept in the records of the people reviewed (see Review). */
  reviewsGiven?: ReviewGiven[];
  /** The person's check-in reminder, when they asked for one. */
  reminder?: ReminderSetting;
  /**
   * The workspaces of an Enterprise Grid org this person used the app from (their key is the org's,
   * so it does not say): when an installation goes, whether another one still reaches them depends on
   * it (see `Store.uninstall`). Absent outside Grid, and for data written before it was kept.
   */
  workspaces?: string[];
};

export const emptyPerson = (): PersonData => ({ ratings: {}, drafts: {}, history: [] });

/** The org part of a person key (`T0123` of `T0123:U0456`): their Enterprise Grid org, else their workspace. */
export function orgOfPerson(person: PersonKey): string {
  const colon = person.indexOf(':');
  return colon < 0 ? person : person.slice(0, colon);
}

/** The user part of a person key (`U0456` of `T0123:U0456`). */
export function userOfPerson(person: PersonKey): string {
  const colon = person.indexOf(':');
  return colon < 0 ? person : person.slice(colon + 1);
}

/** Whether the person has any record at all (a key with nothing under it is not kept). */
export function hasRecords(data: Readonly<PersonData>): boolean {
  return countRecords(data) > 0;
}

/**
 * Adds `workspace` to the workspaces the person used the app from, when they belong to an Enterprise
 * Grid org (their key is the org's, not the workspace's) and have records to keep. Returns whether
 * it changed anything.
 */
export function noteWorkspace(data: PersonData, person: PersonKey, workspace: string): boolean {
  if (workspace === orgOfPerson(person) || !hasRecords(data)) return false;
  if (data.workspaces?.includes(workspace)) return false;
  data.workspaces = [...(data.workspaces ?? []), workspace];
  return true;
}

/**
 * A team view that was answered: who contributed to one role × level, and who rated each competency
 * it showed — ids only, no rating — kept so that a later answer that differs from it by fewer than K
 * people is not given (src/assessments/team.ts explains the rule). Kept per org, framework and level.
 */
export type KeptTeamView = {
  /** When it was last answered (ISO 8601); forgotten once older than the window. */
  at: string;
  /**
   * The contributors, one per person: `<user id>#<assessment id>`, so that a person who includes
   * another assessment is another contributor. Forgetting a person replaces theirs with an anonymous
   * stand-in (see team-view-records.ts), which still counts as one person who changed.
   */
  contributors: string[];
  /** The competencies it showed, each with the contributors who did not rate it 1–5 (n/a or skipped). */
  shown: Record<string, string[]>;
};

/** Which kept team views a change is about: one org's, for one framework and level. */
export type TeamViewScope = { org: string; frameworkId: string; levelId: string };

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

/** Which implementation a store is: the embedded file, PostgreSQL, or memory (unit tests). */
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
};

/**
 * What the app keeps about people, behind one asynchronous contract that every implementation meets
 * (test/store/contract.test.ts runs the same tests against each).
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
   * team views — all in one durable step, so it never stops half way. Idempotent: a second call
   * finds nothing.
   */
  uninstall(target: UninstallTarget): Promise<UninstallResult>;

  /**
   * Claims up to `limit` people whose reminder is due at `now` (effectiveDueAt ≤ now), earliest
   * first: each gets `claim: { id: <random>, until: now + leaseMs }`, durably, and is returned with it.
   * Two instances never claim the same one (PostgreSQL: FOR UPDATE SKIP LOCKED).
   */
  claimDueReminders(now: Date, limit: number, leaseMs: number): Promise<ClaimedReminder[]>;
}

/**
 * Where the app is installed: one workspace, or a whole Enterprise Grid org (an org-wide install).
 * What Slack gave at install time is kept as it is, with its tokens already encrypted by the caller:
 * the store never sees a token in clear.
 */
export type InstallationRecord = {
  /** The org's id (`E…`) for an org-wide install, else the workspace's (`T…`). */
  id: string;
  /** The Enterprise Grid org this installation belongs to (its own id for an org-wide install); null outside Grid. */
  enterpriseId: string | null;
  /** Slack's installation (Bolt's `Installation`), tokens encrypted. */
  installation: Record<string, unknown>;
  /** When it was first installed and last changed (ISO 8601). */
  installedAt: string;
  updatedAt: string;
};

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
};

/** Whether `record` still covers the people whose keys start with `people`. */
export function covers(record: Pick<InstallationRecord, 'id' | 'enterpriseId'>, people: string): boolean {
  return record.id === people || record.enterpriseId === people;
}

/**
 * Who the installations left after an uninstall still reach, of the people keyed under `people` (a
 * workspace, or an Enterprise Grid org): everyone, when one of them is the workspace's own or the
 * org's org-wide install; else, in a Grid org that keeps some workspace installs, the people who used
 * the app from one of those workspaces (`PersonData.workspaces`); else nobody. Someone whose
 * workspaces were never recorded is not known to be reached, so their data goes.
 */
export function reachedBy(
  remaining: readonly Pick<InstallationRecord, 'id' | 'enterpriseId'>[],
  people: string,
): { everyone: true } | { everyone: false; workspaces: Set<string> } {
  const covering = remaining.filter((record) => covers(record, people));
  if (covering.some((record) => record.id === people)) return { everyone: true };
  return { everyone: false, workspaces: new Set(covering.map((record) => record.id)) };
}

/** Whether a person with this data is reached by what `reachedBy` found. */
export function isReached(
  data: Readonly<Pick<PersonData, 'workspaces'>>,
  reach: ReturnType<typeof reachedBy>,
): boolean {
  if (reach.everyone) return true;
  return (data.workspaces ?? []).some((workspace) => reach.workspaces.has(workspace));
}

/**
 * What an uninstall does to the people of one workspace or org (`people`), given who is still reached:
 * who goes, and what is left of those who stay but hold reviews by or for someone who goes (a review
 * they were given, or the index entry of one they gave). Pure: the stores carry it out.
 */
export function planUninstall(
  everyone: Iterable<readonly [PersonKey, Readonly<PersonData>]>,
  people: string,
  reach: ReturnType<typeof reachedBy>,
): { gone: PersonKey[]; kept: Map<PersonKey, PersonData> } {
  const gone: PersonKey[] = [];
  const staying: (readonly [PersonKey, Readonly<PersonData>])[] = [];
  for (const entry of everyone) {
    if (orgOfPerson(entry[0]) !== people) continue;
    if (isReached(entry[1], reach)) staying.push(entry);
    else gone.push(entry[0]);
  }
  const kept = new Map<PersonKey, PersonData>();
  if (gone.length === 0) return { gone, kept };
  const goneSet = new Set(gone);
  for (const [key, data] of staying) {
    const next = withoutReviewsOf(data, goneSet);
    if (next !== undefined) kept.set(key, next);
  }
  return { gone, kept };
}

/**
 * The person's data without the reviews given by these people and without the index entries of
 * reviews they gave to these people; undefined when there are none.
 */
export function withoutReviewsOf(
  data: Readonly<PersonData>,
  gone: ReadonlySet<PersonKey>,
): PersonData | undefined {
  const reviews = data.reviews?.filter((review) => !gone.has(review.reviewer));
  const given = data.reviewsGiven?.filter((entry) => !gone.has(entry.of));
  if (reviews?.length === data.reviews?.length && given?.length === data.reviewsGiven?.length)
    return undefined;
  const next = structuredClone(data) as PersonData;
  if (reviews === undefined || reviews.length === 0) delete next.reviews;
  else next.reviews = reviews;
  if (given === undefined || given.length === 0) delete next.reviewsGiven;
  else next.reviewsGiven = given;
  return next;
}

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

/**
 * Counts what `forget` removes: each rating, draft and finished assessment is one record; so is each
 * review of the person's assessments, and each review they gave (kept in someone else's record, and
 * deleted along with theirs: see reviews.ts), and a check-in reminder.
 */
export function countRecords(data: Readonly<PersonData>): number {
  const ratings = Object.values(data.ratings).reduce((sum, r) => sum + Object.keys(r).length, 0);
  const reviews = (data.reviews?.length ?? 0) + (data.reviewsGiven?.length ?? 0);
  const reminder = data.reminder === undefined ? 0 : 1;
  return ratings + Object.keys(data.drafts).length + data.history.length + reviews + reminder;
}
