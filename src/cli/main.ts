import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.js';
import { Catalog, editDistance, keysOf, normalizeKey } from '../frameworks/catalog.js';
import { checkFrameworks, foldersToCheck } from '../frameworks/check.js';
import { frameworkToCsv } from '../frameworks/export-csv.js';
import {
  formatImportProblem,
  type Imported,
  type ImportInput,
  type ImportProblem,
  importFrameworks,
  MAX_IMPORT_BYTES,
  tooBigProblem,
} from '../frameworks/import/index.js';
import {
  BUNDLED_FRAMEWORKS_DIR,
  displayPath,
  FrameworkError,
  formatProblem,
  parseFramework,
  readFrameworks,
} from '../frameworks/loader.js';
import type { Framework } from '../frameworks/schema.js';
import { SealedInstallationStore } from '../slack/installations.js';
import { openConfiguredStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { TokenCipher } from '../util/token-cipher.js';
import { migrateToPostgres } from './migrate.js';
import {
  CLI_NAME,
  DEFAULT_WIDTH,
  renderFramework,
  renderList,
  renderLookupProblem,
  type Style,
} from './render.js';

/**
 * `competency`: the command line for framework authors and for whoever runs the app. Lists the
 * frameworks, shows one at a level the way the Slack app does (as text for a terminal), validates
 * framework files, and moves the ratings from the file store to PostgreSQL.
 */

export type CliIo = {
  /** Writes one line of output (without its newline). */
  out: (s: string) => void;
  /** Writes one line of an error or a note (without its newline). */
  err: (s: string) => void;
  env: NodeJS.ProcessEnv;
  /** The terminal width; 80 when not given. */
  columns?: number;
  /** True when the output goes to a terminal: only then are names printed in bold (unless NO_COLOR is set). */
  isTTY?: boolean;
};

/** Exit codes: 0 all good, 1 a problem with the frameworks or what was asked for, 2 a usage mistake. */
const OK = 0;
const PROBLEM = 1;
const USAGE = 2;

const COMMANDS = [
  'list',
  'show',
  'validate',
  'import',
  'export',
  'migrate',
  'rotate-token-key',
  'help',
] as const;
type Command = (typeof COMMANDS)[number];

const HELP_HINT = `Run \`${CLI_NAME} --help\` for usage.`;

const GENERAL_HELP = `${CLI_NAME}: competency frameworks in the terminal, for the people who write them and run the app

Usage:
  ${CLI_NAME} list                          every framework, one line each
  ${CLI_NAME} show <role> <level> [domain]  a framework at one level
  ${CLI_NAME} validate [folder or file…]    check the framework files
  ${CLI_NAME} import <file…> [--out <file or folder>]
                                            make framework files from a CSV or TSV table,
                                            or from saved framework pages
  ${CLI_NAME} export <framework> --csv [--out <file>]
                                            write a framework as a CSV table (the import format)
  ${CLI_NAME} migrate --to postgres [--check]
                                            copy the ratings from DATA_DIR into DATABASE_URL
  ${CLI_NAME} rotate-token-key              encrypt the stored Slack tokens again with a new key
  ${CLI_NAME} <command> --help              more about one command

Options:
  --dir <folder>   also read the frameworks in this folder (may be repeated)
  --out <path>     import: where to write; export: the file instead of the output
  --force          import, export: replace a file that already exists
  --no-color       plain text, even in a terminal (so does setting NO_COLOR)
  -h, --help       show this help
  --version        print the version

Frameworks come from the bundled frameworks/ folder, from FRAMEWORKS_DIR
when it is set, and from every --dir folder.

Examples:
  ${CLI_NAME} list
  ${CLI_NAME} show solutions-architect senior
  ${CLI_NAME} show sa sr
  ${CLI_NAME} show Solutions Architect lead
  ${CLI_NAME} validate ./my-frameworks
  ${CLI_NAME} import people.csv --out ./my-frameworks
  ${CLI_NAME} export solutions-architect --csv > solutions-architect.csv
  FRAMEWORKS_DIR=./my-frameworks ${CLI_NAME} list`;

const COMMAND_HELP: Record<Command, string> = {
  list: `Usage: ${CLI_NAME} list [--dir <folder>]

Lists every framework, one line each: its id, role · domain, levels and how
many competencies it has. Reads the bundled frameworks, FRAMEWORKS_DIR when it
is set, and every --dir folder. Files with problems are left out, with a note;
\`${CLI_NAME} validate\` explains them.

Examples:
  ${CLI_NAME} list
  ${CLI_NAME} list --dir ./my-frameworks`,

  show: `Usage: ${CLI_NAME} show <role> <level> [domain] [--dir <folder>]

Shows a framework at one level: the role and level summaries, the 1–5 scale,
then the primary and supporting competencies, each with what is expected at
that level and at the levels around it. Case, spaces, - and _ and short forms
are all forgiven. The domain is needed only when a role has frameworks for more
than one domain.

Exit status: 0 when found, 1 when nothing matches (with suggestions),
2 when the role or level is missing.

Examples:
  ${CLI_NAME} show solutions-architect senior
  ${CLI_NAME} show sa sr
  ${CLI_NAME} show Solutions Architect lead
  ${CLI_NAME} show solutions-architect mid e-commerce`,

  validate: `Usage: ${CLI_NAME} validate [folder or file…] [--dir <folder>]

Checks every framework file: the bundled ones, the folders and files given, and
FRAMEWORKS_DIR when it is set (the same check as \`npm run frameworks:check\`).
Prints one line per good framework and one \`file:line:col: …\` line per problem.

Exit status: 0 when all is good, 1 when there is a problem to fix.

Examples:
  ${CLI_NAME} validate
  ${CLI_NAME} validate ./my-frameworks
  ${CLI_NAME} validate ./my-frameworks/data-engineer.fintech.yml`,

  import: `Usage: ${CLI_NAME} import <file> [more files…] [--out <file or folder>] [--force]

Makes framework files from what an organisation already has:
  - a CSV or TSV table with a header row and one row per role, domain, level
    and competency; the columns are: role, domain, level, competency,
    category, tier (primary or supporting), expected level (1 to 5) and
    description, and optionally scale label, role summary and level summary
    (see docs/examples/framework.csv);
  - a saved framework page for one role at one level, as text or HTML: pages
    of the same role at other levels are merged into one framework.
What the input does not give gets a default: the scale's descriptions, a
role summary, the version (today) and the source (the input's file name).

Every file is checked the way the app checks it before anything is written.
A mistake is reported as \`file:line: what is wrong\`, and then nothing is
written. Files must be UTF-8 (in Excel: "CSV UTF-8"), or UTF-16 with a byte
order mark, and at most 10 MB; a framework has at most 8 levels and 24
competencies. The file is named <role>.<domain>.yml, in the current folder unless
--out names a folder or that file; --out - prints it instead. An existing file
is replaced only with --force.

Exit status: 0 when written, 1 when an input has a problem, 2 for a usage
mistake.

Examples:
  ${CLI_NAME} import people.csv
  ${CLI_NAME} import levels.tsv --out ./my-frameworks
  ${CLI_NAME} import architect-mid.txt architect-senior.txt --out ./my-frameworks`,

  export: `Usage: ${CLI_NAME} export <framework id, role or file> --csv [--out <file>] [--force]

Writes a framework as a table in the form \`${CLI_NAME} import\` reads: one row
per level and competency, levels from the most junior, competencies in the
file's order; the role summary on the first row, each level's summary on its
first row. --tsv writes tabs instead of commas. A cell a spreadsheet would take
for a formula (starting with =, +, - or @) gets a ' in front, which import
takes off. The table goes to the output unless --out names a file. Importing it
gives the same framework back (less the aliases, the source and the scale's
descriptions, which a table does not hold).

Exit status: 0 when written, 1 when no framework matches, 2 for a usage mistake.

Examples:
  ${CLI_NAME} export solutions-architect.e-commerce --csv
  ${CLI_NAME} export sa --csv --out solutions-architect.csv
  ${CLI_NAME} export ./my-frameworks/tester.web.yml --tsv`,

  migrate: `Usage: ${CLI_NAME} migrate --to postgres [--check]

Copies everything the app keeps about people from the file store (the folder
DATA_DIR, ./data unless set) into the PostgreSQL database DATABASE_URL, for
when you outgrow one process. Stop the app that uses DATA_DIR first: the copy
takes the folder's lock. Running it again copies nothing twice. A person the
database already has with other data is left as the database has them, and
counted. It prints how many people and records it found and copied.

--check copies nothing: it compares the two and exits 1 when they differ.

Exit status: 0 when done (or, with --check, when both hold the same),
1 when something failed (or differs), 2 for a usage mistake.

Examples:
  DATABASE_URL=postgres://app@db.internal/competency ${CLI_NAME} migrate --to postgres
  DATABASE_URL=postgres://app@db.internal/competency ${CLI_NAME} migrate --to postgres --check`,

  'rotate-token-key': `Usage: ${CLI_NAME} rotate-token-key

For an app installed into many workspaces: encrypts every stored Slack token
again with the key in SLACK_TOKEN_ENCRYPTION_KEY. To change the key:
  1. put the new key in SLACK_TOKEN_ENCRYPTION_KEY and the old one in
     SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS, and restart the app (it reads both);
  2. run this command with the same settings;
  3. remove SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS and restart the app.
It reads the same settings as the app (DATABASE_URL or DATA_DIR; with DATA_DIR,
stop the app first). Safe to run again: what is already under the new key is
left as it is. With DATABASE_URL it can run while the app does: a token
refreshed or an installation removed meanwhile is never undone.

Exit status: 0 when every token is under the new key, 1 when some could not
be read with the keys given or kept changing while it ran (they are named) or
the store failed, 2 for a usage mistake.`,

  help: `Usage: ${CLI_NAME} help [command]

Shows how to use ${CLI_NAME}, or one of its commands.

Examples:
  ${CLI_NAME} help
  ${CLI_NAME} help show`,
};

type Parsed = {
  command: string | undefined;
  args: string[];
  dirs: string[];
  help: boolean;
  version: boolean;
  noColor: boolean;
  /** migrate: where to (`postgres`). */
  to: string | undefined;
  /** migrate: compare only. */
  check: boolean;
  /** import, export: where to write. */
  out: string | undefined;
  /** import, export: replace existing files. */
  force: boolean;
  /** export: the table format. */
  format: 'csv' | 'tsv' | undefined;
};

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Parsed {
  const parsed: Parsed = {
    command: undefined,
    args: [],
    dirs: [],
    help: false,
    version: false,
    noColor: false,
    to: undefined,
    check: false,
    out: undefined,
    force: false,
    format: undefined,
  };
  const positional: string[] = [];
  let onlyPositional = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (onlyPositional || arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
    } else if (arg === '--') {
      onlyPositional = true;
    } else if (arg === '-h' || arg === '--help') {
      parsed.help = true;
    } else if (arg === '--version') {
      parsed.version = true;
    } else if (arg === '--no-color') {
      parsed.noColor = true;
    } else if (arg === '--check') {
      parsed.check = true;
    } else if (arg === '--force') {
      parsed.force = true;
    } else if (arg === '--csv' || arg === '--tsv') {
      const format = arg === '--csv' ? 'csv' : 'tsv';
      if (parsed.format !== undefined && parsed.format !== format)
        throw new UsageError('Choose one of --csv and --tsv.');
      parsed.format = format;
    } else if (arg === '--out' || arg.startsWith('--out=')) {
      const value = arg === '--out' ? argv[++i] : arg.slice('--out='.length);
      if (value === undefined || value === '')
        throw new UsageError('--out needs a file or a folder, e.g. --out ./my-frameworks.');
      parsed.out = value;
    } else if (arg === '--to' || arg.startsWith('--to=')) {
      const value = arg === '--to' ? argv[++i] : arg.slice('--to='.length);
      if (value === undefined || value === '')
        throw new UsageError('--to needs a store, e.g. --to postgres.');
      parsed.to = value;
    } else if (arg === '--dir') {
      const value = argv[i + 1];
      if (value === undefined || value === '')
        throw new UsageError('--dir needs a folder, e.g. --dir ./frameworks.');
      parsed.dirs.push(value);
      i++;
    } else if (arg.startsWith('--dir=')) {
      const value = arg.slice('--dir='.length);
      if (value === '') throw new UsageError('--dir needs a folder, e.g. --dir=./frameworks.');
      parsed.dirs.push(value);
    } else {
      throw new UsageError(`Unknown option "${arg}".`);
    }
  }
  parsed.command = positional[0];
  parsed.args = positional.slice(1);
  return parsed;
}

