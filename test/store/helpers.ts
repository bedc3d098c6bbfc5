import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkDataFile } from '../../src/store/schema.js';
import type { PersonData, RatingValue } from '../../src/store/store.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The store module, for child processes to import by absolute URL. */
export const STORE_MODULE_URL = pathToFileURL(path.join(PROJECT_ROOT, 'src/store/lowdb-store.ts')).href;

/** A fresh folder under the system temp folder; `remove()` deletes it (call it in afterEach). */
export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'competency-store-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export const AT = '2025-03-01T10:00:00.000Z';

/** A change that sets one rating, the way the assessment code does. */
export function rate(frameworkId: string, competencyId: string, value: RatingValue) {
  return (data: PersonData): void => {
    data.ratings[frameworkId] ??= {};
    data.ratings[frameworkId][competencyId] = { value, at: AT, frameworkVersion: '1' };
  };
}

export async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8'));
}

/** The people in the data file of `dir` as it is on disk now; throws if the file does not validate. */
export async function peopleOnDisk(dir: string): Promise<Record<string, PersonData>> {
  const check = checkDataFile(await readJson(path.join(dir, 'competency-data.json')));
  if (!check.ok) throw new Error(`the data file does not validate: ${JSON.stringify(check)}`);
  return check.data.people;
}

export type ChildResult = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
};

/** Runs TypeScript in a real child process (a separate pid), the way a second copy of the app would run. */
export async function runChild(scriptDir: string, source: string): Promise<ChildResult & { pid: number }> {
  const script = path.join(scriptDir, `child-${Math.random().toString(36).slice(2)}.mts`);
  await writeFile(script, source);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, pid: child.pid ?? -1 }));
  });
}
