import { describe, expect } from 'vitest';
import type { SandboxRunning } from '../../src/sandbox/sandbox.js';
import { it } from '../support/fixtures.js';
import { pageApi, pressOnPage, sandboxPageApi } from '../support/page-api.js';

/**
 * Add as evidence in the sandbox, through the page's own API: a person writes a message in the
 * channel, a colleague runs the message shortcut from its ⋯ menu, the app's form opens, and once it
 * is submitted the colleague is told privately, with a link to the message the local Slack gave.
 */

type Message = {
  id: string;
  ephemeral: boolean;
  author: { kind: string; id: string };
  text: string;
  blocks: unknown[];
};
type State = {
  messages: Message[];
  modal: {
    id: string;
    callback_id?: string;
    blocks: { block_id?: string; element?: { options?: { value: string }[] } }[];
  } | null;
  messageShortcuts?: { callbackId: string; name: string }[];
};

const SAM = 'U0SAMRIVERA';
const PRIYA = 'U0PRIYAPATL';

describe('Add as evidence on a message in the sandbox', () => {
  let sandbox: SandboxRunning;
  let api: ReturnType<typeof sandboxPageApi<State>>;

  it.beforeAll(({ sharedSandbox }) => {
    sandbox = sharedSandbox;
    api = sandboxPageApi<State>(sandbox.url);
  });

  it('runs from a message’s ⋯ menu, opens the form, and tells the person privately what was added', async () => {
    expect((await api.state(SAM)).messageShortcuts?.map((s) => s.name)).toEqual(['Add as evidence']);

    // Sam starts rating, so he has a framework and level; Priya thanks him in the channel.
    expect(await api.post('command', { user: SAM, text: 'sa senior' })).toEqual({ ok: true });
    const answer = (await api.state(SAM)).messages.at(-1);
    await pressOnPage(pageApi(sandbox.url), SAM, answer, 'Rate yourself');
    await api.until(SAM, (s) => JSON.stringify(s.messages.at(-1)?.blocks).includes('1 of 8'));
    expect(
      await api.post('say', { user: PRIYA, text: 'Thanks Sam, the incident write-up was superb' }),
    ).toEqual({
      ok: true,
    });
    const said = (await api.state(SAM)).messages.find((m) => m.text.includes('incident write-up'));
    expect(said?.ephemeral).toBe(false);

    // Not on a message only one person sees.
    const ephemeral = (await api.state(SAM)).messages.find((m) => m.ephemeral);
    expect(
      await api.post('message-shortcut', {
        user: SAM,
        callbackId: 'competency_evidence',
        messageId: ephemeral?.id,
      }),
    ).toMatchObject({ ok: false });

    expect(
      await api.post('message-shortcut', {
        user: SAM,
        callbackId: 'competency_evidence',
        messageId: said?.id,
      }),
    ).toEqual({ ok: true });
    const withForm = await api.until(SAM, (s) => s.modal?.callback_id === 'evidence_form');
    const modal = withForm.modal;
    const competency = modal?.blocks.find((b) => b.element?.options)?.element?.options?.[0]?.value ?? '';
    expect(competency).not.toBe('');

    const submitted = await api.post('submit', {
      user: SAM,
      viewId: modal?.id,
      values: {
        evidence_competency: {
          competency: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: competency }, value: competency },
          },
        },
        evidence_note: { note: { type: 'plain_text_input', value: 'Priya on my write-up' } },
      },
    });
    expect(submitted).toMatchObject({ ok: true, closed: true });
    const told = await api.until(SAM, (s) => s.messages.some((m) => m.text.startsWith('Added as evidence')));
    const confirmation = told.messages.find((m) => m.text.startsWith('Added as evidence'));
    expect(confirmation?.ephemeral).toBe(true);
    expect(JSON.stringify(confirmation?.blocks)).toMatch(
      /<http:\/\/127\.0\.0\.1:\d+\/archives\/C0LOCALCHN1\/p\d+\|/,
    );
    // Priya sees nothing of it.
    expect((await api.state(PRIYA)).messages.some((m) => m.text.startsWith('Added as evidence'))).toBe(false);
  });
});
