import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrameworkCache } from '../../src/frameworks/cache.js';
import { loadFrameworks } from '../../src/frameworks/loader.js';
import { FrameworkError } from '../../src/frameworks/problems.js';
import { change, GOOD_YAML, lineOf, tempDir } from './helpers.js';

/**
 * The frameworks cache: a restart takes files that passed every check from the cache instead of
 * parsing their YAML again; anything edited, broken or clashing is read and reported as without it.
 */

let frameworks: Awaited<ReturnType<typeof tempDir>>;
let cacheFolder: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  frameworks = await tempDir();
  cacheFolder = await tempDir();
});
afterEach(async () => {
  await frameworks.remove();
  await cacheFolder.remove();
});

const cacheFile = () => path.join(cacheFolder.dir, 'frameworks.json');

/** One start: opens the cache, loads, saves, as the app does. */
async function load() {
  const cache = await FrameworkCache.open(cacheFolder.dir);
  const loaded = await loadFrameworks([frameworks.dir], { cache });
  return { loaded, notSaved: await cache.save() };
}

/** Rewrites the role name of every framework kept in the cache file, to see whether a load used it. */
async function markCachedEntries(name: string) {
  const saved = JSON.parse(await readFile(cacheFile(), 'utf8'));
  for (const framework of Object.values(saved.entries) as { role: { name: string } }[])
    framework.role.name = name;
  await writeFile(cacheFile(), JSON.stringify(saved));
}

describe('the frameworks cache', () => {
  it('gives the same frameworks as reading the files, and a restart takes them from the cache', async () => {
    await frameworks.write('tester.web.yml', GOOD_YAML);
    const withoutCache = await loadFrameworks([frameworks.dir]);
    const first = await load();
    expect(first.loaded).toEqual(withoutCache);
    expect(first.notSaved).toBeUndefined();

    await markCachedEntries('Tester (from the cache)');
    const second = await load();
    expect(second.loaded[0]?.role.name).toBe('Tester (from the cache)');
  });

  it('reads an edited file afresh', async () => {
    await frameworks.write('tester.web.yml', GOOD_YAML);
    await load();
    await markCachedEntries('stale');
    await frameworks.write('tester.web.yml', change(GOOD_YAML, 'name: Tester', 'name: Test Engineer'));
    const { loaded } = await load();
    expect(loaded[0]?.role.name).toBe('Test Engineer');
  });

  it('reports a mistake in a file that was cached before, at its line', async () => {
    await frameworks.write('tester.web.yml', GOOD_YAML);
    await load();
    const broken = change(GOOD_YAML, '      senior: 4', '      senior: 7');
    await frameworks.write('tester.web.yml', broken);
    const error = await load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrameworkError);
    expect((error as FrameworkError).problems).toEqual([
      expect.objectContaining({ line: lineOf(broken, 'senior: 7'), path: 'competencies[0].expected.senior' }),
    ]);
  });

  it('a new file that clashes with a cached one is reported at the right line of each', async () => {
    await frameworks.write('tester.web.yml', GOOD_YAML);
    await load();
    const other = change(
      change(change(GOOD_YAML, 'id: tester', 'id: checker'), 'name: Tester', 'name: Checker'),
      'aliases: [qa]',
      'aliases: [qa, check]',
    );
    await frameworks.write('checker.web.yml', other);
    const error = await load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrameworkError);
    const problems = (error as FrameworkError).problems;
    expect(problems).toHaveLength(1);
    // checker.web.yml is read first, so the clash is reported in the cached file, tester.web.yml.
    expect(problems[0]).toMatchObject({ path: 'role.aliases[0]', line: lineOf(GOOD_YAML, 'aliases: [qa]') });
    expect(problems[0]?.file.endsWith('tester.web.yml')).toBe(true);
    expect(problems[0]?.message).toContain('already names the role "Checker"');
  });

  it('a cache written by other code, or not JSON at all, is ignored', async () => {
    await frameworks.write('tester.web.yml', GOOD_YAML);
    await load();
    await markCachedEntries('from other code');
    const saved = JSON.parse(await readFile(cacheFile(), 'utf8'));
    await writeFile(cacheFile(), JSON.stringify({ ...saved, fingerprint: 'older code' }));
    expect((await load()).loaded[0]?.role.name).toBe('Tester');

    await writeFile(cacheFile(), '{"format": 1, "fingerp');
    expect((await load()).loaded[0]?.role.name).toBe('Tester');
  });

  it('a cache that cannot be written costs nothing but the speed-up', async () => {
    await frameworks.write('tester.web.yml', GOOD_YAML);
    // The cache's folder is a file, so nothing can be written there.
    const notAFolder = await frameworks.write('notes.txt', 'not a folder');
    const cache = await FrameworkCache.open(notAFolder);
    const loaded = await loadFrameworks([frameworks.dir], { cache });
    expect(loaded[0]?.role.name).toBe('Tester');
    expect(await cache.save()).toMatch(/EEXIST|ENOTDIR/);
  });

  it('drops the entries of files that are no longer loaded', async () => {
    await frameworks.write('tester.web.yml', GOOD_YAML);
    const other = change(change(GOOD_YAML, 'id: tester', 'id: checker'), 'name: Tester', 'name: Checker');
    await frameworks.write('checker.web.yml', change(other, 'aliases: [qa]', 'aliases: []'));
    await load();
    expect(Object.keys(JSON.parse(await readFile(cacheFile(), 'utf8')).entries)).toHaveLength(2);
    await frameworks.remove();
    frameworks = await tempDir();
    await writeFile(path.join(frameworks.dir, 'tester.web.yml'), GOOD_YAML);
    await load();
    expect(Object.keys(JSON.parse(await readFile(cacheFile(), 'utf8')).entries)).toHaveLength(1);
  });
});
