import type { Button, HomeView, KnownBlock } from '@slack/types';
import type { HistoryEntry, LastRole, Unfinished } from '../../assessments/assessments.js';
import { readinessOf } from '../../assessments/progress.js';
import type { RequestSummary, ReviewToGive } from '../../assessments/reviews.js';
import type { Framework } from '../../frameworks/schema.js';
import type { Plan } from '../../model/growth.js';
import type { ReminderSetting } from '../../model/records.js';
import { ActionId } from '../ids.js';
import { encodeValue } from '../values.js';
import { overallLine, slackDate } from './assessment.js';
import { showLevelButton } from './framework.js';
import {
  commandButton,
  compareButton,
  everyFrameworkButton,
  historyButton,
  lastRoleRateButton,
} from './help.js';
import { historyBlocks, openButton, trendButton } from './history.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { planBlocks } from './plan.js';
import { readinessText } from './progress.js';
import { homeReminderBlocks, type ReminderAbout } from './reminder-picker.js';
import { requestBlocks, toGiveBlocks } from './review.js';
import { COMMAND, type Message } from './types.js';

export type HomeData = {
  frameworks: readonly Framework[];
  unfinished: readonly Unfinished[];
  history: readonly HistoryEntry[];
  /** The role and level the person worked on last (see Assessments.lastRole). */
  last?: LastRole | undefined;
  /** Reviews colleagues asked this person to give, still open, latest first. */
  reviewsToDo?: readonly ReviewToGive[];
  /** The reviews this person asked for, latest first. */
  reviewsAsked?: readonly RequestSummary[];
  /** The person's check-in reminder (null: none); the picker is shown only when this is given. */
  reminder?: ReminderSetting | null;
  /** What the reminder's check-in is about, from the catalog (absent when no longer there). */
  reminderAbout?: ReminderAbout;
  /** Whether the person is an admin (of the workspace or its Grid org): they get the admin section. */
  admin?: boolean;
  /** The person's plan, and their today (YYYY-MM-DD, in the plan's zone): what is overdue. */
  plan?: { plan: Plan; today: string } | undefined;
};

/**
 * How much of each part the Home tab shows, so that with the most of everything it stays within
 * Slack's 100 blocks: 3 at the top, 3 for the last role, 3 for other runs, 2 + 5 + 1 for each list
 * of reviews, 2 + 10 + 2 for the history (two blocks per assessment), 2 for reminders, 2 + 30 + 1
 * for the frameworks, 3 for an admin, 1 + 11 for the plan (a heading, 6 items, what more there is,
 * the finished ones, the buttons and the canvas line: views/plan.ts): 89.
 */
const MOST = { unfinished: 10, reviews: 5, historyBlocks: 10, frameworks: 30, planItems: 6 } as const;

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/**
 * The App Home tab: the person's last role and level (see it, rate again or carry on), other runs
 * to continue, reviews to give and reviews asked for, their assessments (each to open), check-in
 * reminders, and the frameworks — every action a button.
 */
