import pg from 'pg';
import type { StoreLogger } from '../store.js';
import { Database } from './database.js';
import { migrate } from './migrate.js';
import { PostgresStore } from './store.js';

/** Opening the PostgreSQL store: the one way in (what it returns is PostgresStore, in store.ts). */

export type { PostgresStore } from './store.js';

export type PostgresStoreOptions = {
  logger?: StoreLogger;
  /** Shown in pg_stat_activity, so an operator can tell the app's connections apart. */
  applicationName?: string;
  /** Connections in the pool for changes (10). */
  poolSize?: number;
  /** Connections in the pool for reads, which acknowledgements wait for (3; see Database). */
  readPoolSize?: number;
  /** How long to wait for a connection, new or from the pool, before answering "unavailable" (5 s). */
  connectionTimeoutMillis?: number;
  /** How long one statement may take, on the server and on the wire, before it is given up (10 s). */
  queryTimeoutMillis?: number;
};

const silent: StoreLogger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Connects, brings the schema up to date, and opens the store. Rejects with a StoreError an operator
 * can act on when the database cannot be reached or used, or was migrated by a newer version.
 */
export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const location = describeDatabaseUrl(url);
  const logger = options.logger ?? silent;
  const applicationName = options.applicationName ?? 'competency-bot';
  const connectionTimeoutMillis = options.connectionTimeoutMillis ?? 5_000;
  const queryTimeoutMillis = options.queryTimeoutMillis ?? 10_000;

  await migrate(url, location, { applicationName, connectionTimeoutMillis, logger });

  const poolOf = (max: number) =>
    new pg.Pool({
      connectionString: url,
      application_name: applicationName,
      max,
      connectionTimeoutMillis,
      // The server cancels a statement that runs too long; the client gives up a little later still,
      // for a link that carries nothing at all.
      statement_timeout: queryTimeoutMillis,
      query_timeout: queryTimeoutMillis + 1_000,
      idle_in_transaction_session_timeout: queryTimeoutMillis * 2,
      keepAlive: true,
    });
  const database = new Database(
    poolOf(options.poolSize ?? 10),
    poolOf(options.readPoolSize ?? 3),
    location,
    logger,
  );
  return new PostgresStore(database, logger);
}

/** `postgres://user@host:port/database`: where the data is, without the password or parameters. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username === '' ? '' : `${parsed.username}@`;
    return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL is not a URL, so it is not shown)';
  }
}
