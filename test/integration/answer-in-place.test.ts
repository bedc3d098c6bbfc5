import { describe, expect, vi } from 'vitest';
import { sameForEveryOrg } from '../../src/frameworks/org-catalogs.js';
import { createLogger, LogLevel } from '../../src/log.js';
import { blockActionPayload } from '../../src/sandbox/interaction-payloads.js';
import { sendInteraction } from '../../src/sandbox/signing.js';
import { SAMPLE_USERS } from '../../src/sandbox/teams.js';
import { SandboxWorkspace } from '../../src/sandbox/workspace.js';
import { createReminderSender } from '../../src/slack/reminder-sender.js';
import { test } from '../support/fixtures.js';
import { pressOnPage } from '../support/page-api.js';
import { eventually } from '../support/waiting.js';
import { findButton, type Harness, SIGNING_SECRET, textOf } from './harness.js';

/**
 * A click is answered where the person clicked (issue 19): the message it was on changes in place —
 * with chat.update for a message the app posted in the person's direct messages with it, through the
 * response_url for a private (ephemeral) one — with what the click did said next to the buttons,
 * and nothing the person was reading disappears. A post everyone in a channel sees is never changed
 * by one person's click.
 *
 * What the person sees is the sandbox's model of a Slack workspace (src/sandbox/workspace.ts) on the
 * real app and the local Slack: it shows messages as Slack would, from the calls the app makes, and
 * sends clicks as Slack does. The app acknowledges a click first and answers after, as in
 * production: after each click the test waits for what the person will see (the message changed,
 * a new one, a form), and before saying that nothing else happened, for the app to be done.
 */

const [SAM, ALEX, PRIYA] = SAMPLE_USERS.map((u) => u.id) as [string, string, string];
const SAM_DM = `D${SAM.slice(1)}`;
/** A Wednesday at noon (UTC, the sample people's zone here): a time check-ins may be sent. */
const NOW = new Date('2026-01-14T12:00:00Z');

type Shown = { id: string; ts: string; text: string; blocks: { type: string; block_id?: string }[] };

const it = test.extend('harnessOptions', { scope: 'file' }, { now: () => NOW });

/** A fresh app for each test (the fixture closes it), and the person's view of it. */
let h: Harness;
let ws: SandboxWorkspace;
it.beforeEach(({ harness }) => {
  h = harness;
  ws = new SandboxWorkspace(h.slack, { eventsUrl: h.eventsUrl, signingSecret: SIGNING_SECRET });
});

const channelOf = (user: string) => ws.stateFor(user).messages as Shown[];
const dmOf = (user: string) => ws.stateFor(user).dm.messages as Shown[];
const isSummary = (m: Shown) => m.blocks.some((b) => b.block_id === 'summary_actions');
const summariesIn = (messages: Shown[]) => messages.filter(isSummary);
const calls = (method: string) => h.slack.calls.filter((c) => c.method === method);

/** The line a click left, and the block it sits right below. */
function noteOf(message: Shown): { text: string; below: string | undefined; at: number } {
  const at = message.blocks.findIndex((b) => b.block_id === 'click_note');
  if (at < 0) throw new Error(`no note in ${message.text}`);
  return { text: textOf({ blocks: [message.blocks[at]] }), below: message.blocks[at - 1]?.block_id, at };
}

/** The message without the line a click left: what the person was reading. */
const withoutNote = (message: Shown) => message.blocks.filter((b) => b.block_id !== 'click_note');

/** The blocks of a summary that say how the person rated themselves, up to its buttons. */
const resultsOf = (message: Shown) =>
  contentOf(message).slice(
    0,
    contentOf(message).findIndex((b) => b.block_id === 'summary_actions'),
  );

/** A summary's content, without what the click that showed it said ("Check-in done", a note). */
const contentOf = (message: Shown) =>
  withoutNote(message).filter((b) => !JSON.stringify(b).includes('Check-in done'));

/** Presses a button of a message as `user` sees it; the app's answer comes after (see `pressThenChanged`). */
const press = (user: string, message: Shown, label: string) => pressOnPage(ws, user, message, label);

/**
 * Presses `label` on the message `id` of `messages` (the channel's or the DM's, as `user` sees them),
 * and waits until the app has changed that message: the answer to the click, in place.
 */
