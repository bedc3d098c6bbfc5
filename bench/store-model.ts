import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import pg from 'pg';
import { snapshotOf } from '../src/assessments/assessments.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../src/frameworks/loader.js';
import type { Framework } from '../src/frameworks/schema.js';
import { emptyPerson, type PersonData, type RatingValue, type StoredRating } from '../src/model/records.js';
import { openPostgresStore } from '../src/store/postgres/open.js';
import {
  documentModel,
  type Model,
  NORMALISED_SCHEMA,
  normalisedModel,
  storeModel,
} from './store-model/models.js';

/**
 * Which data model the PostgreSQL store should use, measured side by side in one run on one
 * scratch database (dropped at the end):
 * - one document per person, as jsonb and as json (one row: key, data, version);
 * - normalised tables: people, ratings, drafts, assessments, assessment_competencies;
 * - and the store as built (src/store/postgres/), for what the app itself gets.
 * Every model does what the store's `update` does: lock the person, read them whole, run the change
 * on a copy, check it against the data file's format, and write only what changed, in one transaction
 * (the models are in bench/store-model/models.ts).
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
