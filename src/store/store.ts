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
};

export type PersonData = {
  /** Current self-ratings: framework id → competency id → rating. */
  ratings: Record<string, Record<string, StoredRating>>;
  /** Assessment in progress (or last finished) per framework id. */
  drafts: Record<string, Draft>;
  /** Finished assessments, oldest first. */
  history: AssessmentRecord[];
};

export const emptyPerson = (): PersonData => ({ ratings: {}, drafts: {}, history: [] });

export interface Store {
  /** Where the data lives, for log lines (a file path, or `memory`). */
  readonly location: string;
  /** The person's data as it is now; empty for someone new. Read only: change it with `update`. */
  get(person: PersonKey): Readonly<PersonData>;
  /**
   * Changes one person's data. `change` runs on a copy, which replaces the stored data only if it
   * returns without throwing and the copy still has the data file's format. Resolves with what
   * `change` returned, once the change is durable. Rejects with whatever `change` threw, or with a
   * NotSavedError (InvalidPersonDataError when the copy does not fit the format): then nothing
   * changed, in memory or on disk.
   */
  update<T>(person: PersonKey, change: (data: PersonData) => T): Promise<T>;
  /**
   * Deletes everything kept about a person, durably. Resolves with how many records went; rejects
   * with a NotSavedError when nothing was deleted.
   */
  forget(person: PersonKey): Promise<number>;
  /** How many people have data (for the start-up log line and health). */
  size(): number;
  /** How many times the data has been written since it was opened (health and benchmarks). */
  writes(): number;
  /**
   * False once the store cannot take changes any more and only a restart helps (the lowdb store
   * lost its lock on the data folder): GET /healthz answers 503 then.
   */
  healthy(): boolean;
  /** Writes what is pending and releases the data folder. */
  close(): Promise<void>;
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

/** Counts what `forget` removes: each rating, draft and finished assessment is one record. */
export function countRecords(data: Readonly<PersonData>): number {
  const ratings = Object.values(data.ratings).reduce((sum, r) => sum + Object.keys(r).length, 0);
  return ratings + Object.keys(data.drafts).length + data.history.length;
}
