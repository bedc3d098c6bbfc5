import type { Config } from '../config.js';
import { openFileStore } from './file/open.js';
import type { Store, StoreLogger } from './store.js';

/**
 * The store the configuration names: PostgreSQL when DATABASE_URL is set (several instances can
 * share it), else the file in DATA_DIR. The PostgreSQL driver is loaded only when it is used.
 */
export async function openConfiguredStore(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dataLockStaleSeconds'>,
  logger: StoreLogger,
  /** For tests only: a lower limit on the data file's length (see FileStoreOptions). */
  dataFileLimitForTests?: number,
): Promise<Store> {
  if (config.databaseUrl)
    return (await import('./postgres/open.js')).openPostgresStore(config.databaseUrl, { logger });
  return openFileStore(config.dataDir, {
    logger,
    ...(config.dataLockStaleSeconds === undefined ? {} : { lockStaleMs: config.dataLockStaleSeconds * 1000 }),
    ...(dataFileLimitForTests === undefined ? {} : { lengthLimitForTests: dataFileLimitForTests }),
  });
}
