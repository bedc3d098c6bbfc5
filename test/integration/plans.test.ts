import { describe, expect } from 'vitest';
import { sameForEveryOrg } from '../../src/frameworks/org-catalogs.js';
import { createLogger, LogLevel } from '../../src/log.js';
import { ManualClock } from '../../src/reminders/scheduler.js';
import { appHomeOpenedEnvelope } from '../../src/sandbox/event-envelopes.js';
import { blockActionPayload, viewSubmissionPayload } from '../../src/sandbox/interaction-payloads.js';
import { type SlackHttpResponse, sendEvent, sendInteraction } from '../../src/sandbox/signing.js';
import { createReminderSender } from '../../src/slack/reminder-sender.js';
import type { View } from '../../src/slack/views/types.js';
import { test } from '../support/fixtures.js';
import { since } from '../support/waiting.js';
import {
  findButton,
  finishSeniorAssessment,
  type Harness,
  pressInDm,
  SIGNING_SECRET,
  textOf,
} from './harness.js';

/**
 * A plan for each focus area, end to end: the real app on the local Slack, its domain on a clock the
 * test sets. Make a plan from a summary, the form's errors, the Home tab and its status menu, a
 * finished item's day in the person's own zone, a check-in that asks about each item, the canvas
 * made and kept in step — and a workspace without canvases, where nothing breaks.
 */

const AUCKLAND = 'Pacific/Auckland';
/** 22:00 UTC on Wednesday 14 January 2026: already Thursday 15 January, 11:00, in Auckland. */
const START = new Date('2026-01-14T22:00:00Z');
/** Two focus areas (Composable Commerce Strategy, Omnichannel Architecture: 2 for 4), one worth a conversation (3 for 4). */
const RATINGS = [2, 2, 3, 4, 3, 4, 3, 3];
const COMPOSABLE = 'composable-commerce-strategy';
const OMNICHANNEL = 'omnichannel-architecture';
const SCALING = 'global-commerce-platform-scaling';

type Setup = { h: Harness; clock: ManualClock };

const it = test.extend('plans', async ({ startHarness }): Promise<Setup> => {
  const clock = new ManualClock(START);
  const h = await startHarness({ now: () => clock.now() });
  return { h, clock };
});

type Form = { callback_id: string; private_metadata: string; blocks: { block_id?: string; type: string }[] };

/** A summary with gaps for `user` (in Auckland), and the Make a plan form opened from it. */
async function openForm(h: Harness, user: string): Promise<{ summary: Record<string, unknown>; form: Form }> {
  h.slack.setUserTimeZone(user, AUCKLAND);
  const summary = await finishSeniorAssessment(h, user, RATINGS);
  const mark = since(h.slack);
  const res = await h.click(summary, 'Make a plan', { userId: user });
  expect(res.status).toBe(200);
  const opened = await mark.call('views.open');
  expect(opened.ok).toBe(true);
  return { summary, form: opened.args.view as Form };
}

type Fields = { goal?: string; step?: string; date?: string | null; include?: boolean };

/** Submits the form as Slack does, with these fields by competency id (others left empty). */
function submit(
  h: Harness,
  form: Form,
  user: string,
  fields: Record<string, Fields>,
): Promise<SlackHttpResponse> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const [id, f] of Object.entries(fields)) {
    values[`plan_goal:${id}`] = { value: { type: 'plain_text_input', value: f.goal ?? null } };
    values[`plan_step:${id}`] = { value: { type: 'plain_text_input', value: f.step ?? null } };
    values[`plan_date:${id}`] = { value: { type: 'datepicker', selected_date: f.date ?? null } };
    if (f.include !== undefined) {
      values[`plan_include:${id}`] = {
        value: {
          type: 'checkboxes',
          selected_options: f.include
            ? [{ text: { type: 'plain_text', text: 'Include' }, value: 'include' }]
            : [],
        },
      };
    }
  }
  return sendInteraction(
    h.eventsUrl,
    SIGNING_SECRET,
    viewSubmissionPayload({
      callbackId: form.callback_id,
      privateMetadata: form.private_metadata,
      values,
      user: { id: user },
      view: { blocks: form.blocks },
    }),
  );
}

/** The Home tab as the app publishes it when `user` opens it. */
async function openHome(h: Harness, user: string): Promise<View> {
  const mark = since(h.slack);
  await sendEvent(h.eventsUrl, SIGNING_SECRET, appHomeOpenedEnvelope({ tab: 'home', user }));
  const published = await mark.call('views.publish');
  expect(published.ok).toBe(true);
  return published.args.view as View;
}

