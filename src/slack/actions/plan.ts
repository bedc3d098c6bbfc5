import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Plan } from '../../model/growth.js';
import { canvasNote, keepCanvasInStep, openAsCanvas, timeZoneOf } from '../answers/plan.js';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { personOf } from '../person.js';
import { formOriginOf } from '../reply.js';
import { decodeValue, PlanItemValue, PlanStatusValue, RecordValue } from '../values.js';
import { failureMessage } from '../views/error.js';
import { escapeText } from '../views/mrkdwn.js';
import {
  CHOSEN_STATUSES,
  checkInPlanBlocks,
  planMessage,
  statusText,
  withCheckInPlan,
} from '../views/plan.js';
import { noGapsMessage, noPlanMessage } from '../views/plan-answers.js';
import { planModal } from '../views/plan-form.js';
import { badClickMessage } from '../views/refusal.js';
import type { Message } from '../views/types.js';
import { type Answer, buttonValue, type ClickArgs, replyOf } from './click.js';
import { inPlaceOrHome } from './in-place.js';

type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

/**
 * The plan's buttons and menus: Make a plan (on a summary: opens the form), each item's status menu
 * (the Home tab, the plan message), Done / Moving / Stuck / Dropped in a check-in, Open as a
 * canvas, See the whole plan. The person is always whoever clicked; the plan is theirs.
 */

/** An answer, or, in the Home tab, its front page again (which shows the plan). */
type PlanAnswer = Answer | 'home';

const inHome = (args: ClickArgs): boolean => args.body.view?.type === 'home';

const selectedValue = (action: ClickArgs['action']): string | undefined => {
  const raw = (action as { selected_option?: { value?: unknown } | null }).selected_option?.value;
  return typeof raw === 'string' ? raw : undefined;
};

/** Make a plan, on a summary: the form for that assessment, filled in with the plan's open items. */
export function planMakeAction(deps: Deps): ClickListener {
  return async (args) => {
    const { ack, action, body, context, client, logger } = args;
    await ack();
    const reply = replyOf(args);
    const person = personOf(context);
    try {
      const value = decodeValue(RecordValue, buttonValue(action));
      const [record, plan, timeZone] = await Promise.all([
        value ? deps.assessments.record(person, value.id) : undefined,
        deps.plans.of(person),
        timeZoneOf(client, logger, body.user.id),
      ]);
      if (!record) {
        await reply(badClickMessage());
        return;
      }
      const today = deps.plans.today(timeZone);
      const where = formOriginOf(body);
      const metadata = {
        r: record.id,
        z: timeZone,
        o: Date.now(),
        ...(where.u ? { u: where.u } : {}),
        ...(where.c ? { c: where.c } : {}),
        ...(where.t ? { t: where.t } : {}),
      };
      const view = planModal(record, plan, today, metadata);
      if (view.blocks.length <= 1) {
        await reply(noGapsMessage(record));
        return;
      }
      // Pressed inside a modal: Slack opens no second modal from there; the form takes its place.
      if (body.view?.type === 'modal') await client.views.update({ view_id: body.view.id, view });
      else await client.views.open({ trigger_id: body.trigger_id, view });
    } catch (error) {
      logger.error('Could not open the Make a plan form', error);
      await reply(failureMessage(failureOf(error, 'read')));
    }
  };
}

/** The plan after a change: the Home tab's front page, or the plan message with what changed. */
function afterChange(args: ClickArgs, plan: Plan, today: string, note: string | undefined): PlanAnswer {
  if (inHome(args) && note === undefined) return 'home';
  return planMessage(plan, today, note);
}

