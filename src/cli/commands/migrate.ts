import { loadConfig } from '../../config.js';
import type { Parsed } from '../args.js';
import { type CliIo, errorText, OK, PROBLEM, USAGE, usageError } from '../io.js';
import { migrateToPostgres } from '../migrate.js';
import { CLI_NAME } from '../render.js';

/**
 * `competency migrate --to postgres [--check]`: the command's arguments, settings and report; the
 * copy itself is migrateToPostgres (../migrate.ts).
 */

export async function migrate(io: CliIo, parsed: Parsed): Promise<number> {
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
    for (const [what, part] of [
      ["organisations' own records (frameworks and settings)", counts.orgs],
      ['kept team views (ids only)', counts.teamViews],
    ] as const) {
      if (part.found === 0) continue;
      io.out(
        `${part.found} ${what} in the file: ` +
          (parsed.check
            ? `${part.differ} missing or different in PostgreSQL.`
            : `${part.copied} copied, ${part.differ} left alone (PostgreSQL has another).`),
      );
    }
    if (parsed.check)
      return counts.missing === 0 &&
        counts.different === 0 &&
        installations.differ === 0 &&
        counts.orgs.differ === 0 &&
        counts.teamViews.differ === 0
        ? OK
        : PROBLEM;
    return OK;
  } catch (error) {
    io.err(`The migration stopped: ${errorText(error)}`);
    io.err('Nothing in the data folder was changed; run it again once the problem is fixed.');
    return PROBLEM;
  }
}
