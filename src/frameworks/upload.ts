import { isMap, parseDocument } from 'yaml';
import type { Catalog } from './catalog.js';
import { findClashes, type ReadFramework } from './clashes.js';
import { decodeInput } from './import/encoding.js';
import { formatImportProblem, importFrameworks, MAX_IMPORT_BYTES, tooBigProblem } from './import/index.js';
import { parseFramework } from './loader.js';
import { FrameworkError } from './problems.js';
import type { Framework } from './schema.js';

/**
 * A file an org admin brings as a framework (from Slack, or the sandbox page): a framework file in
 * YAML, a CSV or TSV table, or a saved framework page (text or HTML). It goes through the same
 * checks as `competency validate` and `competency import`, and then through the org's catalog: a
 * framework must not take the id or the names of another one the org sees. Nothing is kept here:
 * the caller shows the preview, and publishes only when the admin says so.
 */

/** What the admin uploaded: its name as Slack gives it, and its bytes. */
export type Upload = { name: string; bytes: Uint8Array };

export type UploadOutcome =
  /** Ready to publish: the framework, the YAML text to keep, and the version it would replace, if any. */
  | { kind: 'ready'; framework: Framework; yaml: string; replaces: Framework | undefined }
  /** Not publishable: what is wrong, one line each (`line 12: …`), in the order of the file. */
  | { kind: 'problems'; problems: string[] };

/**
 * Reads and checks an upload against the org's current catalog (`catalog`) and the ids of the
 * bundled frameworks (`bundledIds`), which an org's own framework may not take.
 */
export function readUpload(
  upload: Upload,
  catalog: Catalog,
  bundledIds: ReadonlySet<string>,
  options: { today: string },
): UploadOutcome {
  if (upload.bytes.length > MAX_IMPORT_BYTES) {
    return problems([formatImportProblem(tooBigProblem(upload.name, upload.bytes.length))]);
  }
  const read = /\.ya?ml$/i.test(upload.name) ? readYaml(upload) : readOther(upload, options.today);
  if (read.kind === 'problems') return read;
  const { framework, yaml } = read;

  if (bundledIds.has(framework.id)) {
    return problems([
      `"${framework.id}" is the id of a framework that comes with the app: give yours another role id or domain id.`,
    ]);
  }
  const replaces = catalog.get(framework.id);
  if (replaces && replaces.version === framework.version) {
    return problems([
      `version "${framework.version}" of ${framework.role.name} (${framework.domain.name}) is already published: change "version" in the file to publish a new one.`,
    ]);
  }
  const others = catalog.frameworks.filter((f) => f.id !== framework.id);
  const clashes = findClashes(
    [...others.map((f) => readAs(f, false)), readAs(framework, true)],
    // No folder: the org's catalog already leaves out the bundled ids (checked above).
    '/',
  ).filter((p) => p.file === UPLOADED);
  if (clashes.length > 0) return problems(clashes.map((p) => lineOf(p)));
  return { kind: 'ready', framework, yaml, replaces };
}

const UPLOADED = 'uploaded file';

function problems(lines: string[]): UploadOutcome {
  return { kind: 'problems', problems: lines };
}

function readAs(framework: Framework, uploaded: boolean): ReadFramework {
  return { file: uploaded ? UPLOADED : framework.file, framework, locate: () => ({ line: 0, column: 0 }) };
}

/** `line 12: role.name: …`, or the message alone where no line is known. */
function lineOf(problem: { line?: number; path?: string; message: string }): string {
  const where = [
    ...(problem.line !== undefined && problem.line > 0 ? [`line ${problem.line}`] : []),
    ...(problem.path ? [problem.path] : []),
  ];
  return where.length > 0 ? `${where.join(': ')}: ${problem.message}` : problem.message;
}

/** A framework file: the same checks as the loader's, whatever the file was called. */
function readYaml(upload: Upload): { kind: 'read'; framework: Framework; yaml: string } | UploadOutcome {
  const decoded = decodeInput(upload.name, upload.bytes);
  if ('problem' in decoded) return problems([formatImportProblem(decoded.problem)]);
  const text = decoded.text;
  // The loader wants the file named after the framework's id: take the id from the text itself.
  const doc = parseDocument(text);
  const role = isMap(doc.contents) ? doc.getIn(['role', 'id']) : undefined;
  const domain = isMap(doc.contents) ? doc.getIn(['domain', 'id']) : undefined;
  const name = typeof role === 'string' && typeof domain === 'string' ? `${role}.${domain}.yml` : upload.name;
  try {
    return { kind: 'read', framework: parseFramework(text, name), yaml: text };
  } catch (error) {
    if (error instanceof FrameworkError) return problems(error.problems.map((p) => lineOf(p)));
    return problems([
      `this file could not be read: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
}

/** A table or a saved page: the importer's checks, and exactly one framework in it. */
function readOther(
  upload: Upload,
  today: string,
): { kind: 'read'; framework: Framework; yaml: string } | UploadOutcome {
  const result = importFrameworks([{ file: upload.name, bytes: upload.bytes }], { today });
  if (result.problems.length > 0) {
    return problems(result.problems.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message)));
  }
  const [only, ...more] = result.frameworks;
  if (!only) return problems(['no framework was found in this file.']);
  if (more.length > 0) {
    return problems([
      `this file holds ${result.frameworks.length} frameworks (${result.frameworks.map((f) => f.id).join(', ')}): upload one at a time.`,
    ]);
  }
  return { kind: 'read', framework: only.framework, yaml: only.yaml };
}
