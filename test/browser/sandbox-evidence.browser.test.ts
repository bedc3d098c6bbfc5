import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { SandboxRunning } from '../../src/sandbox/sandbox.js';
import { haveBrowser } from './chromium.js';
import { ARTIFACTS, it, type SandboxInChromium } from './sandbox-page.js';

/**
 * "Add as evidence", the message shortcut, end to end in the sandbox page: a message written in the
 * channel gets a ⋯ menu with the app's message shortcuts; running it sends a signed message_action,
 * the app opens its form, and once it is submitted the person is told privately, with a link to the
 * message.
 */
describe.skipIf(!haveBrowser)('Add as evidence from a message’s ⋯ menu, in Chromium', () => {
  let sandbox: SandboxRunning;
  let page: Page;

  it.beforeAll(({ sandboxInChromium }: { sandboxInChromium: SandboxInChromium }) => {
    ({ sandbox, page } = sandboxInChromium);
  }, 60_000);

  const lastMessage = (): Locator => page.getByTestId('message').last();
  const modal = (): Locator => page.getByTestId('modal');

  async function send(text: string): Promise<void> {
    const composer = page.getByTestId('composer');
    await composer.fill(text);
    await composer.press('Enter');
  }

  it('adds a message of the channel as evidence for a competency of the person’s framework', async () => {
    await page.goto(sandbox.url);
    await send('/competency solutions-architect senior');
    await expect.poll(() => lastMessage().innerText()).toContain('Expected at Senior');
    await lastMessage().getByRole('button', { name: 'Rate yourself' }).click();
    await expect.poll(() => lastMessage().innerText()).toContain('1 of 8');

    // A message of Sam's own in the channel: everyone sees it, so it has a ⋯ menu.
    await send('Wrote up the checkout incident review today');
    const said = page.getByTestId('message').filter({ hasText: 'Wrote up the checkout incident review' });
    await expect.poll(() => said.count()).toBe(1);
    await said.hover();
    await said.getByRole('button', { name: 'More actions' }).click();
    await said.getByRole('menuitem', { name: /Add as evidence/ }).click();

    await expect.poll(() => modal().isVisible()).toBe(true);
    expect(await modal().locator('#modal-title').innerText()).toBe('Add as evidence');
    await modal().getByLabel('Competency').selectOption({ index: 1 });
    await modal().getByLabel('Your note').fill('My write-up of the incident');
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-evidence-form.png') });
    await page.getByTestId('modal-submit').click();
    await expect.poll(() => modal().count()).toBe(0);

    const told = page.getByTestId('message').filter({ hasText: /Added .+ as evidence for/ });
    await expect.poll(() => told.count()).toBe(1);
    expect(await told.innerText()).toContain('Only visible to you');
    expect(await told.getByRole('link', { name: /the message of/ }).count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-evidence-added.png') });
  }, 60_000);
});
