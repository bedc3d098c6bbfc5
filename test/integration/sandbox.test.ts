import { describe, expect } from 'vitest';
import type { SandboxRunning } from '../../src/sandbox/sandbox.js';
import { it } from '../support/fixtures.js';
import { pageApi, pressOnPage, sandboxPageApi } from '../support/page-api.js';

type State = {
  messages: { id: string; ephemeral: boolean; author: { kind: string }; text: string; blocks: unknown[] }[];
  home: { blocks: unknown[] } | null;
  modal: { id: string; blocks: { block_id?: string }[] } | null;
  dm: { messages: { text: string }[]; files: { filename: string; url: string }[] };
};

const SAM = 'U0SAMRIVERA';
const ALEX = 'U0ALEXCHEN1';
const PRIYA = 'U0PRIYAPATL';

/** The sandbox's own API, as the page uses it. */
describe('the sandbox: the real app behind a Slack stand-in', () => {
  let sandbox: SandboxRunning;
  let api: ReturnType<typeof sandboxPageApi<State>>;
  const post = (route: string, body: object) => api.post(route, body);
  const state = (user: string) => api.state(user);
  const press = (user: string, message: State['messages'][number], label: string) =>
    pressOnPage(pageApi(sandbox.url), user, message, label);
  /** The app answers clicks after acknowledging them, so wait for the page's view to change. */
  const settle = (user: string, check: (s: State) => boolean) => api.until(user, check);
  const last = (s: State) => {
    const m = s.messages.at(-1);
    if (!m) throw new Error('no messages');
    return m;
  };

  it.beforeAll(({ sharedSandbox }) => {
    sandbox = sharedSandbox;
    api = sandboxPageApi<State>(sandbox.url);
  });

  it('listens on 127.0.0.1 only', () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('a command answers privately; rating, summary and sharing work; another person sees only the post', async () => {
    expect(await post('command', { user: SAM, text: 'sa senior' })).toEqual({ ok: true });
    let s = await state(SAM);
    const answer = last(s);
    expect(answer.ephemeral).toBe(true);
    expect(JSON.stringify(answer.blocks)).toContain('Expected at Senior');
    expect((await state(ALEX)).messages).toHaveLength(0); // Alex sees none of Sam's private messages

    await press(SAM, answer, 'Rate yourself');
    s = await settle(SAM, (x) => JSON.stringify(last(x).blocks).includes('1 of 8'));
    for (let i = 0; i < 8; i++) {
      const before = JSON.stringify(last(s).blocks);
      await press(SAM, last(s), '4 · Advanced');
      s = await settle(SAM, (x) => JSON.stringify(last(x).blocks) !== before);
    }
    expect(JSON.stringify(last(s).blocks)).toContain('at or above Senior expectations');
    await press(SAM, last(s), 'Share to channel');
    s = await settle(SAM, (x) => JSON.stringify(last(x).blocks).includes('Preview'));
    const preview = last(s);
    await press(SAM, preview, 'Post it');
    const alex = await settle(ALEX, (x) => x.messages.length === 1);
    const shared = last(alex);
    expect(shared.ephemeral).toBe(false);
    expect(JSON.stringify(shared.blocks)).toContain(`<@${SAM}> shared their self-assessment`);

    await press(ALEX, shared, 'View this framework');
    const seen = await settle(ALEX, (x) => x.messages.length === 2);
    expect(last(seen).ephemeral).toBe(true);
    expect((await state(SAM)).messages.filter((m) => m.id === last(seen).id)).toHaveLength(0);
  });

  it('opens the Rate all form as a modal and closes it on a good submit', async () => {
    await post('command', { user: ALEX, text: 'sa lead' });
    const answer = last(await state(ALEX));
    await press(ALEX, answer, 'Rate all at once');
    const withModal = await settle(ALEX, (x) => x.modal !== null);
    const modal = withModal.modal;
    if (!modal) throw new Error('no modal');
    const inputs = modal.blocks.filter((b) => b.block_id?.startsWith('competency:'));
    expect(inputs).toHaveLength(8);
    const values = Object.fromEntries(
      inputs.map((b) => [
        b.block_id,
        {
          rating: {
            type: 'static_select',
            selected_option: { text: { type: 'plain_text', text: '5' }, value: '5' },
          },
        },
      ]),
    );
    expect(await post('submit', { user: ALEX, viewId: modal.id, values })).toEqual({
      ok: true,
      closed: true,
    });
    const after = await settle(ALEX, (x) =>
      JSON.stringify(x.messages.at(-1)?.blocks).includes('at or above Lead-Principal expectations'),
    );
    expect(after.modal).toBeNull();
  });

  it('shows a summary’s chart in the person’s DM, as a picture described by its numbers', async () => {
    const summary = last(await state(ALEX));
    expect(JSON.stringify(summary.blocks)).toContain(
      '*8 of 8 at or above Lead-Principal expectations*: 8 meet.',
    );
    await press(ALEX, summary, 'See it as a chart');
    const withChart = await settle(ALEX, (x) => x.dm.files.some((f) => f.filename.endsWith('.png')));
    const chart = withChart.dm.files.find((f) => f.filename.endsWith('.png')) as
      | { filename: string; url: string; alt?: string }
      | undefined;
    expect(chart?.alt).toContain('Radar chart of your self-ratings for Solutions Architect · Lead-Principal');
    expect(chart?.alt).toMatch(/Composable Commerce Strategy: you 5, expected \d/);
    const picture = await fetch(`${sandbox.url}${chart?.url}`);
    expect(picture.status).toBe(200);
    expect(picture.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await picture.arrayBuffer())
        .subarray(1, 4)
        .toString('latin1'),
    ).toBe('PNG');
  });

  it('publishes the Home tab and delivers exports to the person’s DM', async () => {
    expect(await post('home', { user: SAM })).toEqual({ ok: true });
    const s = await settle(SAM, (x) => x.home !== null);
    expect(JSON.stringify(s.home)).toContain('Your assessments');
    await post('command', { user: SAM, text: 'export' });
    const withFiles = await settle(SAM, (x) => x.dm.files.length === 2);
    const csv = withFiles.dm.files.find((f) => f.filename.endsWith('.csv'));
    const download = await fetch(`${sandbox.url}${csv?.url}`);
    expect(download.status).toBe(200);
    expect(await download.text()).toContain('kind,');
    // Another person cannot download it.
    const other = await fetch(`${sandbox.url}${csv?.url.replace(SAM, ALEX)}`);
    expect(other.status).toBe(404);
  });

  it('team views show totals once the three sample people share (K is 3 in the sandbox)', async () => {
    for (const user of [SAM, ALEX, PRIYA]) {
      await post('command', { user, text: 'sa mid' });
      await press(user, last(await state(user)), 'Rate all at once');
      const modal = (await settle(user, (x) => x.modal !== null)).modal;
      if (!modal) throw new Error('no modal');
      const values = Object.fromEntries(
        modal.blocks
          .filter((b) => b.block_id?.startsWith('competency:'))
          .map((b) => [
            b.block_id,
            {
              rating: {
                type: 'static_select',
                selected_option: { text: { type: 'plain_text', text: '3' }, value: '3' },
              },
            },
          ]),
      );
      await post('submit', { user, viewId: modal.id, values });
      const summary = last(
        await settle(user, (x) => JSON.stringify(last(x).blocks).includes('Include in team views')),
      );
      await press(user, summary, 'Include in team views');
      await settle(user, (x) => JSON.stringify(last(x).blocks).includes('Leave team views'));
    }
    await post('command', { user: SAM, text: 'team' });
    const answered = await settle(SAM, (x) => JSON.stringify(last(x).blocks).includes('Based on 3 people'));
    expect(JSON.stringify(last(answered).blocks)).toContain('median');
  });

  it('Ask for a review opens a person picker; the colleague chosen gets the request in their DM', async () => {
    const summary = [...(await state(SAM)).messages]
      .reverse()
      .find((m) => JSON.stringify(m.blocks).includes('Ask for a review'));
    if (!summary) throw new Error('no summary');
    await press(SAM, summary, 'Ask for a review');
    const modal = (await settle(SAM, (x) => x.modal !== null)).modal;
    if (!modal) throw new Error('no modal');
    expect(JSON.stringify(modal.blocks)).toContain('users_select');
    expect(
      await post('submit', {
        user: SAM,
        viewId: modal.id,
        values: { reviewer: { user: { type: 'users_select', selected_user: PRIYA } } },
      }),
    ).toEqual({ ok: true, closed: true });
    const priya = await settle(PRIYA, (x) =>
      x.dm.messages.some((m) => m.text.includes('asks you to rate them')),
    );
    expect(priya.dm.messages.at(-1)?.text).toContain('asks you to rate them against');
  });

  it('refuses requests for someone who is not a sample user', async () => {
    expect(
      (
        await fetch(`${sandbox.url}/sandbox/api/command`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"user":"U0NOBODY","text":"help"}',
        })
      ).status,
    ).toBe(400);
  });
});
