import pg from 'pg';
import { StoreError } from '../store.js';

/**
 * What the errors of PostgreSQL and of pg mean to the store: the database cannot be reached
 * (unavailable), a transaction is worth trying again (retryable), a change may or may not have been
 * committed (outcome unknown), or `change` itself threw; and, when the store cannot start, the words
 * an operator can act on.
 */

/** Thrown inside a transaction to carry what `change` threw past the store's own error handling. */
export class ChangeThrew {
  constructor(readonly thrown: unknown) {}
}

const LOST_IN_COMMIT = Symbol('lost while committing');

/** A statement that writes on its own, or a COMMIT, that lost its connection may have been carried out. */
export function markOutcomeUnknown(error: unknown): never {
  if (isUnavailable(error) && error instanceof Error) Object.assign(error, { [LOST_IN_COMMIT]: true });
  throw error;
}

/** Whether `error` was marked by markOutcomeUnknown: the change may or may not have been saved. */
export function isOutcomeUnknown(error: unknown): boolean {
  return error instanceof Error && LOST_IN_COMMIT in error;
}

/** Connection trouble: the database is down, restarting, unreachable, too slow or out of connections. */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof pg.DatabaseError) {
    const code = error.code ?? '';
    return code.startsWith('08') || code.startsWith('53') || UNAVAILABLE_CODES.has(code);
  }
  if (error instanceof StoreError || error instanceof TypeError || error instanceof RangeError) return false;
  // Anything else pg throws is about the connection: refused, reset, timed out, or "Connection
  // terminated unexpectedly".
  return error instanceof Error;
}

const UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown: the server is stopping, or an administrator ended the connection
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting
  '57014', // query_canceled: a statement ran past the timeout
  '55P03', // lock_not_available
  '25006', // read_only_sql_transaction: connected to a standby, as during a failover
]);

/**
 * pg-pool's answer to a caller that waited `connectionTimeoutMillis` in its queue because every
 * connection was in use (a connection that cannot be opened in time fails with another message:
 * "Connection terminated due to connection timeout").
 */
export function isPoolQueueTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === 'timeout exceeded when trying to connect';
}

/** Worth trying again at once: a serialization failure or a deadlock. */
export function isRetryable(error: unknown): boolean {
  return error instanceof pg.DatabaseError && (error.code === '40001' || error.code === '40P01');
}

export function codeOf(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'no code';
}

/** A few words on what went wrong, e.g. `connect ECONNREFUSED 127.0.0.1:5432`. */
export function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
    return error.message || code || error.name;
  }
  return String(error);
}

/** The StoreError that stops the start, in words an operator can act on. */
export function cannotStart(error: unknown, location: string, what?: string): StoreError {
  const reason = reasonOf(error);
  const code = error instanceof pg.DatabaseError ? (error.code ?? '') : '';
  let message: string;
  if (code === '3D000') {
    message = `Cannot use the PostgreSQL database at ${location}: ${reason}. Create it, or correct DATABASE_URL.`;
  } else if (code.startsWith('28')) {
    message = `PostgreSQL at ${location} refused the login (${reason}): check the user and password in DATABASE_URL.`;
  } else if (what === undefined || isUnavailable(error)) {
    message =
      `Cannot reach the PostgreSQL database at ${location} (${reason}). Check DATABASE_URL, and that the ` +
      'server is running and reachable from here, then start the app again.';
  } else {
    message = `${what} at ${location}: ${reason}. Nothing was changed by this start.`;
  }
  return new StoreError(message, { cause: error });
}
