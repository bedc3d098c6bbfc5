import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { StoreLogger } from '../store.js';
import { FileContents } from './contents.js';
import { type AfterTempWrite, DurableJsonFile, removeLeftoverTempFiles } from './durable-file.js';
import { GroupCommit } from './group-commit.js';
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
    const file = new DurableJsonFile(dir, fileName, options.hooks?.afterTempWrite);
    const contents = new FileContents(await file.read());
    await removeLeftoverTempFiles(dir, fileName, logger);
    const store = new FileStore(contents, new GroupCommit(contents, file, lock, logger), lock, file.file);
    // Encode everyone's part of the file now, at start, rather than in the first write under load.
    contents.serialize();
    return store;
  } catch (error) {
    await lock.release();
    throw error;
  }
}
