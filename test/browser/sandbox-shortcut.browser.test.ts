import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { SandboxRunning } from '../../src/sandbox/sandbox.js';
import { haveBrowser } from './chromium.js';
import { ARTIFACTS, it, type SandboxInChromium } from './sandbox-page.js';

/**
 * The "Look up a competency" shortcut end to end in the sandbox page: the ⚡ menu by the message box
 * runs it (a signed `shortcut` request), the app opens its form (views.open), typing in the role menu
 * asks the app for options (signed `block_suggestion`, answered in the response), choosing a role
 * updates the form (block_actions → views.update), and Show puts the framework in the modal, where
 * its buttons work.
 */
describe.skipIf(!haveBrowser)('the Look up a competency shortcut in the sandbox page, in Chromium', () => {
  let sandbox: SandboxRunning;
  let page: Page;

  let opened: SandboxInChromium | undefined;
  it.beforeAll(({ sandboxInChromium }) => {
    opened = sandboxInChromium;
    ({ sandbox, page } = opened);
  }, 60_000);

  const modal = (): Locator => page.getByTestId('modal');
  const roleBox = (): Locator => modal().getByRole('combobox', { name: 'Role' });

  async function runShortcut(): Promise<void> {
    await page.getByRole('button', { name: 'Shortcuts' }).click();
    await page.getByRole('menuitem', { name: /Look up a competency/ }).click();
    await expect.poll(() => modal().isVisible()).toBe(true);
  }

  it('looks up Solutions Architect · Senior from the shortcut, and its buttons work in the modal', async () => {
    await page.goto(sandbox.url);
    await runShortcut();
    expect(await modal().locator('#modal-title').innerText()).toBe('Look up a competency');

    // Letters nobody's role has: the menu says so kindly.
    await roleBox().fill('xyz');
    await expect
      .poll(() => modal().getByRole('option').first().innerText())
      .toBe("No role matches 'xyz' — try fewer letters");

    // Typing asks the app; the matching role is offered with its domain.
    await roleBox().fill('sol');
    const option = modal().getByRole('option', { name: /Solutions Architect/ });
    await expect.poll(() => option.innerText()).toContain('E-commerce');
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-shortcut-role.png') });
    await option.click();

    // The form now asks for the level only (one domain), with the role kept.
    const level = modal().getByLabel('Level');
    await expect.poll(() => level.isVisible()).toBe(true);
    expect(await roleBox().inputValue()).toBe('Solutions Architect');
    expect(await modal().getByLabel('Domain').count()).toBe(0);
    await level.selectOption({ label: 'Senior' });
    await page.getByTestId('modal-submit').click();

    // The answer replaces the form, with the framework's buttons.
    await expect.poll(() => modal().innerText()).toContain('Expected at Senior');
    expect(await modal().innerText()).toContain('Solutions Architect · Senior');
    expect(await page.getByTestId('modal-submit').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-shortcut-answer.png') });
    await modal().getByRole('button', { name: 'See Lead-Principal' }).click();
    await expect.poll(() => modal().innerText()).toContain('Expected at Lead-Principal');

    // Closing it leaves the channel as it was: the shortcut posted nothing there.
    await modal().getByRole('button', { name: 'Close' }).first().click();
    await expect.poll(() => modal().count()).toBe(0);
    expect(await page.getByTestId('message').count()).toBe(0);
  }, 60_000);

  it('offers Look up another under an answer, and Show without a level says what is missing', async () => {
    await page.goto(sandbox.url);
    await runShortcut();
    await roleBox().fill('solutions');
    await modal()
      .getByRole('option', { name: /Solutions Architect/ })
      .click();
    await expect.poll(() => modal().getByLabel('Level').isVisible()).toBe(true);
    await page.getByTestId('modal-submit').click();
    await expect
      .poll(() => modal().getByRole('alert').filter({ hasText: 'Choose a level.' }).count())
      .toBe(1);

    await modal().getByLabel('Level').selectOption({ label: 'Lead-Principal' });
    await page.getByTestId('modal-submit').click();
    await expect.poll(() => modal().innerText()).toContain('Expected at Lead-Principal');
    await modal().getByRole('button', { name: 'Look up another' }).click();
    await expect.poll(() => roleBox().isVisible()).toBe(true);
    expect(await roleBox().inputValue()).toBe('');
    await modal().getByRole('button', { name: 'Cancel' }).click();

    // Where the app is not installed, Slack lists none of its shortcuts.
    await page.getByTestId('workspace-switcher').selectOption({ label: 'Second Workspace' });
    await expect.poll(() => page.getByTestId('install-notice').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Shortcuts' }).isVisible()).toBe(false);
    await page.getByTestId('workspace-switcher').selectOption({ label: 'Sandbox Workspace' });
    await expect.poll(() => page.getByRole('button', { name: 'Shortcuts' }).isVisible()).toBe(true);
  }, 60_000);
});
