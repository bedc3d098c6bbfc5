import type { ImportProblem } from './draft.js';

/**
 * From a file's bytes to its text, for `competency import`. UTF-8 is read, with or without a byte
 * order mark, and UTF-16 (little or big endian) when a byte order mark says so; the decoding is
 * strict (`TextDecoder` with `fatal`), so a file in another encoding — Windows-1252, which Excel's
 * plain "CSV" writes, above all — is refused at the line it goes wrong instead of being read with
 * its accents and dashes turned into U+FFFD.
 */

/**
 * The largest file the importer reads. The largest framework the app can show (8 levels × 24
 * competencies, every text as long as it may be) is about 0.5 MB as a table; a usual one is a few kB.
 */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

const SAVE_AS_UTF8 =
  'save it as UTF-8 (in Excel: File → Save As → "CSV UTF-8 (Comma delimited)"; in an editor: encoding UTF-8), then import it again';

/** The problem of a file over MAX_IMPORT_BYTES; `size` when it is known. */
export function tooBigProblem(file: string, size?: number): ImportProblem {
  const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return {
    file,
    message: `the file is ${size === undefined ? `over ${mb(MAX_IMPORT_BYTES)}` : mb(size)}; the importer reads files up to ${mb(MAX_IMPORT_BYTES)} (a framework as a table is rarely over 100 kB): is it the right file?`,
  };
}

/** The file's text, or the problem that keeps it from being read. */
export function decodeInput(file: string, bytes: Uint8Array): { text: string } | { problem: ImportProblem } {
  if (bytes.length > MAX_IMPORT_BYTES) return { problem: tooBigProblem(file, bytes.length) };
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : 'utf-8';
  if (encoding === 'utf-8') {
    // NUL is valid UTF-8, but no text file has one; UTF-16 without a byte order mark has many.
    const nul = bytes.indexOf(0);
    if (nul >= 0) return { problem: nulProblem(file, lineOfByte(bytes, nul)) };
  }
  let text: string;
  try {
    // The byte order mark, when there is one, is taken off.
    text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    return { problem: { file, ...notDecodable(bytes, encoding) } };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { problem: nulProblem(file, lineAt(text, nul)) };
  return { text };
}

function nulProblem(file: string, line: number): ImportProblem {
  return {
    file,
    line,
    message: `this line has a NUL character, so the file is not plain text: it may be a spreadsheet (.xlsx) or UTF-16 text without a byte order mark; ${SAVE_AS_UTF8}`,
  };
}

/** Where and why bytes that are not valid in `encoding` are refused. */
function notDecodable(
  bytes: Uint8Array,
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be',
): { line?: number; message: string } {
  if (encoding !== 'utf-8') {
    const at = firstInvalidUtf16(bytes, encoding === 'utf-16le');
    return {
      line: at.line,
      message: `the file starts with the mark of ${encoding === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE'} text, but this line is not valid UTF-16; ${SAVE_AS_UTF8}`,
    };
  }
  const at = firstInvalidUtf8(bytes);
  const byte = bytes[at] ?? 0;
  const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  const guess = windows1252(byte);
  return {
    line: lineOfByte(bytes, at),
    message:
      `this line is not UTF-8 text: the byte ${hex}${guess ? ` (${JSON.stringify(guess)} in Windows-1252, the encoding of Excel's plain "CSV")` : ''} ` +
      `cannot be read. The file is in another encoding; ${SAVE_AS_UTF8}`,
  };
}

/**
 * Windows-1252 from 0x80 to 0x9F, where it differs from Latin-1 (NUL where it has no character).
 * Written out: Node.js 20's TextDecoder reads `windows-1252` as Latin-1.
 */
const WINDOWS_1252_80_9F =
  '\u20ac\u0000\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u0000\u017d\u0000' +
  '\u0000\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u0000\u017e\u0178';

/** The character a byte stands for in Windows-1252, when it stands for a printable one. */
function windows1252(byte: number): string | undefined {
  const char = byte >= 0x80 && byte <= 0x9f ? WINDOWS_1252_80_9F[byte - 0x80] : String.fromCharCode(byte);
  return char !== undefined && /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(char) ? char : undefined;
}

/**
 * The offset of the first byte that does not start a well-formed UTF-8 sequence (the Unicode
 * standard, table 3-7), or of the sequence it starts that is cut short; bytes.length when all are.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let more: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) more = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      more = 2;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      more = 3;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k <= more; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return i;
    }
    i += more + 1;
  }
  return bytes.length;
}

/** The line (1-based) of the first code unit of UTF-16 `bytes` that is not valid: an unpaired surrogate, or an odd byte at the end. */
function firstInvalidUtf16(bytes: Uint8Array, littleEndian: boolean): { line: number } {
  const unit = (i: number) =>
    littleEndian
      ? (bytes[i] ?? 0) | ((bytes[i + 1] ?? 0) << 8)
      : ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  let line = 1;
  let afterCr = false;
  for (let i = 2; i + 1 < bytes.length; i += 2) {
    const u = unit(i);
    if (u >= 0xd800 && u <= 0xdbff) {
      const next = i + 3 < bytes.length ? unit(i + 2) : -1;
      if (next < 0xdc00 || next > 0xdfff) return { line };
      i += 2;
    } else if (u >= 0xdc00 && u <= 0xdfff) return { line };
    if (u === 0x0a && !afterCr) line++;
    if (u === 0x0d) line++;
    afterCr = u === 0x0d;
  }
  return { line };
}

/** The line (1-based) of `bytes[offset]`: LF, CR LF and a lone CR each end a line. */
function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}

function lineAt(text: string, index: number): number {
  return text.slice(0, index).split(/\r\n|\r|\n/).length;
}
