import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { takeSandboxScreenshot } from '../../scripts/screenshot.js';
import { haveBrowser } from './chromium.js';
import { ARTIFACTS } from './sandbox-page.js';

/** `npm run screenshot` makes the README's picture from the sandbox, so it can always be made again. */
describe.skipIf(!haveBrowser)('npm run screenshot', () => {
  it('draws a summary from the sandbox as a 1280 × 1000 PNG', async () => {
    const file = await takeSandboxScreenshot(path.join(ARTIFACTS, 'readme-screenshot.png'));
    const png = await readFile(file);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // The IHDR chunk: width and height, big-endian, at bytes 16–23.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 1000]);
  }, 60_000);
});
