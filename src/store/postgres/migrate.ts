import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { StoreError, type StoreLogger } from '../store.js';
import { cannotStart } from './errors.js';

/**
 * The schema is made and upgraded by the SQL files in src/store/migrations/, run by node-pg-migrate
 * at start under its advisory lock: when several instances start at once, one migrates and the
 * others wait, then find the schema current. A database migrated by a newer version of the app is
 * refused.
 */

const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations', import.meta.url));
const MIGRATIONS_TABLE = 'pgmigrations';

/**
 * Brings the schema of the database at `url` up to date, on a connection of its own. Rejects with a
 * StoreError an operator can act on when the database cannot be reached or used, or was migrated by
 * a newer version.
 */
export async function migrate(
  url: string,
  location: string,
  settings: { applicationName: string; connectionTimeoutMillis: number; logger: StoreLogger },
): Promise<void> {
  // A connection of its own, without the pool's statement timeout: waiting for another instance's
  // migrations may take a while.
  const client = new pg.Client({
    connectionString: url,
    application_name: settings.applicationName,
    connectionTimeoutMillis: settings.connectionTimeoutMillis,
  });
  client.on('error', (error) =>
    settings.logger.warn(`Lost the connection that migrates ${location}:`, error),
  );
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw cannotStart(error, location);
  }
  try {
    const known = (await readdir(MIGRATIONS_DIR)).map((file) => file.replace(/\.[^.]+$/, ''));
    // Every migration already applied (the usual start): nothing for the migration tool to do, and it
    // is not loaded (node-pg-migrate and what it loads hold some 10–20 MB for the life of the process).
    // Otherwise it runs, under its lock, and finds what is left to do once another instance is done.
    if (!(await allApplied(client, known))) await runMigrations(client, location, settings.logger);

    const { rows } = await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`);
    const unknown = rows.map((row) => row.name).filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw new StoreError(
        `The PostgreSQL database at ${location} was upgraded by a newer version of the app ` +
          `(migrations this version does not know: ${unknown.join(', ')}). Run that version or a later one; ` +
          'this one would misread the data.',
      );
    }
  } catch (error) {
    throw error instanceof StoreError ? error : cannotStart(error, location);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Whether every migration this version knows is recorded as applied (none is when the table is not there yet). */
async function allApplied(client: pg.Client, known: string[]): Promise<boolean> {
  const { rows: table } = await client.query<{ found: string | null }>(
    'SELECT to_regclass($1)::text AS found',
    [MIGRATIONS_TABLE],
  );
  if (!table[0]?.found) return false;
  const { rows } = await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`);
  const applied = new Set(rows.map((row) => row.name));
  return known.every((name) => applied.has(name));
}

/** node-pg-migrate, under its advisory lock, on this connection. */
async function runMigrations(client: pg.Client, location: string, logger: StoreLogger): Promise<void> {
  // Loaded here, so that an app on the file store, or on a database already current, never loads it.
  const { runner } = await import('node-pg-migrate');
  const applied = await runner({
    dbClient: client,
    dir: MIGRATIONS_DIR,
    migrationsTable: MIGRATIONS_TABLE,
    direction: 'up',
    singleTransaction: true,
    // Waits for the instance that holds the lock to finish, then finds nothing left to do.
    advisoryLockMode: 'wait',
    logger: { debug: () => {}, info: () => {}, warn: logger.warn, error: () => {} },
  }).catch((error: unknown) => {
    throw cannotStart(error, location, 'Could not bring its schema up to date');
  });
  for (const migration of applied) logger.info(`Migrated ${location}: ${migration.name}`);
}
