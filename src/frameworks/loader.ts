import { readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Document, isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { valueAt } from '../util/value-at.js';
import type { FrameworkCache } from './cache.js';
import { editDistance, normalizeKey } from './catalog.js';
import { type Framework, type FrameworkFile, FrameworkSchema, frameworkId } from './schema.js';

/**
 * Reads framework YAML files, checks them against the schema, and explains every mistake
 * with the file, the line and the field, in plain words.
 */

/** The frameworks that ship with the app: the repository's `frameworks/` folder. */
export const BUNDLED_FRAMEWORKS_DIR = fileURLToPath(new URL('../../frameworks', import.meta.url));

export type FrameworkProblem = {
  file: string;
  line?: number;
  column?: number;
  /** The field, e.g. `competencies[2].expected.senior`. */
  path?: string;
  message: string;
};

export class FrameworkError extends Error {
  readonly problems: FrameworkProblem[];

  constructor(problems: FrameworkProblem[]) {
    const heading =
      problems.length === 1
        ? 'Found a problem in the framework files:'
        : `Found ${problems.length} problems in the framework files:`;
    super([heading, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n'));
    this.name = 'FrameworkError';
    this.problems = problems;
  }
}

/** One problem as one line: `file:line:col: field.path: message`. */
export function formatProblem(p: FrameworkProblem): string {
  const where =
    p.line === undefined ? displayPath(p.file) : `${displayPath(p.file)}:${p.line}:${p.column ?? 1}`;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** A path relative to the current folder when it is inside it, as given otherwise. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

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
    // takes requests, and hundreds of small files read this way take a few milliseconds where reading
    // them as promises (four trips through libuv's thread pool each) took about 0.1 s.
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
  problems.push(...findClashes(read));
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

type Path = readonly PropertyKey[];
type Position = { line: number; column: number };

type FileResult = {
  file: string;
  framework?: Framework;
  problems: FrameworkProblem[];
  /** Where a field is in the file (or its nearest parent that exists). */
  locate: (at: Path) => Position;
};

function parseYaml(text: string): { doc: Document; locate: (at: Path) => Position } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  return { doc, locate: (at: Path) => locateNode(doc, lineCounter, at) };
}

/** For a file taken from the cache: parses its text only if a position is ever asked for. */
function locatorOf(text: string): (at: Path) => Position {
  let locate: ((at: Path) => Position) | undefined;
  return (at) => {
    locate ??= parseYaml(text).locate;
    return locate(at);
  };
}

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

/** Problems of one file in the order they appear in it (the sort is stable for equal lines). */
function byLine(problems: FrameworkProblem[]): FrameworkProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
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

/** Rewrites the YAML parser's message as one plain line (its own message includes a code excerpt). */
function yamlErrorText(code: string, message: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'the same field appears twice here';
    case 'MULTIPLE_DOCS':
      return 'the file holds more than one YAML document (a second "---" line); keep one framework per file';
    case 'TAB_AS_INDENT':
      return 'tabs are not allowed for indentation; indent with spaces';
    default: {
      const firstLine = message.split('\n')[0] ?? message;
      const plain = firstLine.replace(/ at line \d+, column \d+:?$/, '');
      return plain.charAt(0).toLowerCase() + plain.slice(1);
    }
  }
}

/**
 * The line and column of the YAML node at `at`, or of its nearest parent that exists.
 * A field holding a list or a group points at its own key line (`expected:`), a plain value at the value.
 */
function locateNode(doc: Document, lineCounter: LineCounter, at: Path): Position {
  const positionOf = (node: unknown): Position | undefined => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    if (!range) return undefined;
    const { line, col } = lineCounter.linePos(range[0]);
    return { line, column: col };
  };
  let node: unknown = doc.contents;
  let position = positionOf(node) ?? { line: 1, column: 1 };
  for (const segment of at) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const isGroup = isMap(pair.value) || isSeq(pair.value);
      position =
        (isGroup ? positionOf(pair.key) : (positionOf(pair.value) ?? positionOf(pair.key))) ?? position;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (item === undefined) break;
      position = positionOf(item) ?? position;
      node = item;
    } else {
      break;
    }
  }
  return position;
}

