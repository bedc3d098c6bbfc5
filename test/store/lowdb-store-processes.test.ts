import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileStore as LowdbStore, openFileStore } from '../../src/store/file/open.js';
import { NotSavedError } from '../../src/store/store.js';
import { makeTempDir, rate, readJson, runChild, STORE_MODULE_URL } from './helpers.js';

/**
 * Real second processes: one process per data folder, a lock that clears by itself once its holder
 * is gone (whatever host name or pid it had), and a crash in the middle of a write. Children run
 * TypeScript through tsx and import the store module by absolute URL.
 */

/** The lowest staleness proper-lockfile allows, so takeovers here wait two seconds, not ten. */
const STALE_MS = 2_000;

let root: string;
let dataDir: string;
let remove: () => Promise<void>;
let store: LowdbStore | undefined;

beforeEach(async () => {
  ({ dir: root, remove } = await makeTempDir());
  dataDir = path.join(root, 'data');
});

afterEach(async () => {
  await store?.close();
  store = undefined;
  await remove();
});

const lockPath = (dir = dataDir) => path.join(dir, 'competency.lock');
const ownerFile = (dir = dataDir) => path.join(dir, 'competency.lock-owner.json');

/** A child that tries to open the data folder and reports how that went on stdout. */
const tryOpen = () => `
import { openFileStore } from ${JSON.stringify(STORE_MODULE_URL)};
try {
  const store = await openFileStore(${JSON.stringify(dataDir)}, { lockStaleMs: ${STALE_MS} });
  await store.close();
  console.log('OPENED');
} catch (error) {
  console.log(error instanceof Error ? error.name + ': ' + error.message : String(error));
}
`;

const ownerText = (pid: number, hostname = os.hostname()) =>
  JSON.stringify({ pid, hostname, startedAt: '2025-03-01T09:00:00.000Z' });

/** A logger that keeps what it is told. */
function recorder() {
  const lines = { info: [] as string[], warn: [] as string[], error: [] as string[] };
  const logger = {
    info: (...a: unknown[]) => lines.info.push(a.join(' ')),
    warn: (...a: unknown[]) => lines.warn.push(a.join(' ')),
    error: (...a: unknown[]) => lines.error.push(a.join(' ')),
  };
  return { lines, logger };
}

describe('LowdbStore: one process per data folder', () => {
  it('refuses a live second process, naming it; lets the next one in after close', async () => {
    store = await openFileStore(dataDir, { lockStaleMs: STALE_MS });
    expect(await readJson(ownerFile())).toMatchObject({ pid: process.pid, hostname: os.hostname() });

    const refused = await runChild(root, tryOpen());
    expect(refused.stderr).toBe('');
    expect(refused.stdout).toContain(
      `StoreError: The data folder ${dataDir} is in use by another copy of the app (process ${process.pid} on ${os.hostname()}, started `,
    );
    expect(refused.stdout).toContain('Stop that process first, or set DATA_DIR to another folder.');
    // The refused process neither took nor removed our lock.
    expect(await readJson(ownerFile())).toMatchObject({ pid: process.pid });
    await expect(store.update('T1:U1', rate('f', 'c', 3))).resolves.toBeUndefined();

    await store.close();
    store = undefined;
    expect(await readdir(dataDir)).toEqual(['competency-data.json']);

    const admitted = await runChild(root, tryOpen());
    expect(admitted.stdout.trim()).toBe('OPENED');
  });

  it('refuses a live process whose owner file is missing or garbage: the heartbeat decides, not the file', async () => {
    store = await openFileStore(dataDir, { lockStaleMs: STALE_MS });
    await rm(ownerFile());
    const missing = await runChild(root, tryOpen());
    expect(missing.stdout).toContain(
      'is in use by another copy of the app (a process that left no details (its owner file is missing or unreadable))',
    );
    await writeFile(ownerFile(), '\u0000garbage');
    const garbage = await runChild(root, tryOpen());
    expect(garbage.stdout).toContain('is in use by another copy of the app (a process that left no details');
  });

  it('after kill -9 of the holder, a restart takes over once its heartbeat has stopped, with a warning', async () => {
    const child = await runChild(
      root,
      `
import { openFileStore } from ${JSON.stringify(STORE_MODULE_URL)};
await openFileStore(${JSON.stringify(dataDir)}, { lockStaleMs: ${STALE_MS} });
console.log('OPEN');
process.kill(process.pid, 'SIGKILL');
`,
    );
    expect(child.stdout).toBe('OPEN\n');
    expect(child.signal).toBe('SIGKILL');
    expect(await readJson(ownerFile())).toMatchObject({ pid: child.pid });

    const { lines, logger } = recorder();
    store = await openFileStore(dataDir, { lockStaleMs: STALE_MS, logger });
    expect(lines.warn).toHaveLength(1);
    expect(lines.warn[0]).toMatch(
      new RegExp(
        `^Took over the lock on ${dataDir} from process ${child.pid} on ${os.hostname()}, started .*: it had not been refreshed for \\d+ s, so that process is gone\\.$`,
      ),
    );
    expect(await readJson(ownerFile())).toMatchObject({ pid: process.pid });
  });
});

