import type pg from 'pg';
import { orgOfPerson, type PersonKey, userOfPerson } from '../../model/person.js';
import { isReached, orgsLeftBehind, reachedBy, withoutTiesTo } from '../../model/reach.js';
import { countRecords, type PersonData } from '../../model/records.js';
import { deletedMeanwhile } from '../deletion-marks.js';
import { DELETION_MEMORY_MS, type UninstallResult, type UninstallTarget } from '../store.js';
import { ChangeThrew } from './errors.js';
import { deleteOrgData } from './org-data.js';
import { writePerson } from './people.js';
import { forgetInTeamViews } from './team-views.js';

/**
 * The SQL of deleting people: `forget` and `uninstall`, each one transaction, and the deletions
 * remembered for DELETION_MEMORY_MS (table `deletions`: a person key or an org's id, and when), so
 * that a request made before a deletion, in any instance, cannot bring the person back.
 */

/**
 * Store.forget, inside a transaction: the person's row goes, their ids in the org's kept team views
 * are replaced by stand-ins, and the deletion is remembered.
 */
export async function forgetPerson(
  client: pg.PoolClient,
  person: PersonKey,
): Promise<{ result: number; write: boolean }> {
  const { rows } = await client.query<{ data: PersonData }>(
    'DELETE FROM people WHERE person_key = $1 RETURNING data',
    [person],
  );
  const data = rows[0]?.data;
  if (data === undefined) return { result: 0, write: false };
  await markDeleted(client, [person]);
  await forgetInTeamViews(client, orgOfPerson(person), new Set([userOfPerson(person)]));
  return { result: countRecords(data), write: true };
}

/**
 * Store.uninstall, inside a transaction: the installation goes, then the own data of each org it
 * leaves without an installation, and everyone of `people` whom no remaining installation reaches,
 * with the reviews they gave and their ids in kept team views.
 */
export async function uninstallIn(
  client: pg.PoolClient,
  { installation, people }: UninstallTarget,
): Promise<{ result: UninstallResult; write: boolean }> {
  // Uninstalls of the same org take turns, so two workspaces of one org leaving at once cannot
  // each see the other still installed and both keep the org's people.
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`uninstall ${people}`]);
  const removed = await client.query('DELETE FROM installations WHERE id = $1', [installation]);
  const result: UninstallResult = {
    installation: removed.rowCount === 1,
    people: 0,
    records: 0,
    orgData: false,
  };
  // The installations left that may cover the org of the people or of the installation.
  const touched = [...new Set([installation, people])];
  const remaining = (
    await client.query<{ id: string; enterprise_id: string | null }>(
      'SELECT id, enterprise_id FROM installations WHERE id = ANY($1::text[]) OR enterprise_id = ANY($1::text[])',
      [touched],
    )
  ).rows.map((row) => ({ id: row.id, enterpriseId: row.enterprise_id }));
  result.orgData = await deleteOrgData(client, orgsLeftBehind({ installation, people }, remaining));
  const reach = reachedBy(remaining, people);
  if (reach.everyone) return { result, write: result.installation || result.orgData };
  let gone: { person_key: string; data: PersonData }[];
  if (reach.workspaces.size === 0) {
    // Nothing of the org or workspace is installed any more: everyone goes, and its team views.
    gone = (
      await client.query<{ person_key: string; data: PersonData }>(
        "DELETE FROM people WHERE split_part(person_key, ':', 1) = $1 RETURNING person_key, data",
        [people],
      )
    ).rows;
    await client.query('DELETE FROM team_views WHERE org = $1', [people]);
    await markDeleted(client, [people, ...gone.map((row) => row.person_key)]);
  } else {
    // Some workspaces of the org keep an install of their own: those who used one of them stay.
    const everyone = await client.query<{ person_key: string; workspaces: string[] | null }>(
      "SELECT person_key, data -> 'workspaces' AS workspaces FROM people WHERE split_part(person_key, ':', 1) = $1 FOR UPDATE",
      [people],
    );
    const leaving = everyone.rows
      .filter((row) => !isReached({ workspaces: row.workspaces ?? undefined }, reach))
      .map((row) => row.person_key);
    gone = (
      await client.query<{ person_key: string; data: PersonData }>(
        'DELETE FROM people WHERE person_key = ANY($1::text[]) RETURNING person_key, data',
        [leaving],
      )
    ).rows;
    await forgetTiesTo(client, people, new Set(leaving));
    await forgetInTeamViews(client, people, new Set(leaving.map(userOfPerson)));
    await markDeleted(client, leaving);
  }
  result.people = gone.length;
  for (const row of gone) result.records += countRecords(row.data);
  return { result, write: true };
}

/** The moment from which a deletion refuses a new record: when the request was made, within the memory. */
export function deletionsFrom(madeAt: Date): Date {
  return new Date(Math.max(Date.now() - DELETION_MEMORY_MS, madeAt.getTime()));
}

/**
 * Throws DeletedMeanwhileError (through ChangeThrew, so the transaction rolls back) when the person,
 * or their org, was deleted since `from`: their record must not come back. Inside the transaction
 * that locked their new row, so a deletion that committed first is seen.
 */
export async function refuseIfDeletedSince(
  client: pg.PoolClient,
  person: PersonKey,
  from: Date,
): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM deletions WHERE key = ANY($1::text[]) AND at > $2', [
    [person, orgOfPerson(person)],
    from.toISOString(),
  ]);
  if ((rowCount ?? 0) > 0) throw new ChangeThrew(deletedMeanwhile());
}

/** Remembers these deletions (person keys, or an org's id) for DELETION_MEMORY_MS, and forgets older ones. */
async function markDeleted(client: pg.PoolClient, keys: readonly string[]): Promise<void> {
  const at = new Date();
  await client.query('DELETE FROM deletions WHERE at < $1', [new Date(at.getTime() - DELETION_MEMORY_MS)]);
  if (keys.length === 0) return;
  await client.query(
    `INSERT INTO deletions (key, at) SELECT key, $2 FROM unnest($1::text[]) AS key
     ON CONFLICT (key) DO UPDATE SET at = EXCLUDED.at`,
    [keys, at.toISOString()],
  );
}

/**
 * Deletes, from the records of the org's people who stay, the reviews and shares that tie them to
 * people who go, and the index entries of both (in the transaction; see withoutTiesTo).
 */
async function forgetTiesTo(client: pg.PoolClient, org: string, gone: ReadonlySet<PersonKey>): Promise<void> {
  if (gone.size === 0) return;
  const { rows } = await client.query<{ person_key: string; data: PersonData }>(
    `SELECT person_key, data FROM people
      WHERE split_part(person_key, ':', 1) = $1
        AND (data -> 'reviews' IS NOT NULL OR data -> 'reviewsGiven' IS NOT NULL
             OR data -> 'shares' IS NOT NULL OR data -> 'sharesReceived' IS NOT NULL)
      FOR UPDATE`,
    [org],
  );
  for (const row of rows) {
    const next = withoutTiesTo(row.data, gone);
    if (next === undefined) continue;
    await writePerson(client, row.person_key, next);
  }
}
