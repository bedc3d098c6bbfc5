import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { AssessmentRecord, PersonData, RatingValue } from '../../../src/model/records.js';
import { openFileStore } from '../../../src/store/file/open.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { openPostgresStore } from '../../../src/store/postgres/open.js';
import type { Store, StoreKind } from '../../../src/store/store.js';
import { SEED_COMPETENCIES } from '../../fixtures/seed-facts.js';
import { AT, createTestDatabase, makeTempDir, rate, type TestDatabase, withClient } from '../helpers.js';

/**
 * The Store contract (src/store/store.ts), the same tests for every implementation: memory, the
 * lowdb file in a temp folder, and PostgreSQL in a database of the test file's own on the real
 * server. The tests are in this folder, one file per topic; each file runs them on every store:
 *
 * ```ts
 * describe.each(implementations())('Store contract: $kind', (implementation) => {
 *   let store: Store;
 *   const open = openStoreForEachTest(implementation, (opened) => {
 *     store = opened;
 *   });
 *   it('…', async () => { … });
 * });
 * ```
 */

type Place = {
  /** Opens a store on this test's data; called again after close, it opens the same data. */
  open: () => Promise<Store>;
  remove: () => Promise<void>;
};

type Implementation = {
  kind: StoreKind;
  /** Whether the data outlives the store object (everything but memory). */
  durable: boolean;
  setUp?: () => Promise<void>;
  tearDown?: () => Promise<void>;
  /** An empty place for one test. */
  place: () => Promise<Place>;
};

/**
 * The implementations, made afresh for each test file (a worker keeps this module for the files it
 * runs next: vitest.config.ts, `isolate: false`), so that each file's PostgreSQL database is its own.
 */
export function implementations(): Implementation[] {
  const memory: Implementation = {
    kind: 'memory',
    durable: false,
    place: async () => ({ open: async () => new MemoryStore(), remove: async () => {} }),
  };

  const lowdb: Implementation = {
    kind: 'lowdb',
    durable: true,
    place: async () => {
      const { dir, remove } = await makeTempDir();
      return { open: () => openFileStore(dir), remove };
    },
  };

  let database: TestDatabase | undefined;
  const postgres: Implementation = {
    kind: 'postgres',
    durable: true,
    setUp: async () => {
      database = await createTestDatabase('contract');
      // The first open creates the schema; each test then starts from empty tables.
      await (await openPostgresStore(database.url)).close();
    },
    tearDown: async () => {
      await database?.drop();
    },
    place: async () => {
      const url = database?.url;
      if (url === undefined) throw new Error('no test database');
      await withClient(url, async (client) => {
        const { rows } = await client.query<{ name: string }>(
          "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'pgmigrations'",
        );
        await client.query(`TRUNCATE ${rows.map((row) => row.name).join(', ')} CASCADE`);
      });
      return { open: () => openPostgresStore(url), remove: async () => {} };
    },
  };

  return [memory, lowdb, postgres];
}

/**
 * Call in the body of `describe.each(implementations())`: the implementation is set up before the
 * first test of the describe and torn down after the last; each test gets an empty place and a store
 * opened on it (handed to `use`), and after the test every store opened on it is closed and the
 * place removed. Returns `open`, which opens another store on the test's place (after a close, say).
 */
export function openStoreForEachTest(
  implementation: Implementation,
  use: (store: Store) => void,
): () => Promise<Store> {
  let place: Place;
  let opened: Store[] = [];

  const open = async () => {
    const s = await place.open();
    opened.push(s);
    return s;
  };

  beforeAll(async () => {
    await implementation.setUp?.();
  });
  afterAll(async () => {
    await implementation.tearDown?.();
  });
  beforeEach(async () => {
    place = await implementation.place();
    use(await open());
  });
  afterEach(async () => {
    for (const s of opened) await s.close();
    opened = [];
    await place.remove();
  });

  return open;
}

export const FRAMEWORK = 'solutions-architect.e-commerce';

export const draft = (position: number): PersonData['drafts'][string] => ({
  sessionId: 's1',
  frameworkId: FRAMEWORK,
  frameworkVersion: '1',
  levelId: 'senior',
  position,
  status: 'rating',
  startedAt: AT,
  updatedAt: AT,
});

export const finished = (id: string): AssessmentRecord => ({
  id,
  frameworkId: FRAMEWORK,
  frameworkVersion: '1',
  roleName: 'Solutions Architect',
  domainName: 'E-commerce',
  levelId: 'senior',
  levelName: 'Senior',
  nextLevelName: 'Lead-Principal',
  finishedAt: AT,
  competencies: SEED_COMPETENCIES.map(([name, category, tier, , senior, lead], i) => ({
    id: `c${i}`,
    name,
    category,
    tier,
    expected: senior,
    nextExpected: lead,
    rating: i === 7 ? null : (((i % 5) + 1) as RatingValue),
  })),
});

/** Someone half way through their second assessment: 8 ratings, a draft, one finished assessment (10 records). */
export function somebody(data: PersonData): void {
  data.ratings[FRAMEWORK] = {};
  SEED_COMPETENCIES.forEach((_, i) => {
    rate(FRAMEWORK, `c${i}`, i === 3 ? 'na' : (((i % 5) + 1) as RatingValue))(data);
  });
  data.drafts[FRAMEWORK] = draft(3);
  data.history.push(finished('first'));
}

/** One step further in the draft: a counter that loses steps if any update is lost. */
export function step(data: PersonData): number {
  const current = data.drafts[FRAMEWORK] ?? draft(0);
  current.position += 1;
  data.drafts[FRAMEWORK] = current;
  return current.position;
}
