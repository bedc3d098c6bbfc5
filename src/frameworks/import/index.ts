import path from 'node:path';
import { parseTable } from './csv.js';
import { type DraftFramework, type ImportProblem, sortProblems } from './draft.js';
import { decodeInput, MAX_IMPORT_BYTES, tooBigProblem } from './encoding.js';
import { mergeDrafts } from './merge.js';
import { htmlToLines, looksLikeHtml, looksLikePage, parsePageLines, parsePageText } from './page.js';
import { buildFramework, type Imported } from './to-yaml.js';

/**
 * `competency import`: CSV and TSV tables, and saved framework pages (text or HTML), to framework
 * files. Reads nothing from disk and writes nothing: the caller gives the texts and writes the result.
 */

export type { ImportProblem } from './draft.js';
export { formatImportProblem } from './draft.js';
export { MAX_IMPORT_BYTES, tooBigProblem } from './encoding.js';
export type { Imported } from './to-yaml.js';

export type InputFormat = 'csv' | 'tsv' | 'page' | 'html';

/**
 * An input: how messages name it (usually the path as typed), and its text, or the file's bytes
 * (UTF-8, or UTF-16 with a byte order mark: see encoding.ts).
 */
export type ImportInput = { file: string; text: string } | { file: string; bytes: Uint8Array };

export type ImportResult = {
  /** One per role and domain, in the order first read. Empty when there is any problem. */
  frameworks: Imported[];
  problems: ImportProblem[];
  /** Things worth knowing that do not stop the import (a column left out, a text kept from another file). */
  notes: ImportProblem[];
};

/** The kind of input, from the file's extension, else from what the text looks like. */
export function detectFormat(file: string, text: string): InputFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.html' || ext === '.htm') return 'html';
  if (looksLikeHtml(text)) return 'html';
  if (looksLikePage(text)) return 'page';
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  if (first.includes('\t')) return 'tsv';
  // Not a table either (no delimiter in the first line): the page reader explains what it expected.
  return /[,;]/.test(first) ? 'csv' : 'page';
}

/** Reads every input, joins what they say about each role and domain, and builds checked framework files. */
export function importFrameworks(inputs: readonly ImportInput[], options: { today: string }): ImportResult {
  const problems: ImportProblem[] = [];
  const notes: ImportProblem[] = [];
  const drafts: DraftFramework[] = [];
  for (const input of inputs) {
    const { file } = input;
    if (/\.ya?ml$/i.test(file)) {
      problems.push({
        file,
        message:
          'this is already a framework file: there is nothing to import. Put it in the folder FRAMEWORKS_DIR names, and check it with `competency validate <folder>`',
      });
      continue;
    }
    const decoded = 'bytes' in input ? decodeInput(file, input.bytes) : { text: input.text };
    if ('problem' in decoded) {
      problems.push(decoded.problem);
      continue;
    }
    const { text } = decoded;
    if (text.length > MAX_IMPORT_BYTES) {
      problems.push(tooBigProblem(file));
      continue;
    }
    const format = detectFormat(file, text);
    if (format === 'csv' || format === 'tsv') {
      const table = format === 'tsv' ? parseTable(text, file, '\t') : parseTable(text, file);
      problems.push(...table.problems);
      notes.push(...table.notes);
      drafts.push(...table.drafts);
    } else {
      const page = format === 'html' ? parsePageLines(htmlToLines(text), file) : parsePageText(text, file);
      problems.push(...page.problems);
      if (page.draft) drafts.push(page.draft);
    }
  }
  const files = inputs.map((i) => i.file);
  const done = (frameworks: Imported[]): ImportResult => ({
    frameworks: problems.length > 0 ? [] : frameworks,
    problems: sortProblems(problems, files),
    notes: sortProblems(notes, files),
  });
  if (problems.length > 0) return done([]);

  // Pages of one role at several levels, or several tables: the same role and domain become one framework.
  const merged = mergeDrafts(drafts, 'keep-first');
  problems.push(...merged.problems);
  notes.push(...merged.notes);
  if (problems.length > 0) return done([]);

  const frameworks: Imported[] = [];
  for (const draft of merged.frameworks) {
    const built = buildFramework(draft, options);
    problems.push(...built.problems);
    if (built.imported) frameworks.push(built.imported);
  }
  return done(frameworks);
}
