import { Catalog } from '../frameworks/catalog.js';
import { foldersToCheck } from '../frameworks/check.js';
import { readFrameworks } from '../frameworks/loader.js';
import { formatProblem } from '../frameworks/problems.js';
import type { CliIo } from './io.js';
import { CLI_NAME } from './render.js';

/** The most problems listed when list or show leave files out; validate lists them all. */
const MAX_NOTED_PROBLEMS = 5;

/**
 * The frameworks the commands read (list, show, export by name): the bundled ones, FRAMEWORKS_DIR and
 * the --dir folders.
 * A file with a problem is left out, with a short note on stderr, so one broken file does not hide the rest.
 */
export async function loadCatalog(io: CliIo, dirs: string[], quiet = false): Promise<Catalog> {
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
