import fs from 'node:fs';
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { lock } from 'proper-lockfile';
import { errorMessage, isErrno } from '../errno.js';
import { NotSavedError, StoreError } from '../store.js';

/**
 * One process per data folder. The lock is proper-lockfile's: a folder made with mkdir (atomic, also
 * on network file systems), whose modification time the holder refreshes every few seconds (its
 * heartbeat). A lock whose heartbeat has stopped for longer than the staleness timeout was left by a
 * process that is gone (killed, or its container or machine went away) and is taken over; no one
 * has to delete anything by hand, whatever host name or pid the old holder had.
 *
 * Beside the lock, an owner file says which process holds it (pid, host, start time), so a refusal
 * can name it. It is only ever informative: missing, empty or garbage, it blocks nothing.
 */

const LOCK_NAME = 'competency.lock';
const LOCK_OWNER_NAME = 'competency.lock-owner.json';
/** A lock not refreshed for this long is taken as abandoned. */
const DEFAULT_LOCK_STALE_MS = 10_000;
/** proper-lockfile's floor: a heartbeat every second at most, and staleness at two. */
const MIN_LOCK_STALE_MS = 2_000;

type LockLogger = { warn(...a: unknown[]): void; error(...a: unknown[]): void };

export type LockOptions = {
  /** How long a lock may go without a heartbeat before it is taken over. */
  staleMs?: number;
  /** Told when a lock is taken over (warn) and when this one is lost while held (error). */
  logger: LockLogger;
};

export type FolderLock = {
  /**
   * Why this process no longer holds the folder (another process took the lock over, or its
   * heartbeat failed); undefined while it does. The store refuses every change once it is set.
   */
  readonly lost: NotSavedError | undefined;
  /** Gives the folder up. Leaves alone a lock that another process has taken since. */
  release(): Promise<void>;
};

/** How often the holder refreshes the lock: every fifth of the staleness timeout, at most once a second. */
function heartbeatMs(staleMs: number): number {
  return Math.max(1_000, staleMs / 5);
}

/** Lock folders held by this process: a second open here is refused at once, not after a heartbeat. */
const heldHere = new Set<string>();

/**
 * Takes the lock on `dir`, or throws a StoreError naming the process that holds it.
 *
 * When a lock is there: watch its heartbeat for a little over one interval. If it moves, a live
 * process holds the folder: refuse. If it does not, keep watching until the lock is stale, then take
 * it over (with a warning naming the old holder). Watching first, even when the lock already looks
 * stale, keeps a live holder whose clock runs behind ours from being taken over.
 */
export async function lockDataFolder(dir: string, options: LockOptions): Promise<FolderLock> {
  const lockPath = path.join(dir, LOCK_NAME);
  const ownerPath = path.join(dir, LOCK_OWNER_NAME);
  if (heldHere.has(lockPath)) {
    throw new StoreError(`The data folder ${dir} is already open in this process: close that store first.`);
  }
  heldHere.add(lockPath);
  try {
    return await acquire(dir, lockPath, ownerPath, options);
  } catch (error) {
    heldHere.delete(lockPath);
    throw error;
  }
}

async function acquire(
  dir: string,
  lockPath: string,
  ownerPath: string,
  options: LockOptions,
): Promise<FolderLock> {
  const staleMs = Math.max(MIN_LOCK_STALE_MS, options.staleMs ?? DEFAULT_LOCK_STALE_MS);
  const updateMs = heartbeatMs(staleMs);
  const watchMs = updateMs + 500;
  const pollMs = Math.min(250, updateMs / 4);
  const state: { lost: NotSavedError | undefined } = { lost: undefined };
  let watched: { mtimeMs: number; since: number } | undefined;
  let takingOver: string | undefined;

  for (;;) {
    const mtimeMs = await lockMtime(lockPath);
    takingOver = undefined;
    if (mtimeMs === undefined) {
      watched = undefined;
    } else {
      if (watched === undefined) watched = { mtimeMs, since: Date.now() };
      else if (mtimeMs !== watched.mtimeMs) throw inUse(dir, lockPath, await readOwner(ownerPath));
      const age = Date.now() - mtimeMs;
      if (Date.now() - watched.since < watchMs || age <= staleMs) {
        await sleep(pollMs);
        continue;
      }
      takingOver =
        `Took over the lock on ${dir} from ${describeHolder(await readOwner(ownerPath))}: ` +
        `it had not been refreshed for ${Math.round(age / 1000)} s, so that process is gone.`;
    }

    let releaseLock: () => Promise<void>;
    try {
      releaseLock = await lock(dir, {
        lockfilePath: lockPath,
        stale: staleMs,
        update: updateMs,
        realpath: false,
        retries: 0,
        fs: lockFs,
        onCompromised: (error) => {
          if (state.lost) return;
          state.lost = lostError(dir, lockPath, error);
          options.logger.error(state.lost.message);
        },
      });
    } catch (error) {
      // Another process took it between our look and our try: watch that one.
      if (isErrno(error, 'ELOCKED')) continue;
      throw new StoreError(`Could not take the lock ${lockPath} on the data folder: ${errorMessage(error)}`, {
        cause: error,
      });
    }

    if (takingOver) options.logger.warn(takingOver);
    const owner: Owner = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() };
    const ownerText = JSON.stringify(owner);
    try {
      await writeFile(ownerPath, ownerText, { mode: 0o644 });
    } catch (error) {
      // Only a refusal's wording depends on it (it would say "unknown process"): go on.
      options.logger.warn(`Could not write ${ownerPath}: ${errorMessage(error)}`);
    }

    let released: Promise<void> | undefined;
    return {
      get lost() {
        return state.lost;
      },
      release: () => {
        released ??= (async () => {
          heldHere.delete(lockPath);
          // A lost lock may be someone else's now: touch neither it nor their owner file.
          if (state.lost) return;
          // The owner file first: a process that takes the lock next writes its own.
          await removeIfUnchanged(ownerPath, ownerText);
          await releaseLock().catch((error: unknown) => {
            // Released already (lost at the last moment), or gone: nothing to give up.
            if (!isErrno(error, 'ERELEASED') && !isErrno(error, 'ENOENT')) throw error;
          });
        })();
        return released;
      },
    };
  }
}

