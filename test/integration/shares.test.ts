import { describe, expect } from 'vitest';
import type { PlanItem } from '../../src/model/growth.js';
import { viewSubmissionPayload } from '../../src/sandbox/interaction-payloads.js';
import { sendInteraction } from '../../src/sandbox/signing.js';
import { assertValidView } from '../support/block-kit.js';
import { it } from '../support/fixtures.js';
import { eventually, since } from '../support/waiting.js';
import {
  buttons,
  finishSeniorAssessment,
  type Harness,
  type Posted,
  SIGNING_SECRET,
  textOf,
} from './harness.js';

/**
 * Share with your manager: Alice shares her latest self-assessment with Bob through the Share with…
 * form; Bob gets a direct message with Open, which shows him Alice's latest assessment and plan,
 * read-only, in a window only he sees. Carol, replaying Bob's button, gets nothing; once Alice takes
 * it back, Bob gets nothing either, and his direct message says so.
 */

const TEAM = 'T0LOCAL0001';
const ALICE = 'U0ALICE0001';
const BOB = 'U0BOB000001';
const CAROL = 'U0CAROL0001';
const OUTSIDER = 'U0OUTSIDER1';
const ROBOT = 'U0ROBOT0001';
const key = (userId: string) => `${TEAM}:${userId}`;

type OpenedView = {
  callback_id?: string;
  private_metadata: string;
  blocks: { type: string; block_id?: string }[];
};

/** Presses Share with… on a summary, as Alice; returns the form Slack opened. */
async function openShareForm(h: Harness, summary: unknown): Promise<OpenedView> {
  const clicked = since(h.slack);
  await h.click(summary, 'share_with', { userId: ALICE });
  const opened = await clicked.call('views.open');
  expect(opened.ok).toBe(true);
  return opened.args.view as OpenedView;
}

/** Submits the Share with… form with `userId` chosen; returns the HTTP answer (errors, or the form closing). */
function submitShare(h: Harness, form: OpenedView, userId: string | null) {
  return sendInteraction(
    h.eventsUrl,
    SIGNING_SECRET,
    viewSubmissionPayload({
      user: { id: ALICE },
      callbackId: 'share_with_form',
      privateMetadata: form.private_metadata,
      values: { share_with: { user: { type: 'users_select', selected_user: userId } } },
      viewId: 'V0SHAREFRM1',
    }),
  );
}

/** What the app posted in Bob's direct messages, as it is now (after any chat.update). */
function bobsDm(h: Harness) {
  return h.slack.messagesIn(`D${BOB.slice(1)}`);
}

/** Presses Open (or another button) of a share as `userId`; returns the window opened, if any, and the private answer. */
async function pressOpen(h: Harness, message: unknown, userId: string, value?: string) {
  const before = h.slack.calls.length;
  const responseUrl = h.slack.newResponseUrl();
  await h.click(message, 'share_open', { userId, responseUrl, ...(value ? { value } : {}) });
  await h.idle();
  const opened = h.slack.calls.slice(before).find((c) => c.method === 'views.open');
  const answer = h.slack.responses.find((r) => r.url === responseUrl)?.body as Posted | undefined;
  return { opened: opened?.args.view as OpenedView | undefined, answer };
}

async function shareAliceWithBob(
  h: Harness,
): Promise<{ summary: Record<string, unknown>; invite: Posted & { ts: string } }> {
  const summary = await finishSeniorAssessment(h, ALICE, [4, 5, 2, 4, 3, 2, 3, 1]);
  const form = await openShareForm(h, summary);
  const sent = since(h.slack);
  expect((await submitShare(h, form, BOB)).status).toBe(200);
  const invite = await sent.call('chat.postMessage');
  expect(invite.args.channel).toBe(BOB);
  const [message] = bobsDm(h);
  if (!message) throw new Error('no direct message to Bob');
  return { summary, invite: { ...(invite.args as Posted), ts: message.ts } };
}

