import { randomBytes } from 'node:crypto';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type CliIo, errorText, PROBLEM } from './io.js';

/**
 * Writing what import and export make: all the files or none, never over a file that exists unless
 * asked (the commands check that first); and file errors in plain words.
 */

/** Writes every file to a temporary name first, then renames them all: no file is ever left half written. */
export async function writeAll(files: { path: string; text: string }[]): Promise<void> {
  const temps: { temp: string; path: string }[] = [];
  try {
    for (const file of files) {
      const temp = path.join(
        path.dirname(file.path),
        `.${path.basename(file.path)}.${randomBytes(6).toString('hex')}.tmp`,
      );
      temps.push({ temp, path: file.path });
      await writeFile(temp, file.text, { flag: 'wx' });
    }
    for (const { temp, path: target } of temps) await rename(temp, target);
  } finally {
    await Promise.all(temps.map(({ temp }) => rm(temp, { force: true })));
  }
}

/** Says why nothing was written, on stderr; exit 1. */
export function refuse(io: CliIo, message: string): number {
  io.err(message);
  io.err('Nothing was written.');
  return PROBLEM;
}

/** Whether something (a file or a folder) is there. */
export async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** What went wrong with a file, in plain words. */
export function fileErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EISDIR') return 'this is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return errorText(error);
}
