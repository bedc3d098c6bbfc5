import { dropLeftoverTestDatabases } from './store/helpers.js';

/**
 * Before the tests: drops the databases left on the local PostgreSQL by runs that were killed before
 * they could drop their own. A server that cannot be reached is left for the tests to report.
 */
export default async function setup(): Promise<void> {
  const dropped = await dropLeftoverTestDatabases().catch(() => []);
  if (dropped.length > 0)
    process.stderr.write(`Dropped ${dropped.length} database(s) left by killed runs.\n`);
}
