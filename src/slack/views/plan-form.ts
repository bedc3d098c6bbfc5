import type { KnownBlock, ModalView } from '@slack/types';
import { addDays, type EntryProblem, openItems, plannable } from '../../assessments/plans.js';
import { NOTE_MAX, type Plan } from '../../model/growth.js';
import type { AssessmentRecord } from '../../model/records.js';
import { CallbackId } from '../ids.js';
import { encodeValue, type PlanFormMetadata } from '../values.js';
import { escapeText, truncate } from './mrkdwn.js';
import { dayText } from './plan.js';

/**
 * The Make a plan form: for each focus area of an assessment a goal, a next step and a target date;
 * for each competency worth a conversation, the same under a box to tick to include it. An empty
 * goal and next step means no item. As many competencies as Slack's 100 blocks of a modal hold
 * (focus areas first); the form says which were left out.
 */

/** The fields of each competency, by block id: `plan_goal:<competency id>` and so on. */
export const PlanField = {
  goal: 'plan_goal',
  nextStep: 'plan_step',
  targetDate: 'plan_date',
  include: 'plan_include',
} as const;
export type PlanFieldName = keyof typeof PlanField;

/** The action id of the element in each field's block. */
export const PLAN_ELEMENT = 'value';

export const planBlockId = (field: PlanFieldName, competencyId: string): string =>
  `${PlanField[field]}:${competencyId}`;

/** Slack's most blocks in a modal, less the two the form always has (the intro, what was left out). */
const ROOM = 100 - 2;

/** How far ahead a new item's target date starts: about three months. */
const DEFAULT_DAYS_AHEAD = 91;

type Gap = { id: string; name: string; rating: number; expected: number };

/** The competencies the form has fields for, and those left out for want of room. */
export function formCompetencies(record: Pick<AssessmentRecord, 'competencies' | 'nextLevelName'>): {
  focusAreas: Gap[];
  worthAConversation: Gap[];
  leftOut: Gap[];
} {
  const { focusAreas, worthAConversation } = plannable(record);
  let used = 0;
  const fits = (list: Gap[], per: number): Gap[] =>
    list.filter(() => {
      if (used + per > ROOM) return false;
      used += per;
      return true;
    });
  const focus = fits(focusAreas, 3);
  const worth = fits(worthAConversation, 4);
  return {
    focusAreas: focus,
    worthAConversation: worth,
    leftOut: [...focusAreas.slice(focus.length), ...worthAConversation.filter((c) => !worth.includes(c))],
  };
}

function inputs(
  gap: Gap,
  kind: 'focus' | 'worth',
  current: { goal: string; nextStep: string; targetDate: string } | undefined,
  today: string,
): KnownBlock[] {
  const about = `${gap.name} (rated ${gap.rating}, expected ${gap.expected})`;
  const text = (field: 'goal' | 'nextStep', label: string, placeholder: string): KnownBlock => ({
    type: 'input',
    block_id: planBlockId(field, gap.id),
    optional: true,
    label: { type: 'plain_text', text: truncate(label, 150) },
    element: {
      type: 'plain_text_input',
      action_id: PLAN_ELEMENT,
      multiline: field === 'goal',
      max_length: NOTE_MAX,
      placeholder: { type: 'plain_text', text: placeholder },
      ...(current ? { initial_value: current[field] } : {}),
    },
  });
  const date =
    current && current.targetDate >= today ? current.targetDate : addDays(today, DEFAULT_DAYS_AHEAD);
  const blocks: KnownBlock[] = [];
  if (kind === 'worth') {
    blocks.push({
      type: 'input',
      block_id: planBlockId('include', gap.id),
      optional: true,
      label: { type: 'plain_text', text: truncate(`Worth a conversation · ${about}`, 150) },
      element: {
        type: 'checkboxes',
        action_id: PLAN_ELEMENT,
        options: [{ text: { type: 'plain_text', text: 'Include it in my plan' }, value: 'include' }],
        ...(current
          ? {
              initial_options: [
                { text: { type: 'plain_text', text: 'Include it in my plan' }, value: 'include' },
              ],
            }
          : {}),
      },
    });
  }
  blocks.push(
    text('goal', kind === 'focus' ? `Goal · ${about}` : `Goal · ${gap.name}`, 'Where you want to be'),
    text('nextStep', `Next step · ${gap.name}`, 'The first thing you will do'),
    {
      type: 'input',
      block_id: planBlockId('targetDate', gap.id),
      optional: true,
      label: { type: 'plain_text', text: truncate(`Target date · ${gap.name}`, 150) },
      element: { type: 'datepicker', action_id: PLAN_ELEMENT, initial_date: date },
    },
  );
  return blocks;
}

