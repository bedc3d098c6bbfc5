import { describe, expect } from 'vitest';
import { it } from '../support/fixtures.js';
import { pageApi, pressOnPage, sandboxPageApi } from '../support/page-api.js';

type PageMessage = { id: string; ephemeral: boolean; text: string; blocks: unknown[] };
type State = {
  messages: PageMessage[];
  modal: { id: string; blocks: unknown[] } | null;
  dm: { messages: PageMessage[] };
};

const SAM = 'U0SAMRIVERA';
const PRIYA = 'U0PRIYAPATL';

/**
 * A newcomer shares in the sandbox: Sam rates himself, presses Share with…, picks Priya from the
 * workspace's people in the form; Priya gets the message in her direct messages, and its Open shows
 * her Sam's assessment in a window.
 */
describe('sharing in the sandbox', () => {
  it('Share with… offers the workspace’s people; the colleague chosen opens the share from their DM', async ({
    sharedSandbox: sandbox,
  }) => {
    const api = sandboxPageApi<State>(sandbox.url);
    const press = (user: string, message: PageMessage | undefined, label: string) =>
      pressOnPage(pageApi(sandbox.url), user, message, label);
    const last = (s: State) => s.messages.at(-1);

    await api.post('command', { user: SAM, text: 'sa senior' });
    await press(SAM, last(await api.state(SAM)), 'Rate yourself');
    let s = await api.until(SAM, (x) => JSON.stringify(last(x)?.blocks).includes('1 of 8'));
    for (let i = 0; i < 8; i++) {
      const before = JSON.stringify(last(s)?.blocks);
      await press(SAM, last(s), '3 · Proficient');
      s = await api.until(SAM, (x) => JSON.stringify(last(x)?.blocks) !== before);
    }
    await press(SAM, last(s), 'Share with…');
    const form = (await api.until(SAM, (x) => x.modal !== null)).modal;
    if (!form) throw new Error('no form');
    expect(JSON.stringify(form.blocks)).toContain('users_select');
    expect(
      await api.post('submit', {
        user: SAM,
        viewId: form.id,
        values: { share_with: { user: { type: 'users_select', selected_user: PRIYA } } },
      }),
    ).toEqual({ ok: true, closed: true });

    const priya = await api.until(PRIYA, (x) =>
      x.dm.messages.some((m) => m.text.includes('shares their self-assessment')),
    );
    const invite = priya.dm.messages.find((m) => m.text.includes('shares their self-assessment'));
    await press(PRIYA, invite, 'Open');
    const opened = (await api.until(PRIYA, (x) => x.modal !== null)).modal;
    expect(JSON.stringify(opened?.blocks)).toContain(`<@${SAM}> shares this with you, read-only`);
  });
});
