import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { SandboxRunning } from '../../src/sandbox/sandbox.js';
import { haveBrowser } from './chromium.js';
import { ARTIFACTS, it, type SandboxInChromium } from './sandbox-page.js';

/**
 * What a newcomer does with colleagues in the sandbox page: picks a person from the @ list of the
 * message box to ask for a review (the app gets the mention as Slack sends it), sees the request
 * arrive as a direct message that makes Messages unread, answers it through Slack-style confirmation
 * dialogs, and picks the sandbox's user group for a team view. Emoji show as emoji throughout.
 */
describe.skipIf(!haveBrowser)('mentions, confirmations and unread messages in the sandbox page', () => {
  let sandbox: SandboxRunning;
  let page: Page;

  let opened: SandboxInChromium | undefined;
  it.beforeAll(({ sandboxInChromium }) => {
    opened = sandboxInChromium;
    ({ sandbox, page } = opened);
  }, 60_000);

  const composer = (): Locator => page.getByTestId('composer');
  const picker = (): Locator => page.getByTestId('mention-list');
  const choices = (): Promise<string[]> =>
    picker()
      .getByRole('option')
      .evaluateAll((nodes) => nodes.map((n) => n.querySelector('.mention-name')?.textContent ?? ''));
  const pane = (id: 'channel' | 'messages'): Locator => page.locator(`#pane-${id}`);
  /** The newest message in #general (the direct messages are in the page too, hidden). */
  const lastMessage = (): Locator => pane('channel').getByTestId('message').last();
  const dialog = (): Locator => page.getByRole('alertdialog');
  const unread = (): Locator => page.getByTestId('messages-unread');

  async function switchTo(name: string): Promise<void> {
    await page.getByTestId('user-switcher').selectOption({ label: name });
    await expect.poll(() => page.locator('#user-switcher option:checked').innerText()).toBe(name);
  }

  it('asks a colleague picked from the @ list; they get a direct message, unread until opened, and decline it', async () => {
    await page.goto(sandbox.url);
    expect(await unread().isVisible()).toBe(false);

    // Sam finishes a self-assessment first (Rate all at once), so there is something to review.
    await composer().fill('/competency sa senior');
    await composer().press('Enter');
    await expect.poll(() => lastMessage().innerText()).toContain('Expected at Senior');
    await lastMessage().getByRole('button', { name: 'Rate all at once' }).click();
    const modal = page.getByTestId('modal');
    await expect.poll(() => modal.isVisible()).toBe(true);
    const selects = modal.locator('select');
    for (let i = 0; i < (await selects.count()); i++) await selects.nth(i).selectOption({ value: '4' });
    await page.getByTestId('modal-submit').click();
    await expect.poll(() => modal.count()).toBe(0);
    await expect.poll(() => lastMessage().getByRole('button', { name: 'Share to channel' }).count()).toBe(1);

    // Typing @ offers the workspace's people and its user group; typing filters; arrows and Enter pick.
    await composer().pressSequentially('/competency ask @');
    await expect.poll(() => picker().isVisible()).toBe(true);
    expect(await choices()).toEqual(['Sam Rivera', 'Alex Chen', 'Priya Patel', '@sample-team']);
    await composer().pressSequentially('pr');
    await expect.poll(choices).toEqual(['Priya Patel']);
    await composer().press('Backspace');
    await composer().press('Backspace');
    await expect.poll(choices).toHaveLength(4);
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-mention-list.png') });
    await composer().press('ArrowDown');
    expect(await picker().getByRole('option', { selected: true }).innerText()).toContain('Alex Chen');
    await composer().press('Enter');
    await expect.poll(() => picker().isVisible()).toBe(false);
    expect(await composer().inputValue()).toBe('/competency ask @Alex Chen ');

    // Sent: the app knows whom (it answers with the review request sent), and the line reads as typed.
    await composer().press('Enter');
    await expect.poll(() => lastMessage().innerText()).toContain('Asked @Alex Chen to rate you');
    const asked = await lastMessage().innerText();
    expect(asked).toContain('✉️');
    expect(asked).not.toContain(':envelope:');
    const typed = pane('channel').getByTestId('message').filter({ hasText: '/competency ask' });
    expect(await typed.innerText()).toContain('/competency ask @Alex Chen');
    expect(await typed.innerText()).not.toContain('<@');

    // Withdraw asks first, in the page's own dialog, focused on its confirm button; Keep it cancels.
    await lastMessage().getByRole('button', { name: 'Withdraw' }).click();
    await expect.poll(() => dialog().isVisible()).toBe(true);
    expect(await dialog().getAttribute('aria-modal')).toBe('true');
    expect(await dialog().getByRole('heading').innerText()).toBe('Withdraw the request?');
    expect(await dialog().innerText()).toContain('Your colleague can no longer rate you for it');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Withdraw');
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-confirm.png') });
    await dialog().getByRole('button', { name: 'Keep it' }).click();
    await expect.poll(() => dialog().count()).toBe(0);
    expect(await lastMessage().innerText()).toContain('Asked @Alex Chen to rate you');

    // Alex: the request is a direct message from the app, so Messages is unread until Alex opens it.
    await switchTo('Alex Chen');
    await expect.poll(() => unread().isVisible()).toBe(true);
    expect(await unread().innerText()).toBe('1');
    expect(await page.getByRole('button', { name: 'Messages, 1 unread message' }).count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-unread.png') });
    await page.getByTestId('tab-messages').click();
    await expect.poll(() => pane('messages').innerText()).toContain('Sam Rivera asks you to rate them');
    expect(await pane('messages').innerText()).toContain('👋');
    expect(await unread().isVisible()).toBe(false);
    await page.getByTestId('channel-general').click();
    expect(await unread().isVisible()).toBe(false); // seen stays seen

    // Decline asks first: Esc cancels, Enter confirms.
    await page.getByTestId('tab-messages').click();
    const request = pane('messages').getByTestId('message').last();
    await request.getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => dialog().isVisible()).toBe(true);
    expect(await dialog().getByRole('heading').innerText()).toBe('Decline the request?');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().count()).toBe(0);
    expect(await request.getByRole('button', { name: 'Start' }).count()).toBe(1);
    await request.getByRole('button', { name: 'Decline' }).click();
    await expect.poll(() => dialog().isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog().count()).toBe(0);
    await expect.poll(() => pane('messages').innerText()).toContain('You declined to rate @Sam Rivera');

    // Sam is told in a direct message: Sam's Messages is unread now.
    await page.getByTestId('channel-general').click();
    await switchTo('Sam Rivera');
    await expect.poll(() => unread().isVisible()).toBe(true);
    await page.getByTestId('tab-messages').click();
    await expect.poll(() => unread().isVisible()).toBe(false);
    await page.getByTestId('channel-general').click();
    expect(opened?.nativeDialogs).toEqual([]);
  }, 90_000);

  it('picks the sandbox’s user group from the @ list for a team view', async () => {
    await composer().fill('');
    await composer().pressSequentially('/competency team @');
    await expect.poll(() => picker().isVisible()).toBe(true);
    const group = picker().getByRole('option', { name: /@sample-team/ });
    expect(await group.innerText()).toContain('Sample team · 3 people');
    await group.click();
    expect(await composer().inputValue()).toBe('/competency team @sample-team ');
    await expect.poll(() => picker().isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => lastMessage().innerText()).toContain('Team view · @sample-team');
    expect(await lastMessage().innerText()).toContain('Not enough people in @sample-team have shared');
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-team-group.png') });

    // The line comes back from history as it read, its group still picked: the same answer again.
    await composer().press('ArrowUp');
    expect(await composer().inputValue()).toBe('/competency team @sample-team');
    await composer().press('Enter');
    await expect
      .poll(() =>
        pane('channel').getByTestId('message').filter({ hasText: 'Team view · @sample-team' }).count(),
      )
      .toBe(2);

    // Esc closes the list and leaves what was typed; typing opens it again; Tab picks.
    await composer().pressSequentially('/competency team @sa');
    await expect.poll(choices).toEqual(['Sam Rivera', '@sample-team']);
    await composer().press('Escape');
    await expect.poll(() => picker().isVisible()).toBe(false);
    expect(await composer().inputValue()).toBe('/competency team @sa');
    await composer().pressSequentially('m');
    await expect.poll(choices).toEqual(['Sam Rivera', '@sample-team']);
    await composer().press('Tab');
    expect(await composer().inputValue()).toBe('/competency team @Sam Rivera ');
    expect(await page.evaluate('document.activeElement?.id')).toBe('composer'); // still typing there
    // An e-mail address is not a mention.
    await composer().fill('/competency find sam@example.com');
    expect(await picker().isVisible()).toBe(false);
  }, 60_000);
});