/**
 * Runs the command line with these arguments (without `node` and the script) and returns the exit code.
 * Never throws: every problem becomes a plain message on `err`.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    io.err(`Something went wrong: ${errorText(error)}`);
    return PROBLEM;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, error.message);
    throw error;
  }
  const { command, args } = parsed;

  if (parsed.help || command === 'help') {
    const topic = command === 'help' ? args[0] : command;
    if (topic === undefined) return printHelp(io, GENERAL_HELP);
    if (isCommand(topic)) return printHelp(io, COMMAND_HELP[topic]);
    return unknownCommand(io, topic, []);
  }
  if (parsed.version) {
    io.out(await packageVersion());
    return OK;
  }
  if (command === undefined) {
    return usageError(
      io,
      `Which command? Try \`${CLI_NAME} list\`, \`${CLI_NAME} show <role> <level>\` or \`${CLI_NAME} validate\`.`,
    );
  }

  const style: Style = {
    width: io.columns !== undefined && io.columns > 0 ? io.columns : DEFAULT_WIDTH,
    color: useColor(io, parsed.noColor),
  };
  switch (command) {
    case 'list':
      return list(io, parsed, style);
    case 'show':
      return show(io, parsed, style);
    case 'validate':
      return validate(io, parsed);
    case 'import':
      return importCommand(io, parsed);
    case 'export':
      return exportCommand(io, parsed);
    case 'migrate':
      return migrate(io, parsed);
    case 'rotate-token-key':
      return rotateTokenKey(io, parsed);
    default:
      return unknownCommand(io, command, args, parsed.dirs);
  }
}

// ---------------------------------------------------------------------------------------------
// Commands

async function list(io: CliIo, parsed: Parsed, style: Style): Promise<number> {
  if (parsed.args.length > 0) {
    return usageError(io, `\`${CLI_NAME} list\` takes no arguments, but got "${parsed.args.join(' ')}".`);
  }
  const catalog = await loadCatalog(io, parsed.dirs);
  for (const line of renderList(catalog.frameworks, style)) io.out(line);
  return OK;
}

const SHOW_NEEDS = `\`${CLI_NAME} show\` needs a role and a level, e.g. \`${CLI_NAME} show solutions-architect senior\`.`;

async function show(io: CliIo, parsed: Parsed, style: Style): Promise<number> {
  const text = parsed.args.join(' ');
  if (text.trim() === '') {
    return usageError(io, SHOW_NEEDS);
  }
  const catalog = await loadCatalog(io, parsed.dirs);
  const result = catalog.lookup(text);
  if (result.kind === 'empty') {
    return usageError(io, SHOW_NEEDS);
  }
  const roleId =
    result.kind === 'found' || result.kind === 'missing-level' ? result.framework.role.id : undefined;
  const withDomain =
    roleId !== undefined && catalog.frameworks.filter((f) => f.role.id === roleId).length > 1;
  if (result.kind === 'found') {
    for (const line of renderFramework(result.framework, result.level, style, { withDomain })) io.out(line);
    return OK;
  }
  const problem = renderLookupProblem(result, style, { withDomain });
  for (const line of problem.lines) io.err(line);
  if (problem.usage) {
    io.err(HELP_HINT);
    return USAGE;
  }
  return PROBLEM;
}

async function validate(io: CliIo, parsed: Parsed): Promise<number> {
  const folders = foldersToCheck([...parsed.args, ...parsed.dirs], io.env);
  try {
    return (await checkFrameworks(folders, io.out)) ? OK : PROBLEM;
  } catch (error) {
    io.err(`Could not check the frameworks: ${errorText(error)}`);
    return PROBLEM;
  }
}

// ---------------------------------------------------------------------------------------------
// import and export

async function importCommand(io: CliIo, parsed: Parsed): Promise<number> {
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

async function exportCommand(io: CliIo, parsed: Parsed): Promise<number> {
  const query = parsed.args.join(' ').trim();
  if (query === '') {
    return usageError(
      io,
      `\`${CLI_NAME} export\` needs a framework: its id, its role or its file, e.g. \`${CLI_NAME} export solutions-architect --csv\`.`,
    );
  }
  if (parsed.format === undefined) {
    return usageError(
      io,
      `In which format? Add --csv (or --tsv), e.g. \`${CLI_NAME} export ${query} --csv\`.`,
    );
  }

  const found = await findFramework(io, query, parsed.dirs);
  if ('problem' in found) {
    for (const line of found.problem) io.err(line);
    return PROBLEM;
  }
  const table = frameworkToCsv(found.framework, parsed.format === 'tsv' ? '\t' : ',');
  if (parsed.out === undefined || parsed.out === '-') {
    for (const line of table.replace(/\n$/, '').split('\n')) io.out(line);
    return OK;
  }
  const file = path.resolve(parsed.out);
  if (!parsed.force && (await exists(file))) {
    return refuse(io, `${parsed.out} already exists: add --force to replace it, or choose another --out.`);
  }
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeAll([{ path: file, text: table }]);
  } catch (error) {
    return refuse(io, `Could not write ${parsed.out}: ${fileErrorText(error)}.`);
  }
  const rows = found.framework.levels.length * found.framework.competencies.length;
  io.out(`Wrote ${displayPath(file)}: ${found.framework.id}, ${rows} rows.`);
  return OK;
}

/** A framework by id (`role.domain`), by role (when it has one domain), by what `show` accepts, or by its file. */
async function findFramework(
  io: CliIo,
  query: string,
  dirs: string[],
): Promise<{ framework: Framework } | { problem: string[] }> {
  if (/\.ya?ml$/i.test(query)) {
    let text: string;
    try {
      text = await readFile(query, 'utf8');
    } catch (error) {
      return { problem: [`${query}: ${fileErrorText(error)}`] };
    }
    try {
      return { framework: parseFramework(text, query) };
    } catch (error) {
      if (error instanceof FrameworkError) return { problem: error.message.split('\n') };
      throw error;
    }
  }
  const catalog = await loadCatalog(io, dirs);
  const byId = catalog.get(query);
  if (byId) return { framework: byId };
  const key = normalizeKey(query);
  const role = catalog.roles().find((r) => keysOf(r).includes(key));
  const result = role ? undefined : catalog.lookup(query);
  const frameworks =
    role?.frameworks ??
    (result?.kind === 'found' || result?.kind === 'missing-level' || result?.kind === 'unknown-level'
      ? [result.framework]
      : result?.kind === 'missing-domain' || result?.kind === 'unknown-domain'
        ? result.frameworks
        : []);
  const [only] = frameworks;
  if (only && frameworks.length === 1) return { framework: only };
  if (frameworks.length > 1) {
    return {
      problem: [
        `${only?.role.name ?? query} has frameworks in ${frameworks.length} domains; name one by its id:`,
        ...frameworks.map((f) => `  ${CLI_NAME} export ${f.id} --csv`),
      ],
    };
  }
  return {
    problem: [`No framework matches "${query}". Run \`${CLI_NAME} list\` to see their ids.`],
  };
}

