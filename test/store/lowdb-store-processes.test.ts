import { readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LowdbStore, openLowdbStore, StoreError } from '../../src/store/lowdb-store.js';
import { makeTempDir, readJson, runChild, STORE_MODULE_URL } from './helpers.js';

/**
 * Real second processes: one process per data folder, and a crash in the middle of a write.
 * Children run TypeScript through tsx and import the store module by absolute URL.
 */

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

const lockFile = () => path.join(dataDir, 'competency.lock');

/** A child that tries to open the data folder and reports how that went on stdout. */
const tryOpen = () => `
import { openLowdbStore } from ${JSON.stringify(STORE_MODULE_URL)};
try {
  const store = await openLowdbStore(${JSON.stringify(dataDir)});
  await store.close();
  console.log('OPENED');
} catch (error) {
  console.log(error instanceof Error ? error.name + ': ' + error.message : String(error));
}
`;

/** The pid of a process that has exited: started, waited for, gone. */
async function deadPid(): Promise<number> {
  const child = await runChild(root, '');
  expect(child.code).toBe(0);
  return child.pid;
}

function lockText(pid: number, hostname = os.hostname()): string {
  return JSON.stringify({ pid, hostname, startedAt: '2025-03-01T09:00:00.000Z' });
}

describe('LowdbStore: one process per data folder', () => {
  it('refuses a second process while this one holds the folder; lets it in after close', async () => {
    store = await openLowdbStore(dataDir);
    expect(await readJson(lockFile())).toMatchObject({ pid: process.pid, hostname: os.hostname() });

    const refused = await runChild(root, tryOpen());
    expect(refused.stderr).toBe('');
    expect(refused.stdout).toContain(
      `StoreError: The data folder ${dataDir} is in use by another copy of the app (process ${process.pid} on ${os.hostname()}, started `,
    );
    expect(refused.stdout).toContain('Stop that process first, or set DATA_DIR to another folder.');
    // The refused process did not take or remove our lock.
    expect(await readJson(lockFile())).toMatchObject({ pid: process.pid });

    await store.close();
    store = undefined;
    await expect(readdir(dataDir)).resolves.not.toContain('competency.lock');

    const admitted = await runChild(root, tryOpen());
    expect(admitted.stdout.trim()).toBe('OPENED');
  });

  it('takes over a stale lock left by a process that has exited, with a warning', async () => {
    const pid = await deadPid();
    await openLowdbStore(dataDir).then((s) => s.close()); // creates the folder
    await writeFile(lockFile(), lockText(pid));

    const warnings: string[] = [];
    store = await openLowdbStore(dataDir, {
      logger: { info: () => {}, warn: (...a) => warnings.push(a.join(' ')) },
    });
    expect(warnings).toEqual([
      `Taking over the lock on ${dataDir}: process ${pid} on ${os.hostname()}, started 2025-03-01T09:00:00.000Z is no longer running`,
    ]);
    expect(await readJson(lockFile())).toMatchObject({ pid: process.pid });
  });

  it('takes over a lock with our own pid that this process did not take (a previous run in a container)', async () => {
    await openLowdbStore(dataDir).then((s) => s.close());
    await writeFile(lockFile(), lockText(process.pid));
    store = await openLowdbStore(dataDir);
    expect(store.size()).toBe(0);
  });

  it('refuses a lock from another machine, and says how to clear it', async () => {
    await openLowdbStore(dataDir).then((s) => s.close());
    await writeFile(lockFile(), lockText(4242, 'other-host.example'));
    const error = await openLowdbStore(dataDir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as Error).message).toContain(
      'is in use by another copy of the app (process 4242 on other-host.example, started 2025-03-01T09:00:00.000Z)',
    );
    expect((error as Error).message).toContain(`if that process is surely gone, delete ${lockFile()}`);
    expect(await readFile(lockFile(), 'utf8')).toBe(lockText(4242, 'other-host.example'));
  });

  it('refuses a lock file it cannot read, and leaves it in place', async () => {
    await openLowdbStore(dataDir).then((s) => s.close());
    await writeFile(lockFile(), 'garbage');
    await expect(openLowdbStore(dataDir)).rejects.toThrow(/has a lock file .* that cannot be read/);
    expect(await readFile(lockFile(), 'utf8')).toBe('garbage');
  });
});

describe('LowdbStore: a crash between the temp write and the rename', () => {
  it('loses nothing that was confirmed; the temp file and the dead lock are cleaned up on reopen', async () => {
    const child = await runChild(
      root,
      `
import { openLowdbStore } from ${JSON.stringify(STORE_MODULE_URL)};
let crash = false;
const store = await openLowdbStore(${JSON.stringify(dataDir)}, {
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
    expect(await readJson(lockFile())).toMatchObject({ pid: child.pid });

    const infos: string[] = [];
    const warnings: string[] = [];
    store = await openLowdbStore(dataDir, {
      logger: { info: (...a) => infos.push(a.join(' ')), warn: (...a) => warnings.push(a.join(' ')) },
    });
    expect(store.get('T1:A').ratings.f?.c?.value).toBe(4);
    expect(store.get('T1:B')).toEqual({ ratings: {}, drafts: {}, history: [] });
    expect(store.size()).toBe(1);
    expect(warnings.join('\n')).toContain(`process ${child.pid} on ${os.hostname()}`);
    expect(infos.join('\n')).toContain(`Removed ${temps[0]}`);
    expect((await readdir(dataDir)).sort()).toEqual(['competency-data.json', 'competency.lock']);
    expect(await readJson(lockFile())).toMatchObject({ pid: process.pid });
  });
});
