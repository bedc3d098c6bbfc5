import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import pg from 'pg';
import { snapshotOf } from '../src/assessments/assessments.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../src/frameworks/loader.js';
import type { Framework } from '../src/frameworks/schema.js';
import {
  type AssessmentRecord,
  type Draft,
  emptyPerson,
  type PersonData,
  type RatingValue,
  type StoredRating,
} from '../src/model/records.js';
import { openPostgresStore, type PostgresStore } from '../src/store/postgres-store.js';
import { personDataProblems } from '../src/store/schema.js';
import { InvalidPersonDataError } from '../src/store/store.js';

/**
 * Which data model the PostgreSQL store should use, measured side by side in one run on one
 * scratch database (dropped at the end):
 * - one document per person, as jsonb and as json (one row: key, data, version);
 * - normalised tables: people, ratings, drafts, assessments, assessment_competencies;
 * - and the store as built (src/store/postgres-store.ts), for what the app itself gets.
 * Every model does what the store's `update` does: lock the person, read them whole, run the change
 * on a copy, check it against the data file's format, and write only what changed, in one transaction.
 *
 *   npx tsx bench/store-model.ts [--sizes 10000,100000] [--out figures.json]
 *
 * The server is BENCH_DATABASE_URL, else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
 */

const { values: args } = parseArgs({
  options: { sizes: { type: 'string', default: '10000,100000' }, out: { type: 'string' } },
});
const SIZES = (args.sizes ?? '').split(',').map(Number);
const SERVER =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const POOL = 10;
const SEQUENTIAL = 500;
const CONCURRENT = 1_000;
const FINISHED_PER_PERSON = 3;

// ---------------------------------------------------------------------------------------------
// Realistic people: 8 ratings, a draft half way through, a few finished assessments

const frameworks = await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]);
const framework = frameworks[0] as Framework;
const LEVEL =
  framework.levels.find((l) => l.id === 'senior') ?? (framework.levels[0] as Framework['levels'][0]);

const keyOf = (i: number) =>
  `T0BENCH${(i % 40).toString().padStart(4, '0')}:U${i.toString(36).toUpperCase().padStart(9, '0')}`;
const day = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString();

function personData(i: number): PersonData {
  const data = emptyPerson();
  for (let a = 0; a < FINISHED_PER_PERSON; a++) {
    data.ratings[framework.id] = {};
    framework.competencies.forEach((c, j) => {
      const value = (((i + j + a) % 6) + 1) as number;
      (data.ratings[framework.id] as Record<string, StoredRating>)[c.id] = {
        value: (value === 6 ? 'na' : value) as RatingValue,
        at: day(a * 30 + j),
        frameworkVersion: framework.version,
      };
    });
    data.history.push(snapshotOf(framework, LEVEL, data, `s${i.toString(36)}-${a}`, day(a * 30 + 9)));
  }
  data.drafts[framework.id] = {
    sessionId: `s${i.toString(36)}-${FINISHED_PER_PERSON}`,
    frameworkId: framework.id,
    frameworkVersion: framework.version,
    levelId: LEVEL.id,
    position: 3,
    status: 'rating',
    startedAt: day(100),
    updatedAt: day(100),
  };
  return data;
}

/** When the n-th change is made: the same in every model, so that they can be compared. */
const at = (n: number) => new Date(Date.UTC(2026, 5, 1) + n * 1_000).toISOString();

/** A rating click: one rating, and the draft moves on (what most updates are). */
function click(n: number) {
  return (data: PersonData): void => {
    const competency = framework.competencies[n % framework.competencies.length];
    const ratings = data.ratings[framework.id];
    const draft = data.drafts[framework.id];
    if (!competency || !ratings || !draft) throw new Error('the seeded person has no draft');
    ratings[competency.id] = {
      value: ((n % 5) + 1) as RatingValue,
      at: at(n),
      frameworkVersion: framework.version,
    };
    draft.position = (draft.position + 1) % framework.competencies.length;
    draft.updatedAt = at(n);
  };
}

/** Finishing an assessment: a snapshot of 8 competencies is appended to the history. */
function finish(n: number) {
  return (data: PersonData): void => {
    data.history.push(snapshotOf(framework, LEVEL, data, `b${n}`, at(n)));
  };
}

// ---------------------------------------------------------------------------------------------
// The models

type Change = (data: PersonData) => void;

