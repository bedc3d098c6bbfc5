import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countRecords } from '../../src/model/records.js';
import { type FileStore as LowdbStore, openFileStore } from '../../src/store/file/open.js';
import { checkDataFile } from '../../src/store/schema.js';
import { NotSavedError } from '../../src/store/store.js';
import { AT, makeTempDir, peopleOnDisk, rate } from './helpers.js';

let dir: string;
let remove: () => Promise<void>;
let store: LowdbStore | undefined;

beforeEach(async () => {
  ({ dir, remove } = await makeTempDir());
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  await remove();
});

const dataFile = () => path.join(dir, 'competency-data.json');

describe('LowdbStore: reading and writing the file', () => {
  it('starts empty when the folder and file do not exist yet, and creates the folder', async () => {
    const nested = path.join(dir, 'a', 'b');
    store = await openFileStore(nested);
    expect(store.location).toBe(path.join(nested, 'competency-data.json'));
    expect(await store.size()).toBe(0);
    expect((await readdir(nested)).sort()).toEqual(['competency.lock', 'competency.lock-owner.json']);
  });

  it('round trip: what was written is there after close and reopen, as compact valid JSON', async () => {
    store = await openFileStore(dir);
    await store.update('T1:U1', rate('sa-ecom', 'architecture', 4));
    await store.update('T1:U1', (data) => {
      data.drafts['sa-ecom'] = {
        sessionId: 's1',
        frameworkId: 'sa-ecom',
        frameworkVersion: '1',
        levelId: 'senior',
        position: 8,
        status: 'finished',
        startedAt: AT,
        updatedAt: AT,
      };
      data.history.push({
        id: 's1',
        frameworkId: 'sa-ecom',
        frameworkVersion: '1',
        roleName: 'Solutions Architect',
        domainName: 'E-commerce',
        levelId: 'senior',
        levelName: 'Senior',
        nextLevelName: null,
        finishedAt: AT,
        competencies: [
          {
            id: 'architecture',
            name: 'Architecture',
            category: 'Technical',
            tier: 'primary',
            expected: 4,
            nextExpected: null,
            rating: 'na',
          },
        ],
      });
    });
    await store.update('T2:U9', rate('sa-ecom', 'communication', 'na'));
    const before = {
      a: structuredClone(await store.get('T1:U1')),
      b: structuredClone(await store.get('T2:U9')),
    };
    await store.close();

    const text = await readFile(dataFile(), 'utf8');
    expect(text).not.toMatch(/\n|\s{2}/);
    expect(text).toBe(JSON.stringify(JSON.parse(text)));
    expect(checkDataFile(JSON.parse(text)).ok).toBe(true);

    store = await openFileStore(dir);
    expect(await store.size()).toBe(2);
    expect(await store.get('T1:U1')).toEqual(before.a);
    expect(await store.get('T2:U9')).toEqual(before.b);
    expect(countRecords(await store.get('T1:U1'))).toBe(3);
  });

  it('resolves update only once the change is on disk', async () => {
    let resolved = false;
    let seenDuringWrite: boolean | undefined;
    store = await openFileStore(dir, {
      hooks: {
        afterTempWrite: () => {
          seenDuringWrite = resolved;
        },
      },
    });
    const result = await store
      .update('T1:U1', (data) => {
        rate('f', 'c', 3)(data);
        return 'done';
      })
      .then((r) => {
        resolved = true;
        return r;
      });
    expect(result).toBe('done');
    expect(seenDuringWrite).toBe(false);
    expect((await peopleOnDisk(dir))['T1:U1']?.ratings.f?.c?.value).toBe(3);
  });

  it('writing the same rating twice keeps one record', async () => {
    store = await openFileStore(dir);
    await store.update('T1:U1', rate('f', 'c', 2));
    await store.update('T1:U1', rate('f', 'c', 2));
    expect(countRecords(await store.get('T1:U1'))).toBe(1);
    const person = (await peopleOnDisk(dir))['T1:U1'];
    expect(person && countRecords(person)).toBe(1);
  });

  it('forget removes the person durably and says how many records went', async () => {
    store = await openFileStore(dir);
    await store.update('T1:U1', rate('f', 'a', 1));
    await store.update('T1:U1', rate('f', 'b', 5));
    await store.update('T1:U2', rate('f', 'a', 3));
    expect(await store.forget('T1:U1')).toBe(2);
    expect(await store.forget('T1:U1')).toBe(0);
    expect(await store.size()).toBe(1);
    expect(Object.keys(await peopleOnDisk(dir))).toEqual(['T1:U2']);
  });

  it('gives an empty person for someone new, which cannot be changed into the store by accident', async () => {
    store = await openFileStore(dir);
    const empty = await store.get('T1:NEW');
    expect(empty).toEqual({ ratings: {}, drafts: {}, history: [] });
    expect(() => {
      empty.ratings.f = {};
    }).toThrow(TypeError);
    expect(() => {
      (empty.history as unknown[]).push(1);
    }).toThrow(TypeError);
    expect(await store.size()).toBe(0);
    expect(await store.get('T1:OTHER')).toEqual({ ratings: {}, drafts: {}, history: [] });
    // update still starts from a copy it can change
    await store.update('T1:NEW', rate('f', 'c', 1));
    expect(await store.size()).toBe(1);
  });

  it('handles any person key, even one named like an Object property', async () => {
    store = await openFileStore(dir);
    await store.update('__proto__', rate('f', 'c', 1));
    await store.update('constructor', rate('f', 'c', 2));
    expect(await store.size()).toBe(2);
    await store.close();
    store = await openFileStore(dir);
    expect((await store.get('__proto__')).ratings.f?.c?.value).toBe(1);
    expect((await store.get('constructor')).ratings.f?.c?.value).toBe(2);
    expect(await store.get('toString')).toEqual({ ratings: {}, drafts: {}, history: [] });
  });
});

