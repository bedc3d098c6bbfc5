import type { PersonKey } from '../model/person.js';
import type { PersonData } from '../model/records.js';
import { effectiveDueAt } from '../model/reminders.js';

/**
 * Who has a reminder and when it is due (effectiveDueAt, in ms), for the stores that keep everyone
 * in memory (the file store, memory): kept up to date on every change, so claiming what is due reads only the
 * people with a reminder, as numbers, instead of everyone's data.
 */
export class ReminderIndex {
  private readonly due = new Map<PersonKey, number>();
  /**
   * No reminder is due before this (a lower bound: the earliest seen by the last full pass, or set
   * since), so the usual minute-by-minute look when nothing is due reads nothing at all.
   */
  private earliest = Number.NEGATIVE_INFINITY;

  /** Records `person`'s data as it is now (undefined: they have none). */
  set(person: PersonKey, data: Readonly<PersonData> | undefined): void {
    const reminder = data?.reminder;
    if (reminder === undefined) this.due.delete(person);
    else {
      const at = Date.parse(effectiveDueAt(reminder));
      this.due.set(person, at);
      if (at < this.earliest) this.earliest = at;
    }
  }

  /**
   * Up to `limit` people whose reminder is due at `now`, earliest first (then by key). One pass,
   * keeping only the earliest `limit` found, so even 100,000 reminders all due cost a few ms a batch.
   */
  dueAt(now: Date, limit: number): PersonKey[] {
    if (limit <= 0) return [];
    const cutoff = now.getTime();
    if (cutoff < this.earliest) return [];
    let earliest = Number.POSITIVE_INFINITY;
    // The earliest found so far, in order; at most `limit` of them.
    const found: [PersonKey, number][] = [];
    for (const [person, at] of this.due) {
      if (at < earliest) earliest = at;
      if (at > cutoff) continue;
      if (found.length === limit) {
        const last = found[limit - 1] as [PersonKey, number];
        if (!before(person, at, last)) continue;
        found.pop();
      }
      let low = 0;
      let high = found.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        const entry = found[mid] as [PersonKey, number];
        if (before(entry[0], entry[1], [person, at])) low = mid + 1;
        else high = mid;
      }
      found.splice(low, 0, [person, at]);
    }
    // Those found are about to be claimed (due later): still a lower bound, and a safe one.
    this.earliest = earliest;
    return found.map(([person]) => person);
  }

  get size(): number {
    return this.due.size;
  }
}

/** Whether `person` due `at` comes before `other`: earlier, or as early with a smaller key. */
function before(person: PersonKey, at: number, other: [PersonKey, number]): boolean {
  return at < other[1] || (at === other[1] && person < other[0]);
}