describe('LowdbStore: a lock left behind is taken over once stale, whoever it names', () => {
  type Left = { dir: boolean; owner?: string; lockFile?: string };
  const named = (pid: number, host?: string) =>
    `process ${pid} on ${host ?? os.hostname()}, started 2025-03-01T09:00:00.000Z`;
  const unknown = 'a process that left no details';
  const cases: [string, () => Left, string][] = [
    [
      'another host (a replaced container)',
      () => ({ dir: true, owner: ownerText(4242, 'other-host.example') }),
      named(4242, 'other-host.example'),
    ],
    [
      'a pid now used by a live, unrelated process',
      () => ({ dir: true, owner: ownerText(process.ppid) }),
      named(process.ppid),
    ],
    [
      'our own pid (a previous run in a container)',
      () => ({ dir: true, owner: ownerText(process.pid) }),
      named(process.pid),
    ],
    ['an empty owner file', () => ({ dir: true, owner: '' }), unknown],
    ['a garbage owner file', () => ({ dir: true, owner: '{"pid":' }), unknown],
    ['no owner file (killed while taking the lock)', () => ({ dir: true }), unknown],
    [
      'an older version’s lock file, from another host',
      () => ({ dir: false, lockFile: ownerText(4242, 'other-host.example') }),
      unknown,
    ],
    [
      'an older version’s lock file, naming a live, unrelated pid',
      () => ({ dir: false, lockFile: ownerText(process.ppid) }),
      unknown,
    ],
    ['an empty lock file', () => ({ dir: false, lockFile: '' }), unknown],
    ['a garbage lock file', () => ({ dir: false, lockFile: 'garbage' }), unknown],
  ];

  it.concurrent.each(cases)('%s', async (_, left, holder) => {
    const temp = await makeTempDir();
    const dir = temp.dir;
    let opened: LowdbStore | undefined;
    try {
      const l = left();
      if (l.dir) await mkdir(lockPath(dir));
      else await writeFile(lockPath(dir), l.lockFile ?? '');
      if (l.owner !== undefined) await writeFile(ownerFile(dir), l.owner);
      // Its holder stopped refreshing it a while ago.
      const past = new Date(Date.now() - 60_000);
      await utimes(lockPath(dir), past, past);

      const { lines, logger } = recorder();
      opened = await openFileStore(dir, { lockStaleMs: STALE_MS, logger });
      expect(lines.warn).toEqual([expect.stringContaining(`Took over the lock on ${dir} from ${holder}`)]);
      expect(await readJson(ownerFile(dir))).toMatchObject({ pid: process.pid, hostname: os.hostname() });
      await opened.update('T1:U1', rate('f', 'c', 2));
      await opened.close();
      opened = undefined;
      expect(await readdir(dir)).toEqual(['competency-data.json']);
    } finally {
      await opened?.close();
      await temp.remove();
    }
  });
});

