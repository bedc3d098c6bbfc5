import { readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { valueAt } from '../util/value-at.js';
import type { FrameworkCache } from './cache.js';
import { findClashes, findLookupClashesWithin, type ReadFramework } from './clashes.js';
import {
  byLine,
  FrameworkError,
  type FrameworkProblem,
  formatPath,
  locatorOf,
  type Path,
  parseYaml,
  yamlErrorText,
} from './problems.js';
import { type Framework, type FrameworkFile, FrameworkSchema, frameworkId } from './schema.js';
import { explainIssue, unknownFields } from './schema-issues.js';

/**
 * Reads framework YAML files, checks them against the schema, and explains every mistake
 * with the file, the line and the field, in plain words. This module reads the folders and files
 * and runs the checks of one file in order; where a problem is and how it reads is in problems.ts,
 * the schema's mistakes in plain words in schema-issues.ts, and names that would make a lookup
 * ambiguous (within a file and across files) in clashes.ts.
 */

/** The frameworks that ship with the app: the repository's `frameworks/` folder. */
export const BUNDLED_FRAMEWORKS_DIR = fileURLToPath(new URL('../../frameworks', import.meta.url));

/** Parses and validates one framework file; throws a FrameworkError listing every problem. */
export function parseFramework(text: string, file: string): Framework {
  const result = readFrameworkText(text, file);
  if (result.problems.length > 0 || !result.framework) throw new FrameworkError(result.problems);
  return result.framework;
}

/**
 * Loads every `*.yml` / `*.yaml` file in each folder (not sub-folders), in name order.
 * Collects the problems of all files before giving up, and throws one FrameworkError if there are any.
 */
export async function loadFrameworks(dirs: string[], options: ReadOptions = {}): Promise<Framework[]> {
  const { frameworks, problems } = await readFrameworks(dirs, options);
  if (problems.length > 0) throw new FrameworkError(problems);
  return frameworks;
}

/**
 * Like loadFrameworks, but returns the problems instead of throwing, together with every
 * framework that passed the schema (a framework may pass and still have a problem, such as a clash).
 */
export async function readFrameworks(
  dirs: string[],
  { cache }: ReadOptions = {},
): Promise<{ frameworks: Framework[]; problems: FrameworkProblem[] }> {
  const problems: FrameworkProblem[] = [];
  const read: FileResult[] = [];
  for (const dir of dirs) {
    const listing = await listFrameworkFiles(dir);
    if (listing.problem) problems.push(listing.problem);
    // Read one after the other, without waiting on the event loop: this runs at start, before the app
    // takes requests, and a small file read this way costs far less than reading it as a promise (four
    // trips through libuv's thread pool each).
    const texts = listing.files.map(
      (file): { file: string; text: string } | { file: string; error: unknown } => {
        try {
          return { file, text: readFileSync(file, 'utf8') };
        } catch (error) {
          return { file, error };
        }
      },
    );
    for (const entry of texts) {
      const { file } = entry;
      if (!('text' in entry)) {
        problems.push({ file, message: `cannot read this file (${errorText(entry.error)})` });
        continue;
      }
      const cached = cache?.get(file, entry.text);
      if (cached) {
        read.push({ file, framework: cached, problems: [], locate: locatorOf(entry.text) });
        continue;
      }
      const result = readFrameworkText(entry.text, file);
      if (result.framework && result.problems.length === 0) cache?.set(file, entry.text, result.framework);
      problems.push(...result.problems);
      read.push(result);
    }
  }
  problems.push(...findClashes(read, BUNDLED_FRAMEWORKS_DIR));
  const frameworks = read.flatMap((r) => (r.framework ? [r.framework] : []));
  return { frameworks, problems };
}

export type ReadOptions = {
  /** Files that passed every check before are taken from here instead of being parsed again. */
  cache?: FrameworkCache;
};

// ---------------------------------------------------------------------------------------------
// Folders

/**
 * The framework files of a folder (its `*.yml` and `*.yaml`, not its sub-folders), in name order; or
 * the one file given, when a file is given (`competency validate people.yml`).
 */
async function listFrameworkFiles(dir: string): Promise<{ files: string[]; problem?: FrameworkProblem }> {
  const folder = path.resolve(dir);
  if (isFile(folder)) {
    if (/\.ya?ml$/i.test(folder)) return { files: [folder] };
    return {
      files: [],
      problem: {
        file: folder,
        message:
          'this is not a framework file (a framework is a .yml or .yaml file): to turn a table or a saved page into one, use `competency import`',
      },
    };
  }
  let names: string[];
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    names = entries
      .filter((e) => (e.isFile() || e.isSymbolicLink()) && /\.ya?ml$/i.test(e.name))
      .map((e) => e.name)
      .sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT'
        ? 'this folder does not exist'
        : code === 'ENOTDIR'
          ? 'this is a file, not a folder of framework files'
          : `cannot read this folder (${errorText(error)})`;
    return { files: [], problem: { file: folder, message } };
  }
  if (names.length === 0) {
    return {
      files: [],
      problem: {
        file: folder,
        message: 'no framework files here (expected at least one *.yml or *.yaml file)',
      },
    };
  }
  return { files: names.map((name) => path.join(folder, name)) };
}