describe('LowdbStore: group commit', () => {
  it('writes exactly what JSON.stringify would, though it serialises only the people who changed', async () => {
    store = await openFileStore(dir);
    const s = store;
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          s.update(`T1:U${(i * 7 + round) % 50}`, rate('f', `c${round}`, ((i % 5) + 1) as 1 | 2 | 3 | 4 | 5)),
        ),
      );
      await s.forget(`T1:U${round * 3}`);
      const text = await readFile(dataFile(), 'utf8');
      const expected: Record<string, unknown> = {};
      for (const key of Object.keys(JSON.parse(text).people)) expected[key] = await s.get(key);
      expect(text).toBe(JSON.stringify({ formatVersion: 1, people: expected }));
      expect(Object.keys(expected)).not.toContain(`T1:U${round * 3}`);
    }
  });
  it('1,000 concurrent updates across 200 people: all land on disk in far fewer writes', async () => {
    store = await openFileStore(dir);
    const s = store;
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        s.update(`T1:U${i % 200}`, (data) => {
          rate('f', `c${Math.floor(i / 200)}`, ((i % 5) + 1) as 1 | 2 | 3 | 4 | 5)(data);
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(await store.size()).toBe(200);
    expect(store.flushCount).toBeLessThan(50);
    const people = await peopleOnDisk(dir);
    expect(Object.keys(people)).toHaveLength(200);
    for (let i = 0; i < 1000; i++) {
      expect(people[`T1:U${i % 200}`]?.ratings.f?.[`c${Math.floor(i / 200)}`]?.value).toBe((i % 5) + 1);
    }
  });

  it('changes made while a write runs go into the next one; writes never overlap', async () => {
    // Each write is held once its temp file is written, until the test lets it go on.
    const held: (() => void)[] = [];
    let holding = true;
    let active = 0;
    let mostAtOnce = 0;
    store = await openFileStore(dir, {
      hooks: {
        afterTempWrite: async () => {
          active++;
          mostAtOnce = Math.max(mostAtOnce, active);
          if (holding) await new Promise<void>((resolve) => held.push(resolve));
          active--;
        },
      },
    });
    const s = store;
    const confirmed: number[] = [];
    const change = (round: number, i: number) =>
      s.update(`T1:U${i}`, rate('f', `c${round}`, 3)).then(() => {
        confirmed.push(round);
      });
    try {
      const first = Array.from({ length: 10 }, (_, i) => change(0, i));
      await expect.poll(() => held.length).toBe(1);
      // While the first write is under way: 19 more rounds of changes of the same people.
      const later: Promise<void>[] = [];
      for (let round = 1; round < 20; round++) {
        for (let i = 0; i < 10; i++) later.push(change(round, i));
      }
      // A write started now, beside the held one, would reach the hook within the time a whole
      // write takes: a store of another folder makes one (more work than reaching the hook) first.
      const other = await makeTempDir();
      try {
        const yardstick = await openFileStore(other.dir);
        await yardstick.update('T1:U1', rate('f', 'c', 1));
        await yardstick.close();
      } finally {
        await other.remove();
      }
      expect(held.length, 'writes begun while the first is under way').toBe(1);
      held[0]?.();
      await Promise.all(first);
      // The first write confirmed only what it took; the rest waits for the next write.
      expect(confirmed).toEqual(Array.from({ length: 10 }, () => 0));
      await expect.poll(() => held.length).toBe(2);
      // The second write began only after the first had ended.
      expect(active).toBe(1);
      held[1]?.();
      await Promise.all(later);
    } finally {
      holding = false;
      for (const release of held) release();
    }
    expect(mostAtOnce).toBe(1);
    // All 190 later changes went into one write.
    expect(store.flushCount).toBe(2);
    expect(confirmed).toHaveLength(200);
    const people = await peopleOnDisk(dir);
    for (let i = 0; i < 10; i++) expect(Object.keys(people[`T1:U${i}`]?.ratings.f ?? {})).toHaveLength(20);
  });

  it('a change that throws rejects and changes nothing; others in the same write still land', async () => {
    store = await openFileStore(dir);
    await store.update('T1:U1', rate('f', 'c', 1));
    const flushesBefore = store.flushCount;

    const outcomes = await Promise.allSettled([
      store.update('T1:U2', rate('f', 'c', 2)),
      store.update('T1:U1', (data) => {
        rate('f', 'c', 5)(data); // changed the copy, then failed: the copy must be thrown away
        throw new Error('no such level');
      }),
      store.update('T1:NEW', () => {
        throw new Error('nope');
      }),
      store.update('T1:U3', rate('f', 'c', 3)),
    ]);

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: new Error('no such level') });
    expect((await store.get('T1:U1')).ratings.f?.c?.value).toBe(1);
    expect(await store.size()).toBe(3);
    expect(store.flushCount).toBe(flushesBefore + 1);
    const people = await peopleOnDisk(dir);
    expect(people['T1:U1']?.ratings.f?.c?.value).toBe(1);
    expect(people['T1:U2']?.ratings.f?.c?.value).toBe(2);
    expect(people['T1:U3']?.ratings.f?.c?.value).toBe(3);
    expect(people['T1:NEW']).toBeUndefined();
  });
});

