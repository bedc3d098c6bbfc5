import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, readFile, unlink } from 'node:fs/promises';
import pg from 'pg';
import { snapshotOf } from '../src/assessments/assessments.js';
import type { Framework } from '../src/frameworks/schema.js';
import type { PersonKey } from '../src/model/person.js';
import type { PersonData, RatingValue } from '../src/model/records.js';
import { openPostgresStore } from '../src/store/postgres/open.js';
import { FORMAT_VERSION, type StoreData } from '../src/store/schema.js';

/**
 * The people of a store as the app would have them after a while in a large workspace: people who
 * rated every competency and finished an assessment, and people half way through (at the first
 * competency), ready to click a rating. The same people go into a lowdb data file or into
 * PostgreSQL's `people` table, so both stores are measured on the same data.
 */

const TEAM_ID = 'T0LOCAL0001';
export const LEVEL_ID = 'senior';

export type Rater = { userId: string; sessionId: string };

/** `total` people in all, the last `raters` of them half way through a run. */
export type Population = { total: number; raters: number };

const userId = (prefix: string, i: number) => `U${prefix}${String(i).padStart(8, '0')}`;
export const personKey = (userId: string): PersonKey => `${TEAM_ID}:${userId}`;

function levelOf(framework: Framework) {
  const level = framework.levels.find((l) => l.id === LEVEL_ID);
  if (!level) throw new Error(`${framework.id} has no level ${LEVEL_ID}`);
  return level;
}

/** The i-th person who rated every competency and finished (one assessment in their history). */
function finishedPerson(framework: Framework, i: number, at: string): [PersonKey, PersonData] {
  const level = levelOf(framework);
  const sessionId = `f${i.toString(36)}`;
  const ratings: PersonData['ratings'][string] = {};
  framework.competencies.forEach((c, j) => {
    ratings[c.id] = { value: (((i + j) % 5) + 1) as RatingValue, at, frameworkVersion: framework.version };
  });
  const person: PersonData = {
    ratings: { [framework.id]: ratings },
    drafts: {
      [framework.id]: {
        sessionId,
        frameworkId: framework.id,
        frameworkVersion: framework.version,
        levelId: level.id,
        position: framework.competencies.length,
        status: 'finished',
        startedAt: at,
        updatedAt: at,
      },
    },
    history: [],
  };
  // The same snapshot the app records when someone finishes.
  person.history.push(snapshotOf(framework, level, person, sessionId, at));
  return [personKey(userId('F', i)), person];
}

function rater(i: number): Rater {
  return { userId: userId('R', i), sessionId: `r${i.toString(36)}` };
}

/** A rater as they are before they click: a run in progress, at the first competency, nothing rated yet. */
function raterPerson(framework: Framework, r: Rater, at: string): [PersonKey, PersonData] {
  return [
    personKey(r.userId),
    {
      ratings: {},
      drafts: {
        [framework.id]: {
          sessionId: r.sessionId,
          frameworkId: framework.id,
          frameworkVersion: framework.version,
          levelId: levelOf(framework).id,
          position: 0,
          status: 'rating',
          startedAt: at,
          updatedAt: at,
        },
      },
      history: [],
    },
  ];
}

/** Every person of the population, finished people first, then the raters. */
function* peopleOf(
  framework: Framework,
  population: Population,
  at: string,
): Generator<[PersonKey, PersonData]> {
  for (let i = 0; i < population.total - population.raters; i++) yield finishedPerson(framework, i, at);
  for (let i = 0; i < population.raters; i++) yield raterPerson(framework, rater(i), at);
}

export function ratersOf(population: Population): Rater[] {
  return Array.from({ length: population.raters }, (_, i) => rater(i));
}

/** A data file of the whole population (compact JSON, as the store writes it), written a person at a time. */
export async function writeDataFile(file: string, framework: Framework, population: Population, at: string) {
  const out = createWriteStream(file, { mode: 0o600 });
  let bytes = 0;
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`{"formatVersion":${FORMAT_VERSION},"people":{`);
  let first = true;
  for (const [key, person] of peopleOf(framework, population, at)) {
    await write(`${first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(person)}`);
    first = false;
  }
  await write('}}');
  out.end();
  await once(out, 'close');
  return { bytes };
}

/**
 * What one flush of the store costs the disk at least, whatever the app does: the file's bytes
 * written to a new file and fsynced (median of 3). The app adds serialising whoever changed.
 */
export async function timeFileWrite(file: string): Promise<{ medianMs: number; timingsMs: number[] }> {
  const bytes = await readFile(file);
  const scratch = `${file}.bench-write`;
  const timingsMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const handle = await open(scratch, 'w', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    timingsMs.push(performance.now() - t0);
  }
  await unlink(scratch);
  return { medianMs: [...timingsMs].sort((a, b) => a - b)[1] ?? Number.NaN, timingsMs };
}

/**
 * The raters' data in the file as the app left it. The store keeps people in the order the file
 * had them (raters last, in the seeded file) and this run adds nobody, so only the tail of the
 * file from the first rater on is parsed: the bench need not hold the whole file in memory (a
 * 100,000-person file is ≈ 280 MB of JSON). Falls back to parsing everything if the order changed.
 */
