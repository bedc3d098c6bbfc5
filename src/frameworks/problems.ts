import { createRequire } from 'node:module';
import path from 'node:path';
import type { Document, LineCounter } from 'yaml';

/**
 * The YAML parser, loaded at the first file that needs parsing: a start whose framework files all come
 * from the cache (cache.ts) never parses YAML, and a loaded package costs resident memory for the life
 * of the process (yaml: some 8 MB). Required rather than imported so that `locate` can stay synchronous;
 * under Node `import 'yaml'` loads this same CommonJS build, so the process never holds two copies.
 */
let yamlModule: typeof import('yaml') | undefined;
function yaml(): typeof import('yaml') {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yamlModule;
}

/**
 * What is wrong in a framework file and where, as the loader reports it: one problem per field, with
 * the file, line and column, written as one line each (`file:line:col: field.path: message`); and
 * the YAML positions behind that (where a field is in the file, or its nearest parent that exists).
 */

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

/** Where a field is in a framework, e.g. `['competencies', 2, 'expected', 'senior']`. */
export type Path = readonly PropertyKey[];
/** Where something is in a file: line and column, each from 1. */
export type Position = { line: number; column: number };

/** The file's YAML, and a way to find where a field is in it. */
export function parseYaml(text: string): { doc: Document; locate: (at: Path) => Position } {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  return { doc, locate: (at: Path) => locateNode(doc, lineCounter, at) };
}

/** For a file taken from the cache: parses its text only if a position is ever asked for. */
export function locatorOf(text: string): (at: Path) => Position {
  let locate: ((at: Path) => Position) | undefined;
  return (at) => {
    locate ??= parseYaml(text).locate;
    return locate(at);
  };
}

/** Problems of one file in the order they appear in it (the sort is stable for equal lines). */
export function byLine(problems: FrameworkProblem[]): FrameworkProblem[] {
  return [...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** Rewrites the YAML parser's message as one plain line (its own message includes a code excerpt). */
export function yamlErrorText(code: string, message: string): string {
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
  const { isMap, isScalar, isSeq } = yaml();
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
export function formatPath(at: Path): string {
  let out = '';
  for (const segment of at) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}
