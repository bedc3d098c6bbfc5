import { randomBytes } from 'node:crypto';
import { type FileHandle, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage, isErrno } from '../errno.js';
import { checkDataFile, emptyStoreData, FORMAT_VERSION, type StoreData } from '../schema.js';
import { NotSavedError, StoreError } from '../store.js';
import type { Serialized } from './contents.js';
import { type DataFileLimit, utf16Length } from './limit.js';
import { parseInParts } from './read-in-parts.js';

/**
 * The data file, read once and written whole, durably: a uniquely named temp file, fsync, rename
 * over the file, fsync the folder. A file that does not read cleanly is never written over, and no
 * file is written that would be too long to read back (limit.ts).
 */

export type AfterTempWrite = (tempPath: string) => void | Promise<void>;

export class DurableJsonFile {
  readonly file: string;
  /** Set once the file has been read and validated: nothing is ever written over a file we could not read. */
  private readOk = false;

  constructor(
    private readonly dir: string,
    private readonly fileName: string,
    /** How long the file may be: the same check for what is read and what is written. */
    readonly limit: DataFileLimit,
    /** Runs after the temp file is written and fsynced, before the rename (for tests: a crash, a full disk). */
    private readonly afterTempWrite?: AfterTempWrite,
    /** Reads a file past the limit in parts rather than refusing it (for `competency migrate`). */
    private readonly readPastLimit = false,
  ) {
    this.file = path.join(dir, fileName);
  }

  async read(): Promise<StoreData> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file);
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
      json = this.parse(bytes);
    } catch (error) {
      if (error instanceof StoreError) throw error;
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

  /**
   * Writes `pieces`, one after the other, as the whole file, durably; or throws a NotSavedError and
   * leaves the file as it was: a DataFileFullError, before anything is written, when the file would
   * be longer than the app can read back.
   */
  async write({ pieces, length }: Serialized): Promise<void> {
    if (!this.readOk)
      throw new NotSavedError(`Refusing to write ${this.file}: it was not read successfully first.`);
    this.limit.check(length);
    const temp = path.join(
      this.dir,
      `.${this.fileName}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
    );
    try {
      // 0o600: the file holds people's self-assessments.
      const handle = await open(temp, 'wx', 0o600);
      try {
        await writeAll(handle, pieces);
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
      throw new NotSavedError(`Could not save to ${this.file}: ${errorMessage(error)}. Nothing was saved.`, {
        cause: error,
      });
    }
    this.limit.observe(length);
  }

  /**
   * The file's JSON. Its length is checked first, as the writer checks it before writing (bytes are
   * never fewer than the text's UTF-16 code units, so only a file of more bytes than the limit needs
   * counting): past the limit, a StoreError that names it, or (for `competency migrate`) the file read
   * in parts. Throws as JSON.parse does on a file that is not JSON.
   */
  private parse(bytes: Buffer): unknown {
    const counted = bytes.length > this.limit.limit ? utf16Length(bytes) : bytes.length;
    let text: string | undefined;
    if (counted <= this.limit.limit) {
      try {
        text = bytes.toString('utf8');
      } catch {
        // Bytes that are not UTF-8 can decode to more than they were counted as: past the limit too.
      }
    }
    if (text === undefined || text.length > this.limit.limit) {
      const length = text?.length ?? counted;
      if (!this.readPastLimit) throw this.limit.tooLongToRead(length);
      this.limit.observe(length);
      return parseInParts(bytes);
    }
    this.limit.observe(text.length);
    return JSON.parse(text);
  }
}

const NOT_STARTED = 'The app will not start, and the file was left untouched.';
const FIX = 'Restore it from a backup or move it aside (the app then starts with no data), and start again.';

/** Writes the pieces in order, in as few system calls as the OS allows per call. */
async function writeAll(handle: FileHandle, pieces: readonly Buffer[]): Promise<void> {
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
export function remaining(batch: readonly Buffer[], done: number): Buffer[] {
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

/**
 * Deletes temp files a crashed write left in `dir`. Call it only while holding the folder's lock (no
 * other process writes temp files then) and only once the data file has read cleanly (if it had not,
 * they might help someone recover it).
 */
export async function removeLeftoverTempFiles(
  dir: string,
  fileName: string,
  logger: { info(...a: unknown[]): void },
): Promise<void> {
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
