import { existsSync } from 'node:fs';
import { CHROMIUM } from '../../scripts/chromium.js';

export { launchChromium } from '../../scripts/chromium.js';

/**
 * Debian's Chromium, driven by playwright-core (never a downloaded browser). CI installs Chromium and
 * sets REQUIRE_BROWSER=1, so there a missing browser fails the run; on a developer's machine without
 * it, the browser tests are skipped with a note.
 */
export const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser && process.env.REQUIRE_BROWSER)
  throw new Error(`REQUIRE_BROWSER is set but ${CHROMIUM} is missing`);
if (!haveBrowser) console.warn(`Skipping browser tests: ${CHROMIUM} not found (apt-get install chromium)`);
