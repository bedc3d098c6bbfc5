import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_FRAMEWORKS_DIR, readFrameworks } from './loader.js';
import { formatProblem } from './problems.js';

/**
 * `npm run frameworks:check [folder ...]`: validates the bundled frameworks, any folders given as
 * arguments, and FRAMEWORKS_DIR when it is set. One line per valid framework, one per problem.
 */

/** Checks the frameworks in `dirs`, writing a report line by line. True when there is no problem. */
export async function checkFrameworks(dirs: string[], out: (line: string) => void): Promise<boolean> {
  const { frameworks, problems } = await readFrameworks(dirs);
  const filesWithProblems = new Set(problems.map((p) => p.file));
  let good = 0;
  for (const f of frameworks) {
    if (filesWithProblems.has(f.file)) continue;
    good++;
    out(
      `✓ ${f.id} (${f.role.name} · ${f.domain.name}): ${count(f.competencies.length, 'competency', 'competencies')}, ${count(f.levels.length, 'level', 'levels')}`,
    );
  }
  for (const problem of problems) out(formatProblem(problem));
  if (problems.length === 0) {
    out(`All good: ${count(good, 'framework', 'frameworks')} checked.`);
    return true;
  }
  out(
    `${count(problems.length, 'problem', 'problems')} to fix; ${count(good, 'framework', 'frameworks')} without problems.`,
  );
  return false;
}

/** The folders to check: the bundled one, then the arguments, then FRAMEWORKS_DIR; each once. */
export function foldersToCheck(args: string[], env: NodeJS.ProcessEnv): string[] {
  const dirs = [BUNDLED_FRAMEWORKS_DIR, ...args];
  if (env.FRAMEWORKS_DIR) dirs.push(env.FRAMEWORKS_DIR);
  return [...new Set(dirs.map((d) => path.resolve(d)))];
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log('Usage: npm run frameworks:check [-- folder ...]');
    console.log('Checks the bundled frameworks, the folders given, and FRAMEWORKS_DIR when it is set.');
    return;
  }
  try {
    const ok = await checkFrameworks(foldersToCheck(args, process.env), (line) => console.log(line));
    process.exitCode = ok ? 0 : 1;
  } catch (error) {
    // Something unexpected (not a mistake in a file): still one plain line, no stack trace.
    console.error(
      `Could not check the frameworks: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
  }
}

const runDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) await main();
