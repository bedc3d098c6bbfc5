import type { Button, KnownBlock } from '@slack/types';
import { z } from 'zod';
import type { AssessmentRecord, Cadence, ReminderSetting } from '../../model/records.js';
import type { CadenceChoice } from '../../reminders/service.js';
import { ActionId } from '../ids.js';
import { escapeText } from './mrkdwn.js';

/**
 * The check-in reminder picker (Off / Monthly / Quarterly, the current choice and the next date), on
 * a summary and on the Home tab. Pure functions; the reminder messages themselves are in reminders.ts.
 */

/**
 * A cadence button (`reminder_cadence:<off|monthly|quarterly>`): the assessment it was shown with, so
 * the check-in is about that framework and level. Never a person: always whoever clicked.
 */
export const CadenceValue = z.object({ id: z.string().min(1).max(60).optional() });
export type CadenceValue = z.infer<typeof CadenceValue>;

const CADENCE_LABEL: Record<CadenceChoice, string> = {
  off: 'Off',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
};

/** `<!date^…>` as a day and time, shown in each reader's own time zone; the fallback in UTC. */
export function dueDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  const fallback = `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return Number.isFinite(seconds) ? `<!date^${seconds}^{date_long_pretty} at {time}|${fallback}>` : fallback;
}

/** Who a reminder's check-in is about, for display: `Solutions Architect · Senior`. */
export type ReminderAbout = { roleName: string; levelName: string };

/** One line on the reminder as it is: `Quarterly, for Solutions Architect · Senior. Next: <date>.` */
function reminderLine(reminder: ReminderSetting | null | undefined, about?: ReminderAbout): string {
  if (reminder === undefined) {
    return '*Check-in reminders:* a direct message, monthly or quarterly, to rate yourself again and see what moved. Off unless you choose.';
  }
  if (reminder === null) {
    return '*Check-in reminders: off.* Choose monthly or quarterly for a direct message to rate yourself again, on a working day at 10:00 your time.';
  }
  const what = about
    ? `, for ${escapeText(about.roleName)} · ${escapeText(about.levelName)}`
    : ', for another of your assessments';
  return `*Check-in reminders: ${reminder.cadence}*${what}. Next: ${dueDate(reminder.dueAt)}.`;
}

/**
 * Off / Monthly / Quarterly, the current choice highlighted. `recordId`: the assessment the check-in
 * would be about (on the Home tab, the latest); `current`: the cadence to highlight, when known.
 */
function cadenceButtons(
  blockId: string,
  current: CadenceChoice | undefined,
  recordId: string | undefined,
  suggested?: Cadence,
): KnownBlock {
  const order: readonly CadenceChoice[] = suggested
    ? [suggested, ...(['off', 'monthly', 'quarterly'] as const).filter((c) => c !== suggested)]
    : ['off', 'monthly', 'quarterly'];
  const elements: Button[] = order.map((choice) => ({
    type: 'button',
    action_id: `${ActionId.reminderCadence}:${choice}`,
    text: {
      type: 'plain_text',
      text:
        current === choice
          ? `✓ ${CADENCE_LABEL[choice]}`
          : choice === suggested
            ? `${CADENCE_LABEL[choice]} (suggested)`
            : CADENCE_LABEL[choice],
    },
    ...(recordId ? { value: JSON.stringify({ id: recordId } satisfies CadenceValue) } : {}),
    ...(current === choice ? { style: 'primary' as const } : {}),
  }));
  return { type: 'actions', block_id: blockId, elements };
}

/**
 * What a summary shows of the person's check-in reminder: theirs (`current`, null when they have
 * none), and the cadence their organisation suggests, offered first when they have none.
 */
export type ReminderShown = { current: ReminderSetting | null; suggested?: Cadence | undefined };

/**
 * The picker on a summary: the reminder as it is and Off / Monthly / Quarterly. `shown`: the
 * person's reminder (undefined: not known here, nothing highlighted). A reminder about another
 * framework or level highlights nothing: choosing here moves it to this assessment. With none, the
 * cadence the organisation suggests comes first and says so.
 */
export function summaryReminderBlocks(
  record: AssessmentRecord,
  shown: ReminderShown | undefined,
): KnownBlock[] {
  const reminder = shown?.current;
  const suggested = reminder === null ? shown?.suggested : undefined;
  const same =
    reminder != null && reminder.frameworkId === record.frameworkId && reminder.levelId === record.levelId;
  const current: CadenceChoice | undefined = reminder === null ? 'off' : same ? reminder.cadence : undefined;
  const line = reminderLine(
    reminder,
    same ? { roleName: record.roleName, levelName: record.levelName } : undefined,
  );
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: suggested ? `${line} Your organisation suggests ${suggested}.` : line,
      },
    },
    cadenceButtons('reminder_cadence', current, record.id, suggested),
  ];
}

/**
 * The picker on the Home tab: for the person's reminder, or else their latest assessment (none
 * before they finish one: there is nothing to check in on yet).
 */
export function homeReminderBlocks(
  reminder: ReminderSetting | null,
  about: ReminderAbout | undefined,
  latest: AssessmentRecord | undefined,
): KnownBlock[] {
  if (reminder === null && latest === undefined) {
    return [
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'Check-in reminders: once you finish a self-assessment, you can ask for a monthly or quarterly nudge to rate yourself again.',
          },
        ],
      },
    ];
  }
  const shownAbout =
    reminder !== null
      ? about
      : latest
        ? { roleName: latest.roleName, levelName: latest.levelName }
        : undefined;
  const line =
    reminder === null && latest
      ? `*Check-in reminders: off.* Choose monthly or quarterly for a direct message to rate yourself again on ${escapeText(latest.roleName)} · ${escapeText(latest.levelName)}, on a working day at 10:00 your time.`
      : reminderLine(reminder, shownAbout);
  // With a reminder, its own framework stays (no assessment named); without, the latest assessment.
  return [
    { type: 'section', text: { type: 'mrkdwn', text: line } },
    cadenceButtons(
      'home_reminder_cadence',
      reminder === null ? 'off' : reminder.cadence,
      reminder === null ? latest?.id : undefined,
    ),
  ];
}