/**
 * proper-lockfile's file system calls, with one change: removing a stale lock that is a plain file
 * (the lock file of an older version of the app, or any file left at that path) deletes the file,
 * where rmdir alone would fail with ENOTDIR and keep the app from starting.
 */
const lockFs = {
  ...fs,
  rmdir(target: string, callback: (error: NodeJS.ErrnoException | null) => void): void {
    fs.rmdir(target, (error) => {
      if (error?.code === 'ENOTDIR') fs.unlink(target, callback);
      else callback(error);
    });
  },
  rmdirSync(target: string): void {
    try {
      fs.rmdirSync(target);
    } catch (error) {
      if (!isErrno(error, 'ENOTDIR')) throw error;
      fs.unlinkSync(target);
    }
  },
};

type Owner = { pid: number; hostname: string; startedAt: string };

async function lockMtime(lockPath: string): Promise<number | undefined> {
  try {
    return (await stat(lockPath)).mtimeMs;
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw new StoreError(`Cannot check the lock ${lockPath} on the data folder: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

/** The owner file's details, or undefined when it is missing, empty or not what this app writes. */
async function readOwner(ownerPath: string): Promise<Owner | undefined> {
  try {
    const info: unknown = JSON.parse(await readFile(ownerPath, 'utf8'));
    if (
      info !== null &&
      typeof info === 'object' &&
      'pid' in info &&
      'hostname' in info &&
      Number.isInteger(info.pid) &&
      typeof info.hostname === 'string'
    ) {
      const startedAt =
        'startedAt' in info && typeof info.startedAt === 'string' ? info.startedAt : 'at an unknown time';
      return { pid: info.pid as number, hostname: info.hostname, startedAt };
    }
  } catch {
    // Missing, unreadable or not JSON: the same as no details.
  }
  return undefined;
}

function describeHolder(owner: Owner | undefined): string {
  return owner
    ? `process ${owner.pid} on ${owner.hostname}, started ${owner.startedAt}`
    : 'a process that left no details (its owner file is missing or unreadable)';
}

function inUse(dir: string, lockPath: string, owner: Owner | undefined): StoreError {
  return new StoreError(
    `The data folder ${dir} is in use by another copy of the app (${describeHolder(owner)}): ` +
      `its lock ${lockPath} is being kept fresh. Stop that process first, or set DATA_DIR to another folder.`,
  );
}

function lostError(dir: string, lockPath: string, cause: Error): NotSavedError {
  // proper-lockfile gives every such error the code ECOMPROMISED; the message still says what happened.
  const why = cause.message.startsWith('ENOENT')
    ? `${lockPath} was deleted`
    : /stale threshold/.test(cause.message)
      ? 'another process took it over, having seen no heartbeat for too long (was this one paused or overloaded?)'
      : `its heartbeat could not be written: ${cause.message}`;
  return new NotSavedError(
    `This copy of the app lost its lock on the data folder ${dir}: ${why}. Another copy may be using the ` +
      'folder now, so this one saves nothing more (every change is refused, and nothing was saved). ' +
      'Restart it once only one copy of the app uses the folder.',
    { cause },
  );
}

async function removeIfUnchanged(file: string, expected: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text !== expected) return;
  await unlink(file).catch((error: unknown) => {
    if (!isErrno(error, 'ENOENT')) throw error;
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
