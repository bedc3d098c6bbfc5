import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import type { KeptTeamView, TeamViewScope } from '../../model/records.js';
import { anonymise } from '../../model/team-views.js';
import { teamViewsProblems } from '../schema.js';
import { InvalidPersonDataError } from '../store.js';
import { ChangeThrew } from './errors.js';

/**
 * The SQL of the team views kept per org, framework and level (table `team_views`, one row per
 * scope, `kept` json): changed under the row's lock, and with people's ids replaced by anonymous
 * stand-ins when they are deleted.
 */

/**
 * Store.updateTeamViews, inside a transaction: `change` runs on a copy of the scope's team views,
 * locked until the transaction ends; what it leaves is written (the row deleted when it leaves none).
 */
export async function changeTeamViews<T>(
  client: pg.PoolClient,
  scope: TeamViewScope,
  change: (kept: KeptTeamView[]) => T,
): Promise<{ result: T; write: boolean }> {
  const current = await lockTeamViews(client, scope);
  const copy = structuredClone(current);
  let result: T;
  try {
    result = change(copy);
  } catch (error) {
    throw new ChangeThrew(error);
  }
  if (isDeepStrictEqual(copy, current)) return { result, write: false };
  const problems = teamViewsProblems(copy);
  if (problems.length > 0) throw new ChangeThrew(new InvalidPersonDataError(problems));
  await client.query(
    copy.length === 0
      ? 'DELETE FROM team_views WHERE org = $1 AND framework_id = $2 AND level_id = $3'
      : 'UPDATE team_views SET kept = $4, updated_at = now() WHERE org = $1 AND framework_id = $2 AND level_id = $3',
    [scope.org, scope.frameworkId, scope.levelId, ...(copy.length === 0 ? [] : [JSON.stringify(copy)])],
  );
  return { result, write: true };
}

/** The org's team views for one framework and level, locked until the transaction ends (made empty when new). */
async function lockTeamViews(client: pg.PoolClient, scope: TeamViewScope): Promise<KeptTeamView[]> {
  const args = [scope.org, scope.frameworkId, scope.levelId];
  for (;;) {
    const found = await client.query<{ kept: KeptTeamView[] }>(
      'SELECT kept FROM team_views WHERE org = $1 AND framework_id = $2 AND level_id = $3 FOR UPDATE',
      args,
    );
    if (found.rows[0]) return found.rows[0].kept;
    // Rolled back with the transaction unless something is kept.
    const made = await client.query<{ kept: KeptTeamView[] }>(
      `INSERT INTO team_views (org, framework_id, level_id, kept) VALUES ($1, $2, $3, '[]')
       ON CONFLICT DO NOTHING RETURNING kept`,
      args,
    );
    if (made.rows[0]) return made.rows[0].kept;
  }
}

/** Replaces these users' ids in the org's kept team views with anonymous stand-ins (in the transaction). */
export async function forgetInTeamViews(
  client: pg.PoolClient,
  org: string,
  users: ReadonlySet<string>,
): Promise<void> {
  if (users.size === 0) return;
  // Only the rows whose text names one of them: `"<user id>#`, as JSON writes it.
  const patterns = [...users].map((user) => `%${likeEscape(JSON.stringify(user).slice(0, -1))}#%`);
  const { rows } = await client.query<{ framework_id: string; level_id: string; kept: KeptTeamView[] }>(
    'SELECT framework_id, level_id, kept FROM team_views WHERE org = $1 AND kept::text LIKE ANY($2::text[]) FOR UPDATE',
    [org, patterns],
  );
  for (const row of rows) {
    if (!anonymise(row.kept, users)) continue;
    await client.query(
      'UPDATE team_views SET kept = $4, updated_at = now() WHERE org = $1 AND framework_id = $2 AND level_id = $3',
      [org, row.framework_id, row.level_id, JSON.stringify(row.kept)],
    );
  }
}

/** `text` with LIKE's own characters (`%`, `_` and the escape `\`) taken literally. */
function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
