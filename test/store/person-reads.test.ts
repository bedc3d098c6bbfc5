import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PersonData } from '../../src/model/records.js';
import { openPostgresStore } from '../../src/store/postgres/open.js';
import { PersonReads } from '../../src/store/postgres/person-reads.js';
import { draft, FRAMEWORK } from './contract/support.js';
import { createTestDatabase, type TestDatabase } from './helpers.js';

/**
 * The reads of one person's row (every command's page) on PostgreSQL: alone, a read goes at once;
 * asked for together, or while every statement is on its way, reads go in one statement, each
 * answered with its own person's row.
 */

let database: TestDatabase;
let pool: pg.Pool;

/** A person who has got `position` competencies into a run. */
const at = (position: number) => (data: PersonData) => {
  data.drafts[FRAMEWORK] = draft(position);
};
const positionOf = (data: PersonData | undefined) => data?.drafts[FRAMEWORK]?.position;

beforeAll(async () => {
  database = await createTestDatabase('person-reads');
  const store = await openPostgresStore(database.url);
  await store.update('T1:A', at(1));
  await store.update('T1:B', at(2));
  await store.update('T1:C', at(3));
  await store.close();
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

afterEach(() => {
  vi.restoreAllMocks();
});

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('PersonReads', () => {
  it('a read alone goes at once, in a statement of its own; someone with no row reads as undefined', async () => {
    const reads = new PersonReads(pool, 1);
    const query = vi.spyOn(pool, 'query');
    expect(positionOf(await reads.read('T1:A'))).toBe(1);
    expect(await reads.read('T1:nobody')).toBeUndefined();
    expect(query).toHaveBeenCalledTimes(2);
  });

  it('reads asked for together go in one statement, each answered with its own person', async () => {
    const reads = new PersonReads(pool, 1);
    const query = vi.spyOn(pool, 'query');
    const answers = await Promise.all(
      ['T1:A', 'T1:B', 'T1:C', 'T1:B', 'T1:nobody'].map((person) => reads.read(person)),
    );
    expect(answers.map(positionOf)).toEqual([1, 2, 3, 2, undefined]);
    // One statement, B asked for once.
    expect(query).toHaveBeenCalledTimes(1);
    expect(query.mock.calls[0]?.[0]).toMatchObject({ values: [['T1:A', 'T1:B', 'T1:C', 'T1:nobody']] });
  });

  it('reads asked for while every statement is on its way wait for one to come back, then go together', async () => {
    const reads = new PersonReads(pool, 1);
    const query = vi.spyOn(pool, 'query');
    const first = reads.read('T1:A');
    await expect.poll(() => query.mock.calls.length).toBe(1);
    const rest = ['T1:B', 'T1:C'].map((person) => reads.read(person));
    expect(positionOf(await first)).toBe(1);
    expect((await Promise.all(rest)).map(positionOf)).toEqual([2, 3]);
    expect(query).toHaveBeenCalledTimes(2);
    expect(query.mock.calls[1]?.[0]).toMatchObject({ values: [['T1:B', 'T1:C']] });
  });

  it('as many statements on their way as allowed, and at most 100 people in one', async () => {
    const reads = new PersonReads(pool, 2);
    const query = vi.spyOn(pool, 'query');
    const people = Array.from({ length: 250 }, (_, i) => (i === 249 ? 'T1:C' : `T1:N${i}`));
    const answers = await Promise.all(people.map((person) => reads.read(person)));
    expect(answers.filter((a) => a !== undefined).map(positionOf)).toEqual([3]);
    const sizes = query.mock.calls.map(([config]) => {
      const values = (config as unknown as { values: unknown[] }).values[0];
      return Array.isArray(values) ? values.length : 1;
    });
    expect(sizes).toEqual([100, 100, 50]);
  });

  it('a statement that fails fails every read it carried, and only those', async () => {
    const reads = new PersonReads(pool, 1);
    const query = vi.spyOn(pool, 'query');
    const first = reads.read('T1:A');
    await expect.poll(() => query.mock.calls.length).toBe(1);
    // PostgreSQL refuses text with a NUL character: the statement that carries this key fails.
    const [withBad, bad] = [reads.read('T1:B'), reads.read('T1:\u0000')];
    expect(positionOf(await first)).toBe(1);
    await expect(withBad).rejects.toThrow(/0x00/);
    await expect(bad).rejects.toThrow(/0x00/);
    expect(positionOf(await reads.read('T1:C'))).toBe(3);
  });

  it('the store reads many people at once through one connection, each their own', async () => {
    const store = await openPostgresStore(database.url, { readPoolSize: 1 });
    try {
      const people = ['T1:C', 'T1:nobody', 'T1:A', 'T1:B', 'T1:A'];
      const answers = await Promise.all(people.map((person) => store.get(person)));
      expect(answers.map(positionOf)).toEqual([3, undefined, 1, 2, 1]);
      expect(answers[1]).toEqual({ ratings: {}, drafts: {}, history: [] });
    } finally {
      await store.close();
    }
  });
});
