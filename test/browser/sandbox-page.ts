// biome-ignore-all lint/correctness/noEmptyPattern: vitest reads from a fixture's first parameter, which must be a destructuring pattern, the fixtures it needs
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SandboxRunning } from '../../src/sandbox/sandbox.js';
import { test as base } from '../support/fixtures.js';
import { launchChromium } from './chromium.js';

/** Where the browser tests leave their screenshots (git ignores it). */
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../artifacts');

export type SandboxInChromium = {
  sandbox: SandboxRunning;
  context: BrowserContext;
  page: Page;
  /**
   * What any native browser dialog (alert, confirm) the page opened said. The page asks in dialogs of
   * its own, as Slack does, so this stays empty; such a dialog is dismissed.
   */
  nativeDialogs: string[];
};

/**
 * The browser tests' fixtures, beside those of ../support/fixtures.ts:
 * - `chromium`: one Chromium for each worker (starting it is the slow part), closed when the worker ends;
 * - `sandboxInChromium`: for each file, the sandbox as `npm start` runs it (`sharedSandbox`) and a page
 *   of 1280 × 900 ready to open `sandbox.url`, in a browser context of its own (its own cookies and
 *   storage, as a browser of its own would have); all closed after the file.
 */
const test = base
  .extend('chromium', { scope: 'worker' }, async ({}, { onCleanup }): Promise<Browser> => {
    const browser = await launchChromium();
    onCleanup(() => browser.close());
    return browser;
  })
  .extend(
    'sandboxInChromium',
    { scope: 'file' },
    async ({ chromium, sharedSandbox }, { onCleanup }): Promise<SandboxInChromium> => {
      await mkdir(ARTIFACTS, { recursive: true });
      const context = await chromium.newContext({ viewport: { width: 1280, height: 900 } });
      onCleanup(() => context.close());
      const page = await context.newPage();
      const nativeDialogs: string[] = [];
      page.on('dialog', (dialog) => {
        nativeDialogs.push(dialog.message());
        void dialog.dismiss();
      });
      return { sandbox: sharedSandbox, context, page, nativeDialogs };
    },
  );

export const it = test;