export async function readRaters(file: string, raters: Rater[]): Promise<Map<PersonKey, PersonData>> {
  const bytes = await readFile(file);
  const first = raters[0];
  const at = first ? bytes.indexOf(`,${JSON.stringify(personKey(first.userId))}:`) : -1;
  let people: Record<PersonKey, PersonData> | undefined;
  if (at >= 0) {
    try {
      // `,"T…:UR…":{…},…}}` → `{"T…:UR…":{…},…}`
      people = JSON.parse(`{${bytes.subarray(at + 1, bytes.length - 1).toString('utf8')}`) as Record<
        PersonKey,
        PersonData
      >;
    } catch {
      people = undefined;
    }
  }
  people ??= (JSON.parse(bytes.toString('utf8')) as StoreData).people;
  return new Map(
    raters
      .map((r) => [personKey(r.userId), people[personKey(r.userId)]] as const)
      .filter((entry): entry is [PersonKey, PersonData] => entry[1] !== undefined),
  );
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: the app's own schema (its migrations), then the same people, in bulk

const BATCH = 2_000;

/** Rows of `[key, JSON]` in batches, in one multi-row INSERT each (unnest of two arrays). */
async function insertPeople(
  pool: pg.Pool,
  people: Iterable<[PersonKey, PersonData]>,
  { replace }: { replace: boolean },
): Promise<number> {
  const conflict = replace
    ? 'ON CONFLICT (person_key) DO UPDATE SET data = excluded.data, version = people.version + 1, updated_at = now()'
    : '';
  const sql = `INSERT INTO people (person_key, data) SELECT * FROM unnest($1::text[], $2::json[]) ${conflict}`;
  let keys: string[] = [];
  let docs: string[] = [];
  let count = 0;
  // Two batches in flight: the server stores one while this process encodes the next.
  const inFlight = new Set<Promise<void>>();
  const flush = async () => {
    if (keys.length === 0) return;
    const batch = pool.query(sql, [keys, docs]).then(() => {
      inFlight.delete(batch);
    });
    inFlight.add(batch);
    count += keys.length;
    keys = [];
    docs = [];
    if (inFlight.size >= 2) await Promise.race(inFlight);
  };
  for (const [key, person] of people) {
    keys.push(key);
    docs.push(JSON.stringify(person));
    if (keys.length >= BATCH) await flush();
  }
  await flush();
  await Promise.all(inFlight);
  return count;
}

/**
 * A PostgreSQL database holding the population, grown in steps (10,000 people, then 100,000: the
 * finished people are added, the raters are kept). The schema is the app's: its migrations run
 * first, through openPostgresStore, exactly as an instance of the app runs them at start.
 */
export class SeededDatabase {
  private finished = 0;
  private readonly pool: pg.Pool;

  private constructor(
    readonly url: string,
    private readonly framework: Framework,
    private readonly raters: number,
    private readonly at: string,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: 2, application_name: 'competency-bench-seed' });
  }

  static async open(url: string, framework: Framework, raters: number, at: string): Promise<SeededDatabase> {
    const store = await openPostgresStore(url, { applicationName: 'competency-bench-migrate' });
    await store.close();
    const db = new SeededDatabase(url, framework, raters, at);
    await insertPeople(
      db.pool,
      ratersOf({ total: raters, raters }).map((r) => raterPerson(framework, r, at)),
      {
        replace: false,
      },
    );
    return db;
  }

  /** Adds finished people until there are `total` people in all; returns how long it took (ms). */
  async growTo(total: number): Promise<number> {
    const t0 = performance.now();
    const want = total - this.raters;
    if (want < this.finished) throw new Error(`the database already holds more than ${total} people`);
    const framework = this.framework;
    const at = this.at;
    const from = this.finished;
    function* more(): Generator<[PersonKey, PersonData]> {
      for (let i = from; i < want; i++) yield finishedPerson(framework, i, at);
    }
    await insertPeople(this.pool, more(), { replace: false });
    this.finished = want;
    await this.pool.query('VACUUM ANALYZE people');
    return performance.now() - t0;
  }

  /** Puts every rater back where they were before they clicked (a run in progress, nothing rated). */
  async resetRaters(): Promise<void> {
    await insertPeople(
      this.pool,
      ratersOf({ total: this.raters, raters: this.raters }).map((r) =>
        raterPerson(this.framework, r, this.at),
      ),
      { replace: true },
    );
    await this.pool.query('VACUUM ANALYZE people');
  }

  async people(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM people');
    return rows[0]?.n ?? 0;
  }

  /** The stored data of these raters, by person key. */
  async ratersData(raters: Rater[]): Promise<Map<PersonKey, PersonData>> {
    const { rows } = await this.pool.query<{ person_key: string; data: PersonData }>(
      'SELECT person_key, data FROM people WHERE person_key = ANY($1::text[])',
      [raters.map((r) => personKey(r.userId))],
    );
    return new Map(rows.map((row) => [row.person_key, row.data]));
  }

  /** Size of the table with its TOAST and index, in bytes. */
  async tableBytes(): Promise<number> {
    const { rows } = await this.pool.query<{ bytes: string }>(
      "SELECT pg_total_relation_size('people')::bigint AS bytes",
    );
    return Number(rows[0]?.bytes ?? Number.NaN);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
