import type { Config } from '../config.js';
import type { Store, StoreLogger } from './store.js';

/**
 * The store the configuration names: PostgreSQL when DATABASE_URL is set (several instances can
 * share it), else the file in DATA_DIR. Each is loaded only when it is used: the PostgreSQL driver, and
 * the file store with its folder lock (proper-lockfile, graceful-fs), which a process on PostgreSQL
 * never needs.
 */
export async function openConfiguredStore(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dataLockStaleSeconds'>,
  logger: StoreLogger,
  /** For tests only: a lower limit on the data file's length (see FileStoreOptions). */
  dataFileLimitForTests?: number,
): Promise<Store> {
  if (config.databaseUrl)
    return (await import('./postgres/open.js')).openPostgresStore(config.databaseUrl, { logger });
  return (await import('./file/open.js')).openFileStore(config.dataDir, {
    logger,
    ...(config.dataLockStaleSeconds === undefined ? {} : { lockStaleMs: config.dataLockStaleSeconds * 1000 }),
    ...(dataFileLimitForTests === undefined ? {} : { lengthLimitForTests: dataFileLimitForTests }),
  });
}
