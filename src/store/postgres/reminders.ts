import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { ClaimedReminder, PersonData, ReminderSetting } from '../../model/records.js';
import { claimIfDue } from '../../model/reminders.js';
import { applyChange } from '../schema.js';
import { InvalidPersonDataError, type StoreLogger } from '../store.js';
import { reasonOf } from './errors.js';
import { reminderDue } from './people.js';

/**
 * Check-in reminders live in the person's document like everything else; the column `reminder_due`
 * (migration 0003) repeats when each is due (effectiveDueAt: the later of its due time and a claim's
 * end; NULL without one), written by every statement that writes `data`, so that what is due is found
 * by a partial index and claimed with `FOR UPDATE SKIP LOCKED`: instances never claim the same one.
 */

/**
 * Claims what is due: one transaction locks up to `limit` due rows in due order, skipping rows
 * another instance holds (its claim, or any change of that person, in progress), so two instances
 * claiming at once get different people; the claim goes into the data and `reminder_due` (now the
 * claim's end) before it commits.
 */
const SELECT_DUE = `
  SELECT person_key, data FROM people
  WHERE reminder_due <= $1
  ORDER BY reminder_due, person_key
  LIMIT $2
  FOR UPDATE SKIP LOCKED`;

/** Store.claimDueReminders, inside a transaction. */
export async function claimDue(
  client: pg.PoolClient,
  now: Date,
  limit: number,
  leaseMs: number,
  logger: StoreLogger,
): Promise<{ result: ClaimedReminder[]; write: boolean }> {
  const { rows } = await client.query<{ person_key: string; data: PersonData }>({
    name: 'competency-select-due',
    text: SELECT_DUE,
    values: [now.toISOString(), limit],
  });
  const claimed: ClaimedReminder[] = [];
  const keys: string[] = [];
  const documents: (string | null)[] = [];
  const dues: (string | null)[] = [];
  for (const row of rows) {
    let reminder: ReminderSetting | undefined;
    let next: PersonData | undefined;
    try {
      ({ result: reminder, next } = applyChange(row.data, (data) =>
        claimIfDue(data, now, leaseMs, randomUUID()),
      ));
    } catch (error) {
      // A document the data file's format refuses cannot be claimed; left in the queue it would
      // come first every time. Out of the queue (its data as it is), and said.
      logger.error(
        `The check-in reminder of ${row.person_key} cannot be sent: their data does not fit the format ` +
          `(${error instanceof InvalidPersonDataError ? error.issues.join('; ') : reasonOf(error)}).`,
      );
      keys.push(row.person_key);
      documents.push(null);
      dues.push(null);
      continue;
    }
    keys.push(row.person_key);
    if (reminder === undefined || next === undefined) {
      // Not due after all: the column was behind the data. Put it right, leaving the data.
      documents.push(null);
      dues.push(reminderDue(row.data));
      continue;
    }
    claimed.push({ person: row.person_key, reminder, data: next });
    documents.push(JSON.stringify(next));
    dues.push(reminderDue(next));
  }
  if (keys.length > 0) {
    // One statement for the whole batch.
    await client.query(
      `UPDATE people SET data = COALESCE(claimed.data::json, people.data),
         reminder_due = claimed.due::timestamptz, version = version + 1, updated_at = now()
       FROM unnest($1::text[], $2::text[], $3::text[]) AS claimed(person_key, data, due)
       WHERE people.person_key = claimed.person_key`,
      [keys, documents, dues],
    );
  }
  return { result: claimed, write: keys.length > 0 };
}
