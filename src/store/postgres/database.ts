import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import {
  NotSavedError,
  OutcomeUnknownError,
  StoreError,
  type StoreLogger,
  StoreUnavailableError,
} from '../store.js';
import {
  ChangeThrew,
  codeOf,
  isOutcomeUnknown,
  isPoolQueueTimeout,
  isRetryable,
  isUnavailable,
  markOutcomeUnknown,
  reasonOf,
} from './errors.js';

/** How many times a transaction is tried when it meets a serialization failure or a deadlock. */
const ATTEMPTS = 5;

/**
 * The connection pools as the store uses them: each call of the Store runs through `run`, which
 * refuses it once closing, lets `close` wait for it, and makes its errors into the Store's;
 * `transaction` and `withConnection` take a connection for the work and give it back, or close it
 * when it broke.
 *
 * Two pools: `pool` for changes, and `reads` (a few connections) for reads of one statement. A read
 * is mostly what an acknowledgement waits for (a command's page says how far the person got), which
 * Slack wants within 3 s; changes mostly come after one (a click is acknowledged, then stored). Under
 * a burst of a thousand clicks the changes queue for `pool`'s connections, and a command typed
 * meanwhile would wait behind all of them; on a pool of its own, it waits for none.
 *
 * A database that cannot be reached makes every call reject with StoreUnavailableError (the person
 * is told to try again in a minute); the pool drops broken connections and makes new ones when the
 * database is back, so the store recovers by itself.
 */
export class Database {
  private readonly inFlight = new Set<Promise<unknown>>();
  private closing: Promise<void> | null = null;
  /** Why the database could not be reached last time, until it can be again. */
  private down: string | null = null;
  /** A change gave up waiting for a free connection, and none has got one since (logged once). */
  private busy = false;

  constructor(
    readonly pool: pg.Pool,
    readonly reads: pg.Pool,
    readonly location: string,
    private readonly logger: StoreLogger,
  ) {
    // A connection resting in a pool that the server or the network closes: the pool drops it and
    // makes a new one when needed. Without this listener the error would end the process.
    for (const each of [pool, reads]) {
      each.on('error', (error) => {
        logger.warn(`A resting connection to ${location} closed: ${reasonOf(error)}`);
      });
    }
  }

  /** Whether `close` was called. */
  get closed(): boolean {
    return this.closing !== null;
  }

  /** Why a call failed, in a few words for GET /healthz (no secrets). */
  problem(error: unknown): string {
    if (this.down !== null) return `cannot reach the database: ${this.down}`;
    if (this.busy) return 'every connection to the database is in use, and changes wait too long for one';
    return reasonOf(error instanceof Error && error.cause ? error.cause : error);
  }

