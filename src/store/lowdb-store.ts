import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type Adapter, Low } from 'lowdb';
import { checkDataFile, emptyStoreData, FORMAT_VERSION, type StoreData } from './schema.js';
import { countRecords, type PersonData, type PersonKey, type Store } from './store.js';

/**
 * The embedded default Store: one JSON file in a data folder, read once at start, kept in memory,
 * and written back whole. Built for what lowdb alone gets wrong (see DESIGN.md, "The store"):
 * - group commit: changes land in memory at once; one write serialises the file for all changes
 *   waiting, and each caller hears back only when a write that includes its change is durable;
 * - durable writes: temp file, fsync, rename over the file, fsync the folder;
 * - one process per data folder (a lock file), and a file that does not read cleanly is never overwritten.
 */

export const DEFAULT_FILE_NAME = 'competency-data.json';
export const LOCK_FILE_NAME = 'competency.lock';

/** A problem an operator has to fix (the message says how); the app should not start past it. */
export class StoreError extends Error {
  override name = 'StoreError';
}

export type StoreLogger = { info(...a: unknown[]): void; warn(...a: unknown[]): void };

export type LowdbStoreOptions = {
  /** The data file's name inside the data folder; `competency-data.json` unless given. */
  fileName?: string;
  logger?: StoreLogger;
  hooks?: {
    /** Runs after the temp file is written and fsynced, before it is renamed over the data file (for tests). */
    afterTempWrite?: (tempPath: string) => void | Promise<void>;
  };
};

const silent: StoreLogger = { info: () => {}, warn: () => {} };

