import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AssessmentRecord, PersonData } from '../../src/model/records.js';
import { type FileStore as LowdbStore, openFileStore } from '../../src/store/file/open.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { InvalidPersonDataError, NotSavedError, type Store } from '../../src/store/store.js';
import { AT, makeTempDir, rate } from './helpers.js';

/**
 * A change is checked against the data file's format before it replaces what is stored: data the
 * next start would refuse (an assessment without its expected level, say) never reaches the file.
 */

const record = (expected: unknown): AssessmentRecord => ({
  id: 's1',
  frameworkId: 'f',
  frameworkVersion: '1',
  roleName: 'Solutions Architect',
  domainName: 'E-commerce',
  levelId: 'constructor',
  levelName: 'Senior',
  nextLevelName: null,
  finishedAt: AT,
  competencies: [
    {
      id: 'architecture',
      name: 'Architecture',
      category: 'Technical',
      tier: 'primary',
      expected: expected as number,
      nextExpected: null,
      rating: 4,
    },
  ],
});

/** A finished assessment whose expected level was read through the prototype, or not at all. */
const badAssessments: [string, unknown][] = [
  ['missing', undefined],
  ['read through the prototype (a function)', Object],
];

let dir: string;
let remove: () => Promise<void>;
let lowdb: LowdbStore | undefined;

beforeEach(async () => {
  ({ dir, remove } = await makeTempDir());
});

afterEach(async () => {
  await lowdb?.close();
  lowdb = undefined;
  await remove();
});

async function expectRefused(store: Store, expected: unknown): Promise<void> {
  await store.update('T1:U1', rate('f', 'c', 3));
  const before = structuredClone(await store.get('T1:U1'));
  const refused = store.update('T1:U1', (data: PersonData) => {
    rate('f', 'd', 2)(data);
    data.history.push(record(expected));
  });
  await expect(refused).rejects.toBeInstanceOf(InvalidPersonDataError);
  await expect(refused).rejects.toBeInstanceOf(NotSavedError);
  await expect(refused).rejects.toThrow(/history\[0\]\.competencies\[0\]\.expected: /);
  // Nothing changed: not even the valid part of the same change.
  expect(await store.get('T1:U1')).toEqual(before);
}

describe('LowdbStore: a change that does not fit the data file is refused', () => {
  it.each(badAssessments)(
    'an expected level %s: refused, and the file still reads at the next open',
    async (_, expected) => {
      lowdb = await openFileStore(dir);
      await expectRefused(lowdb, expected);
      const writes = (await lowdb.health()).writes;
      await lowdb.close();
      expect((await lowdb.health()).writes).toBe(writes);

      lowdb = await openFileStore(dir);
      expect((await lowdb.get('T1:U1')).ratings.f?.c?.value).toBe(3);
      expect((await lowdb.get('T1:U1')).ratings.f?.d).toBeUndefined();
      expect((await lowdb.get('T1:U1')).history).toEqual([]);
    },
  );

  it('names every field that is wrong, in the data file’s words', async () => {
    lowdb = await openFileStore(dir);
    const error: unknown = await lowdb
      .update('T1:U1', (data) => {
        data.ratings.f = { c: { value: 7 as 1, at: 'yesterday', frameworkVersion: '1' } };
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidPersonDataError);
    expect((error as InvalidPersonDataError).issues).toEqual([
      'ratings["f"]["c"].value: expected 1–5 or "na", found 7',
      'ratings["f"]["c"].at: expected a date and time in ISO 8601, e.g. 2025-01-31T09:30:00.000Z, found "yesterday"',
    ]);
    expect((error as Error).message).toContain('Nothing was saved.');
    expect(await lowdb.size()).toBe(0);
  });
});

describe('MemoryStore: the same check', () => {
  it.each(badAssessments)('an expected level %s: refused, nothing changes', async (_, expected) => {
    await expectRefused(new MemoryStore(), expected);
  });
});