/**
 * The form for one assessment. `plan`: the person's plan now, whose open items for the same
 * competencies fill the fields in (saving replaces them). `today`: the person's today, in their zone.
 */
export function planModal(
  record: AssessmentRecord,
  plan: Plan | undefined,
  today: string,
  metadata: PlanFormMetadata,
): ModalView {
  const { focusAreas, worthAConversation, leftOut } = formCompetencies(record);
  const current = new Map((plan ? openItems(plan) : []).map((item) => [item.competencyId, item]));
  const replacing = plan && openItems(plan).length > 0;
  const intro = [
    `A plan for your *${escapeText(record.roleName)} · ${escapeText(record.levelName)}* gaps. For each focus area, a goal, the next step towards it and a target date (today is ${dayText(today)} where you are). Leave a goal and next step empty to leave that one out.`,
    worthAConversation.length > 0
      ? 'Those worth a conversation (one below) are yours to add: tick the box of each one you want in your plan.'
      : '',
    replacing
      ? 'Saving replaces the open items of your plan now; finished ones stay, with their dates.'
      : 'Only you can see your plan, and anyone you share with (/competency shares). It lives in the app’s Home tab, and check-ins ask how each item goes.',
  ]
    .filter(Boolean)
    .join(' ');
  const blocks: KnownBlock[] = [
    { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(intro, 3000) }] },
  ];
  for (const gap of focusAreas) blocks.push(...inputs(gap, 'focus', current.get(gap.id), today));
  for (const gap of worthAConversation) blocks.push(...inputs(gap, 'worth', current.get(gap.id), today));
  if (leftOut.length > 0) {
    const names = leftOut.map((c) => escapeText(c.name)).join(', ');
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: truncate(
            `This form has room for ${focusAreas.length + worthAConversation.length} competencies, so ${leftOut.length} ${leftOut.length === 1 ? 'is' : 'are'} left out: ${names}. Start with these; your next assessment's plan picks up what is still a gap.`,
            3000,
          ),
        },
      ],
    });
  }
  return {
    type: 'modal',
    callback_id: CallbackId.makePlan,
    title: { type: 'plain_text', text: 'Make a plan' },
    submit: { type: 'plain_text', text: 'Save plan' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeValue(metadata),
    blocks,
  };
}

/** What to tell the person about a field, next to it. */
export function problemText(
  field: 'goal' | 'nextStep' | 'targetDate',
  problem: EntryProblem,
  today: string,
): string {
  switch (problem) {
    case 'missing':
      return field === 'goal'
        ? 'Give a goal too, or clear the next step to leave this one out.'
        : field === 'nextStep'
          ? 'Give a next step too (the first thing you will do), or clear the goal to leave this one out.'
          : 'Choose a target date.';
    case 'too-long':
      return `Keep it to ${NOTE_MAX} characters or fewer.`;
    case 'not-a-date':
      return 'Choose a target date from the calendar.';
    case 'in-the-past':
      return `Choose today or a later day: that day has passed (today is ${dayText(today)} where you are).`;
  }
}
