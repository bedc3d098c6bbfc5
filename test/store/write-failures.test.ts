import { mkdir, readdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countRecords } from '../../src/model/records.js';
import { type FileStore as LowdbStore, openFileStore } from '../../src/store/file/open.js';
import { checkDataFile } from '../../src/store/schema.js';
import { NotSavedError } from '../../src/store/store.js';
import { makeTempDir, peopleOnDisk, rate, readJson } from './helpers.js';

/**
 * A write that fails (a full disk, a folder in the way) must leave memory exactly as the file is:
 * each person whose change was in that write goes back to what the file holds, their callers hear
 * "nothing was saved", and no later write by someone else carries the failed change to disk.
 */

let dir: string;
let remove: () => Promise<void>;
let store: LowdbStore | undefined;

beforeEach(async () => {
  ({ dir, remove } = await makeTempDir());
});

afterEach(async () => {
  await store?.close().catch(() => {});
  store = undefined;
  await remove();
});

const dataFile = () => path.join(dir, 'competency-data.json');

/** What a full disk says. */
const enospc = () =>
  Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28 });

/** A store whose next writes fail while `disk.full` is true (the fault comes after the temp file is written). */
async function openWithDisk(): Promise<{ store: LowdbStore; disk: { full: boolean } }> {
  const disk = { full: false };
  const s = await openFileStore(dir, {
    hooks: {
      afterTempWrite: () => {
        if (disk.full) throw enospc();
      },
    },
  });
  return { store: s, disk };
}

/** Every person in memory is exactly as in the file, and no one is in one but not the other. */
async function expectMemoryEqualsFile(s: LowdbStore, keys: string[]): Promise<void> {
  const people = await peopleOnDisk(dir);
  for (const key of keys) {
    expect(await s.get(key), `person ${key}`).toEqual(
      people[key] ?? { ratings: {}, drafts: {}, history: [] },
    );
  }
  expect(await s.size()).toBe(Object.keys(people).length);
}

