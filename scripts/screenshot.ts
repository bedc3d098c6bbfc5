import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../src/sandbox/sandbox.js';
import { CHROMIUM, launchChromium } from './chromium.js';

/**
 * `npm run screenshot`: the README's picture of the product, made from the sandbox as a newcomer sees
 * it, so it can be made again whenever the app changes. Starts the sandbox on a free port with a data
 * folder of its own, opens its page in Debian's Chromium, asks for a framework, rates every
 * competency, and saves the summary as a PNG (docs/sandbox.png unless another file is named).
 */

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const SCREENSHOT = path.join(ROOT, 'docs', 'sandbox.png');

/** The ratings given, in the order the bundled Solutions Architect framework asks: a mix of gaps. */
const RATINGS = [
  '4 · Advanced',
  '5 · Expert',
  '2 · Developing',
  '4 · Advanced',
  '3 · Proficient',
  '2 · Developing',
  '3 · Proficient',
  '1 · Basic',
];

/** Makes the picture; resolves with the file written. */
export async function takeSandboxScreenshot(file: string = SCREENSHOT): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'competency-screenshot-'));
  const sandbox = await startSandbox(
    { PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'warn', FRAMEWORKS_CACHE_DIR: 'off' },
    { print: () => {} },
  );
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(sandbox.url);
    const last = () => page.getByTestId('message').last();
    const composer = page.getByTestId('composer');
    await composer.fill('/competency solutions-architect senior');
    await composer.press('Enter');
    await last().getByRole('button', { name: 'Rate yourself' }).click();
    for (const [i, rating] of RATINGS.entries()) {
      await last()
        .getByText(`${i + 1} of ${RATINGS.length}`)
        .waitFor();
      await last().getByRole('button', { name: rating }).click();
    }
    await last().getByRole('button', { name: 'Share to channel' }).waitFor();
    await page.screenshot({ path: file });
    return file;
  } finally {
    await browser.close();
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(
      `${CHROMIUM} is missing: install Debian's Chromium (apt-get install chromium), then try again.\n`,
    );
    process.exit(1);
  }
  const out = path.resolve(process.argv[2] ?? SCREENSHOT);
  takeSandboxScreenshot(out).then(
    (written) => process.stdout.write(`Wrote ${path.relative(process.cwd(), written)}\n`),
    (error: unknown) => {
      process.stderr.write(
        `Could not make the screenshot: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