/** Chooses `label` in the status menu of the item about `competency`, in the Home tab; the Home tab published after. */
async function chooseInHome(
  h: Harness,
  home: View,
  user: string,
  competency: string,
  label: string,
): Promise<View> {
  const block = home.blocks.find(
    (b) =>
      b.type === 'section' && b.block_id?.startsWith('plan_item:') && JSON.stringify(b).includes(competency),
  ) as {
    block_id: string;
    accessory: { action_id: string; options: { text: { text: string }; value: string }[] };
  };
  const option = block.accessory.options.find((o) => o.text.text === label);
  if (!option) throw new Error(`no option ${label}`);
  const payload = blockActionPayload({
    user: { id: user },
    actionId: block.accessory.action_id,
    blockId: block.block_id,
    actionType: 'static_select',
    selectedOption: { text: label, value: option.value },
    view: { id: 'V0HOME00001', type: 'home', blocks: home.blocks, hash: '1' },
  });
  delete payload.response_url;
  const mark = since(h.slack);
  expect((await sendInteraction(h.eventsUrl, SIGNING_SECRET, payload)).status).toBe(200);
  return (await mark.call('views.publish')).args.view as View;
}

/** Presses a button of the Home tab; the Home tab published after. */
async function pressInHome(h: Harness, home: View, user: string, label: string): Promise<View> {
  const button = findButton(home, label);
  const payload = blockActionPayload({
    user: { id: user },
    actionId: button.action_id,
    blockId: button.block_id,
    view: { id: 'V0HOME00001', type: 'home', blocks: home.blocks, hash: '1' },
  });
  delete payload.response_url;
  const mark = since(h.slack);
  expect((await sendInteraction(h.eventsUrl, SIGNING_SECRET, payload)).status).toBe(200);
  return (await mark.call('views.publish')).args.view as View;
}

const person = (h: Harness, user: string) => `${h.slack.team.id}:${user}`;

/** A plan of two items, made as the person makes it, and their Home tab showing it. */
async function makePlan(h: Harness, user: string): Promise<View> {
  const { form } = await openForm(h, user);
  const mark = since(h.slack);
  const res = await submit(h, form, user, {
    [COMPOSABLE]: {
      goal: 'Lead the <composable> roadmap & its review',
      step: 'Draft a one-page proposal',
      date: '2026-03-01',
    },
    [OMNICHANNEL]: {
      goal: 'Own one omnichannel design',
      step: 'Shadow the next design review',
      date: '2026-06-30',
    },
  });
  expect(res.status).toBe(200);
  await mark.call('chat.postEphemeral');
  return openHome(h, user);
}

