import { constants } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { DataFileFullError, StoreError, type StoreLogger } from '../store.js';

/**
 * How long the data file may be, and how it is measured.
 *
 * The app reads the file as one string (its UTF-8 bytes decoded, then JSON.parse), and V8 cannot make
 * a string longer than `buffer.constants.MAX_STRING_LENGTH` (2**29 - 24 on 64-bit Node 20, 512 MiB
 * of ASCII): a longer file is written without complaint, and then the app cannot start ("Invalid
 * string length"). So the measure is the length of that decoded string, in UTF-16 code units, not
 * the file's size in bytes. Checked on Node 20: 2**29 - 23 bytes of ASCII do not read, while
 * 2**29 - 22 bytes of "é" (two bytes each) read, as a string of 2**28 - 11 units. UTF-8 takes one to
 * three bytes per unit (four bytes for two units), so bytes are never fewer than units: a limit on
 * bytes would be safe, but would refuse too early a file with many accented or non-Latin letters.
 *
 * The writer knows the exact length for free: each part of the file is a JavaScript string
 * (JSON.stringify) before it is encoded, and JSON.stringify escapes lone surrogates, so decoding the
 * file gives back exactly those strings. A file no longer than the limit always reads back; the
 * store refuses any change that would make the next file longer, and checks again before each write.
 */
export const DATA_FILE_LIMIT = constants.MAX_STRING_LENGTH;

/** From this share of the limit on, the store warns in its log and on /metrics. */
const WARNING_SHARE = 0.8;

/** The way out, in every message about the limit. */
const MOVE_TO_POSTGRES =
  'Move the data to PostgreSQL with `competency migrate --to postgres` (see docs/operations.md, "When you outgrow one process").';

/** A length in the file's unit, for people: `12,345 characters`. */
function characters(length: number): string {
  return `${length.toLocaleString('en-US')} characters`;
}

/**
 * One data file's limit: the check the writer makes before every write (and the store before it
 * takes a change), which is the one the reader makes at start; and the warning from WARNING_SHARE
 * of it on, logged once each time the file crosses it.
 */
export class DataFileLimit {
  /** Whether the file was at or past WARNING_SHARE when last seen. */
  private near = false;

  constructor(
    readonly file: string,
    /** In UTF-16 code units: DATA_FILE_LIMIT, or less in tests. */
    readonly limit: number,
    private readonly logger: StoreLogger,
  ) {
    if (!Number.isSafeInteger(limit) || limit <= 0 || limit > DATA_FILE_LIMIT)
      throw new RangeError(`The data file's limit must be a whole number from 1 to ${DATA_FILE_LIMIT}`);
  }

  /** Refuses (DataFileFullError) a file of `length` that the app could not read back. */
  check(length: number): void {
    if (length <= this.limit) return;
    throw new DataFileFullError(
      `Not saved: with this change the data file ${this.file} would be ${characters(length)} long, more than ` +
        `the ${characters(this.limit)} the app can read back when it starts. Nothing was changed, in memory ` +
        `or on disk. Changes that make the file shorter, such as deletions, still go through. ${MOVE_TO_POSTGRES}`,
    );
  }

  /**
   * The file is `length` long now (read at start, or just written): warns when it reaches
   * WARNING_SHARE of the limit, and says when it is below again; once each time, not at every write.
   */
  observe(length: number): void {
    const near = length >= this.limit * WARNING_SHARE;
    if (near === this.near) return;
    this.near = near;
    const share = `${Math.floor((length / this.limit) * 100)}%`;
    if (near)
      this.logger.warn(
        `The data file ${this.file} is ${characters(length)} long, ${share} of the ${characters(this.limit)} ` +
          'the app can read back when it starts. At the limit, changes that would make it longer are refused ' +
          `(people are told that nothing was saved), while those that make it shorter, such as deletions, still go through. ${MOVE_TO_POSTGRES}`,
      );
    else
      this.logger.info(
        `The data file ${this.file} is below ${WARNING_SHARE * 100}% of its limit again ` +
          `(${characters(length)}, ${share} of ${characters(this.limit)}).`,
      );
  }

  /** Why the app cannot start on a file of `length` (longer than the limit). */
  tooLongToRead(length: number): StoreError {
    return new StoreError(
      `The data file ${this.file} is ${characters(length)} long, more than the ${characters(this.limit)} ` +
        'the app can read (the longest string Node.js can hold), so the app will not start; the file was left ' +
        `untouched. ${MOVE_TO_POSTGRES} \`competency migrate\` still reads a file this long.`,
    );
  }
}

/**
 * How many UTF-16 code units decoding `bytes` as UTF-8 gives, for a file too large to decode whole:
 * decoded in slices, as Node.js decodes (a character cut at a slice's end is finished in the next).
 */
export function utf16Length(bytes: Buffer): number {
  const SLICE = 16 * 1024 * 1024;
  const decoder = new StringDecoder('utf8');
  let length = 0;
  for (let start = 0; start < bytes.length; start += SLICE)
    length += decoder.write(bytes.subarray(start, start + SLICE)).length;
  return length + decoder.end().length;
}