/** `['competencies', 2, 'expected', 'senior']` → `competencies[2].expected.senior`. */
function formatPath(at: Path): string {
  let out = '';
  for (const segment of at) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Plain-words explanations of schema issues

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;

function explainIssue(issue: Issue, found: unknown): string {
  const schema = schemaAt(FrameworkSchema, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (found === undefined) return 'required field is missing';
      if (issue.path.length === 0)
        return `expected a framework (role, domain, version, ...), found ${show(found)}`;
      return `expected ${expectation(schema, issue.expected)}, found ${show(found)}${hint(schema, found)}`;

    case 'too_small':
    case 'too_big':
      return explainSize(issue, schema, found);

    case 'invalid_format':
      if (issue.format === 'regex') return `expected ${issue.message}, found ${show(found)}`;
      if (issue.format === 'date') return `expected a date written as YYYY-MM-DD, found ${show(found)}`;
      if (issue.format === 'url')
        return `expected a web address starting with https:// or http://, such as https://example.com, found ${show(found)}`;
      return `expected text in ${issue.format} format, found ${show(found)}`;

    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => String(v)).join(', ')}, found ${show(found)}`;

    case 'invalid_key': {
      const key = String(issue.path[issue.path.length - 1]);
      const reason = issue.issues[0]?.message ?? 'a valid key';
      return `the key "${key}" is not valid: expected ${reason}`;
    }

    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}`;

    default:
      // Our own checks (custom issues) already speak plainly.
      return issue.message;
  }
}

function explainSize(
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  schema: Schema | undefined,
  found: unknown,
) {
  const small = issue.code === 'too_small';
  const limit = Number(small ? issue.minimum : issue.maximum);
  if (typeof found === 'string') {
    if (small && limit <= 1) return 'must not be empty';
    const length = found.trim().length;
    return small
      ? `expected at least ${limit} characters, found ${length}`
      : `expected at most ${limit} characters, found ${length}: please shorten it`;
  }
  if (Array.isArray(found)) {
    const items = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;
    if (issue.exact) return `expected exactly ${items(limit)}, found ${found.length}`;
    return small
      ? `expected at least ${items(limit)}, found ${found.length}`
      : `expected at most ${items(limit)}, found ${found.length}`;
  }
  return `expected ${expectation(schema, 'number')}, found ${show(found)}`;
}

/** What a field expects, in words: "a whole number from 1 to 5", "text", "a list". */
function expectation(schema: Schema | undefined, fallback: string): string {
  if (schema instanceof z.ZodNumber) {
    const kind = schema.isInt ? 'a whole number' : 'a number';
    const { minValue: min, maxValue: max } = schema;
    if (min !== null && max !== null && Number.isFinite(min) && Number.isFinite(max)) {
      return `${kind} from ${min} to ${max}`;
    }
    return kind;
  }
  if (schema instanceof z.ZodString) return 'text';
  if (schema instanceof z.ZodEnum) return `one of ${schema.options.join(', ')}`;
  if (schema instanceof z.ZodArray) return 'a list';
  if (schema instanceof z.ZodObject) return 'a group of fields (name: value lines)';
  if (schema instanceof z.ZodRecord) return 'a group of "key: value" lines';
  switch (fallback) {
    case 'string':
      return 'text';
    case 'int':
      return 'a whole number';
    case 'array':
      return 'a list';
    case 'object':
      return 'a group of fields';
    default:
      return `a ${fallback}`;
  }
}

/** A short extra tip for the most common YAML type slips. */
function hint(schema: Schema | undefined, found: unknown): string {
  if (schema instanceof z.ZodString && (typeof found === 'number' || typeof found === 'boolean')) {
    return ' (put it in quotes to make it text)';
  }
  if (schema instanceof z.ZodNumber && typeof found === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(found)) {
    return ' (remove the quotes)';
  }
  return '';
}

/** A value as it would read in a message. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a group of fields';
  return String(value);
}

/** Skips the wrappers that do not change what a value must look like. */
function unwrap(schema: Schema | undefined): Schema | undefined {
  let s = schema;
  while (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap();
  return s;
}

/** The schema of the field at `at`, when there is one. */
function schemaAt(root: Schema, at: Path): Schema | undefined {
  let schema: Schema | undefined = root;
  for (const segment of at) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = schema.shape[String(segment)];
    else if (schema instanceof z.ZodArray) schema = schema.element;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType;
    else return undefined;
  }
  return unwrap(schema);
}

/** Fields the schema does not know about: zod would drop them silently, and they are usually typos. */
function unknownFields(
  schema: Schema | undefined,
  data: unknown,
  at: PropertyKey[],
): { path: Path; message: string }[] {
  const s = unwrap(schema);
  const found: { path: Path; message: string }[] = [];
  if (s instanceof z.ZodObject && isPlainObject(data)) {
    const known = Object.keys(s.shape);
    for (const [key, value] of Object.entries(data)) {
      if (known.includes(key)) {
        found.push(...unknownFields(s.shape[key], value, [...at, key]));
        continue;
      }
      const near = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase(), 2) <= 2);
      const advice = near ? `did you mean "${near}"?` : `the fields here are: ${known.join(', ')}`;
      found.push({ path: [...at, key], message: `unknown field "${key}" (${advice})` });
    }
  } else if (s instanceof z.ZodArray && Array.isArray(data)) {
    data.forEach((item, i) => {
      found.push(...unknownFields(s.element, item, [...at, i]));
    });
  } else if (s instanceof z.ZodRecord && isPlainObject(data)) {
    for (const [key, value] of Object.entries(data)) {
      if (key === '__proto__') {
        // YAML keeps `__proto__:` as an ordinary key, but zod leaves it out of a record without a word.
        const rule = z.safeParse(s.keyType, key).error?.issues[0]?.message ?? 'another name';
        found.push({ path: [...at, key], message: `the key "${key}" is not valid: expected ${rule}` });
        continue;
      }
      found.push(...unknownFields(s.valueType, value, [...at, key]));
    }
  }
  return found;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// Names that would make `/competency …` ambiguous

