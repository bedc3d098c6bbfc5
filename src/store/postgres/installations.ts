import type pg from 'pg';
import type { InstallationRecord } from '../../model/records.js';

/**
 * The SQL of the app's installations (table `installations`: id, enterprise_id, data json and the
 * times), each statement one that commits on its own.
 */

type InstallationRow = {
  id: string;
  enterprise_id: string | null;
  data: Record<string, unknown>;
  installed_at: Date;
  updated_at: Date;
};

const SELECT_INSTALLATIONS = 'SELECT id, enterprise_id, data, installed_at, updated_at FROM installations';

function installationOf(row: InstallationRow): InstallationRecord {
  return {
    id: row.id,
    enterpriseId: row.enterprise_id,
    installation: row.data,
    installedAt: row.installed_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The installation with this id, if there is one. */
export async function readInstallation(pool: pg.Pool, id: string): Promise<InstallationRecord | undefined> {
  // Named (see STATEMENTS in people.ts): read for every request in distributed mode.
  const { rows } = await pool.query<InstallationRow>({
    name: 'competency-read-installation',
    text: `${SELECT_INSTALLATIONS} WHERE id = $1`,
    values: [id],
  });
  return rows[0] && installationOf(rows[0]);
}

/** Every installation. */
export async function readInstallations(pool: pg.Pool): Promise<InstallationRecord[]> {
  const { rows } = await pool.query<InstallationRow>(SELECT_INSTALLATIONS);
  return rows.map(installationOf);
}

/** Keeps `record`, replacing an installation with the same id. */
export async function upsertInstallation(pool: pg.Pool, record: InstallationRecord): Promise<void> {
  await pool.query(
    `INSERT INTO installations (id, enterprise_id, data, installed_at, updated_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET enterprise_id = EXCLUDED.enterprise_id, data = EXCLUDED.data,
       installed_at = EXCLUDED.installed_at, updated_at = EXCLUDED.updated_at`,
    [
      record.id,
      record.enterpriseId,
      JSON.stringify(record.installation),
      record.installedAt,
      record.updatedAt,
    ],
  );
}

/**
 * Replaces `expected` with `next` (same id) in one UPDATE, whose WHERE holds only while the row is
 * as `expected`: a row changed or deleted meanwhile is not written, and no row is ever added. True
 * when written. `data` is compared as the text the table keeps (json keeps it as written): the store
 * wrote JSON.stringify of the installation, and JSON.stringify of what it read back is that same
 * text, character for character. jsonb equality would not do: it refuses U+0000 and overlooks the
 * order of keys. The times are compared to the millisecond, as a record carries them.
 */
export async function replaceInstallationIfUnchanged(
  pool: pg.Pool,
  expected: InstallationRecord,
  next: InstallationRecord,
): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE installations
        SET enterprise_id = $6, data = $7, installed_at = $8, updated_at = $9
      WHERE id = $1 AND enterprise_id IS NOT DISTINCT FROM $2 AND data::text = $3
        AND date_trunc('milliseconds', installed_at) = $4
        AND date_trunc('milliseconds', updated_at) = $5`,
    [
      expected.id,
      expected.enterpriseId,
      JSON.stringify(expected.installation),
      expected.installedAt,
      expected.updatedAt,
      next.enterpriseId,
      JSON.stringify(next.installation),
      next.installedAt,
      next.updatedAt,
    ],
  );
  return rowCount === 1;
}