/** Whether `file` is a file (not a folder, not missing). */
function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// One file

type FileResult = ReadFramework & { problems: FrameworkProblem[] };

function readFrameworkText(text: string, file: string): FileResult {
  const { doc, locate } = parseYaml(text);
  const problem = (at: Path, message: string): FrameworkProblem => ({
    file,
    ...locate(at),
    ...(at.length > 0 ? { path: formatPath(at) } : {}),
    message,
  });

  // 1. YAML syntax: when the text does not parse, nothing else can be trusted.
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((error) => {
      const pos = error.linePos?.[0];
      return {
        file,
        ...(pos ? { line: pos.line, column: pos.col } : {}),
        message: `this is not valid YAML: ${yamlErrorText(error.code, error.message)}`,
      };
    });
    return { file, problems, locate };
  }

  // 2. The schema, plus fields it does not know (most likely typos, which would otherwise vanish).
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // For example a YAML alias repeated so often it looks like a "billion laughs" attack.
    return { file, problems: [{ file, message: `cannot read this YAML: ${errorText(error)}` }], locate };
  }
  const problems: FrameworkProblem[] = [];
  if (data === null || data === undefined) {
    problems.push(
      problem([], 'the file is empty (expected a framework: role, domain, version, source, ...)'),
    );
    return { file, problems, locate };
  }
  for (const field of unknownFields(FrameworkSchema, data, [])) {
    problems.push(problem(field.path, field.message));
  }
  const parsed = FrameworkSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(problem(issue.path, explainIssue(issue, valueAt(data, issue.path))));
    }
    return { file, problems: byLine(problems), locate };
  }

  // 3. Checks that need the whole framework: names that would make a lookup ambiguous, the file name.
  const content: FrameworkFile = parsed.data;
  const framework: Framework = { ...content, id: frameworkId(content), file };
  for (const clash of findLookupClashesWithin(content)) problems.push(problem(clash.path, clash.message));
  const fileNameProblem = checkFileName(content, file);
  if (fileNameProblem) problems.push(problem(fileNameProblem.path, fileNameProblem.message));
  return { file, framework, problems: byLine(problems), locate };
}

function checkFileName(f: FrameworkFile, file: string): { path: Path; message: string } | undefined {
  const id = frameworkId(f);
  const base = path.basename(file);
  if (base === `${id}.yml` || base === `${id}.yaml`) return undefined;
  const field = base.startsWith(`${f.role.id}.`) ? 'domain' : 'role';
  return {
    path: [field, 'id'],
    message: `the file name must be "${id}.yml" (<role.id>.<domain.id>.yml), but it is "${base}": rename the file or fix ${field}.id`,
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
