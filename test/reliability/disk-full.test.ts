import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { countRecords } from '../../src/model/records.js';
import { openFileStore } from '../../src/store/file/open.js';
import { checkDataFile } from '../../src/store/schema.js';
import { NotSavedError } from '../../src/store/store.js';
import { startHarness, textOf } from '../integration/harness.js';
import { rate, readJson } from '../store/helpers.js';
import { personOf, personOnDisk } from './helpers.js';

/**
 * A real full disk: a small tmpfs mounted for the test (this needs root, as CI has; elsewhere the
 * tests say why they were skipped). Everything a person is told after a failed write must be true,
 * and memory must equal the file, before and after a restart.
 */

type Mounted = { dir: string; unmount: () => Promise<void> };

/** A tmpfs of `size` in a fresh temp folder, or the reason there is none. */
async function mountTmpfs(size: string): Promise<Mounted | string> {
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root (CI runs as root)';
  const dir = await mkdtemp(path.join(os.tmpdir(), 'competency-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `mount -t tmpfs failed here (${stderr || (error as Error).message})`;
  }
  return {
    dir,
    unmount: async () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Fills the file system `dir` is on until it has no room left; returns the filler file to delete. */
async function fill(dir: string): Promise<string> {
  const filler = path.join(dir, 'filler');
  const handle = await open(filler, 'w');
  const chunk = Buffer.alloc(4096, 120);
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  return filler;
}

/**
 * A tmpfs of `size` for this test, or the test skipped where there can be none. After the test, what
 * it then opened on it is closed (each test says so, in turn), and it is unmounted.
 */
async function mountOrSkip(ctx: TestContext, size: string): Promise<Mounted> {
  const result = await mountTmpfs(size);
  if (typeof result === 'string') {
    // CI names a file here and prints it after the run, so a skip is seen, not silent.
    const log = process.env.SKIPPED_TESTS_LOG;
    if (log) appendFileSync(log, `${ctx.task.name}: skipped, ${result}\n`);
    ctx.skip(result);
  }
  const mounted = result as Mounted;
  ctx.onTestFinished(() => mounted.unmount());
  return mounted;
}

describe('a full disk: the store', () => {
  it('refuses update and forget, keeps memory equal to the file, and reopens as the file says', async (ctx) => {
    const { dir } = await mountOrSkip(ctx, '512k');
    const dataDir = path.join(dir, 'data');
    await mkdir(dataDir);
    const file = path.join(dataDir, 'competency-data.json');
    const fileSays = async () => {
      const check = checkDataFile(await readJson(file));
      if (!check.ok) throw new Error('the data file does not validate');
      return check.data.people;
    };

    let store = await openFileStore(dataDir);
    ctx.onTestFinished(() => store.close().catch(() => {}));
    await store.update('T1:ALICE', rate('f', 'a', 1));
    await store.update('T1:ALICE', rate('f', 'b', 2));
    await store.update('T1:ALICE', rate('g', 'a', 3));
    await store.update('T1:BOB', rate('f', 'a', 4));
    const filler = await fill(dir);

    const update = store.update('T1:ALICE', rate('f', 'a', 5));
    await expect(update).rejects.toBeInstanceOf(NotSavedError);
    await expect(update).rejects.toThrow(/ENOSPC/);
    await expect(store.update('T1:CAROL', rate('f', 'a', 5))).rejects.toBeInstanceOf(NotSavedError);
    await expect(store.forget('T1:ALICE')).rejects.toBeInstanceOf(NotSavedError);

    let people = await fileSays();
    expect(await store.get('T1:ALICE')).toEqual(people['T1:ALICE']);
    expect(await store.get('T1:BOB')).toEqual(people['T1:BOB']);
    expect(await store.get('T1:CAROL')).toEqual({ ratings: {}, drafts: {}, history: [] });
    expect(await store.size()).toBe(2);
    // A second forget still sees all three records (and, with the disk still full, fails the same way).
    expect(countRecords(await store.get('T1:ALICE'))).toBe(3);
    await expect(store.forget('T1:ALICE')).rejects.toBeInstanceOf(NotSavedError);
    expect(countRecords(await store.get('T1:ALICE'))).toBe(3);

    // Closing and opening again, with the disk still full: everything is as the file says.
    await store.close();
    store = await openFileStore(dataDir);
    people = await fileSays();
    expect(await store.get('T1:ALICE')).toEqual(people['T1:ALICE']);
    expect((await store.get('T1:ALICE')).ratings.f?.a?.value).toBe(1);
    expect(await store.size()).toBe(2);

    // With room again, the same forget goes through.
    await unlink(filler);
    expect(await store.forget('T1:ALICE')).toBe(3);
    expect(Object.keys(await fileSays())).toEqual(['T1:BOB']);
  });
});

const ALICE = 'U0ALICE0001';
const LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];

describe('a full disk: what the person is told', () => {
  it('Delete my data fails, says nothing was deleted, and a second forget offers the same records', async (ctx) => {
    const { dir } = await mountOrSkip(ctx, '2m');
    // The harness keeps its data in a fresh folder under the temp folder: here, on the small disk.
    const tmpdirBefore = process.env.TMPDIR;
    process.env.TMPDIR = dir;
    ctx.onTestFinished(() => {
      if (tmpdirBefore === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmpdirBefore;
    });
    const h = await startHarness();
    ctx.onTestFinished(() => h.close().catch(() => {}));
    expect(h.dataDir.startsWith(dir)).toBe(true);

    const answer = (await h.command('solutions-architect senior', { userId: ALICE })).json;
    let step = await h.press(answer, 'Rate yourself', { userId: ALICE });
    for (const r of [4, 3, 2]) step = await h.press(step, LABELS[r] ?? '', { userId: ALICE });
    const confirm = (await h.command('forget', { userId: ALICE })).json;
    const offered = textOf(confirm).match(/(\d+) records?/)?.[0];
    expect(offered).toBeDefined();

    const filler = await fill(dir);
    // A rating while the disk is full: refused, and the app does not show what the file does not hold.
    await h.press(step, LABELS[5] ?? '', { userId: ALICE });
    expect(await personOf(h, ALICE)).toEqual(await personOnDisk(h, ALICE));

    const failed = await h.press(confirm, 'Delete my data', { userId: ALICE });
    expect(textOf(failed)).toMatch(/nothing was deleted/i);
    expect(textOf(failed)).not.toMatch(/Deleted \d+ record/);
    expect(await personOf(h, ALICE)).toEqual(await personOnDisk(h, ALICE));

    const again = (await h.command('forget', { userId: ALICE })).json;
    expect(textOf(again)).toContain(offered);

    // After a restart (with room again) the records are still there, and deleting them works.
    await unlink(filler);
    await h.restart();
    const afterRestart = (await h.command('forget', { userId: ALICE })).json;
    expect(textOf(afterRestart)).toContain(offered);
    const done = await h.press(afterRestart, 'Delete my data', { userId: ALICE });
    expect(textOf(done)).toContain(`Deleted ${offered}`);
  });
});
