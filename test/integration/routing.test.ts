import type { BlockAction } from '@slack/bolt';
import { describe, expect } from 'vitest';
import { LOCAL_TEAM } from '../../src/sandbox/defaults.js';
import { blockActionPayload, viewSubmissionPayload } from '../../src/sandbox/interaction-payloads.js';
import { sendEvent, sendInteraction, sendSigned, slashCommandBody } from '../../src/sandbox/signing.js';
import { it } from '../support/fixtures.js';
import { findButton, type Harness, SIGNING_SECRET, textOf } from './harness.js';

/**
 * How requests reach listeners: Bolt's own matching on exact ids and anchored patterns, one fallback
 * for what nobody claims, an acknowledgement for every signed request even when it is malformed (so
 * Slack shows no error), and answers that go where the button was (a private message, a channel
 * post, the Home tab, a modal). The app acknowledges first and works after, as in production: what a
 * request did is waited for where it shows, and what it must not have done is checked once the app
 * is idle.
 */

const ALICE = 'U0ALICE0001';
const FRAMEWORK = 'solutions-architect.e-commerce';

const person = (userId = ALICE) => `${LOCAL_TEAM.id}:${userId}`;

/** Sends a signed interaction payload as Slack would. */
function send(harness: Harness, payload: object) {
  return sendInteraction(harness.eventsUrl, SIGNING_SECRET, payload);
}

/** The id of the framework's first competency, the one a rating step starts with. */
const firstCompetency = (harness: Harness) => harness.catalog.get(FRAMEWORK)?.competencies[0]?.id ?? '';

async function ratingStep(harness: Harness): Promise<unknown> {
  const answer = (await harness.command('sa senior', { userId: ALICE })).json;
  return harness.press(answer, 'Rate yourself', { userId: ALICE });
}

describe('signed but malformed requests get a 2xx at once, and change nothing', () => {
  it('a block_actions payload without `user`', async ({ harness: h }) => {
    const step = await ratingStep(h);
    const button = findButton(step, '4 · Advanced');
    const payload = blockActionPayload({
      actionId: button.action_id,
      blockId: button.block_id,
      value: button.value,
      responseUrl: h.slack.newResponseUrl(),
    });
    delete payload.user;
    const before = JSON.stringify(await h.store.get(person()));
    const res = await send(h, payload);
    expect(res.status).toBe(200);
    await h.idle();
    expect(JSON.stringify(await h.store.get(person()))).toBe(before);
    expect(h.logs.join('\n')).toContain('Ignored a signed request that Slack would not send');
  });

  it('a block_actions payload with an empty `actions` list', async ({ harness: h }) => {
    const payload = blockActionPayload({
      actionId: 'x',
      blockId: 'b',
      responseUrl: h.slack.newResponseUrl(),
    });
    payload.actions = [];
    const res = await send(h, payload);
    expect(res.status).toBe(200);
  });

  it('a view_submission without a view, a command without a user, and a payload of an unknown type', async ({
    harness: h,
  }) => {
    const form = viewSubmissionPayload({ callbackId: 'rate_all' });
    delete form.view;
    expect((await send(h, form)).status).toBe(200);
    const command = slashCommandBody({ command: '/competency', text: 'sa senior' }).replace(
      /user_id=[^&]*&/,
      '',
    );
    const res = await sendSigned(h.eventsUrl, SIGNING_SECRET, command, 'application/x-www-form-urlencoded');
    expect(res.status).toBe(200);
    expect((await send(h, { type: 'something_new', user: { id: ALICE } })).status).toBe(200);
    const event = await sendEvent(h.eventsUrl, SIGNING_SECRET, { type: 'event_callback', event: null });
    expect(event.status).toBe(200);
    await h.idle();
    expect(await h.store.size()).toBe(0);
  });

  it('a click without a response_url is answered privately in the channel instead', async ({
    harness: h,
  }) => {
    const step = await ratingStep(h);
    const button = findButton(step, '4 · Advanced');
    const payload = blockActionPayload({
      actionId: button.action_id,
      blockId: button.block_id,
      value: button.value,
      user: { id: ALICE },
    });
    const res = await send(h, payload);
    expect(res.status).toBe(200);
    // The next step reaches the person as a private message, and the rating is saved: a 4.
    const [ephemeral] = await h.slack.waitForCalls('chat.postEphemeral', 1);
    const ratings = (await h.store.get(person())).ratings[FRAMEWORK] ?? {};
    expect(Object.keys(ratings)).toEqual([firstCompetency(h)]);
    expect(ratings[firstCompetency(h)]?.value).toBe(4);
    expect(ephemeral?.ok).toBe(true);
    expect(ephemeral?.args.user).toBe(ALICE);
    expect(textOf(ephemeral?.args)).toContain('2 of 8');
    expect(h.logs.join('\n')).not.toContain('is not a function');
  });
});