describe('a plan for each focus area', () => {
  it('is made from a summary with two focus areas, and lives in the Home tab', async ({ plans: { h } }) => {
    const user = 'U0PLAN00001';
    const { summary, form } = await openForm(h, user);
    expect(findButton(summary, 'Make a plan').block_id).toBe('summary_growth');
    // A goal, a next step and a date for each focus area; a box to tick for the one worth a conversation.
    const ids = form.blocks.map((b) => b.block_id);
    for (const id of [COMPOSABLE, OMNICHANNEL]) {
      expect(ids).toContain(`plan_goal:${id}`);
      expect(ids).toContain(`plan_date:${id}`);
      expect(ids).not.toContain(`plan_include:${id}`);
    }
    expect(ids).toContain(`plan_include:${SCALING}`);
    expect(textOf(form)).toContain('today is 15 January 2026 where you are');

    const mark = since(h.slack);
    const res = await submit(h, form, user, {
      [COMPOSABLE]: {
        goal: 'Lead the composable roadmap',
        step: 'Draft a one-page proposal',
        date: '2026-03-01',
      },
      [OMNICHANNEL]: { goal: '', step: '', date: '2026-04-16' },
      [SCALING]: {
        include: true,
        goal: 'Talk scaling with my lead',
        step: 'Book half an hour',
        date: '2026-02-01',
      },
    });
    expect(res.status).toBe(200);
    expect(res.json).toBeUndefined();
    // The summary stays; the plan comes privately beside it.
    const told = await mark.call('chat.postEphemeral');
    expect(textOf(told.args)).toContain('Your plan is saved: 2 items');

    const plan = (await h.store.get(person(h, user))).plan;
    expect(plan?.timeZone).toBe(AUCKLAND);
    expect(plan?.items.map((i) => [i.competencyId, i.targetDate, i.status])).toEqual([
      [COMPOSABLE, '2026-03-01', 'open'],
      [SCALING, '2026-02-01', 'open'],
    ]);

    const home = textOf(await openHome(h, user));
    expect(home).toContain('*Your plan* · Solutions Architect · Senior');
    expect(home).toContain('*Goal:* Lead the composable roadmap');
    expect(home).toContain('*Next step:* Book half an hour');
    expect(home).toContain('by 1 March 2026');
  });

  it('shows what is wrong next to each field and saves nothing', async ({ plans: { h } }) => {
    const user = 'U0PLAN00002';
    const { form } = await openForm(h, user);
    const res = await submit(h, form, user, {
      [COMPOSABLE]: { goal: 'Lead the composable roadmap', step: '', date: '2026-01-14' },
      [OMNICHANNEL]: { goal: 'x'.repeat(501), step: 'Ask for a mentor', date: null },
      [SCALING]: { include: false, goal: 'Talk to my lead', step: 'Book it' },
    });
    expect(res.status).toBe(200);
    const body = res.json as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors).toEqual({
      [`plan_step:${COMPOSABLE}`]:
        'Give a next step too (the first thing you will do), or clear the goal to leave this one out.',
      // 14 January is still today in UTC, but no longer in Auckland.
      [`plan_date:${COMPOSABLE}`]:
        'Choose today or a later day: that day has passed (today is 15 January 2026 where you are).',
      [`plan_goal:${OMNICHANNEL}`]: 'Keep it to 500 characters or fewer.',
      [`plan_date:${OMNICHANNEL}`]: 'Choose a target date.',
      [`plan_include:${SCALING}`]: 'Tick this to include it in your plan, or clear its goal and next step.',
    });
    const empty = await submit(h, form, user, {});
    expect((empty.json as { errors: Record<string, string> }).errors).toEqual({
      [`plan_goal:${COMPOSABLE}`]: 'Give at least one goal and next step, or press Cancel.',
    });
    expect((await h.store.get(person(h, user))).plan).toBeUndefined();
  });

  it('changes how an item goes from the Home tab; a finished one keeps its day in the person’s zone', async ({
    plans: { h },
  }) => {
    const user = 'U0PLAN00003';
    let home = await makePlan(h, user);
    home = await chooseInHome(h, home, user, 'Composable Commerce Strategy', 'Moving');
    expect(textOf(home)).toContain(':large_blue_circle: Moving');
    home = await chooseInHome(h, home, user, 'Omnichannel Architecture', 'Done');
    // 22:00 UTC on 14 January is 15 January in Auckland: the day it was done there.
    const items = (await h.store.get(person(h, user))).plan?.items ?? [];
    expect(items.find((i) => i.competencyId === OMNICHANNEL)).toMatchObject({
      status: 'done',
      finishedOn: '2026-01-15',
    });
    expect(textOf(home)).toContain(
      '*Finished*\n:white_check_mark: Done 15 January 2026 · *Omnichannel Architecture*',
    );
    // It sticks: the Home tab opened again shows the same.
    const again = textOf(await openHome(h, user));
    expect(again).toContain('1 open item.');
    expect(again).toContain('Done 15 January 2026');
  });

  it('is made a canvas with a checklist, kept in step when an item changes, and made again once deleted', async ({
    plans: { h },
  }) => {
    const user = 'U0PLAN00004';
    let home = await makePlan(h, user);
    home = await pressInHome(h, home, user, 'Open as a canvas');
    expect(textOf(home)).toContain('Your plan is a canvas now');
    const [canvas] = h.slack.canvases;
    if (!canvas) throw new Error('no canvas was made');
    expect((await h.store.get(person(h, user))).plan?.canvas).toEqual({ id: canvas.id });
    expect(canvas.access[user]).toBe('read');
    expect(canvas.markdown).toContain('# Plan · Solutions Architect · Senior');
    expect(canvas.markdown).toContain('## Composable Commerce Strategy');
    expect(canvas.markdown).toContain(
      '- [ ] Lead the \\<composable\\> roadmap & its review — Draft a one-page proposal (1 March 2026)',
    );

    home = await openHome(h, user);
    const mark = since(h.slack);
    await chooseInHome(h, home, user, 'Composable Commerce Strategy', 'Done');
    expect((await mark.call('canvases.edit')).ok).toBe(true);
    expect(h.slack.canvases[0]?.markdown).toContain('- [x] Lead the \\<composable\\> roadmap & its review');

    // Deleted in Slack: the next change says so, and offers to make a new one.
    h.slack.deleteCanvas(canvas.id);
    home = await openHome(h, user);
    home = await chooseInHome(h, home, user, 'Omnichannel Architecture', 'Stuck');
    expect(textOf(home)).toContain('The canvas of your plan was deleted');
    expect(findButton(home, 'Open as a canvas').action_id).toBe('plan_canvas');
    expect((await h.store.get(person(h, user))).plan?.canvas).toBeUndefined();
  });

  it('forget deletes the canvas with the plan: the app owns it and the person may only read it', async ({
    plans: { h },
  }) => {
    const user = 'U0PLAN00007';
    let home = await makePlan(h, user);
    home = await pressInHome(h, home, user, 'Open as a canvas');
    expect(h.slack.canvases).toHaveLength(1);
    const confirm = (await h.command('forget', { userId: user })).json;
    const done = await h.press(confirm, 'Delete my data', { userId: user });
    expect(textOf(done)).toContain('Nothing about you is kept by this app any more.');
    expect(textOf(done)).not.toContain('canvas');
    expect(h.slack.canvases).toHaveLength(0);
    expect((await h.store.get(person(h, user))).plan).toBeUndefined();

    // When Slack refuses to delete it, the person is told it is still there, and who can delete it.
    const other = 'U0PLAN00008';
    home = await makePlan(h, other);
    await pressInHome(h, home, other, 'Open as a canvas');
    h.slack.refuseCanvases('not_allowed');
    const again = (await h.command('forget', { userId: other })).json;
    const told = await h.press(again, 'Delete my data', { userId: other });
    expect(textOf(told)).toContain('Slack did not let the app delete the canvas your plan was opened as');
    expect((await h.store.get(person(h, other))).plan).toBeUndefined();
  });

  it('stays on the Home tab where canvases are not allowed, and no error reaches the person', async ({
    plans: { h },
  }) => {
    const user = 'U0PLAN00005';
    let home = await makePlan(h, user);
    for (const refusal of ['not_allowed', 'missing_scope']) {
      h.slack.refuseCanvases(refusal);
      home = await pressInHome(h, home, user, 'Open as a canvas');
      const text = textOf(home);
      expect(text).toContain(
        'Canvases are not available to the app in this workspace, so your plan stays on the app’s Home tab',
      );
      expect(text).not.toMatch(/went wrong|error/i);
      expect(text).toContain('*Your plan*');
    }
    expect((await h.store.get(person(h, user))).plan?.canvas).toBeUndefined();
    // A change of status goes on as ever.
    home = await chooseInHome(h, await openHome(h, user), user, 'Omnichannel Architecture', 'Moving');
    expect(textOf(home)).toContain(':large_blue_circle: Moving');
    h.slack.refuseCanvases(undefined);
  });

  it('a check-in asks how each open item goes, and an answer updates the item and the message', async ({
    plans: { h, clock },
  }) => {
    const user = 'U0PLAN00006';
    await makePlan(h, user);
    const summary = await finishSeniorAssessment(h, user, RATINGS);
    await h.press(summary, 'reminder_cadence:monthly', { userId: user });
    const reminder = (await h.store.get(person(h, user))).reminder;
    if (!reminder) throw new Error('no reminder');
    const send = createReminderSender({
      frameworks: sameForEveryOrg(h.catalog),
      clientFor: async () => ({ client: h.app.client }),
      logger: createLogger(LogLevel.INFO, (line) => h.logs.push(line)),
      now: () => clock.now(),
    });
    const mark = since(h.slack);
    expect((await send(person(h, user), reminder, await h.store.get(person(h, user)))).kind).toBe('sent');
    const dm = await mark.call('chat.postMessage');
    expect(textOf(dm.args)).toContain('*How is your plan going?*');
    expect(textOf(dm.args)).toContain(
      '*Composable Commerce Strategy* · :white_circle: Not started · by 1 March 2026',
    );

    const changed = await pressInDm(
      h,
      { ts: dm.ts, text: dm.args.text, blocks: dm.args.blocks },
      'plan_checkin:stuck',
      user,
    );
    expect(textOf(changed)).toContain(
      ':ballot_box_with_check: *Composable Commerce Strategy*: :large_orange_circle: Stuck.',
    );
    // The rest of the check-in is still there.
    expect(textOf(changed)).toContain('1 of 8');
    const items = (await h.store.get(person(h, user))).plan?.items ?? [];
    expect(items.find((i) => i.competencyId === COMPOSABLE)?.status).toBe('stuck');

    const done = await pressInDm(
      h,
      { ts: dm.ts, text: changed.text, blocks: changed.blocks },
      'plan_checkin:done',
      user,
    );
    expect(textOf(done)).toContain('Done.');
    expect(findButton(done, 'plan_checkin:done').block_id).toContain('checkin_plan:answer-');
    const after = (await h.store.get(person(h, user))).plan?.items ?? [];
    expect(after.filter((i) => i.status === 'done')).toHaveLength(1);
  });
});
