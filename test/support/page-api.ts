import { expect } from 'vitest';
import type { ClickInput, Outcome } from '../../src/sandbox/workspace.js';
import { buttons, findButton } from '../integration/harness.js';

/**
 * Who takes a person's click in the sandbox: its page's API over HTTP (what the page in the browser
 * calls), or the model of the workspace behind it (src/sandbox/workspace.ts), in this process.
 */
export type Clicks = { click: (input: ClickInput) => Promise<Outcome> };

/** The sandbox page's own API at `sandboxUrl`, as the page calls it. */
export function pageApi(sandboxUrl: string): Clicks {
  return {
    click: async (input) => {
      const res = await fetch(`${sandboxUrl}/sandbox/api/click`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      return (await res.json()) as Outcome;
    },
  };
}

/**
 * Presses the button `label` (its text, a pattern of it, or the start of its action id) of a message
 * as `user` sees it in the sandbox, and checks the click was taken. The app acknowledges first and
 * answers after: what it answered shows when the caller looks again.
 */
export async function pressOnPage(
  page: Clicks,
  user: string,
  message: { id: string; blocks: unknown } | undefined,
  label: string | RegExp,
): Promise<void> {
  if (!message) throw new Error(`no message to press "${label}" on`);
  const button =
    typeof label === 'string' ? findButton(message, label) : buttons(message).find((b) => label.test(b.text));
  if (!button)
    throw new Error(`no button ${label} in ${JSON.stringify(buttons(message).map((b) => b.text))}`);
  const outcome = await page.click({
    user,
    surface: 'message',
    messageId: message.id,
    actionId: button.action_id,
    blockId: button.block_id,
    value: button.value,
  });
  expect(outcome).toEqual({ ok: true });
}

/**
 * The sandbox page's API at `sandboxUrl`, as the page calls it: `post` a command, click, file or
 * submission; read what one person sees (`state`); and, since the app answers after acknowledging,
 * wait `until` what one person sees passes `check` (at most 10 s, looking every 20 ms).
 */
export function sandboxPageApi<State>(sandboxUrl: string) {
  const state = async (user: string): Promise<State> =>
    (await fetch(`${sandboxUrl}/sandbox/api/state?user=${user}`)).json() as Promise<State>;
  return {
    post: async (route: string, body: object): Promise<unknown> =>
      (
        await fetch(`${sandboxUrl}/sandbox/api/${route}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json(),
    state,
    until: async (user: string, check: (s: State) => boolean): Promise<State> => {
      for (let i = 0; i < 500; i++) {
        const s = await state(user);
        if (check(s)) return s;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error('the sandbox did not show the expected change');
    },
  };
}
