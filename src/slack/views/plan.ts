import type { Button, KnownBlock, PlainTextOption, StaticSelect } from '@slack/types';
import { DateTime } from 'luxon';
import { finishedItems, isOverdue, openItems } from '../../assessments/plans.js';
import type { Plan, PlanItem, PlanStatus } from '../../model/growth.js';
import { ActionId } from '../ids.js';
import { encodeValue } from '../values.js';
import { escapeText } from './mrkdwn.js';
import type { Message } from './types.js';

/**
 * A person's plan in Slack: its items with how each goes and a status menu (the Home tab, the plan
 * message), the same read-only (for a colleague the person shares it with), the questions a
 * check-in asks about it, and the plan as canvas markdown. Pure functions: data in, Block Kit out.
 */

/** How each status reads, with its emoji. */
const STATUS: Record<PlanStatus, { label: string; emoji: string }> = {
  open: { label: 'Not started', emoji: ':white_circle:' },
  moving: { label: 'Moving', emoji: ':large_blue_circle:' },
  stuck: { label: 'Stuck', emoji: ':large_orange_circle:' },
  done: { label: 'Done', emoji: ':white_check_mark:' },
  dropped: { label: 'Dropped', emoji: ':heavy_minus_sign:' },
};

/** What a person may set an item to, in the menu and in a check-in. */
export const CHOSEN_STATUSES = [
  'moving',
  'stuck',
  'done',
  'dropped',
] as const satisfies readonly PlanStatus[];

export const statusText = (status: PlanStatus): string => `${STATUS[status].emoji} ${STATUS[status].label}`;

/** `14 March 2026`, from YYYY-MM-DD: a day in the person's own zone, the same day wherever it is read. */
export function dayText(day: string): string {
  const date = DateTime.fromISO(day, { zone: 'UTC' });
  return date.isValid ? date.setLocale('en-GB').toFormat('d LLLL yyyy') : day;
}

/**
 * `text`, escaped for mrkdwn, in at most `max` characters: cut (with an ellipsis) between the
 * characters a person typed, never inside an escaped `&amp;`.
 */
function escapedWithin(text: string, max: number): string {
  const escaped = escapeText(text);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const ch of text) {
    const next = escapeText(ch);
    if (out.length + next.length > max - 1) break;
    out += next;
  }
  return `${out.trimEnd()}…`;
}

/** The most characters the plan's blocks take by default, so a message with them stays within Slack's ~12,000. */
const PLAN_TEXT_BUDGET = 9000;
/** About what an open item takes besides its goal and next step, and what a finished one's line takes. */
const ITEM_OVERHEAD = 170;
const FINISHED_LINE = 230;

/** `*Name* · :large_blue_circle: Moving · by 14 March 2026 · :warning: overdue` and the goal and next step. */
function itemText(item: PlanItem, today: string, room: number): string {
  const overdue = isOverdue(item, today) ? '  ·  :warning: *overdue*' : '';
  return [
    `*${escapedWithin(item.competencyName, 80)}*  ·  ${statusText(item.status)}  ·  by ${dayText(item.targetDate)}${overdue}`,
    `*Goal:* ${escapedWithin(item.goal, room)}`,
    `*Next step:* ${escapedWithin(item.nextStep, room)}`,
  ].join('\n');
}

/** The status menu of one item: Moving, Stuck, Done, Dropped; showing its status when it is one of them. */
function statusMenu(item: PlanItem): StaticSelect {
  const options: PlainTextOption[] = CHOSEN_STATUSES.map((status) => ({
    text: { type: 'plain_text', text: STATUS[status].label },
    value: encodeValue({ i: item.id, s: status }),
  }));
  const initial = options[CHOSEN_STATUSES.indexOf(item.status as (typeof CHOSEN_STATUSES)[number])];
  return {
    type: 'static_select',
    action_id: ActionId.planStatus,
    placeholder: { type: 'plain_text', text: 'How is it going?' },
    options,
    ...(initial ? { initial_option: initial } : {}),
  };
}

export type PlanBlocksOptions = {
  /** For someone other than the person (a colleague they share it with): no menu, no button. */
  readOnly: boolean;
  /** The person's today (YYYY-MM-DD, in their zone): what is overdue. */
  today: string;
  /** The most open items shown; the rest are counted (all of them unless given). */
  most?: number;
  /** The most finished items shown, each with its date; the rest are counted (3 unless given). */
  mostFinished?: number;
  /** About the most characters the blocks may take (9,000 unless given): goals and next steps are cut to fit. */
  textBudget?: number;
};

/**
 * The plan: a heading, each open item (competency, goal, next step, target date, how it goes,
 * overdue marked) with its status menu, then finished ones with the day they were done or dropped,
 * and Open as a canvas. `readOnly` drops every control. Block ids begin with `plan_`.
 */
