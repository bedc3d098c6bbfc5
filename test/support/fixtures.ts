// biome-ignore-all lint/correctness/noEmptyPattern: vitest reads from a fixture's first parameter, which must be a destructuring pattern, the fixtures it needs
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test as base } from 'vitest';
import { type LocalSlack, type LocalSlackOptions, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { type SandboxRunning, startSandbox } from '../../src/sandbox/sandbox.js';
import { type Harness, type HarnessOptions, startHarness } from '../integration/harness.js';
import { createTestDatabase, type TestDatabase } from '../store/helpers.js';

/**
 * The tests' fixtures (vitest `test.extend`). Each one starts only when a test names it, and is
 * stopped and removed after that test — or, for the `shared…` ones, after the last test of the file
 * — whether the test passed, failed or timed out. No test file writes its own afterEach for them.
 *
 * ```ts
 * import { it } from '../support/fixtures.js';
 *
 * it('Cancel posts nothing', async ({ harness }) => {
 *   const summary = await finishSeniorAssessment(harness, ALICE, [4, 4, 4, 4, 3, 4, 3, 3]);
 *   …
 * });
 * ```
 *
 * - `harness`: the real app over HTTP with a local Slack and a data folder of its own, for this test.
 * - `sharedHarness`: one for every test of the file, for tests that build on what the others did.
 * - `harnessOptions`: what both are started with; a file sets them once, at its top level:
 *   `const it = test.extend('harnessOptions', { scope: 'file' }, { now: () => NOW })`. Not with
 *   `test.override` at the top level of a file: that changes this module's `test`, which the next
 *   files of the same worker share (vitest.config.ts: `isolate: false`).
 * - `startHarness`: starts more (or differently configured) harnesses in one test; all are closed after it.
 * - `localSlack`, `tempDir`: a local Slack alone (started with `localSlackOptions`), an empty
 *   temporary folder, for this test.
 * - `sharedLocalSlack`, `sharedTempDir`, `sharedDatabase`: the same for the whole file, and an empty
 *   PostgreSQL database on the test server.
 * - `sharedSandbox`: the sandbox as `npm start` runs it without tokens (a free port, quiet), its data in
 *   `sharedTempDir`, for the whole file.
 */
export const test = base
  .extend('harnessOptions', { scope: 'file' }, {} as HarnessOptions)
  .extend('sharedHarness', { scope: 'file' }, async ({ harnessOptions }, { onCleanup }) => {
    const harness = await startHarness(harnessOptions);
    onCleanup(() => harness.close());
    return harness;
  })
  .extend('harness', async ({ harnessOptions }, { onCleanup }) => {
    const harness = await startHarness(harnessOptions);
    onCleanup(() => harness.close());
    return harness;
  })
  .extend('startHarness', async ({ harnessOptions }, { onCleanup }) => {
    const started: Harness[] = [];
    onCleanup(async () => {
      await Promise.all(started.map((harness) => harness.close()));
    });
    return async (options: HarnessOptions = harnessOptions): Promise<Harness> => {
      const harness = await startHarness(options);
      started.push(harness);
      return harness;
    };
  })
  .extend('localSlackOptions', { scope: 'file' }, {} as LocalSlackOptions)
  .extend('localSlack', async ({ localSlackOptions }, { onCleanup }): Promise<LocalSlack> => {
    const slack = await startLocalSlack(localSlackOptions);
    onCleanup(() => slack.close());
    return slack;
  })
  .extend('sharedLocalSlack', { scope: 'file' }, async ({ localSlackOptions }, { onCleanup }) => {
    const slack = await startLocalSlack(localSlackOptions);
    onCleanup(() => slack.close());
    return slack;
  })
  .extend('tempDir', async ({}, { onCleanup }) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'competency-test-'));
    onCleanup(() => rm(dir, { recursive: true, force: true }));
    return dir;
  })
  .extend('sharedTempDir', { scope: 'file' }, async ({}, { onCleanup }) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'competency-test-'));
    onCleanup(() => rm(dir, { recursive: true, force: true }));
    return dir;
  })
  .extend(
    'sharedSandbox',
    { scope: 'file' },
    async ({ sharedTempDir }, { onCleanup }): Promise<SandboxRunning> => {
      const sandbox = await startSandbox(
        { PORT: '0', DATA_DIR: sharedTempDir, LOG_LEVEL: 'warn', FRAMEWORKS_CACHE_DIR: 'off' },
        { print: () => {} },
      );
      onCleanup(() => sandbox.stop());
      return sandbox;
    },
  )
  .extend('sharedDatabase', { scope: 'file' }, async ({}, { onCleanup }): Promise<TestDatabase> => {
    const database = await createTestDatabase('file');
    onCleanup(() => database.drop());
    return database;
  });

/** @alias The same fixtures under the name most test files use. */
export const it = test;
