import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect } from 'vitest';
import type { PersonData } from '../../src/model/records.js';
import { type FileStore, openFileStore } from '../../src/store/file/open.js';
import { DataFileFullError, NotSavedError, StoreError } from '../../src/store/store.js';
import { it } from '../support/fixtures.js';
import { AT, rate } from './helpers.js';

/**
 * The data file is read back as one string, and V8 cannot make one longer than
 * `buffer.constants.MAX_STRING_LENGTH`: the store warns from 80% of that limit, refuses a change that
 * would pass it (nothing of it kept, in memory or on disk), and never writes a file that it could not
 * read back. Here with a limit lowered to a few hundred characters, as only tests can.
 */

let dir: string;
let store: FileStore | undefined;
it.beforeEach(({ tempDir }) => {
  dir = tempDir;
});
afterEach(async () => {
  await store?.close().catch(() => {});
  store = undefined;
});

const dataFile = () => path.join(dir, 'competency-data.json');
/** How long the data file is as the app reads it back: its text's length. */
const lengthOnDisk = async () => (await readFile(dataFile(), 'utf8')).length;

/** A change that sets the person's one note to `text`. */
const note =
  (text: string) =>
  (data: PersonData): void => {
    data.notes ??= {};
    data.notes.f ??= {};
    data.notes.f.c = { text, at: AT };
  };

type Lines = { info: string[]; warn: string[]; error: string[] };

/** Opens the store on `dir` with `limit`, and what it logs. */
async function open(limit?: number): Promise<{ store: FileStore; lines: Lines }> {
  const lines: Lines = { info: [], warn: [], error: [] };
  const line = (parts: unknown[]) => parts.map(String).join(' ');
  const opened = await openFileStore(dir, {
    ...(limit === undefined ? {} : { lengthLimitForTests: limit }),
    logger: {
      info: (...parts) => lines.info.push(line(parts)),
      warn: (...parts) => lines.warn.push(line(parts)),
      error: (...parts) => lines.error.push(line(parts)),
    },
  });
  store = opened;
  return { store: opened, lines };
}

/** What the store says about its file, and what it says in the log about the limit. */
const reported = async (s: FileStore) => (await s.health()).dataFile;
const aboutTheLimit = (lines: string[]) => lines.filter((l) => l.includes('the app can read back'));

