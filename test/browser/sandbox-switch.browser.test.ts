import type { Page, Request, Route } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { SandboxRunning } from '../../src/sandbox/sandbox.js';
import { haveBrowser } from './chromium.js';
import { it, type SandboxInChromium } from './sandbox-page.js';

const SAM = 'U0SAMRIVERA';
const ALEX = 'U0ALEXCHEN1';

/**
 * Switching person while the page is still waiting for the previous person's state: the answer that
 * lands late belongs to someone the page no longer shows, so it must change nothing.
 */
describe.skipIf(!haveBrowser)(
  'switching person in the sandbox page while a state answer is in flight',
  () => {
    let sandbox: SandboxRunning;
    let page: Page;

    /** What a sample person does, sent to the sandbox's API the way the page sends it. */
    async function act(route: string, body: object): Promise<void> {
      const res = await fetch(`${sandbox.url}/sandbox/api/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(await res.json()).toEqual({ ok: true });
    }

    const messagesWith = (text: string) => page.getByTestId('message').filter({ hasText: text });

    let opened: SandboxInChromium | undefined;
    it.beforeAll(({ sandboxInChromium }) => {
      opened = sandboxInChromium;
      ({ sandbox, page } = opened);
    }, 60_000);

    it('a late answer for the previous person neither shows their messages nor switches back', async () => {
      await act('command', { user: SAM, text: 'sa senior' });
      await page.goto(`${sandbox.url}/?user=${SAM}`);
      await expect.poll(() => messagesWith('Expected at Senior').count()).toBe(1);

      // Hold the next answer to "what does Sam see?" until after the switch.
      let caught: (route: Route) => void = () => {};
      const held = new Promise<Route>((resolve) => {
        caught = resolve;
      });
      let holding = true;
      await page.route(
        (url) => url.pathname === '/sandbox/api/state',
        async (route) => {
          const user = new URL(route.request().url()).searchParams.get('user');
          if (holding && user === SAM) {
            holding = false;
            caught(route);
            return;
          }
          await route.continue();
        },
      );
      await act('command', { user: SAM, text: 'sa mid' }); // a change: the page asks for Sam's state again
      const late = await held;

      await page.getByTestId('user-switcher').selectOption({ label: 'Alex Chen' });
      // From the switch on, note whether any of Sam's private answers is ever on screen, even briefly.
      await page.evaluate(`(() => {
        const main = document.querySelector('main');
        const samsShown = () => /Expected at (Senior|Mid-Level)/.test(main.textContent);
        window.samShownToAlex = samsShown();
        new MutationObserver(() => { if (samsShown()) window.samShownToAlex = true; })
          .observe(main, { childList: true, subtree: true, characterData: true });
      })()`);
      const landed = new Promise<void>((resolve) => {
        const done = (request: Request) => request === late.request() && resolve();
        page.on('requestfinished', done);
        page.on('requestfailed', done);
      });
      await late.continue(); // Sam's state, with both of Sam's private answers, now reaches the page
      await landed;

      // Something changes for Alex afterwards; the page must show it, as Alex.
      await act('command', { user: ALEX, text: 'sa lead' });
      await expect
        .poll(() => messagesWith('Expected at Lead-Principal').count(), {
          message: 'the page still shows Alex, with Alex’s new answer',
        })
        .toBe(1);
      expect(await page.getByTestId('user-switcher').inputValue()).toBe(ALEX);
      expect(await messagesWith('Expected at Senior').count()).toBe(0);
      expect(await messagesWith('Expected at Mid-Level').count()).toBe(0);
      expect(await page.evaluate("localStorage.getItem('sandbox.user')")).toBe(ALEX);
      expect(await page.evaluate('window.samShownToAlex')).toBe(false);
    }, 60_000);
  },
);