export async function openLowdbStore(dataDir: string, options: LowdbStoreOptions = {}): Promise<LowdbStore> {
  const dir = path.resolve(dataDir);
  const fileName = options.fileName ?? DEFAULT_FILE_NAME;
  const logger = options.logger ?? silent;
  await mkdir(dir, { recursive: true });

  const lock = await acquireLock(dir, logger);
  try {
    const adapter = new DurableJsonFile(dir, fileName, options.hooks?.afterTempWrite);
    const db = new Low<StoreData>(adapter, emptyStoreData());
    await db.read();
    // We hold the folder, so no other process is writing temp files here: any that exist are from a crash.
    // Only now, once the file has read cleanly: if it had not, they might help someone recover it.
    await removeLeftoverTempFiles(dir, fileName, logger);
    const store = new LowdbStore(db, adapter.file, lock, logger);
    // Encode everyone's part of the file now, at start, rather than in the first write under load.
    store.serialize();
    return store;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from('}}');

type Waiter = { resolve: () => void; reject: (error: unknown) => void };

export class LowdbStore implements Store {
  readonly location: string;
  private readonly people: Record<PersonKey, PersonData>;
  private peopleCount: number;
  /** Changes in memory that no write has started on yet. */
  private waiting: Waiter[] = [];
  /** A write failed: memory holds changes the file does not, so close() must write even with no one waiting. */
  private unsaved = false;
  private flushScheduled = false;
  private flushing: Promise<void> | null = null;
  private flushes = 0;
  private closing: Promise<void> | null = null;
  /**
   * Each person's part of the file (`"key":{…}`), kept from the last write: a write serialises only
   * the people who changed and joins the rest as they were. Rewriting the whole file stays simple and
   * durable, while JSON.stringify of every person on every write (≈ 130 ms at 10,000 people) does not
   * hold up the event loop.
   */
  private readonly fragments = new Map<PersonKey, Buffer>();

  /** Use openLowdbStore. */
  constructor(
    private readonly db: Low<StoreData>,
    file: string,
    private readonly lock: Lock,
    private readonly logger: StoreLogger,
  ) {
    this.location = file;
    // No prototype, so any person key (even "__proto__") is a plain own property.
    this.people = Object.assign(Object.create(null) as Record<PersonKey, PersonData>, db.data.people);
    db.data = { formatVersion: FORMAT_VERSION, people: this.people };
    this.peopleCount = Object.keys(this.people).length;
    if (db.adapter instanceof DurableJsonFile) db.adapter.serialize = () => this.serialize();
  }

  /**
   * The whole file, byte for byte as JSON.stringify would write it, as a list of pieces: each person's
   * part is encoded once and reused until they change, and the pieces go to disk as they are (writev),
   * so no write builds the whole file as one string on the event loop.
   */
  serialize(): Buffer[] {
    const pieces: Buffer[] = [Buffer.from(`{"formatVersion":${FORMAT_VERSION},"people":{`)];
    let first = true;
    for (const key in this.people) {
      let fragment = this.fragments.get(key);
      if (fragment === undefined) {
        fragment = Buffer.from(`${JSON.stringify(key)}:${JSON.stringify(this.people[key])}`);
        this.fragments.set(key, fragment);
      }
      if (!first) pieces.push(COMMA);
      pieces.push(fragment);
      first = false;
    }
    pieces.push(CLOSE);
    return pieces;
  }

  /** How many writes of the file have completed since open (for tests and benchmarks). */
  get flushCount(): number {
    return this.flushes;
  }

  get(person: PersonKey): Readonly<PersonData> {
    return this.people[person] ?? EMPTY_PERSON;
  }

  update<T>(person: PersonKey, change: (data: PersonData) => T): Promise<T> {
    if (this.closing) return Promise.reject(this.closedError());
    const copy = structuredClone(this.people[person] ?? EMPTY_PERSON);
    let result: T;
    try {
      result = change(copy);
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.people[person] === undefined) this.peopleCount++;
    this.people[person] = copy;
    this.fragments.delete(person);
    return this.afterNextFlush().then(() => result);
  }

  forget(person: PersonKey): Promise<number> {
    if (this.closing) return Promise.reject(this.closedError());
    const data = this.people[person];
    if (data !== undefined) {
      delete this.people[person];
      this.fragments.delete(person);
      this.peopleCount--;
    }
    // Even when there is nothing to delete, wait: a write still under way may hold data of this person.
    return this.afterNextFlush().then(() => (data ? countRecords(data) : 0));
  }

  writes(): number {
    return this.flushCount;
  }

  size(): number {
    return this.peopleCount;
  }

  /** Writes what is pending, then releases the data folder. Safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    try {
      if (this.flushing) await this.flushing;
      if (this.waiting.length > 0 || this.unsaved) {
        const failed = await this.flush();
        if (failed !== undefined) throw failed;
      }
    } finally {
      await this.lock.release();
    }
  }

  private closedError(): StoreError {
    return new StoreError(`The store at ${this.location} is closed: the app is shutting down.`);
  }

  /** Resolves once a write that starts after this call has made the file durable. */
  private afterNextFlush(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    // A running flush schedules the next one when it ends, so flushes never overlap.
    if (this.flushScheduled || this.flushing) return;
    this.flushScheduled = true;
    // setImmediate, not a microtask: every change made in this turn of the event loop shares one write.
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.flushing && this.waiting.length > 0) void this.flush();
    });
  }

  /** One write for every change waiting; resolves with the error if it failed (never rejects). */
  private flush(): Promise<unknown> {
    const batch = this.waiting;
    this.waiting = [];
    this.unsaved = false;
    let failure: unknown;
    // db.write() serialises db.data before its first await, so changes made from here on go in the next write.
    const running = this.db.write().then(
      () => {
        this.flushes++;
        for (const waiter of batch) waiter.resolve();
      },
      (error: unknown) => {
        failure = error;
        this.unsaved = true;
        this.logger.warn(
          `Could not save ${batch.length} change(s) to ${this.location}; they stay in memory and go with the next write:`,
          error,
        );
        for (const waiter of batch) waiter.reject(error);
      },
    );
    this.flushing = running.finally(() => {
      this.flushing = null;
      if (this.waiting.length > 0 && !this.closing) this.scheduleFlush();
    });
    return this.flushing.then(() => failure);
  }
}

/** What `get` returns for someone new: frozen, so writing to it throws instead of vanishing. */
const EMPTY_PERSON: Readonly<PersonData> = Object.freeze({
  ratings: Object.freeze({}),
  drafts: Object.freeze({}),
  history: Object.freeze([]) as unknown as PersonData['history'],
});

// ---------------------------------------------------------------------------------------------
// The file

class DurableJsonFile implements Adapter<StoreData> {
  readonly file: string;
  /** Set once the file has been read and validated: nothing is ever written over a file we could not read. */
  private readOk = false;
  /** How the data becomes the file's text; the store replaces it with one that reuses unchanged parts. */
  serialize: (data: StoreData) => string | Buffer[] = (data) => JSON.stringify(data);

