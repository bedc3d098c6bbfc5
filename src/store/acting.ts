import { AsyncLocalStorage } from 'node:async_hooks';
import type { PersonKey } from './store.js';

/**
 * Who is acting in the request being handled, as far as the stores need to know it. The Slack layer
 * says it once per request (src/slack/person.ts, `identify`), around every listener; the stores read
 * it in each change, so no listener or domain method has to pass it along:
 * - `person` and `workspace`: the workspace a person of an Enterprise Grid org used the app from is
 *   added to their record with any change of theirs (`PersonData.workspaces`), so that an uninstall
 *   knows whom the remaining installations still reach;
 * - `since`: when the person acted (Slack's time of the click, or when the request arrived). A change
 *   that would create a record for someone whose data was deleted after that moment is refused
 *   (DeletedMeanwhileError): a click made before `/competency forget` or an uninstall never brings the
 *   person back.
 * Work outside a request (check-in reminders sent by the scheduler) runs with nobody acting.
 */
export type Acting = {
  person: PersonKey;
  /** The workspace the request came from, when Slack says it (a `T…` id). */
  workspace?: string;
  since: Date;
};

const scope = new AsyncLocalStorage<Acting>();

/** Runs `work` (and everything it starts) as `acting`. */
export function actingAs<T>(acting: Acting, work: () => T): T {
  return scope.run(acting, work);
}

/** Who is acting now, if anyone. */
export function currentlyActing(): Acting | undefined {
  return scope.getStore();
}

/**
 * Runs `work` as the person acting now, as if they had acted at `since` when that is earlier: a form
 * submitted now was filled in since it was opened (with the data as it was then), so a deletion after
 * it was opened is not undone by it either.
 */
export function actingSince<T>(since: Date, work: () => T): T {
  const acting = scope.getStore();
  if (acting === undefined || !(since.getTime() < acting.since.getTime())) return work();
  return scope.run({ ...acting, since }, work);
}

/**
 * When the request being handled was made, if one is: a record deleted after that moment must not be
 * created again by it — the actor's own, or anyone's it touches (a review's index in a reviewer's
 * record, say).
 */
export function requestMadeAt(): Date | undefined {
  return scope.getStore()?.since;
}

/** The workspace to note in `person`'s record with a change of theirs, if they are the one acting. */
export function workspaceOf(person: PersonKey): string | undefined {
  const acting = scope.getStore();
  return acting?.person === person ? acting.workspace : undefined;
}

/** How long a deletion is remembered (the key and when, nothing else) to refuse requests made before it. */
export const DELETION_MEMORY_MS = 15 * 60_000;