describe('LowdbStore: after a failed write, memory equals what is on disk', () => {
  it('a team view kept, or a forget that anonymises one, that cannot be written changes nothing kept', async () => {
    const opened = await openWithDisk();
    store = opened.store;
    const scope = { org: 'T1', frameworkId: 'f', levelId: 'senior' };
    const view = { at: '2026-01-01T00:00:00.000Z', contributors: ['U1#a', 'U2#b'], shown: {} };
    await store.update('T1:U1', rate('f', 'c', 3));
    await store.updateTeamViews(scope, (kept) => {
      kept.push(view);
    });

    opened.disk.full = true;
    const kept = store.updateTeamViews(scope, (k) => {
      k.push({ ...view, contributors: ['U3#c'] });
    });
    const forgotten = store.forget('T1:U1');
    await expect(kept).rejects.toBeInstanceOf(NotSavedError);
    await expect(forgotten).rejects.toBeInstanceOf(NotSavedError);
    // As the file has them: one view, naming U1, and U1's record.
    opened.disk.full = false;
    expect(await store.updateTeamViews(scope, (k) => structuredClone(k))).toEqual([view]);
    expect(((await readJson(dataFile())) as { teamViews?: unknown }).teamViews).toEqual({
      '["T1","f","senior"]': [view],
    });
    expect(await store.size()).toBe(1);
  });

  it("an org's own data that cannot be written changes nothing kept, and its revision stays", async () => {
    const opened = await openWithDisk();
    store = opened.store;
    const at = '2026-01-01T00:00:00.000Z';
    await store.updateOrgData('T1', (data) => {
      data.log.push({ at, by: 'U1', what: 'first' });
    });
    const before = await store.orgData('T1');

    opened.disk.full = true;
    const changed = store.updateOrgData('T1', (data) => {
      data.log.push({ at, by: 'U1', what: 'second' });
    });
    const made = store.updateOrgData('T2', (data) => {
      data.hiddenBundled.push('f');
    });
    await expect(changed).rejects.toBeInstanceOf(NotSavedError);
    await expect(made).rejects.toBeInstanceOf(NotSavedError);
    opened.disk.full = false;
    expect(await store.orgData('T1')).toEqual(before);
    expect(await store.orgRevision('T2')).toBe(0);
    expect(((await readJson(dataFile())) as { orgData?: unknown }).orgData).toEqual({ T1: before });
    // The next change gets a revision that neither version had.
    await store.updateOrgData('T1', (data) => {
      data.log.push({ at, by: 'U1', what: 'third' });
    });
    expect(await store.orgRevision('T1')).toBeGreaterThan(before.revision + 1);
  });

  it('an uninstall that cannot be written deletes nothing: installation and people stay, in memory and on disk', async () => {
    const opened = await openWithDisk();
    store = opened.store;
    const installation = {
      id: 'T1',
      enterpriseId: null,
      installation: { bot: { token: 'sealed' } },
      installedAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    await store.saveInstallation(installation);
    await store.update('T1:U1', rate('f', 'c', 3));
    await store.update('T1:U2', rate('f', 'c', 4));
    await store.updateOrgData('T1', (data) => {
      data.hiddenBundled.push('f');
    });
    const own = await store.orgData('T1');

    opened.disk.full = true;
    const uninstalled = store.uninstall({ installation: 'T1', people: 'T1' });
    const installedAgain = store.saveInstallation({ ...installation, updatedAt: '2026-02-01T00:00:00.000Z' });
    await expect(uninstalled).rejects.toBeInstanceOf(NotSavedError);
    await expect(installedAgain).rejects.toBeInstanceOf(NotSavedError);
    expect(await store.installation('T1')).toEqual(installation);
    expect(await store.orgData('T1')).toEqual(own);
    await expectMemoryEqualsFile(store, ['T1:U1', 'T1:U2']);
    expect(checkDataFile(await readJson(dataFile()))).toMatchObject({
      ok: true,
      data: { installations: { T1: installation }, orgData: { T1: own } },
    });

    opened.disk.full = false;
    expect(await store.uninstall({ installation: 'T1', people: 'T1' })).toEqual({
      installation: true,
      people: 2,
      records: 2,
      orgData: true,
    });
    await expectMemoryEqualsFile(store, ['T1:U1', 'T1:U2']);
    expect(await store.installations()).toEqual([]);
    expect(await store.orgRevision('T1')).toBe(0);
  });

  it('a failed update is refused with NotSavedError and undone; a later write by someone else does not carry it', async () => {
    const opened = await openWithDisk();
    store = opened.store;
    await store.update('T1:U1', rate('f', 'c', 1));

    opened.disk.full = true;
    const changed = store.update('T1:U1', rate('f', 'c', 4));
    const added = store.update('T1:NEW', rate('f', 'c', 2));
    await expect(changed).rejects.toBeInstanceOf(NotSavedError);
    await expect(changed).rejects.toThrow(
      /Could not save to .*competency-data\.json: ENOSPC: no space left on device.*Nothing was saved/,
    );
    await expect(added).rejects.toBeInstanceOf(NotSavedError);
    expect((await store.get('T1:U1')).ratings.f?.c?.value).toBe(1);
    expect(await store.get('T1:NEW')).toEqual({ ratings: {}, drafts: {}, history: [] });
    await expectMemoryEqualsFile(store, ['T1:U1', 'T1:NEW']);
    // The failed write cleaned up its temp file.
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);

    opened.disk.full = false;
    await store.update('T1:U2', rate('f', 'c', 3));
    const people = await peopleOnDisk(dir);
    expect(people['T1:U1']?.ratings.f?.c?.value).toBe(1);
    expect(people['T1:NEW']).toBeUndefined();
    expect(people['T1:U2']?.ratings.f?.c?.value).toBe(3);
    await expectMemoryEqualsFile(store, ['T1:U1', 'T1:NEW', 'T1:U2']);
  });

  it('a failed forget deletes nothing: memory and file keep every record, and a second forget still finds them', async () => {
    const opened = await openWithDisk();
    store = opened.store;
    await store.update('T1:U1', rate('f', 'a', 1));
    await store.update('T1:U1', rate('f', 'b', 2));
    await store.update('T1:U1', rate('g', 'a', 3));
    const before = structuredClone(await store.get('T1:U1'));

    opened.disk.full = true;
    await expect(store.forget('T1:U1')).rejects.toBeInstanceOf(NotSavedError);
    expect(await store.get('T1:U1')).toEqual(before);
    expect(countRecords(await store.get('T1:U1'))).toBe(3);
    expect(await store.size()).toBe(1);
    await expectMemoryEqualsFile(store, ['T1:U1']);

    // Still full: the second try fails the same way, and still finds all three records.
    await expect(store.forget('T1:U1')).rejects.toBeInstanceOf(NotSavedError);
    expect(countRecords(await store.get('T1:U1'))).toBe(3);

    opened.disk.full = false;
    expect(await store.forget('T1:U1')).toBe(3);
    expect(await peopleOnDisk(dir)).toEqual({});
  });

  it("the same person's changes queued behind a failed write are refused too; other people's go through", async () => {
    let armed = false;
    let entered!: () => void;
    const writing = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    store = await openFileStore(dir, {
      hooks: {
        afterTempWrite: async () => {
          if (!armed) return;
          armed = false;
          entered();
          await released;
          throw enospc();
        },
      },
    });
    await store.update('T1:U1', rate('f', 'a', 1));
    await store.update('T1:U3', rate('f', 'a', 5));

    armed = true;
    const failing = store.update('T1:U1', rate('f', 'b', 2));
    await writing; // that write is under way, and will fail
    const sameLater = store.update('T1:U1', rate('f', 'c', 3)); // built on top of the change that fails
    const sameForget = store.forget('T1:U1');
    const other = store.update('T1:U2', rate('f', 'a', 4));
    const otherForget = store.forget('T1:U3');
    release();

    const settled = await Promise.allSettled([failing, sameLater, sameForget, other, otherForget]);
    expect(settled.map((s) => s.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    for (const s of settled.slice(0, 3)) {
      expect(s.status === 'rejected' && s.reason).toBeInstanceOf(NotSavedError);
    }
    expect(settled[4]).toEqual({ status: 'fulfilled', value: 1 });
    expect((await store.get('T1:U1')).ratings).toEqual({ f: { a: expect.objectContaining({ value: 1 }) } });
    expect((await store.get('T1:U2')).ratings.f?.a?.value).toBe(4);
    await expectMemoryEqualsFile(store, ['T1:U1', 'T1:U2', 'T1:U3']);
  });

  it('close after a failed write writes nothing that was refused', async () => {
    const opened = await openWithDisk();
    store = opened.store;
    await store.update('T1:U1', rate('f', 'c', 1));
    opened.disk.full = true;
    await expect(store.update('T1:U1', rate('f', 'c', 4))).rejects.toBeInstanceOf(NotSavedError);
    await expect(store.forget('T1:U1')).rejects.toBeInstanceOf(NotSavedError);
    opened.disk.full = false;
    await store.close();
    store = await openFileStore(dir);
    expect((await store.get('T1:U1')).ratings.f?.c?.value).toBe(1);
  });

  it('survives a real rename failure (a folder in the way of the data file), and undoes the change', async () => {
    store = await openFileStore(dir);
    await mkdir(dataFile()); // rename(file, folder) fails with EISDIR
    await expect(store.update('T1:U1', rate('f', 'c', 4))).rejects.toThrow(/Could not save to/);
    expect(await store.size()).toBe(0);
    await rmdir(dataFile());
    await store.update('T1:U2', rate('f', 'c', 2));
    expect(Object.keys(await peopleOnDisk(dir))).toEqual(['T1:U2']);
    await expectMemoryEqualsFile(store, ['T1:U1', 'T1:U2']);
  });

  it('any mix of updates, forgets and failed writes: once they settle, memory equals the file', async () => {
    type Op = {
      kind: 'update' | 'forget';
      who: number;
      value: 1 | 2 | 3 | 4 | 5;
      fails: boolean;
      wait: boolean;
    };
    const op = fc.record({
      kind: fc.constantFrom<'update' | 'forget'>('update', 'update', 'forget'),
      who: fc.integer({ min: 0, max: 3 }),
      value: fc.constantFrom<1 | 2 | 3 | 4 | 5>(1, 2, 3, 4, 5),
      fails: fc.boolean(),
      wait: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops: Op[]) => {
        const run = await makeTempDir();
        // Each write takes the fault of the operation that queued last before it started.
        const disk = { full: false };
        const s = await openFileStore(run.dir, {
          hooks: {
            afterTempWrite: () => {
              if (disk.full) throw enospc();
            },
          },
        });
        try {
          const keys = ['T1:A', 'T1:B', 'T1:C', 'T1:D'];
          const pending: Promise<unknown>[] = [];
          for (const [i, o] of ops.entries()) {
            disk.full = o.fails;
            const key = keys[o.who] as string;
            pending.push(
              o.kind === 'update' ? s.update(key, rate('f', `c${i % 3}`, o.value)) : s.forget(key),
            );
            if (o.wait) await Promise.allSettled(pending);
          }
          const outcomes = await Promise.allSettled(pending);
          for (const outcome of outcomes) {
            if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(NotSavedError);
          }
          const check = checkDataFile(
            await readJson(path.join(run.dir, 'competency-data.json')).catch(() => ({
              formatVersion: 1,
              people: {},
            })),
          );
          if (!check.ok) throw new Error('the file does not validate');
          for (const key of keys) {
            expect(await s.get(key)).toEqual(
              check.data.people[key] ?? { ratings: {}, drafts: {}, history: [] },
            );
          }
          expect(await s.size()).toBe(Object.keys(check.data.people).length);
        } finally {
          disk.full = false;
          await s.close();
          await run.remove();
        }
      }),
      { numRuns: 40 },
    );
  });
});