describe('LowdbStore: a lock lost while held', () => {
  it('refuses every change from then on, logs why, and reports itself unhealthy', async () => {
    const { lines, logger } = recorder();
    store = await openFileStore(dataDir, { lockStaleMs: STALE_MS, logger });
    await store.update('T1:U1', rate('f', 'c', 3));
    expect((await store.health()).ok).toBe(true);

    // Someone deletes the lock, and another process takes the folder.
    await rm(lockPath(), { recursive: true });
    const s = store;
    await expect.poll(async () => (await s.health()).ok, { timeout: 10_000 }).toBe(false);
    await mkdir(lockPath());
    await writeFile(ownerFile(), ownerText(4242, 'other-host.example'));

    const refused = store.update('T1:U1', rate('f', 'c', 5));
    await expect(refused).rejects.toBeInstanceOf(NotSavedError);
    await expect(refused).rejects.toThrow(/lost its lock on the data folder .*saves nothing more/);
    await expect(store.forget('T1:U1')).rejects.toBeInstanceOf(NotSavedError);
    expect((await store.get('T1:U1')).ratings.f?.c?.value).toBe(3);
    expect(lines.error.join('\n')).toContain(
      `lost its lock on the data folder ${dataDir}: ${lockPath()} was deleted`,
    );

    // Closing leaves the other process's lock and owner file alone.
    await store.close();
    store = undefined;
    expect(await readFile(ownerFile(), 'utf8')).toBe(ownerText(4242, 'other-host.example'));
    expect((await readdir(dataDir)).sort()).toEqual([
      'competency-data.json',
      'competency.lock',
      'competency.lock-owner.json',
    ]);
  });
});

describe('LowdbStore: a crash between the temp write and the rename', () => {
  it('loses nothing that was confirmed; the temp file and the dead lock are cleaned up on reopen', async () => {
    const child = await runChild(
      root,
      `
import { openFileStore } from ${JSON.stringify(STORE_MODULE_URL)};
let crash = false;
const store = await openFileStore(${JSON.stringify(dataDir)}, {
  lockStaleMs: ${STALE_MS},
  hooks: { afterTempWrite: () => { if (crash) process.kill(process.pid, 'SIGKILL'); } },
});
const rating = (value) => (data) => {
  data.ratings.f ??= {};
  data.ratings.f.c = { value, at: '2025-03-01T10:00:00.000Z', frameworkVersion: '1' };
};
await store.update('T1:A', rating(4));
console.log('A confirmed');
crash = true;
await store.update('T1:B', rating(2));
console.log('B confirmed (should not happen)');
`,
    );
    expect(child.stdout).toBe('A confirmed\n');
    expect(child.signal).toBe('SIGKILL');

    const left = await readdir(dataDir);
    const temps = left.filter((name) => /^\.competency-data\.json\.\d+\.[0-9a-f]+\.tmp$/.test(name));
    expect(temps).toHaveLength(1);
    expect(left).toContain('competency.lock');
    expect(await readJson(ownerFile())).toMatchObject({ pid: child.pid });

    const { lines, logger } = recorder();
    store = await openFileStore(dataDir, { lockStaleMs: STALE_MS, logger });
    expect((await store.get('T1:A')).ratings.f?.c?.value).toBe(4);
    expect(await store.get('T1:B')).toEqual({ ratings: {}, drafts: {}, history: [] });
    expect(await store.size()).toBe(1);
    expect(lines.warn.join('\n')).toContain(`process ${child.pid} on ${os.hostname()}`);
    expect(lines.info.join('\n')).toContain(`Removed ${temps[0]}`);
    expect((await readdir(dataDir)).sort()).toEqual([
      'competency-data.json',
      'competency.lock',
      'competency.lock-owner.json',
    ]);
    expect(await readJson(ownerFile())).toMatchObject({ pid: process.pid });
  });
});