  constructor(
    private readonly dir: string,
    private readonly fileName: string,
    private readonly afterTempWrite?: (tempPath: string) => void | Promise<void>,
  ) {
    this.file = path.join(dir, fileName);
  }

  async read(): Promise<StoreData> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) {
        this.readOk = true;
        return emptyStoreData();
      }
      throw new StoreError(`Cannot read the data file ${this.file}: ${errorMessage(error)}. ${NOT_STARTED}`, {
        cause: error,
      });
    }

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new StoreError(
        `The data file ${this.file} is not valid JSON (${errorMessage(error)}). ${NOT_STARTED} ${FIX}`,
        { cause: error },
      );
    }

    const check = checkDataFile(json);
    if (!check.ok && check.problem === 'newer-format') {
      throw new StoreError(
        `The data file ${this.file} was written by a newer version of the app (format ${check.formatVersion}; ` +
          `this version reads format ${FORMAT_VERSION}). ${NOT_STARTED} Run the newer version of the app.`,
      );
    }
    if (!check.ok) {
      const shown = check.issues.slice(0, 5);
      const more = check.issues.length - shown.length;
      throw new StoreError(
        `The data file ${this.file} does not have the expected format:\n` +
          shown.map((issue) => `  ${issue}\n`).join('') +
          (more > 0 ? `  ... and ${more} more problem${more === 1 ? '' : 's'}\n` : '') +
          `${NOT_STARTED} ${FIX}`,
      );
    }
    this.readOk = true;
    return check.data;
  }

  async write(data: StoreData): Promise<void> {
    if (!this.readOk)
      throw new StoreError(`Refusing to write ${this.file}: it was not read successfully first.`);
    // Serialise before the first await: the caller counts on this snapshot being taken now. Compact, for speed.
    const text = this.serialize(data);
    const temp = path.join(
      this.dir,
      `.${this.fileName}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
    );
    try {
      // 0o600: the file holds people's self-assessments.
      const handle = await open(temp, 'wx', 0o600);
      try {
        if (typeof text === 'string') await handle.writeFile(text, 'utf8');
        else await writeAll(handle, text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.afterTempWrite?.(temp);
      await rename(temp, this.file);
      // Make the rename itself durable.
      await syncFolder(this.dir);
    } catch (error) {
      await unlink(temp).catch(() => {}); // gone already if the rename happened
      throw new StoreError(`Could not save to ${this.file}: ${errorMessage(error)}`, { cause: error });
    }
  }
}

const NOT_STARTED = 'The app will not start, and the file was left untouched.';
const FIX = 'Restore it from a backup or move it aside (the app then starts with no data), and start again.';

/** Writes the pieces in order, in as few system calls as the OS allows per call. */
async function writeAll(handle: FileHandle, pieces: Buffer[]): Promise<void> {
  const PER_CALL = 1000; // below IOV_MAX (1024)
  for (let i = 0; i < pieces.length; i += PER_CALL) {
    const batch = pieces.slice(i, i + PER_CALL);
    const expected = batch.reduce((sum, b) => sum + b.length, 0);
    let written = 0;
    let rest = batch;
    while (written < expected) {
      const { bytesWritten } = await handle.writev(rest);
      written += bytesWritten;
      rest = remaining(batch, written);
    }
  }
}

/** What is left of `batch` once its first `done` bytes are written (writev may write less than asked). */
export function remaining(batch: Buffer[], done: number): Buffer[] {
  const rest: Buffer[] = [];
  let skip = done;
  for (const piece of batch) {
    if (skip >= piece.length) {
      skip -= piece.length;
      continue;
    }
    rest.push(skip > 0 ? piece.subarray(skip) : piece);
    skip = 0;
  }
  return rest;
}

async function syncFolder(dir: string): Promise<void> {
  // Windows cannot open a folder for fsync; NTFS journals the rename.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function removeLeftoverTempFiles(dir: string, fileName: string, logger: StoreLogger): Promise<void> {
  const prefix = `.${fileName}.`;
  for (const name of await readdir(dir)) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    // A temp file never holds a confirmed change that is not also in the data file: safe to drop.
    await unlink(path.join(dir, name)).catch((error: unknown) => {
      if (!isErrno(error, 'ENOENT')) throw error;
    });
    logger.info(`Removed ${name} from ${dir}, left over from a write that did not finish`);
  }
}

// ---------------------------------------------------------------------------------------------
// One process per data folder

type LockInfo = { pid: number; hostname: string; startedAt: string };
type Lock = { release(): Promise<void> };

/** Lock files this process holds, to tell "opened twice here" from "a dead run that had our pid". */
const heldHere = new Set<string>();

async function acquireLock(dir: string, logger: StoreLogger): Promise<Lock> {
  const lockFile = path.join(dir, LOCK_FILE_NAME);
  const mine: LockInfo = { pid: process.pid, hostname: os.hostname(), startedAt: new Date().toISOString() };
  const text = JSON.stringify(mine);

  for (let attempt = 0; attempt < 10; attempt++) {
    try {
      // 'wx' fails if the file exists: of two processes starting at once, exactly one creates it.
      const handle = await open(lockFile, 'wx');
      try {
        await handle.writeFile(text, 'utf8');
      } finally {
        await handle.close();
      }
      heldHere.add(lockFile);
      return { release: () => releaseLock(lockFile, text) };
    } catch (error) {
      if (!isErrno(error, 'EEXIST')) throw error;
    }

    const found = await readLock(lockFile);
    if (found === 'gone') continue;
    if (found === 'unreadable') {
      // Another process may have created it and not yet written to it: give it a moment.
      if (attempt < 5) {
        await sleep(50);
        continue;
      }
      throw new StoreError(
        `The data folder ${dir} has a lock file ${lockFile} that cannot be read. ` +
          'If no other copy of the app is using this folder, delete the lock file and start again.',
      );
    }

    const { pid, hostname, startedAt } = found.info;
    const holder = `process ${pid} on ${hostname}, started ${startedAt}`;
    if (hostname !== os.hostname()) {
      throw new StoreError(
        `The data folder ${dir} is in use by another copy of the app (${holder}). ` +
          `That process is on another machine, so this one cannot check whether it is still running. ` +
          `Stop it first, or set DATA_DIR to another folder; if that process is surely gone, delete ${lockFile} and start again.`,
      );
    }
    if (pid === process.pid && heldHere.has(lockFile)) {
      throw new StoreError(`The data folder ${dir} is already open in this process: close that store first.`);
    }
    // Our own pid but not our lock: a previous run that had the same pid (common in containers) died.
    if (pid !== process.pid && isRunning(pid)) {
      throw new StoreError(
        `The data folder ${dir} is in use by another copy of the app (${holder}). ` +
          'Stop that process first, or set DATA_DIR to another folder.',
      );
    }

    logger.warn(`Taking over the lock on ${dir}: ${holder} is no longer running`);
    // Delete only the stale lock we looked at, not one another starting process may have just made.
    const again = await readLock(lockFile);
    if (again !== 'gone' && again !== 'unreadable' && again.text === found.text) {
      await unlink(lockFile).catch((error: unknown) => {
        if (!isErrno(error, 'ENOENT')) throw error;
      });
    }
  }
  throw new StoreError(`Could not take the lock file ${lockFile}: other processes keep changing it.`);
}

async function readLock(lockFile: string): Promise<{ info: LockInfo; text: string } | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(lockFile, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return 'gone';
    throw error;
  }
  try {
    const info: unknown = JSON.parse(text);
    if (
      info !== null &&
      typeof info === 'object' &&
      'pid' in info &&
      'hostname' in info &&
      typeof info.pid === 'number' &&
      Number.isInteger(info.pid) &&
      info.pid > 0 &&
      typeof info.hostname === 'string'
    ) {
      const startedAt =
        'startedAt' in info && typeof info.startedAt === 'string' ? info.startedAt : 'at an unknown time';
      return { info: { pid: info.pid, hostname: info.hostname, startedAt }, text };
    }
  } catch {
    // Falls through to 'unreadable'.
  }
  return 'unreadable';
}

async function releaseLock(lockFile: string, mine: string): Promise<void> {
  heldHere.delete(lockFile);
  // Only remove the lock if it is still ours (someone may have deleted it and started another copy).
  const found = await readLock(lockFile).catch(() => 'unreadable' as const);
  if (found === 'gone' || found === 'unreadable' || found.text !== mine) return;
  await unlink(lockFile).catch((error: unknown) => {
    if (!isErrno(error, 'ENOENT')) throw error;
  });
}

/** Signal 0 checks that a process exists without touching it; EPERM means it exists but is not ours. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return !isErrno(error, 'ESRCH');
  }
}

// ---------------------------------------------------------------------------------------------

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