/** A name someone may type (id, name or alias), and the field it comes from. */
type NamedKey = { key: string; path: Path };

function namedKeys(item: { id: string; name: string; aliases: readonly string[] }, at: Path): NamedKey[] {
  const fields: [string, Path][] = [
    [item.id, [...at, 'id']],
    [item.name, [...at, 'name']],
    ...item.aliases.map((alias, i): [string, Path] => [alias, [...at, 'aliases', i]]),
  ];
  return fields
    .map(([value, field]) => ({ key: normalizeKey(value), path: field }))
    .filter((k) => k.key !== '');
}

/** Levels must not share names, and a domain name must not read as a level. */
function findLookupClashesWithin(f: FrameworkFile): { path: Path; message: string }[] {
  const clashes: { path: Path; message: string }[] = [];
  const levelOf = new Map<string, { index: number; name: string }>();
  f.levels.forEach((level, index) => {
    for (const { key, path: at } of namedKeys(level, ['levels', index])) {
      const owner = levelOf.get(key);
      if (!owner) levelOf.set(key, { index, name: level.name });
      else if (owner.index !== index) {
        clashes.push({
          path: at,
          message: `"${key}" already names the level "${owner.name}"; each level needs its own id, name and aliases`,
        });
      }
    }
  });
  for (const { key, path: at } of namedKeys(f.domain, ['domain'])) {
    const level = levelOf.get(key);
    if (level) {
      clashes.push({
        path: at,
        message: `"${key}" is also a name of the level "${level.name}", so "/competency ${f.role.id} ${key}" would be ambiguous; choose another name`,
      });
    }
  }
  return clashes;
}

/**
 * Clashes between files: two files with the same framework id, a role name used by two roles,
 * a domain name used by two domains of the same role.
 */
function findClashes(results: FileResult[]): FrameworkProblem[] {
  const problems: FrameworkProblem[] = [];
  const byId = new Map<string, FileResult>();
  const roleOfKey = new Map<string, { roleId: string; roleName: string; file: string }>();
  const domainOfKey = new Map<string, { domainId: string; domainName: string; file: string }>();
  const bundled = path.resolve(BUNDLED_FRAMEWORKS_DIR);

  for (const result of results) {
    const f = result.framework;
    if (!f) continue;
    const problem = (at: Path, message: string): FrameworkProblem => ({
      file: result.file,
      ...result.locate(at),
      path: formatPath(at),
      message,
    });

    const first = byId.get(f.id);
    if (first) {
      const eitherBundled = [first.file, result.file].some(
        (file) => path.dirname(path.resolve(file)) === bundled,
      );
      const advice = eitherBundled
        ? 'A framework in FRAMEWORKS_DIR cannot reuse the id of a bundled framework: give it another role.id or domain.id, and rename the file to match.'
        : 'Each role and domain pair needs exactly one file: remove one of them, or give it another role.id or domain.id and rename the file to match.';
      problems.push(
        problem(
          ['role', 'id'],
          `the framework id "${f.id}" is already used by ${displayPath(first.file)}. ${advice}`,
        ),
      );
      continue;
    }
    byId.set(f.id, result);

    for (const { key, path: at } of namedKeys(f.role, ['role'])) {
      const owner = roleOfKey.get(key);
      if (!owner) roleOfKey.set(key, { roleId: f.role.id, roleName: f.role.name, file: result.file });
      else if (owner.roleId !== f.role.id) {
        problems.push(
          problem(
            at,
            `"${key}" already names the role "${owner.roleName}" in ${displayPath(owner.file)}; role ids, names and aliases must not overlap between roles`,
          ),
        );
      }
    }

    for (const { key, path: at } of namedKeys(f.domain, ['domain'])) {
      const slot = `${f.role.id} ${key}`;
      const owner = domainOfKey.get(slot);
      if (!owner)
        domainOfKey.set(slot, { domainId: f.domain.id, domainName: f.domain.name, file: result.file });
      else if (owner.domainId !== f.domain.id) {
        problems.push(
          problem(
            at,
            `"${key}" already names the domain "${owner.domainName}" of the role "${f.role.name}" in ${displayPath(owner.file)}; the domains of one role need different ids, names and aliases`,
          ),
        );
      }
    }
  }
  return problems;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
