import { webApi } from '@slack/bolt';
import {
  DataFileFullError,
  DeletedMeanwhileError,
  NotSavedError,
  OutcomeUnknownError,
  StoreUnavailableError,
} from '../store/store.js';
import type { Failure } from './views/error.js';

/**
 * What an error means for the person who caused the work. NotSavedError means the change was not
 * applied (the store restores memory to what is on disk when a write fails); a rate-limited Web API
 * call (the client rejects them rather than pausing every call, see app.ts) means "try again later".
 * `change` is what the work was to do: a `read` changes nothing, and the person is told just that
 * rather than that nothing was saved.
 */
export function failureOf(error: unknown, change: 'save' | 'delete' | 'read' = 'save'): Failure {
  if (error instanceof StoreUnavailableError)
    return change === 'read' ? { kind: 'unavailable', change } : { kind: 'unavailable' };
  if (error instanceof OutcomeUnknownError) return { kind: 'unsure' };
  if (error instanceof DeletedMeanwhileError) return { kind: 'deleted-meanwhile' };
  if (error instanceof DataFileFullError) return { kind: 'store-full' };
  if (error instanceof NotSavedError) return { kind: 'not-applied', change };
  const retryAfter = rateLimitedFor(error);
  if (retryAfter !== undefined) return { kind: 'slack-busy', retryAfterSeconds: retryAfter };
  return { kind: 'unknown' };
}

/** Seconds Slack asked to wait, when the error is a rejected rate-limited call; else undefined. */
export function rateLimitedFor(error: unknown): number | undefined {
  if (
    error instanceof Error &&
    'code' in error &&
    error.code === webApi.ErrorCode.RateLimitedError &&
    'retryAfter' in error &&
    typeof error.retryAfter === 'number'
  ) {
    return error.retryAfter;
  }
  return undefined;
}