async function pressThenChanged(
  user: string,
  messages: () => Shown[],
  id: string,
  label: string,
): Promise<Shown> {
  const before = JSON.stringify(current(messages(), id).blocks);
  await press(user, current(messages(), id), label);
  return eventually(() => {
    const now = current(messages(), id);
    expect(JSON.stringify(now.blocks)).not.toBe(before);
    return now;
  });
}

/** The message with this id as the person sees it now. */
function current(messages: Shown[], id: string): Shown {
  const found = messages.find((m) => m.id === id);
  if (!found) throw new Error(`message ${id} is no longer there`);
  return found;
}

/** `/competency sa senior`, Rate yourself and eight ratings: the summary, privately in the channel. */
async function summaryInChannel(user: string): Promise<Shown> {
  expect(await ws.command(user, 'solutions-architect senior')).toEqual({ ok: true });
  const id = channelOf(user).at(-1)?.id ?? '';
  const inChannel = () => channelOf(user);
  await pressThenChanged(user, inChannel, id, 'Rate yourself');
  for (let i = 0; i < 8; i++) await pressThenChanged(user, inChannel, id, '3 · Proficient');
  const summary = current(channelOf(user), id);
  expect(isSummary(summary)).toBe(true);
  return summary;
}

/**
 * A check-in that ends in a summary in the person's direct messages with the app, as a new user sees
 * it: monthly check-ins chosen on a summary, the reminder sent, its eight questions answered there.
 */
async function summaryInDm(user: string): Promise<Shown> {
  const chosen = await summaryInChannel(user);
  await pressThenChanged(user, () => channelOf(user), chosen.id, 'Monthly');
  const reminder = (await h.store.get(`${h.slack.team.id}:${user}`)).reminder;
  if (!reminder) throw new Error('no reminder was kept');
  const send = createReminderSender({
    frameworks: sameForEveryOrg(h.catalog),
    clientFor: async () => ({ client: h.app.client }),
    logger: createLogger(LogLevel.ERROR, () => {}),
    now: () => NOW,
  });
  const data = await h.store.get(`${h.slack.team.id}:${user}`);
  expect(await send(`${h.slack.team.id}:${user}`, reminder, data)).toMatchObject({ kind: 'sent' });
  const id = dmOf(user).at(-1)?.id ?? '';
  for (let i = 0; i < 8; i++) await pressThenChanged(user, () => dmOf(user), id, '4 · Advanced');
  const summary = current(dmOf(user), id);
  expect(isSummary(summary)).toBe(true);
  expect(textOf(summary)).toContain('Check-in done');
  // The reminder became each question, then the summary: one message all along.
  expect(dmOf(user)).toHaveLength(1);
  return summary;
}

