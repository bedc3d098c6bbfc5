import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  formatImportProblem,
  type Imported,
  type ImportInput,
  type ImportProblem,
  importFrameworks,
  MAX_IMPORT_BYTES,
  tooBigProblem,
} from '../../frameworks/import/index.js';
import { BUNDLED_FRAMEWORKS_DIR } from '../../frameworks/loader.js';
import { displayPath } from '../../frameworks/problems.js';
import type { Parsed } from '../args.js';
import { exists, fileErrorText, refuse, writeAll } from '../files.js';
import { type CliIo, OK, PROBLEM, usageError } from '../io.js';
import { CLI_NAME } from '../render.js';

/**
 * `competency import <file…> [--out <file or folder>] [--force]`: framework files from CSV or TSV
 * tables or saved framework pages, every one checked before anything is written.
 */

export async function importCommand(io: CliIo, parsed: Parsed): Promise<number> {
  if (parsed.args.length === 0) {
    return usageError(
      io,
      `\`${CLI_NAME} import\` needs a file to read: a CSV or TSV table, or a saved framework page, e.g. \`${CLI_NAME} import people.csv\`.`,
    );
  }
  if (parsed.format !== undefined) {
    return usageError(
      io,
      `--${parsed.format} is for \`${CLI_NAME} export\`; import tells the format from each file.`,
    );
  }

  const inputs: ImportInput[] = [];
  const unreadable: string[] = [];
  const tooBig: ImportProblem[] = [];
  for (const file of parsed.args) {
    try {
      // Bytes, not text: the importer decodes them, and refuses a file that is not UTF-8 (or UTF-16 with a BOM).
      const read = await readAtMost(file, MAX_IMPORT_BYTES);
      if (read.bytes) inputs.push({ file, bytes: read.bytes });
      else tooBig.push(tooBigProblem(file, read.size));
    } catch (error) {
      unreadable.push(`${file}: ${fileErrorText(error)}`);
    }
  }
  if (unreadable.length > 0) {
    for (const line of unreadable) io.err(line);
    io.err('Nothing was written.');
    return PROBLEM;
  }

  const result =
    tooBig.length > 0
      ? { frameworks: [], problems: tooBig, notes: [] }
      : importFrameworks(inputs, { today: today() });
  for (const note of result.notes) io.err(`Note: ${formatImportProblem(note)}`);
  if (result.problems.length > 0) {
    io.err(
      result.problems.length === 1
        ? 'Could not import, because of this problem:'
        : `Could not import, because of these ${result.problems.length} problems:`,
    );
    for (const problem of result.problems) io.err(`  ${formatImportProblem(problem)}`);
    io.err('Nothing was written.');
    return PROBLEM;
  }

  if (parsed.out === '-') {
    if (result.frameworks.length !== 1) {
      return refuse(
        io,
        `--out - prints one framework, but the files make ${result.frameworks.length} (${idsOf(result.frameworks)}): give a folder instead.`,
      );
    }
    for (const line of (result.frameworks[0]?.yaml ?? '').replace(/\n$/, '').split('\n')) io.out(line);
    return OK;
  }

  const targets = await importTargets(parsed.out, result.frameworks);
  if ('problem' in targets) return refuse(io, targets.problem);
  if (!parsed.force) {
    const existing: string[] = [];
    for (const target of targets.files)
      if (await exists(target.path)) existing.push(displayPath(target.path));
    if (existing.length > 0) {
      return refuse(
        io,
        `${existing.join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'}: add --force to replace ${existing.length === 1 ? 'it' : 'them'}, or choose another --out.`,
      );
    }
  }
  try {
    await mkdir(targets.folder, { recursive: true });
    await writeAll(targets.files.map((t) => ({ path: t.path, text: t.imported.yaml })));
  } catch (error) {
    return refuse(io, `Could not write to ${displayPath(targets.folder)}: ${fileErrorText(error)}.`);
  }

  for (const { path: file, imported } of targets.files) {
    const f = imported.framework;
    io.out(
      `Wrote ${displayPath(file)}: ${f.role.name} · ${f.domain.name}, ${f.levels.length} ${f.levels.length === 1 ? 'level' : 'levels'} (${f.levels.map((l) => l.name).join(', ')}), ${f.competencies.length} ${f.competencies.length === 1 ? 'competency' : 'competencies'}.`,
    );
    if (await exists(path.join(BUNDLED_FRAMEWORKS_DIR, imported.fileName))) {
      io.err(
        `Note: the bundled frameworks already have ${imported.id}; the app will not load a second one with that id from FRAMEWORKS_DIR: change role.id or domain.id (and the file name) to keep both.`,
      );
    }
  }
  const folder = path.resolve(targets.folder) === process.cwd() ? '.' : displayPath(targets.folder);
  io.out(
    `Check ${result.frameworks.length === 1 ? 'it' : 'them'} with \`${CLI_NAME} validate ${folder}\`, and set FRAMEWORKS_DIR=${folder} for the app to load ${result.frameworks.length === 1 ? 'it' : 'them'}.`,
  );
  return OK;
}

/**
 * A file's bytes, read no further than `max` bytes; without them (and with the size, when the file
 * system knows it) when the file has more. A file over `max` is not read at all.
 */
async function readAtMost(file: string, max: number): Promise<{ bytes?: Buffer; size?: number }> {
  const info = await stat(file);
  if (info.isFile() && info.size > max) return { size: info.size };
  const chunks: Buffer[] = [];
  let length = 0;
  // `end` is inclusive: one byte more than `max` says that there is more.
  for await (const chunk of createReadStream(file, { end: max })) {
    chunks.push(chunk as Buffer);
    length += (chunk as Buffer).length;
  }
  return length > max ? {} : { bytes: Buffer.concat(chunks, length) };
}

type ImportTargets = { folder: string; files: { path: string; imported: Imported }[] } | { problem: string };

/** Where each framework goes: `<id>.yml` in the folder --out names (the current one by default), or the file it names. */
async function importTargets(out: string | undefined, frameworks: Imported[]): Promise<ImportTargets> {
  const target = out ?? '.';
  const isFolder =
    out === undefined ||
    /[/\\]$/.test(target) ||
    !/\.ya?ml$/i.test(target) ||
    (await stat(target).then(
      (s) => s.isDirectory(),
      () => false,
    ));
  if (isFolder) {
    const folder = path.resolve(target);
    return {
      folder,
      files: frameworks.map((imported) => ({ path: path.join(folder, imported.fileName), imported })),
    };
  }
  const only = frameworks[0];
  if (frameworks.length !== 1 || !only) {
    return {
      problem: `--out ${target} is one file, but the files make ${frameworks.length} frameworks (${idsOf(frameworks)}): give a folder instead.`,
    };
  }
  const base = path.basename(target);
  if (base !== `${only.id}.yml` && base !== `${only.id}.yaml`) {
    const suggestion = path.join(path.dirname(target), only.fileName);
    return {
      problem: `--out ${target}: the app loads this framework only from a file named ${only.fileName} (<role>.<domain>.yml); use --out ${suggestion}, or a folder.`,
    };
  }
  const file = path.resolve(target);
  return { folder: path.dirname(file), files: [{ path: file, imported: only }] };
}

function idsOf(frameworks: readonly Imported[]): string {
  return frameworks.map((f) => f.id).join(', ');
}

/** Today's date where the command runs, as YYYY-MM-DD. */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