/** A status chosen in an item's menu (the Home tab, the plan message). */
export function planStatusAction(deps: Deps): ClickListener {
  return inPlaceOrHome(deps, 'change how a plan item goes', async (args) => {
    const value = decodeValue(PlanStatusValue, selectedValue(args.action));
    if (!value) return badClickMessage();
    const person = personOf(args.context);
    const timeZone = await timeZoneOf(args.client, args.logger, args.body.user.id);
    const outcome = await deps.plans.setStatus(person, value.i, value.s, timeZone);
    if (outcome.kind === 'no-item') return inHome(args) ? 'home' : noPlanMessage('changed');
    const canvas = outcome.changed
      ? await keepCanvasInStep(deps, args.client, args.logger, person, outcome.plan)
      : ({ kind: 'none' } as const);
    const plan = canvas.kind === 'gone' ? ((await deps.plans.of(person)) ?? outcome.plan) : outcome.plan;
    const note = canvasNote(canvas);
    const today = deps.plans.today(plan.timeZone);
    if (inHome(args)) return afterChange(args, plan, today, note);
    return planMessage(
      plan,
      today,
      note ?? `*${escapeText(outcome.item.competencyName)}*: ${statusText(outcome.item.status)}.`,
    );
  });
}

const CHECK_IN_STATUS = new RegExp(`:(${CHOSEN_STATUSES.join('|')})$`);

/**
 * Done / Moving / Stuck / Dropped on a plan item in a check-in: the item is updated and the check-in
 * message changed in place, its plan questions showing what is open now.
 */
export function planCheckInAction(deps: Deps): ClickListener {
  return inPlaceOrHome(deps, 'save how a plan item goes', async (args) => {
    const status = CHECK_IN_STATUS.exec(args.action.action_id)?.[1] as
      | (typeof CHOSEN_STATUSES)[number]
      | undefined;
    const value = decodeValue(PlanItemValue, buttonValue(args.action));
    if (!status || !value) return badClickMessage();
    const person = personOf(args.context);
    const timeZone = await timeZoneOf(args.client, args.logger, args.body.user.id);
    const outcome = await deps.plans.setStatus(person, value.i, status, timeZone);
    if (outcome.kind === 'no-item') return noPlanMessage('changed');
    const canvas = outcome.changed
      ? await keepCanvasInStep(deps, args.client, args.logger, person, outcome.plan)
      : ({ kind: 'none' } as const);
    const plan = canvas.kind === 'gone' ? ((await deps.plans.of(person)) ?? outcome.plan) : outcome.plan;
    const today = deps.plans.today(plan.timeZone);
    const note = canvasNote(canvas);
    const answered = `:ballot_box_with_check: *${escapeText(outcome.item.competencyName)}*: ${statusText(outcome.item.status)}.${note ? ` ${note}` : ''}`;
    const clicked = clickedMessage(args);
    if (!clicked) return planMessage(plan, today, answered);
    return withCheckInPlan(clicked, checkInPlanBlocks(plan, today, answered));
  });
}

/** The message clicked on, as Slack sent it with the click (only for a message the app posted, not an ephemeral one). */
function clickedMessage(args: ClickArgs): Message | undefined {
  const message = (args.body as { message?: { text?: unknown; blocks?: unknown } }).message;
  if (!message || !Array.isArray(message.blocks)) return undefined;
  return {
    text: typeof message.text === 'string' && message.text !== '' ? message.text : 'Your check-in',
    blocks: message.blocks as Message['blocks'],
  };
}

/** Open as a canvas (or Update the canvas), on the plan. */
export function planCanvasAction(deps: Deps): ClickListener {
  return inPlaceOrHome(deps, 'open a plan as a canvas', async (args) => {
    const person = personOf(args.context);
    const plan = await deps.plans.of(person);
    if (!plan) return noPlanMessage('canvas');
    const outcome = await openAsCanvas(
      deps,
      args.client,
      args.logger,
      { person, userId: args.body.user.id },
      plan,
    );
    const now = (await deps.plans.of(person)) ?? plan;
    const teamId = args.context.teamId ?? args.body.team?.id;
    const note = canvasNote(outcome, teamId) ?? ':memo: Your plan’s canvas says what your plan says now.';
    return planMessage(now, deps.plans.today(now.timeZone), note);
  });
}

/** See the whole plan, on the Home tab. */
export function planShowAction(deps: Deps): ClickListener {
  return inPlaceOrHome(deps, 'show a plan', async (args) => {
    const plan = await deps.plans.of(personOf(args.context));
    if (!plan) return noPlanMessage('show');
    return planMessage(plan, deps.plans.today(plan.timeZone));
  });
}
