import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import type { Step } from '../../assessments/assessments.js';
import type { Moves } from '../../assessments/gaps.js';
import type { Framework, Level } from '../../frameworks/schema.js';
import type { Plan } from '../../model/growth.js';
import type { ReminderSetting } from '../../model/records.js';
import type { CadenceChoice } from '../../reminders/service.js';
import { ActionId } from '../ids.js';
import { AnswerValue, decodeValue } from '../values.js';
import { ratingStepMessage } from './assessment.js';
import { changeText } from './history.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { checkInPlanBlocks } from './plan.js';
import { dueDate, type ReminderAbout } from './reminder-picker.js';
import { COMMAND, type Message } from './types.js';

export {
  CadenceValue,
  dueDate,
  type ReminderAbout,
} from './reminder-picker.js';

/**
 * Check-in reminders in Slack: the cadence picker (on a summary and on the Home tab), the reminder
 * itself (a direct message whose first question can be answered right there), and what Snooze a week
 * and Stop reminders answer. Pure functions: data in, Block Kit out.
 */

const id = z.string().min(1).max(130);

/**
 * A rating button of a check-in (`reminder_answer:<choice>`): like a rating step's (AnswerValue),
 * plus the level; without `s` it is the reminder's first question, whose click starts a new run.
 */
export const ReminderAnswerValue = z.object({
  f: id,
  v: z.string().min(1).max(40),
  l: id,
  s: z.string().min(1).max(40).optional(),
  c: id,
  a: z.union([z.literal([1, 2, 3, 4, 5]), z.enum(['na', 'skip', 'back'])]),
});
export type ReminderAnswerValue = z.infer<typeof ReminderAnswerValue>;

/** Snooze a week / Stop reminders, on the reminder. */
function reminderControls(): KnownBlock {
  return {
    type: 'actions',
    block_id: 'reminder_controls',
    elements: [
      {
        type: 'button',
        action_id: ActionId.reminderSnooze,
        text: { type: 'plain_text', text: 'Snooze a week' },
      },
      {
        type: 'button',
        action_id: ActionId.reminderStop,
        text: { type: 'plain_text', text: 'Stop reminders' },
      },
    ],
  };
}

/**
 * A rating step answered in a check-in: the assessment's own step (ratingStepMessage), its buttons
 * turned into `reminder_answer` ones so each answer replaces the direct message in place. Without
 * `sessionId` (the reminder's first question) a click starts a new run.
 */
export function checkInStepMessage(step: Step, sessionId: string | undefined): Message {
  const message = ratingStepMessage(step, { noteButton: false });
  const blocks = message.blocks.map((block): KnownBlock => {
    if (block.type !== 'actions') return block;
    return {
      ...block,
      elements: block.elements.map((element) => {
        if (element.type !== 'button' || !element.action_id?.startsWith(`${ActionId.answer}:`))
          return element;
        const answer = decodeValue(AnswerValue, element.value);
        if (!answer) return element;
        const value: ReminderAnswerValue = {
          f: answer.f,
          v: answer.v,
          l: step.level.id,
          ...(sessionId ? { s: sessionId } : {}),
          c: answer.c,
          a: answer.a,
        };
        return {
          ...element,
          action_id: `${ActionId.reminderAnswer}:${element.action_id.slice(ActionId.answer.length + 1)}`,
          value: JSON.stringify(value),
        };
      }),
    };
  });
  return { text: message.text, blocks };
}

/**
 * The reminder, in the person's direct messages: a friendly line, the first competency with its
 * rating buttons (answerable right there), and Snooze a week / Stop reminders.
 */
export function reminderMessage(input: {
  reminder: ReminderSetting;
  framework: Framework;
  level: Level;
  /** The current rating of the first competency, to highlight. */
  current: Step['current'];
  /** The person's plan and their today: the check-in asks how each open item goes. */
  plan?: { plan: Plan; today: string } | undefined;
}): Message {
  const { reminder, framework, level, current } = input;
  const competency = framework.competencies[0];
  if (!competency) throw new Error(`framework ${framework.id} has no competencies`);
  // The first step as a run would show it; no run exists until the person answers.
  const step: Step = {
    kind: 'step',
    framework,
    level,
    index: 0,
    competency,
    current,
    draft: {
      sessionId: 'check-in',
      frameworkId: framework.id,
      frameworkVersion: framework.version,
      levelId: level.id,
      position: 0,
      status: 'rating',
      startedAt: reminder.dueAt,
      updatedAt: reminder.dueAt,
    },
  };
  const first = checkInStepMessage(step, undefined);
  const planAsked = input.plan ? checkInPlanBlocks(input.plan.plan, input.plan.today) : [];
  const what = `${framework.role.name} · ${level.name}`;
  const greeting = `:wave: Time for your ${reminder.cadence} check-in: *${escapeText(what)}*. Rate yourself again, one competency at a time, and see what moved since last time. The first one is right here.`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(greeting, 3000) } },
    ...first.blocks,
    // How each open item of the plan goes: Done / Moving / Stuck / Dropped (views/plan.ts).
    ...(planAsked.length > 0 ? [{ type: 'divider' as const }, ...planAsked] : []),
    { type: 'divider' },
    reminderControls(),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `You asked for ${reminder.cadence} check-in reminders. Only you can see your ratings. Change or stop them here, on any summary, or in the app's Home tab.`,
        },
      ],
    },
  ];
  return {
    text: escapeText(`Time for your ${reminder.cadence} check-in: ${what}. First: ${competency.name}`),
    blocks: blocks.slice(0, 50),
  };
}