interface Model {
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

function documentModel(pool: pg.Pool, type: 'jsonb' | 'json'): Model & { schema: string } {
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

const NORMALISED_SCHEMA = `
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

function normalisedModel(pool: pg.Pool): Model {
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
function storeModel(store: PostgresStore): Model {
  return {
    name: 'the store as built',
    tables: ['people'],
    update: async (person, change) => {
      await store.update(person, change);
    },
    get: async (person) => structuredClone(await store.get(person)) as PersonData,
  };
}

// ---------------------------------------------------------------------------------------------
// Seeding: documents from Node in batches; the normalised tables from the jsonb documents, in SQL

async function seed(admin: pg.Pool, count: number, withStore: boolean): Promise<void> {
  for (const table of ['people_jsonb', 'people_json', 'n_people', ...(withStore ? ['people'] : [])]) {
    await admin.query(`TRUNCATE ${table} CASCADE`);
  }
  const BATCH = 2_000;
  for (let start = 0; start < count; start += BATCH) {
    const keys: string[] = [];
    const docs: string[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      keys.push(keyOf(i));
      docs.push(JSON.stringify(personData(i)));
    }
    await admin.query(
      'INSERT INTO people_jsonb (person_key, data) SELECT * FROM unnest($1::text[], $2::jsonb[])',
      [keys, docs],
    );
    await admin.query(
      'INSERT INTO people_json (person_key, data) SELECT * FROM unnest($1::text[], $2::json[])',
      [keys, docs],
    );
  }
  if (withStore)
    await admin.query('INSERT INTO people (person_key, data) SELECT person_key, data FROM people_jsonb');
  await admin.query('INSERT INTO n_people (person_key) SELECT person_key FROM people_jsonb');
  await admin.query(`
    INSERT INTO n_ratings
    SELECT p.person_key, f.key, c.key, CASE WHEN c.value->>'value' = 'na' THEN 0 ELSE (c.value->>'value')::smallint END,
           (c.value->>'at')::timestamptz, c.value->>'frameworkVersion'
    FROM people_jsonb p, jsonb_each(p.data->'ratings') f, jsonb_each(f.value) c`);
  await admin.query(`
    INSERT INTO n_drafts
    SELECT p.person_key, d.key, d.value->>'sessionId', d.value->>'frameworkVersion', d.value->>'levelId',
           (d.value->>'position')::int, d.value->>'status', (d.value->>'startedAt')::timestamptz, (d.value->>'updatedAt')::timestamptz
    FROM people_jsonb p, jsonb_each(p.data->'drafts') d`);
  await admin.query(`
    INSERT INTO n_assessments
    SELECT p.person_key, a.seq - 1, a.value->>'id', a.value->>'frameworkId', a.value->>'frameworkVersion',
           a.value->>'roleName', a.value->>'domainName', a.value->>'levelId', a.value->>'levelName',
           a.value->>'nextLevelName', (a.value->>'finishedAt')::timestamptz
    FROM people_jsonb p, jsonb_array_elements(p.data->'history') WITH ORDINALITY a(value, seq)`);
  await admin.query(`
    INSERT INTO n_assessment_competencies
    SELECT p.person_key, a.seq - 1, c.position - 1, c.value->>'id', c.value->>'name', c.value->>'category',
           c.value->>'tier', (c.value->>'expected')::smallint, (c.value->>'nextExpected')::smallint,
           CASE WHEN c.value->>'rating' = 'na' THEN 0 ELSE (c.value->>'rating')::smallint END
    FROM people_jsonb p, jsonb_array_elements(p.data->'history') WITH ORDINALITY a(value, seq),
         jsonb_array_elements(a.value->'competencies') WITH ORDINALITY c(value, position)`);
  await admin.query('VACUUM ANALYZE');
}

// ---------------------------------------------------------------------------------------------
// Measuring

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

async function latencies(
  times: number,
  work: (i: number) => Promise<unknown>,
): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 50; i++) await work(times + i); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await work(i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99) };
}

async function wallTime(work: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

type Row = { size: number; model: string; figures: Record<string, number> };

async function measure(models: Model[], admin: pg.Pool, size: number): Promise<Row[]> {
  // Everyone touches the same people in each model, picked spread over the whole table.
  const pick = (i: number) => keyOf(((i * 7_919 + size / 3) % size) | 0);
  const rows = new Map(
    models.map((m) => [m.name, { size, model: m.name, figures: {} as Record<string, number> }]),
  );
  const record = (model: Model, name: string, value: number) => {
    const row = rows.get(model.name);
    if (row) row.figures[name] = value;
  };

  for (const model of models) {
    const { p50, p99 } = await latencies(SEQUENTIAL, (i) => model.update(pick(i), click(i)));
    record(model, 'update p50 ms', p50);
    record(model, 'update p99 ms', p99);
  }
  for (const model of models) {
    const { p50, p99 } = await latencies(SEQUENTIAL, (i) => model.get(pick(i + 17)));
    record(model, 'get p50 ms', p50);
    record(model, 'get p99 ms', p99);
  }
  for (const model of models) {
    const { p50 } = await latencies(200, (i) => model.update(pick(i + 31), finish(i)));
    record(model, 'finish p50 ms', p50);
  }
  // 1,000 different people at once, three rounds each; the median round counts.
  for (const model of models) {
    const rounds: number[] = [];
    for (let round = 0; round < 3; round++) {
      rounds.push(
        await wallTime(() =>
          Promise.all(
            Array.from({ length: CONCURRENT }, (_, i) =>
              model.update(keyOf((i * 97 + round * 13) % size), click(i)),
            ),
          ),
        ),
      );
    }
    rounds.sort((a, b) => a - b);
    record(model, `${CONCURRENT} concurrent ms`, rounds[1] ?? Number.NaN);
  }
  // size() and GET /healthz count the people.
  for (const model of models) {
    const table = model.tables[0] ?? 'people';
    const { p50 } = await latencies(20, () => admin.query(`SELECT count(*) FROM ${table}`));
    record(model, 'count people ms', p50);
  }
  for (const model of models) {
    const { rows: sizes } = await admin.query<{ bytes: string }>(
      'SELECT sum(pg_total_relation_size(t))::bigint AS bytes FROM unnest($1::regclass[]) t',
      [model.tables],
    );
    record(model, 'table MB', Number(sizes[0]?.bytes ?? 0) / 1024 / 1024);
  }
  return [...rows.values()];
}

// ---------------------------------------------------------------------------------------------

const scratch = `competency_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
const adminUrl = new URL(SERVER);
const serverPool = new pg.Pool({ connectionString: SERVER, max: 1 });
await serverPool.query(`CREATE DATABASE ${pg.escapeIdentifier(scratch)}`);
adminUrl.pathname = `/${scratch}`;
const url = adminUrl.href;
const dropScratch = async () => {
  await serverPool.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(scratch)} WITH (FORCE)`);
  await serverPool.end();
};
process.once('SIGINT', () => {
  void dropScratch().finally(() => process.exit(130));
});

try {
  const store = await openPostgresStore(url, { poolSize: POOL, applicationName: 'bench-store-model' });
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const pool = new pg.Pool({ connectionString: url, max: POOL });
  const jsonb = documentModel(pool, 'jsonb');
  const json = documentModel(pool, 'json');
  await admin.query(jsonb.schema);
  await admin.query(json.schema);
  await admin.query(NORMALISED_SCHEMA);
  const models = [jsonb, json, normalisedModel(pool), storeModel(store)];

  // The models must agree before their figures mean anything.
  await seed(admin, 50, true);
  for (let i = 0; i < 50; i++) {
    const person = keyOf(i);
    for (const model of models) await model.update(person, i % 2 ? click(i) : finish(i));
    const [first, ...others] = await Promise.all(models.map((m) => m.get(person)));
    for (const [j, other] of others.entries()) {
      if (!isDeepStrictEqual(first, other))
        throw new Error(
          `${models[j + 1]?.name} does not read back what ${models[0]?.name} does for ${person}`,
        );
    }
  }

  const all: Row[] = [];
  for (const size of SIZES) {
    const t0 = performance.now();
    await seed(admin, size, true);
    console.log(
      `seeded ${size.toLocaleString('en')} people in every model (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
    const rows = await measure(models, admin, size);
    all.push(...rows);
    console.table(
      Object.fromEntries(
        rows.map((row) => [
          row.model,
          Object.fromEntries(Object.entries(row.figures).map(([k, v]) => [k, Number(v.toFixed(2))])),
        ]),
      ),
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(personData(1)));
  console.log(
    `one person's document: ${bytes} bytes of JSON (${FINISHED_PER_PERSON} finished assessments, 8 ratings, a draft)`,
  );
  if (args.out)
    await writeFile(
      args.out,
      `${JSON.stringify({ date: new Date().toISOString(), pool: POOL, rows: all }, null, 2)}\n`,
    );

  await store.close();
  await admin.end();
  await pool.end();
} finally {
  await dropScratch();
}