describe('answers where the person clicked', () => {
  it('Include in team views and See it as a chart, on a summary in a DM, change that summary in place', async () => {
    const summary = await summaryInDm(SAM);
    const updates = calls('chat.update').length;

    const included = await pressThenChanged(SAM, () => dmOf(SAM), summary.id, 'Include in team views');
    expect(summariesIn(dmOf(SAM))).toHaveLength(1);
    expect(findButton(included, 'team_views').text).toBe('Leave team views');
    expect(textOf({ blocks: contentOf(included) })).toContain(textOf({ blocks: resultsOf(summary) }));
    expect(noteOf(included)).toMatchObject({ below: 'summary_actions' });
    expect(noteOf(included).text).toContain('Included in team views');
    // Changed with chat.update, on the message clicked: the same message, in the same place.
    const [update] = calls('chat.update').slice(updates);
    expect(update).toMatchObject({ ok: true, args: { channel: SAM_DM, ts: summary.ts } });
    expect(included.ts).toBe(summary.ts);

    const charted = await pressThenChanged(SAM, () => dmOf(SAM), summary.id, 'See it as a chart');
    expect(h.slack.files).toHaveLength(1);
    // The chart and its comment arrive below; the summary is still the one it was, once.
    expect(summariesIn(dmOf(SAM))).toHaveLength(1);
    expect(dmOf(SAM)[0]?.id).toBe(summary.id);
    // Where the chart went is said next to the chart button, not above the long summary.
    expect(noteOf(charted).below).toBe('summary_actions');
    expect(noteOf(charted).at).toBeGreaterThan(charted.blocks.length / 2);
    expect(noteOf(charted).text).toContain('Your chart is in your direct messages');
    expect(findButton(charted, 'team_views').text).toBe('Leave team views');
    expect(
      calls('chat.update')
        .slice(updates)
        .map((c) => c.ok),
    ).toEqual([true, true]);

    // Nothing else was sent for these clicks: no second copy, no private reply elsewhere.
    await h.idle();
    expect(h.slack.responses.filter((r) => r.ok && r.body.replace_original !== true)).toEqual([]);
    expect(calls('chat.postEphemeral')).toEqual([]);
    expect(calls('chat.postMessage')).toHaveLength(1); // the reminder, once
    // The local Slack holds the one message, edited.
    const stored = h.slack.messagesIn(SAM_DM);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ ts: summary.ts, edited: true });
    expect(textOf(stored[0])).toContain('Your chart is in your direct messages');
  });

  it('See it as a chart, on a private summary in a channel, says where the chart went next to its button', async () => {
    const summary = await summaryInChannel(SAM);
    const after = await pressThenChanged(SAM, () => channelOf(SAM), summary.id, 'See it as a chart');
    expect(noteOf(after).below).toBe('summary_actions');
    expect(noteOf(after).text).toContain('Your chart is in your direct messages');
    // Everything the person was reading is still there, as it was.
    expect(withoutNote(after)).toEqual(summary.blocks);
    expect(summariesIn(channelOf(SAM))).toHaveLength(1);
  });

  it('Ask for a review, on a summary in a DM, leaves the summary and says the request was sent', async () => {
    const summary = await summaryInDm(SAM);
    await press(SAM, summary, 'Ask for a review');
    const modal = await eventually(() => {
      const opened = ws.stateFor(SAM).modal;
      if (!opened) throw new Error('the form did not open');
      return opened;
    });
    // Opening the form changed nothing the person was reading.
    expect(current(dmOf(SAM), summary.id).blocks).toEqual(summary.blocks);

    const submitted = await ws.submit(SAM, modal.id, {
      reviewer: { user: { type: 'users_select', selected_user: PRIYA } },
    });
    expect(submitted).toEqual({ ok: true, closed: true });
    // The form closes at once; the request goes to Priya, then the summary says so.
    const asked = await eventually(() => {
      const now = current(dmOf(SAM), summary.id);
      expect(noteOf(now).text).toContain(`Asked <@${PRIYA}>`);
      return now;
    });
    expect(summariesIn(dmOf(SAM))).toHaveLength(1);
    expect(dmOf(SAM)).toHaveLength(1);
    expect(contentOf(asked)).toEqual(contentOf(summary));
    expect(noteOf(asked).below).toBe('summary_actions');
    expect(noteOf(asked).text).toContain(
      `Asked <@${PRIYA}> to rate you against Solutions Architect · Senior`,
    );
    expect(calls('chat.update').at(-1)).toMatchObject({
      ok: true,
      args: { channel: SAM_DM, ts: summary.ts },
    });

    // Priya's request came to her DM; her own clicks there change it in place too.
    const request = dmOf(PRIYA).at(-1);
    if (!request) throw new Error('no request for Priya');
    expect(request.text).toContain(`<@${SAM}> asks you to rate them`);
    const started = await pressThenChanged(PRIYA, () => dmOf(PRIYA), request.id, 'Start');
    expect(dmOf(PRIYA)).toHaveLength(1);
    expect(textOf(started)).toContain('1 of 8');
  });

  it('Ask for a review, on a private summary in a channel, leaves the summary when the form cannot open', async () => {
    const summary = await summaryInChannel(SAM);
    h.slack.failNext('views.open', 'expired_trigger_id');
    const after = await pressThenChanged(SAM, () => channelOf(SAM), summary.id, 'Ask for a review');
    expect(withoutNote(after)).toEqual(summary.blocks);
    expect(noteOf(after).below).toBe('summary_actions');
    expect(noteOf(after).text).toContain('Ask a colleague to rate you');
  });

  it('when Slack will not change the message, the answer still comes, privately', async () => {
    const summary = await summaryInDm(SAM);
    h.slack.failNext('chat.update', 'cant_update_message');
    await press(SAM, summary, 'Include in team views');
    // The choice is saved, and said in a new message in the person's direct messages.
    const told = await eventually(() => {
      const latest = dmOf(SAM).at(-1);
      expect(latest?.id).not.toBe(summary.id);
      return latest;
    });
    expect(calls('chat.update').at(-1)).toMatchObject({ ok: false, error: 'cant_update_message' });
    expect(textOf(told)).toContain('Included in team views');
    expect(calls('chat.postMessage').at(-1)).toMatchObject({ ok: true, args: { channel: SAM } });
  });

  it('a click that fails, or an old button, on a message in a DM leaves the message, with a line saying so', async () => {
    const summary = await summaryInDm(SAM);
    vi.spyOn(h.deps.assessments, 'setInTeamViews').mockRejectedValueOnce(new Error('disk full'));
    const failed = await pressThenChanged(SAM, () => dmOf(SAM), summary.id, 'Include in team views');
    expect(withoutNote(failed)).toEqual(summary.blocks);
    expect(noteOf(failed).below).toBe('summary_actions');
    expect(noteOf(failed).text).toContain('went wrong');

    const old = await ws.click({
      user: SAM,
      surface: 'message',
      messageId: summary.id,
      actionId: 'summary_button_of_an_older_version',
      blockId: 'summary_actions',
      value: '{}',
    });
    expect(old).toEqual({ ok: true });
    const explained = await eventually(() => {
      const now = current(dmOf(SAM), summary.id);
      expect(noteOf(now).text).toContain('That button no longer works');
      return now;
    });
    expect(withoutNote(explained)).toEqual(summary.blocks);
    expect(dmOf(SAM)).toHaveLength(1);
  });

  it('a click on a shared post in the channel changes nothing of the post', async () => {
    const summary = await summaryInChannel(SAM);
    await pressThenChanged(SAM, () => channelOf(SAM), summary.id, 'Share to channel');
    await pressThenChanged(SAM, () => channelOf(SAM), summary.id, 'Post it');
    // The post reaches the channel before the preview is replaced with a confirmation.
    const post = channelOf(ALEX).find((m) => m.text.includes('shared'));
    if (!post) throw new Error('nothing was shared');
    const before = structuredClone(post);

    await press(ALEX, post, 'View this framework');
    // Alex gets the framework privately, as a new message; nothing is updated.
    const seen = await eventually(() => {
      const latest = channelOf(ALEX).at(-1) as Shown & { ephemeral: boolean };
      expect(latest.id).not.toBe(post.id);
      return latest;
    });
    expect(seen.ephemeral).toBe(true);
    expect(textOf(seen)).toContain('Expected at Senior');
    await h.idle();
    expect(current(channelOf(ALEX), post.id)).toEqual(before);
    expect(current(channelOf(SAM), post.id)).toEqual(before);
    expect(calls('chat.update')).toEqual([]);
  });

  it('a click on a post shared in a direct message between two people is answered privately, not in place', async () => {
    const summary = await summaryInChannel(SAM);
    await pressThenChanged(SAM, () => channelOf(SAM), summary.id, 'Share to channel');
    await pressThenChanged(SAM, () => channelOf(SAM), summary.id, 'Post it');
    const post = channelOf(ALEX).find((m) => m.text.includes('shared'));
    if (!post) throw new Error('nothing was shared');
    // The same post, as if Sam had shared it in his DM with Alex (a `D…` conversation the app is not in).
    const button = findButton(post, 'View this framework');
    const responseUrl = h.slack.newResponseUrl();
    const channel = { id: 'D0SAMANDALX', name: 'directmessage' };
    const res = await sendInteraction(
      h.eventsUrl,
      SIGNING_SECRET,
      blockActionPayload({
        actionId: button.action_id,
        blockId: button.block_id,
        value: button.value,
        responseUrl,
        user: { id: ALEX },
        channel,
        container: { type: 'message', message_ts: post.ts, channel_id: channel.id, is_ephemeral: false },
        message: {
          type: 'message',
          ts: post.ts,
          user: h.slack.bot.userId,
          text: post.text,
          blocks: post.blocks,
        },
      }),
    );
    expect(res.status).toBe(200);
    const answer = await h.slack.waitForResponseTo(responseUrl);
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    await h.idle();
    expect(calls('chat.update')).toEqual([]);
  });
});