export function planBlocks(plan: Plan, options: PlanBlocksOptions): KnownBlock[] {
  const { readOnly, today } = options;
  const open = openItems(plan);
  const shown = open.slice(0, options.most ?? open.length);
  const finished = finishedItems(plan);
  const mostFinished = options.mostFinished ?? 3;
  const fixed = 600 + shown.length * ITEM_OVERHEAD + Math.min(finished.length, mostFinished) * FINISHED_LINE;
  const spare = (options.textBudget ?? PLAN_TEXT_BUDGET) - fixed;
  // What each goal and next step may take, cut to fit the rest.
  const room = Math.max(40, Math.min(1300, Math.floor(spare / Math.max(1, 2 * shown.length))));
  const whose = readOnly ? 'Plan' : 'Your plan';
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: 'plan_heading',
      text: {
        type: 'mrkdwn',
        text: `*${whose}* · ${escapedWithin(plan.roleName, 100)} · ${escapedWithin(plan.levelName, 100)}\n${
          open.length === 0
            ? 'Nothing open now.'
            : `${open.length} open ${open.length === 1 ? 'item' : 'items'}. Dates are days in ${escapeText(plan.timeZone)}.`
        }`,
      },
    },
  ];
  for (const item of shown) {
    blocks.push({
      type: 'section',
      block_id: `plan_item:${item.id}`,
      text: { type: 'mrkdwn', text: itemText(item, today, room) },
      ...(readOnly ? {} : { accessory: statusMenu(item) }),
    });
  }
  const hidden = open.length - shown.length;
  if (hidden > 0) {
    blocks.push({
      type: 'context',
      block_id: 'plan_more',
      elements: [
        {
          type: 'mrkdwn',
          text: `…and ${hidden} more open ${hidden === 1 ? 'item' : 'items'}${readOnly ? '.' : ': *See the whole plan* shows every one.'}`,
        },
      ],
    });
  }
  if (finished.length > 0) {
    const most = mostFinished;
    const lines = finished
      .slice(0, most)
      .map(
        (item) =>
          `${statusText(item.status)} ${item.finishedOn ? dayText(item.finishedOn) : ''} · *${escapedWithin(item.competencyName, 60)}*: ${escapedWithin(item.goal, 120)}`,
      );
    if (finished.length > most) lines.push(`…and ${finished.length - most} more finished.`);
    blocks.push({
      type: 'context',
      block_id: 'plan_finished',
      elements: [{ type: 'mrkdwn', text: `*Finished*\n${lines.join('\n')}` }],
    });
  }
  if (readOnly) return blocks;
  const buttons: Button[] = [];
  if (hidden > 0) {
    buttons.push({
      type: 'button',
      action_id: ActionId.planShow,
      text: { type: 'plain_text', text: 'See the whole plan' },
    });
  }
  buttons.push({
    type: 'button',
    action_id: ActionId.planCanvas,
    text: { type: 'plain_text', text: plan.canvas ? 'Update the canvas' : 'Open as a canvas' },
  });
  blocks.push({ type: 'actions', block_id: 'plan_actions', elements: buttons });
  if (plan.canvas) {
    blocks.push({
      type: 'context',
      block_id: 'plan_canvas',
      elements: [
        {
          type: 'mrkdwn',
          text: ':memo: Also a canvas in Slack, kept in step with this plan as you change it.',
        },
      ],
    });
  }
  return blocks;
}

/** The plan as a message of its own (after it is made, See the whole plan, Open as a canvas). */
export function planMessage(plan: Plan, today: string, note?: string): Message {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Your plan' } },
    ...(note ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: note } }] : []),
    // At most 40 items: the plan keeps one open item per competency (24 at most), so all of them.
    ...planBlocks(plan, { readOnly: false, today, most: 40, mostFinished: 10 }),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: 'Only you can see your plan, and anyone you share with (/competency shares). It lives in the app’s Home tab too.',
        },
      ],
    },
  ];
  const open = openItems(plan).length;
  return {
    text: `Your plan for ${escapeText(plan.roleName)} · ${escapeText(plan.levelName)}: ${open} open ${open === 1 ? 'item' : 'items'}.`,
    blocks: blocks.slice(0, 50),
  };
}

/** The block ids of a check-in's questions about the plan: they are replaced together when one is answered. */
const CHECK_IN_PLAN_BLOCK = 'checkin_plan';

/** The most plan items a check-in asks about (two blocks each, within a message's 50). */
const CHECK_IN_MOST = 8;

/**
 * What a check-in asks about the plan: each open item (most urgent first) with Done / Moving /
 * Stuck / Dropped, answered in place. Nothing when there is no open item. `answered` says what the
 * last click changed.
 */
