import type { Button, HomeView, KnownBlock } from '@slack/types';
import type { HistoryEntry, Unfinished } from '../../assessments/assessments.js';
import type { Framework } from '../../frameworks/schema.js';
import type { ReminderSetting } from '../../store/store.js';
import { ActionId } from '../ids.js';
import { encodeValue } from '../values.js';
import { historyBlocks } from './history.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { homeReminderBlocks, type ReminderAbout } from './reminder-picker.js';
import { COMMAND, type Message } from './types.js';

export type HomeData = {
  frameworks: readonly Framework[];
  unfinished: readonly Unfinished[];
  history: readonly HistoryEntry[];
  /** The person's check-in reminder (null: none); the picker is shown only when this is given. */
  reminder?: ReminderSetting | null;
  /** What the reminder's check-in is about, from the catalog (absent when no longer there). */
  reminderAbout?: ReminderAbout;
};

const MAX_FRAMEWORKS = 30;

/** The App Home tab: an unfinished assessment to continue, the person's history, and the frameworks. */
export function homeView({ frameworks, unfinished, history, reminder, reminderAbout }: HomeData): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Competency frameworks' } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `See what a role expects at each level and rate yourself against it. In any channel or DM, type ${code(`${COMMAND} <role> <level>`)}; answers and ratings are visible only to you.`,
      },
    },
  ];
  if (unfinished.length > 0) {
    blocks.push(
      { type: 'divider' },
      { type: 'section', text: { type: 'mrkdwn', text: '*Carry on where you stopped*' } },
    );
    const buttons: Button[] = unfinished.slice(0, 10).map(({ framework, level, draft }, i) => ({
      type: 'button',
      action_id: `${ActionId.startAssessment}:${i}`,
      style: 'primary',
      text: {
        type: 'plain_text',
        text: truncate(
          `${framework.role.name} · ${level.name} (${draft.position + 1} of ${framework.competencies.length})`,
          75,
        ),
      },
      value: encodeValue({ f: framework.id, l: level.id }),
    }));
    blocks.push({ type: 'actions', block_id: 'home_unfinished', elements: buttons });
  }
  blocks.push(
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: '*Your assessments*' } },
    ...historyBlocks(history, 30),
    ...(reminder === undefined ? [] : homeReminderBlocks(reminder, reminderAbout, history[0]?.record)),
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: '*Frameworks*' } },
  );
  for (const framework of frameworks.slice(0, MAX_FRAMEWORKS)) {
    const level = framework.levels[Math.min(1, framework.levels.length - 1)];
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeText(framework.role.name)}* · ${escapeText(framework.domain.name)}\n${framework.levels
          .map((l) => escapeText(l.name))
          .join(' → ')}  ·  try ${code(`${COMMAND} ${framework.role.id} ${level?.id ?? ''}`.trim())}`,
      },
    });
  }
  if (frameworks.length > MAX_FRAMEWORKS) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `…and ${frameworks.length - MAX_FRAMEWORKS} more: ${code(`${COMMAND} list`)}`,
        },
      ],
    });
  }
  return { type: 'home', blocks };
}

/** A message shown inside the Home tab (a rating step, a summary), with a way back to the front page. */
export function homeWith(message: Message): HomeView {
  const back: KnownBlock = {
    type: 'actions',
    block_id: 'home_back',
    elements: [
      { type: 'button', action_id: ActionId.showHome, text: { type: 'plain_text', text: '← Home' } },
    ],
  };
  return { type: 'home', blocks: [...message.blocks.slice(0, 98), back] };
}
