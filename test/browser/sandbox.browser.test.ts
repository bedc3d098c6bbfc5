import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { SandboxRunning } from '../../src/sandbox/sandbox.js';
import { haveBrowser } from './chromium.js';
import { ARTIFACTS, it, type SandboxInChromium } from './sandbox-page.js';

/** The sandbox page in a real browser (see ./chromium.ts for which browser, and when these tests skip). */
describe.skipIf(!haveBrowser)('the sandbox page in Chromium', () => {
  let sandbox: SandboxRunning;
  let page: Page;

  let opened: SandboxInChromium | undefined;
  it.beforeAll(({ sandboxInChromium }) => {
    opened = sandboxInChromium;
    ({ sandbox, page } = opened);
  }, 60_000);

  const lastMessage = (): Locator => page.getByTestId('message').last();

  async function send(text: string): Promise<void> {
    const composer = page.getByTestId('composer');
    await composer.fill(text);
    await composer.press('Enter');
  }

  it('runs the whole flow: command, rate 8 competencies, summary, share, another person views it', async () => {
    await page.goto(sandbox.url);
    await send('/competency solutions-architect senior');
    await expect.poll(() => lastMessage().innerText()).toContain('Expected at Senior');
    await expect.poll(() => lastMessage().innerText()).toContain('Only visible to you');
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-framework.png') });

    await lastMessage().getByRole('button', { name: 'Rate yourself' }).click();
    for (let i = 1; i <= 8; i++) {
      await expect.poll(() => lastMessage().innerText()).toContain(`${i} of 8`);
      const rating = i % 3 === 0 ? '2 · Developing' : '4 · Advanced';
      await lastMessage().getByRole('button', { name: rating }).click();
    }
    await expect.poll(() => lastMessage().innerText()).toContain('at or above Senior expectations');
    const summary = await lastMessage().innerText();
    expect(summary).toContain('Focus areas · two or more below');
    expect(summary).toContain('✅');
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-summary.png'), fullPage: false });

    await lastMessage().getByRole('button', { name: 'Share to channel' }).click();
    await expect.poll(() => lastMessage().innerText()).toContain('Preview');
    await lastMessage().getByRole('button', { name: 'Post it' }).click();
    await expect
      .poll(() => page.getByTestId('message').filter({ hasText: 'shared their self-assessment' }).count())
      .toBe(1);

    // Another person: sees the shared post, none of Sam's private messages.
    await page.getByTestId('user-switcher').selectOption({ label: 'Alex Chen' });
    await expect.poll(() => page.getByTestId('message').count()).toBe(1);
    const shared = page.getByTestId('message').first();
    expect(await shared.innerText()).toContain('@Sam Rivera shared their self-assessment');
    await shared.getByRole('button', { name: 'View this framework' }).click();
    await expect.poll(() => page.getByTestId('message').count()).toBe(2);
    const privateView = lastMessage();
    expect(await privateView.getAttribute('data-ephemeral')).toBe('true');
    expect(await privateView.innerText()).toContain('Expected at Senior');
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-shared.png') });
  }, 60_000);

  it('rates everything in the Rate all form, a modal', async () => {
    await send('/competency sa lead');
    await expect.poll(() => lastMessage().innerText()).toContain('Expected at Lead-Principal');
    await lastMessage().getByRole('button', { name: 'Rate all at once' }).click();
    const modal = page.getByTestId('modal');
    await expect.poll(() => modal.isVisible()).toBe(true);
    const selects = modal.locator('select');
    expect(await selects.count()).toBe(8);
    for (let i = 0; i < 8; i++) await selects.nth(i).selectOption({ value: '5' });
    await page.getByTestId('modal-submit').click();
    await expect.poll(() => modal.isVisible()).toBe(false);
    await expect
      .poll(() => lastMessage().innerText())
      .toContain('8 of 8 at or above Lead-Principal expectations');
  }, 60_000);

  it('shows the App Home tab', async () => {
    await page.getByTestId('tab-home').click();
    await expect.poll(() => page.locator('body').innerText()).toContain('Your assessments');
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-home.png') });
  }, 60_000);
});