export function checkInPlanBlocks(plan: Plan | undefined, today: string, answered?: string): KnownBlock[] {
  const open = plan ? openItems(plan).sort((a, b) => a.targetDate.localeCompare(b.targetDate)) : [];
  const finishedNow = plan && answered !== undefined;
  if (open.length === 0 && !finishedNow) return [];
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      block_id: `${CHECK_IN_PLAN_BLOCK}:heading`,
      text: {
        type: 'mrkdwn',
        text:
          open.length === 0
            ? `${answered ?? ''}\nEvery item of your plan is finished. :tada: Make a new plan from your next summary.`.trim()
            : `${answered ? `${answered}\n` : ''}*How is your plan going?* Tell me for each item.`,
      },
    },
  ];
  for (const item of open.slice(0, CHECK_IN_MOST)) {
    const overdue = isOverdue(item, today) ? ' · :warning: overdue' : '';
    blocks.push(
      {
        type: 'section',
        block_id: `${CHECK_IN_PLAN_BLOCK}:about-${item.id}`,
        text: {
          type: 'mrkdwn',
          text: `*${escapedWithin(item.competencyName, 150)}* · ${statusText(item.status)} · by ${dayText(item.targetDate)}${overdue}\n${escapedWithin(item.goal, 300)}\n_Next step:_ ${escapedWithin(item.nextStep, 300)}`,
        },
      },
      {
        type: 'actions',
        block_id: `${CHECK_IN_PLAN_BLOCK}:answer-${item.id}`,
        elements: CHOSEN_STATUSES.map((status) => ({
          type: 'button' as const,
          action_id: `${ActionId.planCheckIn}:${status}`,
          text: { type: 'plain_text' as const, text: STATUS[status].label },
          value: encodeValue({ i: item.id }),
          ...(item.status === status ? { style: 'primary' as const } : {}),
        })),
      },
    );
  }
  if (open.length > CHECK_IN_MOST) {
    blocks.push({
      type: 'context',
      block_id: `${CHECK_IN_PLAN_BLOCK}:more`,
      elements: [
        {
          type: 'mrkdwn',
          text: `…and ${open.length - CHECK_IN_MOST} more, each with its menu in the app’s Home tab.`,
        },
      ],
    });
  }
  return blocks;
}

/**
 * The check-in message with its questions about the plan replaced by `blocks` (where the old ones
 * were; appended before the last two blocks when it had none).
 */
export function withCheckInPlan(message: Message, blocks: KnownBlock[]): Message {
  const isPlan = (block: KnownBlock) => block.block_id?.startsWith(`${CHECK_IN_PLAN_BLOCK}:`) === true;
  const at = message.blocks.findIndex(isPlan);
  const rest = message.blocks.filter((block) => !isPlan(block));
  const where = at < 0 ? rest.length : at;
  return { ...message, blocks: [...rest.slice(0, where), ...blocks, ...rest.slice(where)].slice(0, 50) };
}

/** Escapes what a person typed for canvas markdown, on one line. */
function markdownText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/([\\`*_[\]<>#!|~])/g, '\\$1')
    .trim();
}

/**
 * The plan as canvas markdown: a heading, then a checklist per competency —
 * `- [ ] goal — next step (target date)`, ticked for done, struck through for dropped.
 */
export function planMarkdown(plan: Plan): string {
  const lines = [`# Plan · ${markdownText(plan.roleName)} · ${markdownText(plan.levelName)}`, ''];
  const byCompetency = new Map<string, PlanItem[]>();
  for (const item of plan.items) {
    const list = byCompetency.get(item.competencyName) ?? [];
    list.push(item);
    byCompetency.set(item.competencyName, list);
  }
  for (const [name, items] of byCompetency) {
    lines.push(`## ${markdownText(name)}`, '');
    for (const item of items) {
      const text = `${markdownText(item.goal)} — ${markdownText(item.nextStep)} (${dayText(item.targetDate)})`;
      if (item.status === 'done') lines.push(`- [x] ${text} · done ${dayText(item.finishedOn ?? '')}`);
      else if (item.status === 'dropped')
        lines.push(`- [x] ~${text}~ · dropped ${dayText(item.finishedOn ?? '')}`);
      else
        lines.push(
          `- [ ] ${text}${item.status === 'open' ? '' : ` · ${STATUS[item.status].label.toLowerCase()}`}`,
        );
    }
    lines.push('');
  }
  lines.push(
    `_Kept in step with your plan in the Competency app: change it in the app's Home tab, and this canvas follows (edits made here would be replaced, so it is read-only). Dates are days in ${markdownText(plan.timeZone)}._`,
  );
  return `${lines.join('\n')}\n`;
}