describe('the data file knows its limit', () => {
  it('measures the file as the app reads it back (UTF-16 code units, not bytes), whatever the letters', async () => {
    const { store: s } = await open();
    const texts = [
      'plain',
      'é à ü',
      '日本語のメモ',
      'emoji 🎉🚀',
      'a lone \ud800 surrogate',
      '"quotes" \\ \n',
    ];
    for (const [i, text] of texts.entries()) {
      await s.update(`T1:U${i}`, note(text));
      await s.update(`T1:U${i}`, rate('f', 'c', 3));
    }
    await s.saveInstallation({
      id: 'T1',
      enterpriseId: null,
      installation: { team: { name: 'Équipe 🎉' } },
      installedAt: AT,
      updatedAt: AT,
    });
    await s.updateTeamViews({ org: 'T1', frameworkId: 'f', levelId: 'l' }, (kept) => {
      kept.push({ at: AT, contributors: ['U1#é'], shown: {} });
    });
    await s.updateOrgData('T1', (data) => {
      data.log.push({ at: AT, by: 'U1', what: 'changé ✓' });
    });
    await s.forget('T1:U0');

    const bytes = (await readFile(dataFile())).length;
    const length = await lengthOnDisk();
    expect(bytes).toBeGreaterThan(length);
    expect(await reported(s)).toEqual({ length, limit: 2 ** 29 - 24 });
    // After a restart, the same.
    await s.close();
    const { store: again } = await open();
    expect((await reported(again))?.length).toBe(length);
  });

  it('warns in the log once when the file reaches 80% of the limit, and again only after it was below', async () => {
    const { store: s, lines } = await open(1000);
    await s.update('T1:A', note('a'.repeat(400)));
    const setB = await noteOfLength(s, 'T1:B');

    await setB(799);
    expect(aboutTheLimit(lines.warn)).toEqual([]);
    await setB(800);
    expect(aboutTheLimit(lines.warn)).toHaveLength(1);
    const warning = aboutTheLimit(lines.warn)[0] ?? '';
    expect(warning).toContain(dataFile());
    expect(warning).toContain('800 characters long, 80% of the 1,000 characters');
    expect(warning).toContain('PostgreSQL');
    expect(warning).toContain('`competency migrate --to postgres`');
    expect(warning).toContain('docs/operations.md');
    await setB(950);
    await setB(900);
    expect(aboutTheLimit(lines.warn)).toHaveLength(1);

    // Deleting brings it below (said once); growing again warns again.
    await s.update('T1:A', note('a'));
    expect(lines.info.filter((l) => l.includes('below 80% of its limit again'))).toHaveLength(1);
    await s.update('T1:A', note('a'.repeat(400)));
    expect(aboutTheLimit(lines.warn)).toHaveLength(2);

    // A store that opens a file past 80% says so at once.
    await s.close();
    const reopened = await open(1000);
    expect(aboutTheLimit(reopened.lines.warn)).toHaveLength(1);
  });

  it('refuses the change that would pass the limit: nothing kept in memory or on disk, and a message that says what to do', async () => {
    const { store: s } = await open(1000);
    await s.update('T1:A', note('a'.repeat(400)));
    const setB = await noteOfLength(s, 'T1:B');
    // Exactly at the limit is fine: the app reads that back.
    await setB(1000);
    expect(await lengthOnDisk()).toBe(1000);
    const fileBefore = await readFile(dataFile());
    const bBefore = await s.get('T1:B');

    const refused = setB(1001);
    await expect(refused).rejects.toBeInstanceOf(DataFileFullError);
    await expect(refused).rejects.toBeInstanceOf(NotSavedError);
    const message = await refused.catch((error: Error) => error.message);
    expect(message).toContain('Nothing was changed, in memory or on disk.');
    expect(message).toContain('1,001 characters long, more than the 1,000 characters the app can read back');
    expect(message).toContain('PostgreSQL');
    expect(message).toContain('`competency migrate --to postgres`');
    await expect(s.update('T1:C', rate('f', 'c', 1))).rejects.toBeInstanceOf(DataFileFullError);
    await expect(
      s.updateOrgData('T1', (data) => {
        data.hiddenBundled.push('f');
      }),
    ).rejects.toBeInstanceOf(DataFileFullError);

    expect(await s.get('T1:B')).toEqual(bBefore);
    expect(await s.get('T1:C')).toEqual({ ratings: {}, drafts: {}, history: [] });
    expect(await s.size()).toBe(2);
    expect(await s.orgRevision('T1')).toBe(0);
    expect(await readFile(dataFile())).toEqual(fileBefore);
    expect((await reported(s))?.length).toBe(1000);
    // No temp file was left either: nothing was written.
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('in one group commit, only the change that would pass the limit is refused; the others are saved', async () => {
    const { store: s } = await open(1000);
    await s.update('T1:A', note('a'.repeat(400)));
    const setB = await noteOfLength(s, 'T1:B');
    await setB(990);
    // In the same turn: A shrinks (saved), C grows the file past the limit (refused), then B grows
    // into the room A made (saved): each change is weighed against what memory holds when it is made.
    const shrink = s.update('T1:A', note('a'.repeat(380)));
    const tooMuch = s.update('T1:C', note('c'.repeat(100)));
    const fits = s.update(
      'T1:B',
      note('b'.repeat(((await s.get('T1:B')).notes?.f?.c?.text.length ?? 0) + 15)),
    );
    const settled = await Promise.allSettled([shrink, tooMuch, fits]);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(DataFileFullError);
    expect(s.flushCount).toBe(4);

    const onDisk = JSON.parse(await readFile(dataFile(), 'utf8')) as { people: Record<string, PersonData> };
    expect(Object.keys(onDisk.people)).toEqual(['T1:A', 'T1:B']);
    expect(onDisk.people['T1:A']).toEqual(await s.get('T1:A'));
    expect(onDisk.people['T1:B']).toEqual(await s.get('T1:B'));
    expect(await lengthOnDisk()).toBe(990 - 20 + 15);
  });

  it('past 80% and at the limit, a smaller change and a deletion still go through; the file reads back after a restart', async () => {
    const { store: s } = await open(1000);
    await s.update('T1:A', note('a'.repeat(400)));
    const setB = await noteOfLength(s, 'T1:B');
    await setB(1000);
    await expect(s.update('T1:A', rate('f', 'c', 4))).rejects.toBeInstanceOf(DataFileFullError);

    // The same length is not more: a change that keeps the file's length goes through at the limit.
    await s.update('T1:A', note('z'.repeat(400)));
    expect(await lengthOnDisk()).toBe(1000);
    await setB(980);
    expect(await lengthOnDisk()).toBe(980);
    expect(await s.forget('T1:A')).toBe(1);
    const afterForget = await lengthOnDisk();
    expect(afterForget).toBeLessThan(600);
    // With the room a deletion made, a change that grows the file is taken again.
    await s.update('T1:C', rate('f', 'c', 2));

    await s.close();
    const { store: again } = await open(1000);
    expect(await again.size()).toBe(2);
    expect((await again.get('T1:C')).ratings.f?.c?.value).toBe(2);
    expect((await reported(again))?.length).toBe(await lengthOnDisk());
  });

  it('checks again before each write: a deletion that would still end past the limit is refused whole, and undone', async () => {
    const { store: s } = await open(1000);
    await s.update('T1:U1', rate('f', 'c', 3));
    // Team views that name U1 many times: forgetting U1 puts an anonymous stand-in (37 characters) for
    // each of its short ids, which is more than U1's record frees.
    const contributors = Array.from({ length: 8 }, (_, i) => `U1#${i}`);
    await s.updateTeamViews({ org: 'T1', frameworkId: 'f', levelId: 'l' }, (kept) => {
      kept.push({ at: AT, contributors, shown: {} });
    });
    await s.update('T1:A', note('a'.repeat(400)));
    const setB = await noteOfLength(s, 'T1:B');
    await setB(990);
    const fileBefore = await readFile(dataFile());

    const forgotten = s.forget('T1:U1');
    // In the same write: refused with it, with the same reason.
    const other = s.update('T1:B', note('b'));
    await expect(forgotten).rejects.toBeInstanceOf(DataFileFullError);
    await expect(other).rejects.toBeInstanceOf(DataFileFullError);
    expect(await readFile(dataFile())).toEqual(fileBefore);
    expect((await s.get('T1:U1')).ratings.f?.c?.value).toBe(3);
    expect((await s.sharedAssessments(['T1:U1'])).size).toBe(0);
    expect((await reported(s))?.length).toBe(990);
    const kept = await s.updateTeamViews({ org: 'T1', frameworkId: 'f', levelId: 'l' }, (k) =>
      structuredClone(k),
    );
    expect(kept[0]?.contributors).toEqual(contributors);

    // With room made first, the same deletion goes through.
    await s.update('T1:A', note('a'));
    expect(await s.forget('T1:U1')).toBe(1);
  });

  it('refuses to start on a file past the limit, saying so and what to do, and leaves the file untouched', async () => {
    const { store: s } = await open();
    await s.update('T1:A', note('é'.repeat(300)));
    await s.close();
    const length = await lengthOnDisk();
    const bytes = await readFile(dataFile());

    const error = await open(length - 1).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    const message = (error as Error).message;
    expect(message).toContain(dataFile());
    expect(message).toContain(`${length.toLocaleString('en-US')} characters long, more than the`);
    expect(message).toContain('the app will not start; the file was left untouched');
    expect(message).toContain('PostgreSQL');
    expect(message).toContain('`competency migrate --to postgres`');
    expect(message).not.toContain('Invalid string length');
    expect(await readFile(dataFile())).toEqual(bytes);
    // The lock was let go, and at its length exactly the file opens (its bytes are more than its length).
    expect(bytes.length).toBeGreaterThan(length);
    const { store: again } = await open(length);
    expect((await again.get('T1:A')).notes?.f?.c?.text).toBe('é'.repeat(300));
  });

  it('takes no limit above what the app can read back', async () => {
    await expect(open(2 ** 29 - 23)).rejects.toBeInstanceOf(RangeError);
    const { store: s } = await open(2 ** 29 - 24);
    expect((await reported(s))?.limit).toBe(2 ** 29 - 24);
  });
});

/**
 * Makes `person` a note whose length makes the whole file a given length: returns a function that
 * sets it (the file's length is measured once, with a one-letter note).
 */
async function noteOfLength(s: FileStore, person: string): Promise<(fileLength: number) => Promise<void>> {
  await s.update(person, note('x'));
  const base = (await s.health()).dataFile?.length ?? 0;
  return (fileLength) => s.update(person, note('b'.repeat(fileLength - base + 1)));
}
