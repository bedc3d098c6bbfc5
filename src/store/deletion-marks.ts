import { orgOfPerson, type PersonKey } from '../model/person.js';
import { DELETION_MEMORY_MS, DeletedMeanwhileError } from './store.js';

/** The refusal of a change that would undo a deletion made after the request asked for it. */
export function deletedMeanwhile(): DeletedMeanwhileError {
  return new DeletedMeanwhileError(
    'Not saved: this was asked for before the data it would change was deleted, and would have brought it back.',
  );
}

/**
 * What a store of one process remembers of recent deletions, to refuse a request made before one
 * that would bring the person back (see Store.update): the key deleted (a person's, or a whole org's
 * after an uninstall) and when, for DELETION_MEMORY_MS; nothing else. The PostgreSQL store keeps the
 * same in its table `deletions`, for every instance to see.
 */
export class DeletionMarks {
  private readonly marks = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Remembers that `key` (a person key, or an org or workspace id) was deleted now. */
  mark(key: string): void {
    const now = this.now();
    for (const [k, at] of this.marks) if (now - at > DELETION_MEMORY_MS) this.marks.delete(k);
    this.marks.set(key, now);
  }

  /**
   * Throws DeletedMeanwhileError when creating a record for `person` now would undo a deletion (the
   * person's own, or their org's) made after `madeAt`.
   */
  check(person: PersonKey, madeAt: Date | undefined): void {
    this.checkKeys([person, orgOfPerson(person)], madeAt);
  }

  /** The same for any keys: an org's id, for its own record (Store.updateOrgData). */
  checkKeys(keys: readonly string[], madeAt: Date | undefined): void {
    if (madeAt === undefined || this.marks.size === 0) return;
    const after = madeAt.getTime();
    for (const key of keys) {
      const at = this.marks.get(key);
      if (at !== undefined && at > after && this.now() - at <= DELETION_MEMORY_MS) throw deletedMeanwhile();
    }
  }
}