// After a failed write: see write-failures.test.ts.

describe('LowdbStore: close', () => {
  it('writes pending changes, releases the lock, is idempotent, and refuses changes afterwards', async () => {
    store = await openFileStore(dir);
    const pending = store.update('T1:U1', rate('f', 'c', 4));
    const closed = Promise.all([store.close(), store.close()]);
    await pending;
    await closed;
    await store.close();
    expect((await peopleOnDisk(dir))['T1:U1']?.ratings.f?.c?.value).toBe(4);
    expect(await readdir(dir)).toEqual(['competency-data.json']);
    await expect(store.update('T1:U1', rate('f', 'c', 1))).rejects.toThrow(NotSavedError);
    await expect(store.update('T1:U1', rate('f', 'c', 1))).rejects.toThrow(/is closed/);
    await expect(store.forget('T1:U1')).rejects.toThrow(/is closed/);
    // Reading still works after close.
    expect((await store.get('T1:U1')).ratings.f?.c?.value).toBe(4);
  });

  it('refuses a second open of the same folder in the same process', async () => {
    store = await openFileStore(dir);
    await expect(openFileStore(dir)).rejects.toThrow(/already open in this process/);
  });
});

describe('LowdbStore: writing the file in pieces', () => {
  it('after a short write, goes on from exactly the next byte', async () => {
    const { remaining } = await import('../../src/store/file/durable-file.js');
    const pieces = ['ab', 'cde', 'f'].map((p) => Buffer.from(p));
    for (let done = 0; done <= 6; done++) {
      expect(Buffer.concat(remaining(pieces, done)).toString()).toBe('abcdef'.slice(done));
    }
  });
});
