import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { openFileStore } from '../../src/store/file/open.js';
import { StoreError } from '../../src/store/store.js';
import { it } from '../support/fixtures.js';
import { AT } from './helpers.js';

let dir: string;
it.beforeEach(({ tempDir }) => {
  dir = tempDir;
});

const dataFile = () => path.join(dir, 'competency-data.json');

const rating = (value: unknown) => ({ value, at: AT, frameworkVersion: '1' });
const person = (ratings: unknown) => ({ ratings, drafts: {}, history: [] });

/** Opens the folder with `content` as the data file; expects a refusal that leaves the file exactly as it was. */
async function expectRefused(content: string): Promise<string> {
  await writeFile(dataFile(), content);
  // An mtime in the past, so a rewrite within the same clock tick could not hide.
  const past = new Date('2024-01-01T00:00:00Z');
  await utimes(dataFile(), past, past);
  const before = { bytes: await readFile(dataFile()), mtimeMs: (await stat(dataFile())).mtimeMs };

  const error: unknown = await openFileStore(dir).then(
    () => undefined,
    (e: unknown) => e,
  );

  expect(error).toBeInstanceOf(StoreError);
  const message = (error as StoreError).message;
  expect(message).toContain(dataFile());
  expect(message).toContain('The app will not start, and the file was left untouched.');
  expect(await readFile(dataFile())).toEqual(before.bytes);
  expect((await stat(dataFile())).mtimeMs).toBe(before.mtimeMs);
  // No lock left behind, no temp files: the folder holds the data file alone.
  expect(await readdir(dir)).toEqual(['competency-data.json']);
  return message;
}

describe('LowdbStore: a data file that does not read cleanly is refused and never overwritten', () => {
  it('refuses a file that is not JSON', async () => {
    const message = await expectRefused('{"formatVersion":1,"people":{"T1:U1":');
    expect(message).toMatch(/is not valid JSON \(.+\)/);
  });

  it('refuses an empty file', async () => {
    expect(await expectRefused('')).toMatch(/is not valid JSON/);
  });

  it('refuses JSON that does not match the format, naming the first bad fields', async () => {
    const message = await expectRefused(
      JSON.stringify({
        formatVersion: 1,
        people: {
          'T1:U1': person({ x: { y: rating(7) } }),
          'T1:U2': person({ x: { y: { ...rating(3), at: 'last Tuesday' } } }),
        },
      }),
    );
    expect(message).toContain('does not have the expected format');
    expect(message).toContain('people["T1:U1"].ratings["x"]["y"].value: expected 1–5 or "na", found 7');
    expect(message).toContain('people["T1:U2"].ratings["x"]["y"].at: expected a date and time in ISO 8601');
  });

  it('lists at most five problems, then how many more', async () => {
    const people = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`T1:U${i}`, person({ f: { c: rating(0) } })]),
    );
    const message = await expectRefused(JSON.stringify({ formatVersion: 1, people }));
    expect(message.match(/expected 1–5 or "na"/g)).toHaveLength(5);
    expect(message).toContain('... and 3 more problems');
  });

  it('refuses unknown fields rather than dropping them on the next write', async () => {
    const message = await expectRefused(
      JSON.stringify({ formatVersion: 1, people: { 'T1:U1': { ...person({}), nickname: 'x' } } }),
    );
    expect(message).toContain('people["T1:U1"]: unknown field: nickname');
  });

  it('refuses a file written by a newer version of the app', async () => {
    const message = await expectRefused(JSON.stringify({ formatVersion: 2, people: {}, teams: {} }));
    expect(message).toContain(
      'was written by a newer version of the app (format 2; this version reads format 1)',
    );
  });

  it('refuses a file with no formatVersion', async () => {
    expect(await expectRefused(JSON.stringify({ people: {} }))).toContain('formatVersion');
  });

  it('leaves leftover temp files alone when it refuses to start: they may help recover the data', async () => {
    const temp = path.join(dir, '.competency-data.json.1.abc.tmp');
    await writeFile(temp, '{}');
    await writeFile(dataFile(), 'nope');
    await expect(openFileStore(dir)).rejects.toThrow(StoreError);
    expect(await readFile(dataFile(), 'utf8')).toBe('nope');
    expect((await readdir(dir)).sort()).toEqual(['.competency-data.json.1.abc.tmp', 'competency-data.json']);
  });
});