describe('routing is exact', () => {
  it('an action id that only begins with a known one is not handled as it, and nothing is written', async ({
    harness: h,
  }) => {
    const step = await ratingStep(h);
    const button = findButton(step, '3 · Proficient');
    const responseUrl = h.slack.newResponseUrl();
    const before = JSON.stringify(await h.store.get(person()));
    await send(
      h,
      blockActionPayload({
        actionId: `${button.action_id}-nope`,
        blockId: button.block_id,
        value: button.value,
        responseUrl,
        user: { id: ALICE },
      }),
    );
    const answer = await h.slack.waitForResponseTo(responseUrl);
    expect(textOf(answer.body)).toContain('That button no longer works');
    await h.idle();
    expect(JSON.stringify(await h.store.get(person()))).toBe(before);
  });

  it('every button of a rating step is claimed by its own listener, once', async ({ harness: h }) => {
    let step = await h.press(await ratingStep(h), '4 · Advanced', { userId: ALICE });
    for (const label of ['Skip', 'Not applicable', '← Back', '1 · Basic', '5 · Expert']) {
      step = await h.press(step, label, { userId: ALICE });
      expect(textOf(step)).not.toContain('no longer works');
    }
    // 4 on the first; skip the second; n/a on the third, then back to it and 1; 5 on the fourth.
    const values = Object.values((await h.store.get(person())).ratings[FRAMEWORK] ?? {}).map((r) => r.value);
    expect(values).toEqual([4, 1, 5]);
    expect(h.logs.join('\n')).not.toMatch(/ReceiverMultipleAckError|no listener handles/);
  });

  it('a listener added the usual Bolt way runs alone: acknowledged once, and no "no longer works"', async ({
    harness: h,
  }) => {
    const seen: string[] = [];
    h.app.action<BlockAction>('team_nudge', async ({ ack, action }) => {
      await ack();
      seen.push(action.action_id);
    });
    const responseUrl = h.slack.newResponseUrl();
    const res = await send(
      h,
      blockActionPayload({ actionId: 'team_nudge', blockId: 'b1', value: 'x', responseUrl }),
    );
    expect(res.status).toBe(200);
    await expect.poll(() => seen).toEqual(['team_nudge']);
    await h.idle();
    expect(seen).toEqual(['team_nudge']);
    expect(h.slack.responses.filter((r) => r.url === responseUrl)).toEqual([]);
    expect(h.logs.join('\n')).not.toMatch(/ReceiverMultipleAckError|MultipleAck|no listener handles/);
  });

  it('a form this version does not know is closed, not left to Slack’s error', async ({ harness: h }) => {
    const res = await send(h, viewSubmissionPayload({ callbackId: 'a_form_from_the_future' }));
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
  });
});

describe('an answer goes where the button was', () => {
  it('a button inside a modal updates that modal (views.update)', async ({ harness: h }) => {
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    await h.click(answer, 'Rate all at once', { userId: ALICE });
    const [opened] = await h.slack.waitForCalls('views.open', 1);
    const modalId = opened?.viewId ?? '';
    const seeLead = findButton(answer, 'See Lead-Principal');
    const res = await send(
      h,
      blockActionPayload({
        actionId: seeLead.action_id,
        blockId: seeLead.block_id,
        value: seeLead.value,
        view: { id: modalId, type: 'modal', title: { type: 'plain_text', text: 'Rate all: Senior' } },
      }),
    );
    expect(res.status).toBe(200);
    const [update] = await h.slack.waitForCalls('views.update', 1);
    expect(update?.ok).toBe(true);
    expect(update?.args.view_id).toBe(modalId);
    expect(textOf(update?.args.view)).toContain('Expected at Lead-Principal');
  });

  it('a button on a post everyone sees answers the person privately and leaves the post alone', async ({
    harness: h,
  }) => {
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    const reply = await h.press(answer, 'See Lead-Principal', { userId: ALICE, inChannel: true });
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.replace_original).toBe(false);
    expect(textOf(reply)).toContain('Expected at Lead-Principal');
  });

  it('a button on a private message replaces that message', async ({ harness: h }) => {
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    const reply = await h.press(answer, 'See Lead-Principal', { userId: ALICE });
    expect(reply.replace_original).toBe(true);
  });
});
