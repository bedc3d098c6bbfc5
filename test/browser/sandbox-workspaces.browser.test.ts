import path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { SandboxRunning } from '../../src/sandbox/sandbox.js';
import { haveBrowser } from './chromium.js';
import { ARTIFACTS, it, type SandboxInChromium } from './sandbox-page.js';

/**
 * A newcomer tries the second workspace of the sandbox page: the app is not installed there, the page
 * says so and links to the app's own install page, which opens in a new tab of the same browser (its
 * state cookie must come back with the redirect); after the install, the page shows the app working
 * there; removing it brings the notice back.
 */
describe.skipIf(!haveBrowser)('installing the app into the sandbox’s second workspace, in Chromium', () => {
  let sandbox: SandboxRunning;
  let context: BrowserContext;
  let page: Page;

  let opened: SandboxInChromium | undefined;
  it.beforeAll(({ sandboxInChromium }) => {
    opened = sandboxInChromium;
    ({ sandbox, page, context } = opened);
  }, 60_000);

  const lastMessage = (): Locator => page.getByTestId('message').last();
  const notice = (): Locator => page.getByTestId('install-notice');

  async function send(text: string): Promise<void> {
    const composer = page.getByTestId('composer');
    await composer.fill(text);
    await composer.press('Enter');
  }

  it('switches to the second workspace, installs the app there from its install page, and removes it', async () => {
    await page.goto(sandbox.url);
    expect(await page.getByTestId('workspace-switcher').inputValue()).toBe('T0LOCAL0001');
    await send('/competency sa senior');
    await expect.poll(() => lastMessage().innerText()).toContain('Expected at Senior');
    expect(await notice().isVisible()).toBe(false);

    // The second workspace: the same person, another account; the app is not installed there.
    await page.getByTestId('workspace-switcher').selectOption({ label: 'Second Workspace' });
    await expect.poll(() => notice().isVisible()).toBe(true);
    expect(await page.getByTestId('user-switcher').inputValue()).toBe('U0SAMRIVER2');
    expect(await page.locator('#user-switcher option:checked').innerText()).toBe('Sam Rivera');
    const text = await notice().innerText();
    expect(text).toContain('Competency is not installed in this workspace');
    expect(text).toContain('Install into Second Workspace');
    expect(await page.getByTestId('message').count()).toBe(0); // nothing of the first workspace
    expect(
      await page.getByRole('button', { name: 'Remove Competency from this workspace' }).isVisible(),
    ).toBe(false);
    await send('/competency sa senior');
    await expect.poll(() => lastMessage().innerText()).toContain('not installed in this workspace');
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-not-installed.png') });

    // The link opens the app's install page in a new tab of the same browser.
    const link = page.getByRole('link', { name: 'Add Competency to this workspace' });
    expect(await link.getAttribute('target')).toBe('_blank');
    const [tab] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await tab.waitForLoadState();
    expect(new URL(tab.url()).pathname).toBe('/slack/install');
    await tab.getByRole('link', { name: 'Add to Slack' }).click();
    await tab.getByRole('button', { name: 'Install into Second Workspace' }).click();
    await expect.poll(() => tab.locator('h1').innerText()).toBe('Competency is installed');
    await tab.close();

    // Back on the sandbox page: the app works in the second workspace, with Sam's own data there.
    await page.bringToFront();
    await expect.poll(() => notice().isVisible()).toBe(false);
    await send('/competency sa senior');
    await expect.poll(() => lastMessage().innerText()).toContain('Expected at Senior');
    await lastMessage().getByRole('button', { name: 'Rate yourself' }).click();
    await expect.poll(() => lastMessage().innerText()).toContain('1 of 8');
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-second-workspace.png') });
    await page.getByTestId('tab-home').click();
    await expect.poll(() => page.locator('#pane-home').innerText()).toContain('Your assessments');
    await page.getByTestId('tab-home').click(); // again: still the Home tab
    await page.getByTestId('channel-general').click();

    // A reload keeps the workspace and the person.
    await page.reload();
    await expect.poll(() => page.getByTestId('workspace-switcher').inputValue()).toBe('T0SECONDWS1');
    await expect.poll(() => lastMessage().innerText()).toContain('1 of 8');
    expect(await notice().isVisible()).toBe(false);

    // Removing it asks first, in a dialog of the page; Cancel keeps the app.
    const remove = page.getByRole('button', { name: 'Remove Competency from this workspace' });
    const dialog = page.getByRole('alertdialog', { name: 'Remove Competency from Second Workspace?' });
    await remove.click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.innerText()).toContain(
      'the app deletes everything it keeps about the people of Second Workspace',
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await notice().isVisible()).toBe(false);
    expect(await remove.isVisible()).toBe(true);

    // Removing it: Slack tells the app, which deletes the data; the notice is back and says so.
    await remove.click();
    await dialog.getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => notice().isVisible()).toBe(true);
    expect(await notice().innerText()).toContain('the app deleted everything it kept about the people here');
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-removed.png') });

    // The first workspace is as it was.
    await page.getByTestId('workspace-switcher').selectOption({ label: 'Sandbox Workspace' });
    await expect.poll(() => page.getByTestId('user-switcher').inputValue()).toBe('U0SAMRIVERA');
    await expect.poll(() => notice().isVisible()).toBe(false);
    await expect.poll(() => lastMessage().innerText()).toContain('Expected at Senior');
    expect(await page.getByTestId('message').filter({ hasText: 'not installed' }).count()).toBe(0);
    expect(opened?.nativeDialogs).toEqual([]);
  }, 90_000);
});