/** After Snooze a week: when it comes back, and how to stop it instead. */
export function snoozedMessage(reminder: ReminderSetting, about?: ReminderAbout): Message {
  const what = about ? ` on ${escapeText(about.roleName)} · ${escapeText(about.levelName)}` : '';
  const text = `:zzz: Snoozed. Your check-in${what} comes back ${dueDate(reminder.dueAt)}; after that, ${reminder.cadence} as before.`;
  return {
    text: `Snoozed: your check-in comes back in a week.`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'actions',
        block_id: 'reminder_controls',
        elements: [
          {
            type: 'button',
            action_id: ActionId.reminderStop,
            text: { type: 'plain_text', text: 'Stop reminders' },
          },
        ],
      },
    ],
  };
}

/** How to turn reminders back on, in one sentence. */
const TURN_BACK_ON = `To turn them back on, choose *Monthly* or *Quarterly* on any summary (${code(`${COMMAND} history`)}) or in the app's Home tab.`;

/** After Stop reminders (or Off on the cadence picker of a message that has no summary). */
export function stoppedMessage(was: boolean): Message {
  const text = was
    ? `:white_check_mark: Check-in reminders are off: no more of them will come. ${TURN_BACK_ON}`
    : `Check-in reminders were already off: none will come. ${TURN_BACK_ON}`;
  return {
    text: was ? 'Check-in reminders are off.' : 'Check-in reminders were already off.',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}

/** Snooze on a reminder that was stopped meanwhile. */
export function nothingToSnoozeMessage(): Message {
  const text = `You have no check-in reminder now, so there is nothing to snooze. ${TURN_BACK_ON}`;
  return {
    text: 'You have no check-in reminder now.',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}

/** A cadence chosen where there is no assessment to check in on. */
export function noAssessmentMessage(): Message {
  const text = `Check-in reminders ask you to rate yourself again, so they need a finished self-assessment first. Type ${code(`${COMMAND} <role> <level>`)} and press *Rate yourself*.`;
  return {
    text: 'Finish a self-assessment first.',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}

/** The note on a summary after a cadence was chosen on it. */
export function cadenceNote(choice: CadenceChoice, reminder: ReminderSetting | undefined): string {
  if (choice === 'off' || reminder === undefined) {
    return `:no_bell: Check-in reminders are off. ${TURN_BACK_ON.replace('To turn them back on, choose', 'Choose')}`;
  }
  return `:bell: Check-in reminders: *${reminder.cadence}*. The next one comes ${dueDate(reminder.dueAt)} as a direct message from the app, with its first question in it. *Snooze a week* and *Stop reminders* are on every one.`;
}

/** A cadence set from a message that has no summary to show it on. */
export function cadenceSetMessage(reminder: ReminderSetting | undefined): Message {
  const text = cadenceNote(reminder ? reminder.cadence : 'off', reminder);
  return { text: text.replaceAll('*', ''), blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** `<!date^…^{date_pretty}|3 March 2026>`: the day, in each reader's own time zone. */
function dayOf(iso: string): string {
  const date = new Date(iso);
  const seconds = Math.floor(date.getTime() / 1000);
  if (!Number.isFinite(seconds)) return iso;
  const fallback = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  return `<!date^${seconds}^{date_pretty}|${fallback}>`;
}

/** The most characters the list of what moved takes, so the summary stays within Slack's limits. */
const MOVES_TEXT = 1200;

/**
 * What moved since the assessment before it of the same framework, for a check-in's summary:
 * `Since 3 March: Omnichannel Architecture 3 → 4, Platform Scaling 2 → 3; 6 unchanged.` A rating
 * with no 1–5 is said in the words of gap-words.ts (`skipped`, `not applicable`); no zero is said.
 */
export function movesLine(moves: Moves): string {
  const since = `Since ${dayOf(moves.previous.finishedAt)}`;
  const unchanged = moves.unchanged > 0 ? `${moves.unchanged} unchanged` : '';
  if (moves.changes.length === 0) return `${since}: nothing moved${unchanged ? ` (${unchanged})` : ''}.`;
  const parts: string[] = [];
  let length = 0;
  for (const [i, change] of moves.changes.entries()) {
    const part = changeText(change);
    const rest = moves.changes.length - i;
    if (length + part.length + 2 > MOVES_TEXT && rest > 1) {
      parts.push(`…and ${rest} more`);
      break;
    }
    parts.push(part);
    length += part.length + 2;
  }
  return `${since}: ${parts.join(', ')}${unchanged ? `; ${unchanged}` : ''}.`;
}
