import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { openFileStore } from '../../src/store/file/open.js';
import { parseInParts } from '../../src/store/file/read-in-parts.js';
import { DataFileFullError, StoreError } from '../../src/store/store.js';
import { it } from '../support/fixtures.js';
import { AT } from './helpers.js';

/**
 * A data file an older version wrote past the limit cannot be read as one string; `competency
 * migrate` reads it in parts to move it to PostgreSQL. Read in parts, it must give exactly what
 * JSON.parse of the whole gives.
 */

const person = (text: string) => ({
  ratings: { f: { c: { value: 3, at: AT, frameworkVersion: '1' } } },
  drafts: {},
  history: [],
  notes: { f: { c: { text, at: AT } } },
});

/** Notes that look like the JSON around them: braces, brackets, commas, colons, quotes, escapes. */
const DATA = {
  formatVersion: 1,
  people: {
    'T1:U1': person('plain'),
    'T1:U2': person('{"people":{}} , ] [ : "quoted" \\ \\" é 日本 🎉'),
    'T1:U3': person('ends with a backslash \\'),
    'T2:U1': person('x'.repeat(300)),
  },
  installations: {
    T1: {
      id: 'T1',
      enterpriseId: null,
      installation: { team: { name: 'A, B: {C}' } },
      installedAt: AT,
      updatedAt: AT,
    },
  },
  teamViews: { '["T1","f","l"]': [{ at: AT, contributors: ['U1#a', '~b'], shown: {} }] },
};

describe('reading a data file in parts', () => {
  it('gives what JSON.parse gives, compact or indented, in batches of any size, and for no people', () => {
    for (const text of [
      JSON.stringify(DATA),
      JSON.stringify(DATA, null, 2),
      JSON.stringify({ formatVersion: 1, people: {} }),
      ' { "people" : { } , "formatVersion" : 1 } ',
    ]) {
      for (const batch of [1, 200, 64 * 1024 * 1024]) {
        expect(parseInParts(Buffer.from(text), batch), `${text.slice(0, 40)} in batches of ${batch}`).toEqual(
          JSON.parse(text),
        );
      }
    }
  });

  it('throws on a file that is not JSON', () => {
    for (const text of [
      '{"formatVersion":1,"people":{"T1:U1":',
      '{"people":{"a":1,}}',
      '{"people":{},}',
      '{"people" {}}',
      '{"people":{}}}',
      '{"people":{}} {"formatVersion":1}',
    ]) {
      expect(() => parseInParts(Buffer.from(text)), text).toThrow(SyntaxError);
    }
  });

  it('lets `competency migrate` open a file past the limit (the app does not), and keeps it as it is', async ({
    tempDir,
  }) => {
    const file = path.join(tempDir, 'competency-data.json');
    await writeFile(file, JSON.stringify(DATA, null, 2));
    const before = await readFile(file);
    const limit = 1000;
    expect(before.length).toBeGreaterThan(limit);

    await expect(openFileStore(tempDir, { lengthLimitForTests: limit })).rejects.toBeInstanceOf(StoreError);
    const store = await openFileStore(tempDir, { lengthLimitForTests: limit, readPastLimit: true });
    try {
      expect(Object.fromEntries(store.entries())).toEqual(DATA.people);
      expect(await store.installations()).toEqual(Object.values(DATA.installations));
      expect(store.orgRecordsAndTeamViews().teamViews).toEqual([
        [{ org: 'T1', frameworkId: 'f', levelId: 'l' }, DATA.teamViews['["T1","f","l"]']],
      ]);
      // Nothing that would leave it past the limit is taken.
      await expect(store.update('T1:U9', (data) => void data.drafts)).resolves.toBeUndefined();
      await expect(
        store.update('T1:U9', (data) => {
          data.ratings.f = { c: { value: 1, at: AT, frameworkVersion: '1' } };
        }),
      ).rejects.toBeInstanceOf(DataFileFullError);
    } finally {
      await store.close();
    }
    expect(await readFile(file)).toEqual(before);
  });
});
