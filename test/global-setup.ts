import { stat } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_FRAMEWORK_CACHE_DIR } from '../src/frameworks/cache.js';
import { dropLeftoverTestDatabases } from './store/helpers.js';

/** The frameworks cache an app uses when FRAMEWORKS_CACHE_DIR is not set: the repository's own. */
const REPOSITORY_CACHE = path.join(DEFAULT_FRAMEWORK_CACHE_DIR, 'frameworks.json');

/** Which version of the file is there (it is replaced whole, by a rename, at each write), or none. */
async function versionOf(file: string): Promise<string> {
  try {
    const found = await stat(file);
    return `${found.ino}:${found.mtimeMs}`;
  } catch {
    return 'none';
  }
}

/**
 * Before the tests: drops the databases left on the local PostgreSQL by runs that were killed before
 * they could drop their own. A server that cannot be reached is left for the tests to report.
 *
 * After them: says so when the repository's frameworks cache was written during the run. Every app
 * a test starts should have a cache folder of its own (FRAMEWORKS_CACHE_DIR in a temp folder, or
 * `off`): one shared by every test makes a start read what an earlier test left there, and puts the
 * tests' frameworks in the cache `npm start` uses. (`npm start` or another run at the same time
 * writes it too, hence a note and not a failure.)
 */
export default async function setup(): Promise<() => Promise<void>> {
  const dropped = await dropLeftoverTestDatabases().catch(() => []);
  if (dropped.length > 0)
    process.stderr.write(`Dropped ${dropped.length} database(s) left by killed runs.\n`);
  const before = await versionOf(REPOSITORY_CACHE);
  return async () => {
    if ((await versionOf(REPOSITORY_CACHE)) === before) return;
    process.stderr.write(
      `\nThe repository's frameworks cache (${path.relative(process.cwd(), REPOSITORY_CACHE)}) was written ` +
        'during this run: an app started by a test has no FRAMEWORKS_CACHE_DIR of its own.\n',
    );
  };
}