describe('sharing with a colleague', () => {
  it('Share with… opens the person picker on the summary; the colleague gets a DM whose Open shows the latest assessment and the plan, read-only', async ({
    harness: h,
  }) => {
    const summary = await finishSeniorAssessment(h, ALICE, [4, 5, 2, 4, 3, 2, 3, 1]);
    const growth = buttons(summary)
      .filter((b) => b.block_id === 'summary_growth')
      .map((b) => b.text);
    expect(growth).toContain('Share with…');
    expect(textOf(summary)).toContain('*Ready for Lead-Principal?*');

    const form = await openShareForm(h, summary);
    expect(form.callback_id).toBe('share_with_form');
    expect(JSON.stringify(form.blocks)).toContain('users_select');
    assertValidView(form);

    // Alice also has a plan: it is part of what is shared.
    const item: PlanItem = {
      id: 'item-1',
      competencyId: 'global-commerce-platform-scaling',
      competencyName: 'Global Commerce Platform Scaling',
      goal: 'Lead the load test of the spring sale',
      nextStep: 'Book the kick-off',
      targetDate: '2099-01-01',
      status: 'moving',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    await h.store.update(key(ALICE), (d) => {
      const record = d.history.at(-1);
      const scaling = record?.competencies.find((c) => c.id === item.competencyId);
      if (scaling) scaling.note = 'Ran the Black Friday <scale> test';
      d.evidence = [
        {
          id: 'ev-1',
          frameworkId: record?.frameworkId ?? '',
          competencyId: item.competencyId,
          competencyName: item.competencyName,
          permalink: 'https://local.slack.test/archives/C0LOCAL0001/p1767225600000100',
          channelId: 'C0LOCAL0001',
          messageTs: '1767225600.000100',
          postedAt: '2026-01-01T00:00:00.000Z',
          addedAt: '2026-01-02T00:00:00.000Z',
          addedBy: ALICE,
        },
      ];
      d.plan = {
        frameworkId: record?.frameworkId ?? '',
        levelId: 'senior',
        assessmentId: record?.id ?? '',
        roleName: 'Solutions Architect',
        levelName: 'Senior',
        timeZone: 'UTC',
        createdAt: item.createdAt,
        updatedAt: item.updatedAt,
        items: [item],
      };
    });

    const sent = since(h.slack);
    const answer = await submitShare(h, form, BOB);
    expect(answer.status).toBe(200);
    const invite = await sent.call('chat.postMessage');
    expect(invite.args).toMatchObject({
      channel: BOB,
      text: `<@${ALICE}> shares their self-assessment with you`,
    });
    expect(buttons(invite.args).map((b) => b.text)).toEqual(['Open', '1:1 summary']);
    // Nothing of Alice's ratings is in the message itself.
    expect(JSON.stringify(invite.args)).not.toMatch(/\d\/5/);

    // The summary Alice shared from says so next to its buttons.
    const confirmed = await eventually(() => {
      const found = h.slack.responses.find((r) => JSON.stringify(r.body).includes(`Shared with <@${BOB}>`));
      if (!found) throw new Error('no confirmation yet');
      return found.body as Posted;
    });
    expect(textOf(confirmed)).toContain('/competency shares');

    // Kept in Alice's record, and an index entry in Bob's.
    const alice = await h.store.get(key(ALICE));
    const share = alice.shares?.[0];
    expect(share).toMatchObject({ withUserId: BOB, with: key(BOB), ownerUserId: ALICE });
    expect(share?.message?.channel).toBe(`D${BOB.slice(1)}`);
    expect((await h.store.get(key(BOB))).sharesReceived).toEqual([{ of: key(ALICE), id: share?.id }]);

    // Bob presses Open: a window only he sees, with Alice's latest ratings and her plan, and no controls.
    const { opened } = await pressOpen(h, invite.args, BOB);
    if (!opened) throw new Error('no window opened');
    assertValidView(opened);
    const shown = textOf(opened);
    expect(shown).toContain(`<@${ALICE}> shares this with you, read-only`);
    expect(shown).toContain(
      '*Global Commerce Platform Scaling*  ·  :red_circle: 2 below · focus area\nRated ▰▰▱▱▱ 2/5',
    );
    expect(shown).toContain('Lead the load test of the spring sale');
    // Her note (escaped) and her evidence, which opens the message, come with it.
    expect(shown).toContain('Ran the Black Friday &lt;scale&gt; test');
    expect(shown).toContain('https://local.slack.test/archives/C0LOCAL0001/p1767225600000100');
    const kinds = JSON.stringify(opened.blocks);
    expect(kinds).not.toContain('static_select');
    expect(kinds).not.toContain('"submit"');
    expect(buttons(opened).map((b) => b.text)).toEqual(['1:1 summary']);
  });

  it('Carol replaying Bob’s Open gets “no longer shared with you” and nothing else', async ({
    harness: h,
  }) => {
    const { invite } = await shareAliceWithBob(h);
    const { opened, answer } = await pressOpen(h, invite, CAROL);
    expect(opened).toBeUndefined();
    expect(textOf(answer)).toContain('This is no longer shared with you');
    expect(JSON.stringify(answer)).not.toMatch(/\d\/5/);
    // A forged value (another owner, a made-up share) gets the same.
    const forged = await pressOpen(h, invite, BOB, JSON.stringify({ o: key(CAROL), s: 'madeup' }));
    expect(forged.opened).toBeUndefined();
    expect(textOf(forged.answer)).toContain('This is no longer shared with you');
    const junk = await pressOpen(h, invite, BOB, 'not json');
    expect(junk.opened).toBeUndefined();
    expect(textOf(junk.answer)).toContain('This is no longer shared with you');
  });

  it('taking it back ends it: Open is refused, and Bob’s direct message says so', async ({ harness: h }) => {
    const { invite } = await shareAliceWithBob(h);
    const list = (await h.command('shares', { userId: ALICE })).json;
    expect(textOf(list)).toContain(`<@${BOB}> · since`);
    expect(buttons(list).map((b) => b.text)).toEqual(['1:1 summary', 'Take back']);
    const bobs = (await h.command('shares', { userId: BOB })).json;
    expect(textOf(bobs)).toContain(`<@${ALICE}> · since`);
    expect(buttons(bobs).map((b) => b.text)).toEqual(['Open', '1:1 summary']);

    const updates = h.slack.calls.filter((c) => c.method === 'chat.update').length;
    const after = await h.press(list, 'Take back', { userId: ALICE });
    expect(textOf(after)).toContain(`Taken back: <@${BOB}> no longer sees your self-assessment or plan`);
    expect(textOf(after)).toContain('*You share with nobody.*');
    await h.slack.waitForCalls('chat.update', updates + 1);
    const [dm] = bobsDm(h);
    expect(dm?.edited).toBe(true);
    expect(dm?.text).toContain(`<@${ALICE}> no longer shares their self-assessment with you`);
    expect(JSON.stringify(dm?.blocks)).not.toContain('share_open');

    const { opened, answer } = await pressOpen(h, invite, BOB);
    expect(opened).toBeUndefined();
    expect(textOf(answer)).toContain('This is no longer shared with you');
    expect((await h.store.get(key(BOB))).sharesReceived).toBeUndefined();
  });

  it('cannot share with yourself, someone of another workspace, or a bot', async ({ harness: h }) => {
    const summary = await finishSeniorAssessment(h, ALICE, [4, 5, 2, 4, 3, 2, 3, 1]);
    const form = await openShareForm(h, summary);
    h.slack.setUserAccount(OUTSIDER, { teamId: 'T0OTHERORG1' });
    h.slack.setUserAccount(ROBOT, { bot: true });
    const errorFor = async (userId: string | null) =>
      ((await submitShare(h, form, userId)).json as { errors?: Record<string, string> }).errors?.share_with;
    expect(await errorFor(ALICE)).toBe('Choose someone else: you already see your own self-assessment.');
    expect(await errorFor(OUTSIDER)).toBe(
      'Choose someone of your own workspace or organisation: shares stay inside it.',
    );
    expect(await errorFor(ROBOT)).toBe('Choose a person: apps and bots cannot be shared with.');
    expect(await errorFor(h.slack.bot.userId)).toBe('Choose a person: apps and bots cannot be shared with.');
    expect(await errorFor(null)).toBe('Choose the person to share with.');
    await h.idle();
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(0);
    expect((await h.store.get(key(ALICE))).shares).toBeUndefined();
  });

  it('the 1:1 summary, for either of them, says what moved since the last one', async ({ harness: h }) => {
    const { invite } = await shareAliceWithBob(h);
    const first = await h.press(invite, '1:1 summary', { userId: BOB, inChannel: true });
    expect(first.replace_original).not.toBe(true);
    expect(textOf(first)).toContain('*Focus areas* (two or more below');
    expect(textOf(first)).toContain('Global Commerce Platform Scaling*: rated 2/5, expected 4/5');
    expect(textOf(first)).toContain('This is your first 1:1 summary together');

    // Alice rates herself again, one rating up; then asks for the summary from her list.
    await finishSeniorAssessment(h, ALICE, [4, 5, 3, 4, 3, 2, 3, 1]);
    const list = (await h.command('shares', { userId: ALICE })).json;
    const second = await h.press(list, '1:1 summary', { userId: ALICE });
    expect(textOf(second)).toContain('*What moved since the last 1:1 summary*');
    expect(textOf(second)).toContain('Ratings that changed: Global Commerce Platform Scaling 2 → 3');
    expect(textOf(second)).toContain('from your self-assessment');

    // Carol gets nothing from the same button.
    const carols = await h.press(invite, '1:1 summary', { userId: CAROL, inChannel: true });
    expect(textOf(carols)).toContain('This is no longer shared with you');
  });

  it('forgetting either of them ends the share; the owner’s forget marks the colleague’s DM', async ({
    harness: h,
  }) => {
    const { invite } = await shareAliceWithBob(h);
    const confirm = (await h.command('forget', { userId: ALICE })).json;
    const updates = h.slack.calls.filter((c) => c.method === 'chat.update').length;
    await h.press(confirm, 'forget_confirm', { userId: ALICE });
    await h.slack.waitForCalls('chat.update', updates + 1);
    expect(bobsDm(h)[0]?.text).toContain('no longer shares their self-assessment with you');
    expect((await h.store.get(key(BOB))).sharesReceived).toBeUndefined();
    expect((await pressOpen(h, invite, BOB)).opened).toBeUndefined();

    // Carol shares with Bob; Bob deletes his data: the share goes from Carol's record.
    await finishSeniorAssessment(h, CAROL, [3, 3, 3, 3, 3, 3, 3, 3]);
    const shared = await h.deps.shares.share(key(CAROL), CAROL, BOB);
    expect(shared.kind).toBe('shared');
    const bobsConfirm = (await h.command('forget', { userId: BOB })).json;
    await h.press(bobsConfirm, 'forget_confirm', { userId: BOB });
    expect((await h.store.get(key(CAROL))).shares).toBeUndefined();
    expect(textOf((await h.command('shares', { userId: CAROL })).json)).toContain('*You share with nobody.*');
  });
});