export function homeView(data: HomeData): HomeView {
  const { frameworks, unfinished, history, last, reminder, reminderAbout } = data;
  const reviewsToDo = data.reviewsToDo ?? [];
  const reviewsAsked = data.reviewsAsked ?? [];
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Competency frameworks' } },
    section(
      `See what a role expects at each level and rate yourself against it. In any channel or DM, type ${code(`${COMMAND} <role> <level>`)}; answers and ratings are visible only to you, unless you share them.`,
    ),
    {
      type: 'actions',
      block_id: 'home_actions',
      elements: [
        everyFrameworkButton(),
        historyButton(),
        commandButton('reviews', 'Reviews I asked for'),
        commandButton('shares', 'Shares'),
        commandButton('help', 'Help'),
      ],
    },
  ];
  if (data.admin) {
    blocks.push(
      { type: 'divider' },
      section(
        `*Your organisation's frameworks* — as an admin, you can bring your own framework from a file. ${code(`${COMMAND} admin`)} also retires, hides and sets the team-view threshold.`,
      ),
      {
        type: 'actions',
        block_id: 'home_admin',
        elements: [
          {
            type: 'button',
            action_id: ActionId.adminAddFramework,
            text: { type: 'plain_text', text: 'Add a framework' },
          },
        ],
      },
    );
  }
  if (last) blocks.push({ type: 'divider' }, ...lastRoleBlocks(last));

  const others = unfinished.filter(
    (u) => !(last && u.framework.id === last.framework.id && u.level.id === last.level.id),
  );
  if (others.length > 0) {
    blocks.push({ type: 'divider' }, section('*Carry on where you stopped*'));
    const buttons: Button[] = others.slice(0, MOST.unfinished).map(({ framework, level, draft }, i) => ({
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

  if (reviewsToDo.length > 0) {
    blocks.push(
      { type: 'divider' },
      section('*Reviews to do* · colleagues asked you to rate them'),
      ...toGiveBlocks(reviewsToDo, MOST.reviews),
    );
    if (reviewsToDo.length > MOST.reviews) {
      blocks.push(
        context(
          `…and ${reviewsToDo.length - MOST.reviews} more, each in your direct messages with the app, with its *Start* button.`,
        ),
      );
    }
  }

  if (reviewsAsked.length > 0) {
    blocks.push(
      { type: 'divider' },
      section('*Reviews you asked for*'),
      ...requestBlocks(reviewsAsked, MOST.reviews),
    );
    if (reviewsAsked.length > MOST.reviews) {
      blocks.push({
        type: 'actions',
        block_id: 'home_reviews_more',
        elements: [commandButton('reviews', `All ${reviewsAsked.length} reviews you asked for`)],
      });
    }
  }

  // The person's plan, each open item with its status menu (views/plan.ts).
  if (data.plan) {
    blocks.push(
      { type: 'divider' },
      ...planBlocks(data.plan.plan, { readOnly: false, today: data.plan.today, most: MOST.planItems }),
    );
  }

  const assessments = historyBlocks(history, MOST.historyBlocks + 1);
  // Older ones than fit: the whole history is a button away.
  const more = assessments.length > 1 && assessments.at(-1)?.type === 'context';
  blocks.push(
    { type: 'divider' },
    section('*Your assessments*'),
    ...assessments,
    ...(more
      ? [
          {
            type: 'actions' as const,
            block_id: 'home_history_more',
            elements: [historyButton('All my history')],
          },
        ]
      : []),
    ...(reminder === undefined ? [] : homeReminderBlocks(reminder, reminderAbout, history[0]?.record)),
    { type: 'divider' },
    section('*Frameworks*'),
  );
  for (const framework of frameworks.slice(0, MOST.frameworks)) {
    const level = framework.levels[Math.min(1, framework.levels.length - 1)];
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeText(framework.role.name)}* · ${escapeText(framework.domain.name)}\n${framework.levels
          .map((l) => escapeText(l.name))
          .join(' → ')}`,
      },
      ...(level ? { accessory: showLevelButton(framework, level, `See ${level.name}`) } : {}),
    });
  }
  if (frameworks.length > MOST.frameworks) {
    blocks.push({
      type: 'actions',
      block_id: 'home_frameworks_more',
      elements: [everyFrameworkButton(`See all ${frameworks.length} frameworks`)],
    });
  }
  return { type: 'home', blocks };
}

/**
 * The role and level the person worked on last: where they are with it, and See my level, Continue
 * rating (3 of 8) / Rate yourself again / Rate yourself, Compare levels, and their latest summary.
 */
function lastRoleBlocks(last: LastRole): KnownBlock[] {
  const { framework, level, progress, latest } = last;
  const state = progress
    ? `Carry on where you stopped: ${progress.position + 1} of ${progress.total}.`
    : latest
      ? `Last rated ${slackDate(latest.finishedAt)}. ${overallLine(latest)}${
          latest.frameworkVersion === framework.version
            ? ''
            : ` A new version of this framework (${escapeText(framework.version)}) has been published since; that assessment keeps what version ${escapeText(latest.frameworkVersion)} expected.`
        }\n${readinessText(readinessOf(latest, framework), 800)}`
      : 'Not rated yet.';
  const buttons: Button[] = [
    lastRoleRateButton(last),
    showLevelButton(framework, level, 'See my level'),
    compareButton(framework, level.id),
    ...(latest ? [openButton(latest, 'My latest summary')] : []),
    // Progress over time (a chart of this framework's assessments) and Share with… (views/shares.ts).
    ...(latest
      ? [
          trendButton(latest),
          {
            type: 'button' as const,
            action_id: ActionId.shareWith,
            text: { type: 'plain_text' as const, text: 'Share with…' },
          },
        ]
      : []),
  ];
  return [
    section(
      `*Your role: ${escapeText(framework.role.name)} · ${escapeText(level.name)}* (${escapeText(framework.domain.name)})\n${state}`,
    ),
    { type: 'actions', block_id: 'home_last_role', elements: buttons },
  ];
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