  /** Lets the work in flight finish, then closes every connection. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.inFlight]);
      await Promise.all([this.pool.end(), this.reads.end()]);
    })();
    return this.closing;
  }

  /**
   * Runs one call of the Store: refused once closing, waited for by close, and its errors made into
   * the Store's (what `change` threw passes through as it was).
   */
  run<T>(kind: 'read' | 'write', work: () => Promise<T>): Promise<T> {
    if (this.closing) {
      return Promise.reject(
        new NotSavedError(
          `The store at ${this.location} is closed: the app is shutting down. Nothing was saved.`,
        ),
      );
    }
    const running = work().then(
      (value) => {
        this.reachable();
        return value;
      },
      (error: unknown) => {
        throw this.storeError(error, kind);
      },
    );
    this.inFlight.add(running);
    const forget = () => this.inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  /**
   * One transaction on one connection, tried again on a serialization failure or a deadlock. `work`
   * says whether it wrote anything: if so the transaction commits, else it rolls back.
   */
  transaction<T>(
    work: (client: pg.PoolClient) => Promise<{ result: T; write: boolean }>,
  ): Promise<{ result: T; written: boolean }> {
    return this.withRetries(() =>
      this.withConnection(async (client, discard) => {
        await client.query('BEGIN');
        try {
          const { result, write } = await work(client);
          if (write) await client.query('COMMIT').catch(markOutcomeUnknown);
          else await client.query('ROLLBACK');
          return { result, written: write };
        } catch (error) {
          if (!isUnavailable(error)) await client.query('ROLLBACK').catch(discard);
          throw error;
        }
      }),
    );
  }

  /**
   * One connection from the pool for `work`. A connection that broke, or may be in the middle of
   * something (an error other than the database's own answer), is closed rather than given to the
   * next caller.
   */
  async withConnection<T>(
    work: (client: pg.PoolClient, discard: (error: Error) => void) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out connection has no error listener of the pool's: without this one, a connection
    // that breaks while `change` runs would end the process.
    let broken: Error | undefined;
    const discard = (error: Error) => {
      broken ??= error;
    };
    client.on('error', discard);
    try {
      return await work(client, discard);
    } catch (error) {
      const aboutTheConnection = isUnavailable(error) || !(error instanceof pg.DatabaseError);
      if (aboutTheConnection && !(error instanceof ChangeThrew))
        discard(error instanceof Error ? error : new Error(String(error)));
      throw error;
    } finally {
      client.off('error', discard);
      client.release(broken);
    }
  }

  /** `attempt` again, a few times, after a serialization failure or a deadlock. */
  async withRetries<T>(attempt: () => Promise<T>): Promise<T> {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt();
      } catch (error) {
        if (tries >= ATTEMPTS || !isRetryable(error)) throw error;
        await sleep(Math.random() * 20 * tries);
      }
    }
  }

  private storeError(error: unknown, kind: 'read' | 'write'): unknown {
    if (error instanceof ChangeThrew) {
      this.reachable();
      return error.thrown;
    }
    if (error instanceof StoreError) {
      this.reachable();
      return error;
    }
    const nothing = kind === 'write' ? 'Nothing was saved' : 'Nothing was read';
    if (isPoolQueueTimeout(error) && this.down === null) {
      // Every connection of the pool was in use for the whole wait: the app is busier than its pool,
      // not cut off from the database. Nothing is marked down; the next change that gets a connection
      // goes through as usual.
      const pool = kind === 'read' ? this.reads : this.pool;
      const { max, connectionTimeoutMillis } = pool.options;
      if (!this.busy) {
        this.busy = true;
        this.logger.warn(
          `All ${max} connections to the PostgreSQL database at ${this.location} were in use for ` +
            `${connectionTimeoutMillis} ms, so a ${kind} waiting for one was given up (${pool.waitingCount} ` +
            'more waiting). The app is busier than its connection pool: more instances, or a faster database, help.',
        );
      }
      return new StoreUnavailableError(
        `All connections to the PostgreSQL database at ${this.location} were busy for too long. ${nothing}; try again in a minute.`,
        { cause: error },
      );
    }
    if (isRetryable(error)) {
      this.reachable();
      return new StoreUnavailableError(
        `The PostgreSQL database at ${this.location} could not take the change after ${ATTEMPTS} tries ` +
          `(${reasonOf(error)}). ${nothing}; try again in a minute.`,
        { cause: error },
      );
    }
    if (isUnavailable(error)) {
      const reason = reasonOf(error);
      if (this.down === null) {
        this.logger.error(
          `Cannot reach the PostgreSQL database at ${this.location} (${reason}). People are asked to try ` +
            'again in a minute until it is back; the store reconnects by itself.',
        );
      }
      this.down = reason;
      if (isOutcomeUnknown(error)) {
        return new OutcomeUnknownError(
          `The connection to ${this.location} was lost while a change was being committed (${reason}): ` +
            'it may or may not have been saved.',
          { cause: error },
        );
      }
      return new StoreUnavailableError(
        `Cannot reach the PostgreSQL database at ${this.location} (${reason}). ${nothing}; try again in a minute.`,
        { cause: error },
      );
    }
    this.reachable();
    // The message and code only: pg's error can quote the statement's parameters, which are people's data.
    this.logger.error(
      `The PostgreSQL database at ${this.location} answered with an error: ${reasonOf(error)} (${codeOf(error)})`,
    );
    return new NotSavedError(
      `The PostgreSQL database at ${this.location} answered with an error (${reasonOf(error)}). ${nothing}.`,
      { cause: error },
    );
  }

  private reachable(): void {
    this.busy = false;
    if (this.down === null) return;
    this.down = null;
    this.logger.info(`The PostgreSQL database at ${this.location} is reachable again.`);
  }
}