/** Writes every file to a temporary name first, then renames them all: no file is ever left half written. */
async function writeAll(files: { path: string; text: string }[]): Promise<void> {
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

function refuse(io: CliIo, message: string): number {
  io.err(message);
  io.err('Nothing was written.');
  return PROBLEM;
}

function idsOf(frameworks: readonly Imported[]): string {
  return frameworks.map((f) => f.id).join(', ');
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Today's date where the command runs, as YYYY-MM-DD. */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

function fileErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EISDIR') return 'this is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return errorText(error);
}

async function migrate(io: CliIo, parsed: Parsed): Promise<number> {
  if (parsed.args.length > 0) {
    return usageError(io, `\`${CLI_NAME} migrate\` takes no arguments, but got "${parsed.args.join(' ')}".`);
  }
  if (parsed.to !== 'postgres') {
    return usageError(
      io,
      parsed.to === undefined
        ? `Where to? \`${CLI_NAME} migrate --to postgres\` copies the ratings into DATABASE_URL.`
        : `"${parsed.to}" is not a store this app can migrate to; the one there is: --to postgres.`,
    );
  }
  const loaded = loadConfig(io.env);
  if (!loaded.ok) {
    io.err('Please fix the configuration first:');
    for (const problem of loaded.problems) io.err(`  ${problem}`);
    return USAGE;
  }
  const { databaseUrl, dataDir } = loaded.config;
  if (databaseUrl === undefined) {
    return usageError(
      io,
      'Set DATABASE_URL to the PostgreSQL database to copy into, e.g. DATABASE_URL=postgres://app@db.internal/competency.',
    );
  }
  try {
    const counts = await migrateToPostgres({ databaseUrl, dataDir, check: parsed.check, out: io.out });
    io.out(
      `${counts.people} people with ${counts.records} records in the file: ` +
        (parsed.check
          ? `${counts.same} the same in PostgreSQL, ${counts.missing} missing there, ${counts.different} different there.`
          : `${counts.copied} copied, ${counts.same} already there, ${counts.different} left alone (PostgreSQL has other data for them).`),
    );
    const { installations } = counts;
    if (installations.found > 0)
      io.out(
        `${installations.found} installation(s) in the file: ` +
          (parsed.check
            ? `${installations.differ} missing or different in PostgreSQL.`
            : `${installations.copied} copied, ${installations.differ} left alone (PostgreSQL has another).`),
      );
    if (parsed.check)
      return counts.missing === 0 && counts.different === 0 && installations.differ === 0 ? OK : PROBLEM;
    return OK;
  } catch (error) {
    io.err(`The migration stopped: ${errorText(error)}`);
    io.err('Nothing in the data folder was changed; run it again once the problem is fixed.');
    return PROBLEM;
  }
}

async function rotateTokenKey(io: CliIo, parsed: Parsed): Promise<number> {
  if (parsed.args.length > 0) {
    return usageError(
      io,
      `\`${CLI_NAME} rotate-token-key\` takes no arguments, but got "${parsed.args.join(' ')}".`,
    );
  }
  const loaded = loadConfig(io.env);
  if (!loaded.ok) {
    io.err('Please fix the configuration first:');
    for (const problem of loaded.problems) io.err(`  ${problem}`);
    return USAGE;
  }
  const { config } = loaded;
  if (config.mode !== 'distributed') {
    return usageError(
      io,
      'Only an app installed into many workspaces keeps tokens: set the same variables as the app ' +
        '(SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, SLACK_SIGNING_SECRET, the new ' +
        'SLACK_TOKEN_ENCRYPTION_KEY and the old one in SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS).',
    );
  }
  const quiet = { info: () => {}, warn: io.err, error: io.err };
  let store: Store;
  try {
    store = await openConfiguredStore(config, quiet);
  } catch (error) {
    io.err(`Could not open the store: ${errorText(error)}`);
    return PROBLEM;
  }
  try {
    const cipher = new TokenCipher(config.tokenKey, config.previousTokenKeys);
    const result = await new SealedInstallationStore(store, cipher, quiet).reseal();
    const found =
      result.resealed + result.current + result.gone + result.unreadable.length + result.changing.length;
    const gone = result.gone > 0 ? `, ${result.gone} were uninstalled while it ran` : '';
    io.out(
      `${found} installation(s) in ${store.location}: ` +
        `${result.resealed} encrypted again with the key ${cipher.keyId}, ${result.current} already were${gone}.`,
    );
    if (result.unreadable.length > 0) {
      io.err(
        `${result.unreadable.length} could not be read with any key given (${result.unreadable.join(', ')}): ` +
          'add the key they were encrypted with to SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS and run this again.',
      );
    }
    if (result.changing.length > 0) {
      io.err(
        `${result.changing.length} changed each time they were tried (${result.changing.join(', ')}) and ` +
          'were left as they are: run this again.',
      );
    }
    if (result.unreadable.length > 0 || result.changing.length > 0) return PROBLEM;
    io.out('Every token is now under the current key: SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS can be removed.');
    return OK;
  } catch (error) {
    io.err(
      `Stopped: ${errorText(error)}. Installations done so far keep their new encryption; run it again.`,
    );
    return PROBLEM;
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** The most problems listed when list or show leave files out; validate lists them all. */
const MAX_NOTED_PROBLEMS = 5;

/**
 * The frameworks to list and show: the bundled ones, FRAMEWORKS_DIR and the --dir folders.
 * A file with a problem is left out, with a short note on stderr, so one broken file does not hide the rest.
 */
async function loadCatalog(io: CliIo, dirs: string[], quiet = false): Promise<Catalog> {
  const { frameworks, problems } = await readFrameworks(foldersToCheck(dirs, io.env));
  if (problems.length === 0) return new Catalog(frameworks);
  const withProblems = new Set(problems.map((p) => p.file));
  if (!quiet) {
    io.err(
      problems.length === 1
        ? 'Note: some frameworks were left out because of this problem:'
        : `Note: some frameworks were left out because of these ${problems.length} problems:`,
    );
    for (const p of problems.slice(0, MAX_NOTED_PROBLEMS)) io.err(`  ${formatProblem(p)}`);
    if (problems.length > MAX_NOTED_PROBLEMS) io.err(`  …and ${problems.length - MAX_NOTED_PROBLEMS} more.`);
    io.err(`Run \`${CLI_NAME} validate\` for the full report.`);
    io.err('');
  }
  return new Catalog(frameworks.filter((f) => !withProblems.has(f.file)));
}

function printHelp(io: CliIo, text: string): number {
  for (const line of text.split('\n')) io.out(line);
  return OK;
}

function usageError(io: CliIo, message: string): number {
  io.err(message);
  io.err(HELP_HINT);
  return USAGE;
}

function isCommand(name: string): name is Command {
  return (COMMANDS as readonly string[]).includes(name);
}

/** "Unknown command", with the closest command, or the `show` command when the words name a framework. */
async function unknownCommand(io: CliIo, name: string, args: string[], dirs: string[] = []): Promise<number> {
  const near = COMMANDS.find((c) => editDistance(c, name.toLowerCase(), 2) <= 2);
  if (near) return usageError(io, `Unknown command "${name}". Did you mean \`${CLI_NAME} ${near}\`?`);
  try {
    const found = (await loadCatalog(io, dirs, true)).lookup([name, ...args].join(' '));
    if (found.kind === 'found') {
      const query = [name, ...args].join(' ');
      return usageError(
        io,
        `Unknown command "${name}". To see that framework, run \`${CLI_NAME} show ${query}\`.`,
      );
    }
  } catch {
    // Only a hint: without the frameworks, the plain message below is enough.
  }
  return usageError(io, `Unknown command "${name}".`);
}

/** Bold only for a terminal, and never when NO_COLOR is set (https://no-color.org) or --no-color is given. */
function useColor(io: CliIo, noColor: boolean): boolean {
  const noColorEnv = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  return io.isTTY === true && !noColor && !noColorEnv && io.env.TERM !== 'dumb';
}

async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  const version: unknown = (JSON.parse(text) as { version?: unknown }).version;
  return typeof version === 'string' ? version : 'unknown';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// ---------------------------------------------------------------------------------------------
// Running as a program: `tsx src/cli/main.ts …`, or bin/competency.js

/** Runs the command line with this process's arguments, output and environment. */
export async function main(): Promise<void> {
  // `competency show sa sr | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.stderr.write(`Could not write the output: ${error.message}\n`);
    process.exit(error.code === 'EPIPE' ? (process.exitCode ?? 0) : PROBLEM);
  });
  const isTTY = process.stdout.isTTY === true;
  const fromEnv = Number(process.env.COLUMNS);
  const columns = isTTY
    ? process.stdout.columns
    : Number.isInteger(fromEnv) && fromEnv > 0
      ? fromEnv
      : undefined;
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    env: process.env,
    columns,
    isTTY,
  });
}

const runDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) await main();
