import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type SandboxRunning, startSandbox } from '../../src/sandbox/sandbox.js';
import { launchChromium } from './chromium.js';

/** Where the browser tests leave their screenshots (git ignores it). */
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../artifacts');

export type SandboxInChromium = {
  sandbox: SandboxRunning;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /**
   * What any native browser dialog (alert, confirm) the page opened said. The page asks in dialogs of
   * its own, as Slack does, so this stays empty; such a dialog is dismissed.
   */
  nativeDialogs: string[];
  /** Closes the browser, stops the sandbox and deletes its data folder. */
  close: () => Promise<void>;
};

/**
 * The sandbox as `npm start` runs it (a free port, a data folder of its own, quiet) and a Chromium
 * page of 1280 × 900, ready to open `sandbox.url`.
 */
export async function openSandboxInChromium(label: string): Promise<SandboxInChromium> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `competency-${label}-`));
  await mkdir(ARTIFACTS, { recursive: true });
  const sandbox = await startSandbox({ PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'warn' }, { print: () => {} });
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const nativeDialogs: string[] = [];
  page.on('dialog', (dialog) => {
    nativeDialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return {
    sandbox,
    browser,
    context,
    page,
    nativeDialogs,
    close: async () => {
      await browser.close();
      await sandbox.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
