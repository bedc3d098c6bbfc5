import type pg from 'pg';
import { orgOfPerson, type PersonKey } from '../../model/person.js';
import { type AssessmentRecord, emptyPerson, type PersonData } from '../../model/records.js';
import { effectiveDueAt } from '../../model/reminders.js';
import { applyChange } from '../schema.js';
import { ChangeThrew, markOutcomeUnknown } from './errors.js';

/**
 * The SQL of a person's row in `people` (person_key, data json, version, reminder_due): reading
 * what people shared for team views, the change without a lock, the locked row of the change that
 * collided, and the row written back.
 */

/**
 * The statements run for every click, command and reminder, named: PostgreSQL parses and plans each
 * once per connection and keeps it, where an unnamed statement is parsed and planned on every run
 * (measured: half the server's CPU for a read of one person, 106 → 50 µs, and 20 µs less in the app).
 * Behind PgBouncer in transaction mode this needs its `max_prepared_statements` (docs/operations.md).
 */
export const STATEMENTS = {
  // One person's read, or several asked for together (person-reads.ts).
  readPeople: {
    name: 'competency-read-people',
    text: 'SELECT person_key, data FROM people WHERE person_key = ANY($1::text[])',
  },
  readPersonVersion: {
    name: 'competency-read-person-version',
    text: 'SELECT data, version FROM people WHERE person_key = $1',
  },
  // SKIP LOCKED: a row another transaction holds is not waited for here (the locked update does the
  // waiting), so a connection lost now is lost while writing, not while waiting.
  writeIfUnchanged: {
    name: 'competency-write-if-unchanged',
    text: `WITH unlocked AS (
             SELECT person_key FROM people WHERE person_key = $1 AND version = $3 FOR UPDATE SKIP LOCKED
           )
           UPDATE people SET data = $2, reminder_due = $4, version = version + 1, updated_at = now()
           FROM unlocked WHERE people.person_key = unlocked.person_key`,
  },
  lockPerson: {
    name: 'competency-lock-person',
    text: 'SELECT data FROM people WHERE person_key = $1 FOR UPDATE',
  },
} as const;

/** How many people one query of `sharedAssessments` asks for (a channel of thousands takes a few). */
const SHARED_BATCH = 1_000;

/**
 * The assessments each person included in team views, picked out by PostgreSQL from their JSON
 * document (in the order of their history), so that nothing else of theirs crosses the wire; people
 * with none are left out. The primary key finds the rows of `= ANY($1)`.
 */
const SELECT_SHARED = `
  SELECT person_key, shared FROM (
    SELECT person_key,
      (SELECT json_agg(record ORDER BY position)
         FROM json_array_elements(data -> 'history') WITH ORDINALITY AS h(record, position)
        WHERE record ->> 'inTeamViews' = 'true') AS shared
    FROM people WHERE person_key = ANY($1::text[])
  ) AS found
  WHERE shared IS NOT NULL`;

/** The assessments these people included in team views (see Store.sharedAssessments), in batches. */
export async function readSharedAssessments(
  pool: pg.Pool,
  persons: readonly PersonKey[],
): Promise<Map<PersonKey, Readonly<AssessmentRecord>[]>> {
  const keys = [...new Set(persons)];
  const shared = new Map<PersonKey, Readonly<AssessmentRecord>[]>();
  // One batch after the other: a large channel does not take every connection of the pool.
  for (let start = 0; start < keys.length; start += SHARED_BATCH) {
    const { rows } = await pool.query<{ person_key: string; shared: AssessmentRecord[] }>(SELECT_SHARED, [
      keys.slice(start, start + SHARED_BATCH),
    ]);
    for (const row of rows) shared.set(row.person_key, row.shared);
  }
  return shared;
}

/**
 * Reads the person's row and its version, applies `change`, and writes only if the row is still the
 * version read and nobody holds it (for someone new: only if nobody made their row meanwhile, and
 * not when they or their org were deleted after `notDeletedSince`). Undefined when it was not:
 * someone else changed the person in between, or is changing them now, and nothing was written.
 */
export async function updateIfUnchanged<T>(
  client: pg.PoolClient,
  person: PersonKey,
  change: (data: PersonData) => T,
  notDeletedSince: Date | undefined,
): Promise<{ result: T; written: boolean } | undefined> {
  const found = await client.query<{ data: PersonData; version: string }>({
    ...STATEMENTS.readPersonVersion,
    values: [person],
  });
  const row = found.rows[0];
  const { result, next } = applyOrCarry(row?.data ?? emptyPerson(), change);
  if (next === undefined) return { result, written: false };
  const json = JSON.stringify(next);
  const wrote = await (row
    ? client.query({
        ...STATEMENTS.writeIfUnchanged,
        values: [person, json, row.version, reminderDue(next)],
      })
    : notDeletedSince === undefined
      ? client.query(
          'INSERT INTO people (person_key, data, reminder_due) VALUES ($1, $2, $3) ON CONFLICT (person_key) DO NOTHING',
          [person, json, reminderDue(next)],
        )
      : // Not when the person (or their org) was deleted since the request was made: then nothing is
        // written here, and the locked update finds out why.
        client.query(
          `INSERT INTO people (person_key, data, reminder_due)
           SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM deletions WHERE key = ANY($4::text[]) AND at > $5)
           ON CONFLICT (person_key) DO NOTHING`,
          [person, json, reminderDue(next), [person, orgOfPerson(person)], notDeletedSince.toISOString()],
        )
  ).catch(markOutcomeUnknown);
  return wrote.rowCount === 1 ? { result, written: true } : undefined;
}

/**
 * The person's data, their row locked until the transaction ends; for someone new, an empty row
 * (`created`).
 */
export async function lockPerson(
  client: pg.PoolClient,
  person: PersonKey,
): Promise<{ data: PersonData; created: boolean }> {
  for (;;) {
    const found = await client.query<{ data: PersonData }>({ ...STATEMENTS.lockPerson, values: [person] });
    if (found.rows[0]) return { data: found.rows[0].data, created: false };
    // Someone new: a row of their own to lock, rolled back unless the change writes it. When another
    // instance makes it at the same moment, this waits for that one to end and then locks its row
    // (or makes it again, if that one rolled back or the person was forgotten meanwhile).
    const made = await client.query<{ data: PersonData }>(
      'INSERT INTO people (person_key, data) VALUES ($1, $2) ON CONFLICT (person_key) DO NOTHING RETURNING data',
      [person, JSON.stringify(emptyPerson())],
    );
    if (made.rows[0]) return { data: made.rows[0].data, created: true };
  }
}

/** Writes the person's row (in the transaction that locked it): their data, and when their reminder is due. */
export async function writePerson(client: pg.PoolClient, person: PersonKey, data: PersonData): Promise<void> {
  await client.query(
    'UPDATE people SET data = $2, reminder_due = $3, version = version + 1, updated_at = now() WHERE person_key = $1',
    [person, JSON.stringify(data), reminderDue(data)],
  );
}

/**
 * The `reminder_due` column for this data: when its reminder is due (effectiveDueAt), or null. Every
 * statement that writes `data` writes this with it.
 */
export function reminderDue(data: Readonly<PersonData>): string | null {
  return data.reminder === undefined ? null : effectiveDueAt(data.reminder);
}

/** applyChange, with what `change` threw (or InvalidPersonDataError) carried out as it is, never retried. */
export function applyOrCarry<T>(current: PersonData, change: (data: PersonData) => T) {
  try {
    return applyChange(current, change);
  } catch (error) {
    throw new ChangeThrew(error);
  }
}
