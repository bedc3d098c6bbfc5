import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import {
  type AssessmentRecord,
  type Draft,
  emptyPerson,
  type PersonData,
  type RatingValue,
  type StoredRating,
} from '../../src/model/records.js';
import type { PostgresStore } from '../../src/store/postgres/open.js';
import { personDataProblems } from '../../src/store/schema.js';
import { InvalidPersonDataError } from '../../src/store/store.js';

/**
 * The data models bench/store-model.ts measures side by side: one document per person (jsonb or
 * json), normalised tables, and the store as built. Each `update` does what the store's does: lock
 * the person, read them whole, run the change on a copy, check it against the data file's format,
 * and write only what changed, in one transaction.
 */

type Change = (data: PersonData) => void;

export interface Model {
  name: string;
  tables: string[];
  update(person: string, change: Change): Promise<void>;
  get(person: string): Promise<PersonData>;
}

/** A transaction that locks and reads one person, runs the change on a copy, and writes the difference. */
async function changePerson(
  pool: pg.Pool,
  change: Change,
  read: (client: pg.PoolClient) => Promise<PersonData | undefined>,
  create: (client: pg.PoolClient) => Promise<void>,
  write: (client: pg.PoolClient, before: PersonData, after: PersonData) => Promise<void>,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    let before = await read(client);
    if (before === undefined) {
      await create(client);
      before = (await read(client)) ?? emptyPerson();
    }
    const after = structuredClone(before);
    change(after);
    const problems = personDataProblems(after);
    if (problems.length > 0) throw new InvalidPersonDataError(problems);
    if (isDeepStrictEqual(before, after)) {
      await client.query('ROLLBACK');
      return;
    }
    await write(client, before, after);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

export function documentModel(pool: pg.Pool, type: 'jsonb' | 'json'): Model & { schema: string } {
  const table = `people_${type}`;
  return {
    name: `document (${type})`,
    tables: [table],
    schema: `CREATE TABLE ${table} (person_key text PRIMARY KEY, data ${type} NOT NULL, version bigint NOT NULL DEFAULT 1, updated_at timestamptz NOT NULL DEFAULT now())`,
    update: (person, change) =>
      changePerson(
        pool,
        change,
        async (client) =>
          (await client.query(`SELECT data FROM ${table} WHERE person_key = $1 FOR UPDATE`, [person])).rows[0]
            ?.data,
        async (client) => {
          await client.query(
            `INSERT INTO ${table} (person_key, data) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
            [person, JSON.stringify(emptyPerson())],
          );
        },
        async (client, _before, after) => {
          await client.query(
            `UPDATE ${table} SET data = $2, version = version + 1, updated_at = now() WHERE person_key = $1`,
            [person, JSON.stringify(after)],
          );
        },
      ),
    get: async (person) =>
      (await pool.query(`SELECT data FROM ${table} WHERE person_key = $1`, [person])).rows[0]?.data ??
      emptyPerson(),
  };
}

export const NORMALISED_SCHEMA = `
CREATE TABLE n_people (person_key text PRIMARY KEY, version bigint NOT NULL DEFAULT 1);
CREATE TABLE n_ratings (
  person_key text NOT NULL REFERENCES n_people ON DELETE CASCADE,
  framework_id text NOT NULL, competency_id text NOT NULL,
  value smallint NOT NULL, -- 1–5; 0 for "na"
  at timestamptz NOT NULL, framework_version text NOT NULL,
  PRIMARY KEY (person_key, framework_id, competency_id));
CREATE TABLE n_drafts (
  person_key text NOT NULL REFERENCES n_people ON DELETE CASCADE, framework_id text NOT NULL,
  session_id text NOT NULL, framework_version text NOT NULL, level_id text NOT NULL, position integer NOT NULL,
  status text NOT NULL, started_at timestamptz NOT NULL, updated_at timestamptz NOT NULL,
  PRIMARY KEY (person_key, framework_id));
CREATE TABLE n_assessments (
  person_key text NOT NULL REFERENCES n_people ON DELETE CASCADE, seq integer NOT NULL,
  id text NOT NULL, framework_id text NOT NULL, framework_version text NOT NULL, role_name text NOT NULL,
  domain_name text NOT NULL, level_id text NOT NULL, level_name text NOT NULL, next_level_name text,
  finished_at timestamptz NOT NULL, PRIMARY KEY (person_key, seq));
CREATE TABLE n_assessment_competencies (
  person_key text NOT NULL, seq integer NOT NULL, position integer NOT NULL,
  id text NOT NULL, name text NOT NULL, category text NOT NULL, tier text NOT NULL, expected smallint NOT NULL,
  next_expected smallint, rating smallint, -- null: skipped; 0: "na"
  PRIMARY KEY (person_key, seq, position),
  FOREIGN KEY (person_key, seq) REFERENCES n_assessments ON DELETE CASCADE);`;

/** One round trip: the person's rows, assembled into PersonData by the server. */
const NORMALISED_READ = `
SELECT json_build_object(
  'ratings', coalesce((SELECT json_object_agg(f.framework_id, f.ratings) FROM (
      SELECT framework_id, json_object_agg(competency_id, json_build_object(
        'value', CASE WHEN value = 0 THEN to_json('na'::text) ELSE to_json(value) END,
        'at', to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'frameworkVersion', framework_version)) AS ratings
      FROM n_ratings WHERE person_key = p.person_key GROUP BY framework_id) f), '{}'::json),
  'drafts', coalesce((SELECT json_object_agg(framework_id, json_build_object(
      'sessionId', session_id, 'frameworkId', framework_id, 'frameworkVersion', framework_version,
      'levelId', level_id, 'position', position, 'status', status,
      'startedAt', to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'updatedAt', to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
      FROM n_drafts WHERE person_key = p.person_key), '{}'::json),
  'history', coalesce((SELECT json_agg(json_build_object(
      'id', a.id, 'frameworkId', a.framework_id, 'frameworkVersion', a.framework_version,
      'roleName', a.role_name, 'domainName', a.domain_name, 'levelId', a.level_id, 'levelName', a.level_name,
      'nextLevelName', a.next_level_name,
      'finishedAt', to_char(a.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'competencies', coalesce((SELECT json_agg(json_build_object(
          'id', c.id, 'name', c.name, 'category', c.category, 'tier', c.tier, 'expected', c.expected,
          'nextExpected', c.next_expected,
          'rating', CASE WHEN c.rating = 0 THEN to_json('na'::text) ELSE to_json(c.rating) END) ORDER BY c.position)
        FROM n_assessment_competencies c WHERE c.person_key = a.person_key AND c.seq = a.seq), '[]'::json))
      ORDER BY a.seq)
    FROM n_assessments a WHERE a.person_key = p.person_key), '[]'::json)) AS data
FROM n_people p WHERE p.person_key = $1`;

const ratingNumber = (value: RatingValue | null) => (value === 'na' ? 0 : value);

export function normalisedModel(pool: pg.Pool): Model {
  const read = async (client: pg.PoolClient | pg.Pool, person: string, lock: boolean) =>
    (
      await client.query<{ data: PersonData }>(`${NORMALISED_READ}${lock ? ' FOR UPDATE OF p' : ''}`, [
        person,
      ])
    ).rows[0]?.data;

  async function insertAssessments(
    client: pg.PoolClient,
    person: string,
    from: number,
    records: AssessmentRecord[],
  ) {
    if (records.length === 0) return;
    await client.query(
      `INSERT INTO n_assessments SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[],
         $7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[])`,
      [
        person,
        records.map((_, i) => from + i),
        records.map((r) => r.id),
        records.map((r) => r.frameworkId),
        records.map((r) => r.frameworkVersion),
        records.map((r) => r.roleName),
        records.map((r) => r.domainName),
        records.map((r) => r.levelId),
        records.map((r) => r.levelName),
        records.map((r) => r.nextLevelName),
        records.map((r) => r.finishedAt),
      ],
    );
    const rows = records.flatMap((r, i) =>
      r.competencies.map((c, position) => ({ seq: from + i, position, c })),
    );
    await client.query(
      `INSERT INTO n_assessment_competencies SELECT $1, * FROM unnest($2::int[], $3::int[], $4::text[], $5::text[],
         $6::text[], $7::text[], $8::smallint[], $9::smallint[], $10::smallint[])`,
      [
        person,
        rows.map((r) => r.seq),
        rows.map((r) => r.position),
        rows.map((r) => r.c.id),
        rows.map((r) => r.c.name),
        rows.map((r) => r.c.category),
        rows.map((r) => r.c.tier),
        rows.map((r) => r.c.expected),
        rows.map((r) => r.c.nextExpected),
        rows.map((r) => ratingNumber(r.c.rating)),
      ],
    );
  }

  async function write(client: pg.PoolClient, person: string, before: PersonData, after: PersonData) {
    await client.query('UPDATE n_people SET version = version + 1 WHERE person_key = $1', [person]);
    // Ratings and drafts: upsert what changed, delete what went.
    const changedRatings: Array<[string, string, StoredRating]> = [];
    const goneRatings: Array<[string, string]> = [];
    for (const [f, ratings] of Object.entries(after.ratings)) {
      for (const [c, rating] of Object.entries(ratings)) {
        if (!isDeepStrictEqual(before.ratings[f]?.[c], rating)) changedRatings.push([f, c, rating]);
      }
    }
    for (const [f, ratings] of Object.entries(before.ratings)) {
      for (const c of Object.keys(ratings)) if (after.ratings[f]?.[c] === undefined) goneRatings.push([f, c]);
    }
    if (changedRatings.length > 0) {
      await client.query(
        `INSERT INTO n_ratings SELECT $1, * FROM unnest($2::text[], $3::text[], $4::smallint[], $5::timestamptz[], $6::text[])
         ON CONFLICT (person_key, framework_id, competency_id) DO UPDATE
         SET value = excluded.value, at = excluded.at, framework_version = excluded.framework_version`,
        [
          person,
          changedRatings.map(([f]) => f),
          changedRatings.map(([, c]) => c),
          changedRatings.map(([, , r]) => ratingNumber(r.value)),
          changedRatings.map(([, , r]) => r.at),
          changedRatings.map(([, , r]) => r.frameworkVersion),
        ],
      );
    }
    for (const [f, c] of goneRatings) {
      await client.query(
        'DELETE FROM n_ratings WHERE person_key = $1 AND framework_id = $2 AND competency_id = $3',
        [person, f, c],
      );
    }
    for (const [f, draft] of Object.entries(after.drafts)) {
      if (isDeepStrictEqual(before.drafts[f], draft)) continue;
      await upsertDrafts(client, person, [draft]);
    }
    for (const f of Object.keys(before.drafts)) {
      if (after.drafts[f] === undefined) {
        await client.query('DELETE FROM n_drafts WHERE person_key = $1 AND framework_id = $2', [person, f]);
      }
    }
    // History: usually one more at the end; anything else rewrites it.
    const kept = before.history.length;
    if (after.history.length >= kept && isDeepStrictEqual(after.history.slice(0, kept), before.history)) {
      await insertAssessments(client, person, kept, after.history.slice(kept));
    } else {
      await client.query('DELETE FROM n_assessments WHERE person_key = $1', [person]);
      await insertAssessments(client, person, 0, after.history);
    }
  }

  return {
    name: 'normalised tables',
    tables: ['n_people', 'n_ratings', 'n_drafts', 'n_assessments', 'n_assessment_competencies'],
    update: (person, change) =>
      changePerson(
        pool,
        change,
        (client) => read(client, person, true),
        async (client) => {
          await client.query('INSERT INTO n_people (person_key) VALUES ($1) ON CONFLICT DO NOTHING', [
            person,
          ]);
        },
        (client, before, after) => write(client, person, before, after),
      ),
    get: async (person) => (await read(pool, person, false)) ?? emptyPerson(),
  };
}

async function upsertDrafts(client: pg.PoolClient | pg.Pool, person: string | string[], drafts: Draft[]) {
  const people = Array.isArray(person) ? person : drafts.map(() => person);
  await client.query(
    `INSERT INTO n_drafts SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[],
       $7::text[], $8::timestamptz[], $9::timestamptz[])
     ON CONFLICT (person_key, framework_id) DO UPDATE SET session_id = excluded.session_id,
       framework_version = excluded.framework_version, level_id = excluded.level_id, position = excluded.position,
       status = excluded.status, started_at = excluded.started_at, updated_at = excluded.updated_at`,
    [
      people,
      drafts.map((d) => d.frameworkId),
      drafts.map((d) => d.sessionId),
      drafts.map((d) => d.frameworkVersion),
      drafts.map((d) => d.levelId),
      drafts.map((d) => d.position),
      drafts.map((d) => d.status),
      drafts.map((d) => d.startedAt),
      drafts.map((d) => d.updatedAt),
    ],
  );
}

/** The store as built, for the figures the app gets (its table is the migrations' `people`). */
export function storeModel(store: PostgresStore): Model {
  return {
    name: 'the store as built',
    tables: ['people'],
    update: async (person, change) => {
      await store.update(person, change);
    },
    get: async (person) => structuredClone(await store.get(person)) as PersonData,
  };
}
