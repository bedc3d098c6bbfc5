import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { StoreLogger } from '../store.js';
import { FileContents } from './contents.js';
import { type AfterTempWrite, DurableJsonFile, removeLeftoverTempFiles } from './durable-file.js';
import { GroupCommit } from './group-commit.js';
import { DATA_FILE_LIMIT, DataFileLimit } from './limit.js';
import { lockDataFolder } from './lock.js';
import { FileStore } from './store.js';

/** Opening the file store: the one way in (what it returns is FileStore, in store.ts). */

export type { FileStore } from './store.js';

/** The data file's name inside the data folder, unless the options give another. */
export const DEFAULT_FILE_NAME = 'competency-data.json';

export type FileStoreOptions = {
  /** The data file's name inside the data folder; DEFAULT_FILE_NAME unless given. */
  fileName?: string;
  logger?: StoreLogger;
  /** How long the folder's lock may go without a heartbeat before another process takes it over (10 s). */
  lockStaleMs?: number;
  hooks?: {
    /** Runs after the temp file is written and fsynced, before it is renamed over the data file (for tests). */
    afterTempWrite?: AfterTempWrite;
  };
  /**
   * For tests only: a lower limit on the data file's length, in UTF-16 code units (limit.ts), than
   * DATA_FILE_LIMIT, the longest the app can read back, which applies when it is not given. It can
   * only be lowered: a limit above DATA_FILE_LIMIT is refused (RangeError).
   */
  lengthLimitForTests?: number;
  /**
   * For `competency migrate`: a data file longer than the limit (written by an older version) is read
   * in parts, so that its data can be copied out, instead of being refused. The store then takes no
   * change that would leave the file past the limit.
   */
  readPastLimit?: boolean;
};

const silent: StoreLogger = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Takes the data folder (made if missing) for this process, reads the data file, and opens the
 * store. Rejects with a StoreError an operator can act on when another process holds the folder, or
 * the file does not read cleanly (it is then left untouched).
 */
export async function openFileStore(dataDir: string, options: FileStoreOptions = {}): Promise<FileStore> {
  const dir = path.resolve(dataDir);
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  const logger = options.logger ?? silent;
  await mkdir(dir, { recursive: true });

  const lock = await lockDataFolder(dir, {
    logger,
    ...(options.lockStaleMs === undefined ? {} : { staleMs: options.lockStaleMs }),
  });
  try {
    const limit = new DataFileLimit(
      path.join(dir, fileName),
      options.lengthLimitForTests ?? DATA_FILE_LIMIT,
      logger,
    );
    const file = new DurableJsonFile(
      dir,
      fileName,
      limit,
      options.hooks?.afterTempWrite,
      options.readPastLimit === true,
    );
    const contents = new FileContents(await file.read(), limit);
    await removeLeftoverTempFiles(dir, fileName, logger);
    return new FileStore(contents, new GroupCommit(contents, file, lock, logger), lock, file.file);
  } catch (error) {
    await lock.release();
    throw error;
  }
}
