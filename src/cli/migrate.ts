import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { OrgData } from '../model/org-data.js';
import type { PersonKey } from '../model/person.js';
import { countRecords, type PersonData } from '../model/records.js';
import { openFileStore } from '../store/file/open.js';
import { StoreError } from '../store/store.js';

/**
 * `competency migrate --to postgres [--check]`: copies the file store (DATA_DIR) into PostgreSQL
 * (DATABASE_URL), for an organisation that outgrows one process.
 *
 * - It takes the data folder's lock, so it refuses while an app still uses the file (stop it first).
 * - Idempotent: a person PostgreSQL already has exactly as the file has them is left as is; running it
 *   again copies nothing twice.
 * - A person PostgreSQL has with other data (the app already ran on PostgreSQL and they changed since)
 *   is left as PostgreSQL has them, and counted: nothing newer is overwritten.
 * - `--check` copies nothing: it compares both and exits 1 when they differ.
 */

export type MigrateOptions = {
  databaseUrl: string;
  dataDir: string;
  check: boolean;
  out: (line: string) => void;
};

export type MigrateCounts = {
  /** People in the file. */
  people: number;
  /** Their records (ratings, runs, finished assessments), as forget counts them. */
  records: number;
  /** Copied into PostgreSQL by this run. */
  copied: number;
  /** Already in PostgreSQL exactly as in the file. */
  same: number;
  /** In PostgreSQL with other data: left alone (when copying) or reported (with --check). */
  different: number;
  /** Missing from PostgreSQL (only with --check). */
  missing: number;
  /** Installations of the app (many workspaces): in the file, and copied (or, with --check, missing or different there). */
  installations: { found: number; copied: number; differ: number };
  /** Orgs' own records (their frameworks, settings, change log), the same way. */
  orgs: { found: number; copied: number; differ: number };
  /** Team views kept to refuse answers that could be subtracted (ids only), the same way, by role and level. */
  teamViews: { found: number; copied: number; differ: number };
};

/** How many people are copied at once: the pool of a PostgreSQL store serves ten connections. */
const AT_ONCE = 8;

export async function migrateToPostgres(options: MigrateOptions): Promise<MigrateCounts> {
  const { out } = options;
  // A file past the limit the app can read (written by an older version) is read in parts: moving it
  // out is the way on.
  const file = await openFileStore(path.resolve(options.dataDir), { readPastLimit: true }).catch(
    (error: unknown) => {
      throw new StoreError(
        `Could not open the data folder ${options.dataDir}: ${error instanceof Error ? error.message : String(error)}`,
      );
    },
  );
  try {
    const { openPostgresStore } = await import('../store/postgres/open.js');
    const database = await openPostgresStore(options.databaseUrl);
    try {
      const people = [...file.entries()];
      const counts: MigrateCounts = {
        people: people.length,
        records: 0,
        copied: 0,
        same: 0,
        different: 0,
        missing: 0,
        installations: { found: 0, copied: 0, differ: 0 },
        orgs: { found: 0, copied: 0, differ: 0 },
        teamViews: { found: 0, copied: 0, differ: 0 },
      };
      out(
        `${options.check ? 'Comparing' : 'Copying'} ${people.length} people from ${file.location} ${options.check ? 'with' : 'to'} ${database.location}`,
      );
      // How PostgreSQL has this person, next to the file; decided where it is acted on (one update).
      const compare = (there: Readonly<PersonData>, data: Readonly<PersonData>) =>
        isDeepStrictEqual(there, data) ? 'same' : countRecords(there) > 0 ? 'different' : 'missing';
      const copyOne = async ([person, data]: [PersonKey, Readonly<PersonData>]) => {
        counts.records += countRecords(data);
        const found = options.check
          ? compare(await database.get(person), data)
          : await database.update(person, (d) => {
              const seen = compare(d, data);
              // Only into an empty record: a person who is there with other data is left as they are.
              if (seen !== 'missing') return seen;
              Object.assign(d, structuredClone(data));
              return 'copied';
            });
        counts[found]++;
      };
      for (let i = 0; i < people.length; i += AT_ONCE) {
        await Promise.all(people.slice(i, i + AT_ONCE).map(copyOne));
        if ((i / AT_ONCE) % 1000 === 999) out(`  … ${i + AT_ONCE} of ${people.length}`);
      }
      // Installations (when the app serves many workspaces): copied when missing, never overwritten.
      for (const record of await file.installations()) {
        counts.installations.found++;
        const there = await database.installation(record.id);
        if (there === undefined && !options.check) {
          await database.saveInstallation(record);
          counts.installations.copied++;
        } else if (!isDeepStrictEqual(there, record)) {
          counts.installations.differ++;
        }
      }
      // Orgs' own records and the kept team views: copied when PostgreSQL has none, never overwritten.
      const { orgs, teamViews } = file.orgRecordsAndTeamViews();
      for (const [org, data] of orgs) {
        counts.orgs.found++;
        const { revision: _, ...wanted } = data;
        const same = (there: Readonly<OrgData>) => {
          const { revision: __, ...kept } = there;
          return isDeepStrictEqual(kept, wanted);
        };
        const found = options.check
          ? same(await database.orgData(org))
            ? 'same'
            : 'differ'
          : await database.updateOrgData(org, (d) => {
              if (same(d)) return 'same';
              if (d.revision !== 0) return 'differ';
              Object.assign(d, structuredClone(wanted));
              return 'copied';
            });
        if (found === 'copied') counts.orgs.copied++;
        else if (found === 'differ') counts.orgs.differ++;
      }
      for (const [scope, kept] of teamViews) {
        counts.teamViews.found++;
        const found = await database.updateTeamViews(scope, (there) => {
          if (isDeepStrictEqual(there, kept)) return 'same';
          if (there.length > 0 || options.check) return 'differ';
          there.push(...structuredClone(kept));
          return 'copied';
        });
        if (found === 'copied') counts.teamViews.copied++;
        else if (found === 'differ') counts.teamViews.differ++;
      }
      return counts;
    } finally {
      await database.close();
    }
  } finally {
    await file.close();
  }
}
