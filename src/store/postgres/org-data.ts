import type pg from 'pg';
import { emptyOrgData, type MonthlyCount, type OrgData } from '../../model/org-data.js';
import { deletedMeanwhile } from '../deletion-marks.js';
import { applyOrgDataChange } from '../schema.js';
import { ChangeThrew } from './errors.js';

/**
 * The SQL of what orgs keep of their own (table `org_data`: org, data jsonb, revision, updated_at):
 * read in one statement, changed under the row's lock, deleted with the org's last installation.
 * `data` holds OrgData without its revision, which is the column of its own, read alone by
 * `readOrgRevision`, and taken at each write from the sequence `org_data_revisions` (one for every
 * org: never given twice).
 */

type OrgDataRow = { data: Omit<OrgData, 'revision'>; revision: string };

/** pg gives bigint as text: a revision fits a number (the sequence would need 2^53 writes to pass it). */
function orgDataOf(row: OrgDataRow): OrgData {
  return { ...row.data, revision: Number(row.revision) };
}

/** The org's data; empty, with revision 0, for an org with none. */
export async function readOrgData(pool: pg.Pool, org: string): Promise<OrgData> {
  const { rows } = await pool.query<OrgDataRow>('SELECT data, revision FROM org_data WHERE org = $1', [org]);
  return rows[0] ? orgDataOf(rows[0]) : emptyOrgData();
}

/** The org's revision (0 for none): one SELECT of that column by the primary key. */
export async function readOrgRevision(pool: pg.Pool, org: string): Promise<number> {
  const { rows } = await pool.query<{ revision: string }>('SELECT revision FROM org_data WHERE org = $1', [
    org,
  ]);
  return rows[0] ? Number(rows[0].revision) : 0;
}

/**
 * Store.finishedPerMonth: per framework, level and month (UTC), the people of the org (person keys
 * `<org>:…`) who finished an assessment then, counted once per cell, by PostgreSQL.
 */
export async function readFinishedPerMonth(pool: pg.Pool, org: string): Promise<MonthlyCount[]> {
  const { rows } = await pool.query<{
    framework_id: string;
    level_id: string;
    month: string;
    people: string;
  }>(
    `SELECT r->>'frameworkId' AS framework_id, r->>'levelId' AS level_id,
            substr(r->>'finishedAt', 1, 7) AS month, count(DISTINCT person_key) AS people
       FROM people, json_array_elements(data->'history') AS r
      WHERE left(person_key, length($1) + 1) = $1 || ':'
      GROUP BY 1, 2, 3`,
    [org],
  );
  return rows.map((row) => ({
    frameworkId: row.framework_id,
    levelId: row.level_id,
    month: row.month,
    people: Number(row.people),
  }));
}

/**
 * Store.updateOrgData, inside a transaction: `change` runs on a copy of the org's data, locked until
 * the transaction ends (another instance's change of the same org waits for it); what it leaves is
 * written with the next revision of the sequence.
 */
export async function changeOrgData<T>(
  client: pg.PoolClient,
  org: string,
  change: (data: OrgData) => T,
  notDeletedSince?: Date,
): Promise<{ result: T; write: boolean }> {
  const { data: current, created } = await lockOrgData(client, org);
  let applied: ReturnType<typeof applyOrgDataChange<T>>;
  try {
    applied = applyOrgDataChange(current, change);
  } catch (error) {
    // What `change` threw, or InvalidOrgDataError: the transaction rolls back.
    throw new ChangeThrew(error);
  }
  const { result, next } = applied;
  if (next === undefined) return { result, write: false };
  // A record made now must not undo the org's removal made since the request for it.
  if (created && notDeletedSince !== undefined) await refuseIfKeyDeletedSince(client, org, notDeletedSince);
  const { revision: _, ...data } = next;
  await client.query(
    "UPDATE org_data SET data = $2, revision = nextval('org_data_revisions'), updated_at = now() WHERE org = $1",
    [org, JSON.stringify(data)],
  );
  return { result, write: true };
}

/** The org's data, locked until the transaction ends (made empty when new: rolled back unless written). */
async function lockOrgData(client: pg.PoolClient, org: string): Promise<{ data: OrgData; created: boolean }> {
  const { revision, ...empty } = emptyOrgData();
  for (;;) {
    const found = await client.query<OrgDataRow>(
      'SELECT data, revision FROM org_data WHERE org = $1 FOR UPDATE',
      [org],
    );
    if (found.rows[0]) return { data: orgDataOf(found.rows[0]), created: false };
    // Another transaction making the same row waits here until it ends: then the row is there (or not).
    const made = await client.query<OrgDataRow>(
      `INSERT INTO org_data (org, data, revision) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING data, revision`,
      [org, JSON.stringify(empty), revision],
    );
    if (made.rows[0]) return { data: orgDataOf(made.rows[0]), created: true };
  }
}

/** Refused (the transaction rolls back) when the org was deleted since `from`: its record must not come back. */
async function refuseIfKeyDeletedSince(client: pg.PoolClient, org: string, from: Date): Promise<void> {
  const { rowCount } = await client.query('SELECT 1 FROM deletions WHERE key = $1 AND at > $2', [
    org,
    from.toISOString(),
  ]);
  if ((rowCount ?? 0) > 0) throw new ChangeThrew(deletedMeanwhile());
}

/** Deletes the data of these orgs (in the transaction); whether there was any. */
export async function deleteOrgData(client: pg.PoolClient, orgs: readonly string[]): Promise<boolean> {
  if (orgs.length === 0) return false;
  const { rowCount } = await client.query('DELETE FROM org_data WHERE org = ANY($1::text[])', [orgs]);
  return (rowCount ?? 0) > 0;
}
