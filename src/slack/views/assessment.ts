import type { Button, KnownBlock } from '@slack/types';
import type { Step } from '../../assessments/assessments.js';
import { analyse, type GapRow } from '../../assessments/gaps.js';
import { readinessOf } from '../../assessments/progress.js';
import type { Framework } from '../../frameworks/schema.js';
import {
  countsText,
  GAP_WORDS,
  gapLabel,
  RATED_STATUSES,
  type Status,
  UNRATED_STATUSES,
} from '../../model/gap-words.js';
import type { Evidence } from '../../model/growth.js';
import type { AssessmentRecord, RatingValue } from '../../model/records.js';
import { ActionId, TEAM_VIEWS_ON_HISTORY } from '../ids.js';
import { encodeValue } from '../values.js';
import { blockTextLength, MESSAGE_TEXT_BUDGET } from './budget.js';
import { bar, code, escapeText, truncate } from './mrkdwn.js';
import { noteButton, noteOnCard } from './notes.js';
import { readinessText } from './progress.js';
import { type ReminderShown, summaryReminderBlocks } from './reminder-picker.js';
import { resultExtras, SHORTENED_NOTICE } from './result-extras.js';
import { COMMAND, type Message } from './types.js';

/** `Advanced (4/5)` from the framework's own scale labels, `Not applicable`, or `Not rated`. */
function ratingLabel(framework: Pick<Framework, 'scale'>, rating: RatingValue | null): string {
  if (rating === null) return 'Not rated';
  if (rating === 'na') return 'Not applicable';
  const label = framework.scale.find((s) => s.value === rating)?.label ?? 'Level';
  return `${label} (${rating}/5)`;
}

/**
 * One competency to rate: its name, category and description, the scale, and a button per rating,
 * and Add a note (unless `noteButton` is false: a check-in's card answers in place, without forms).
 * The expected level is deliberately not shown here, so it does not anchor the answer.
 */
export function ratingStepMessage(step: Step, options: { noteButton?: boolean } = {}): Message {
  const { framework, level, draft, competency, index, current, note } = step;
  const total = framework.competencies.length;
  const base = { f: framework.id, v: framework.version, s: draft.sessionId, c: competency.id };
  const scaleButtons: Button[] = framework.scale.map((s) => ({
    type: 'button',
    action_id: `${ActionId.answer}:${s.value}`,
    text: { type: 'plain_text', text: truncate(`${s.value} · ${s.label}`, 75) },
    value: encodeValue({ ...base, a: s.value as 1 | 2 | 3 | 4 | 5 }),
    ...(current === s.value ? { style: 'primary' as const } : {}),
  }));
  const navButtons: Button[] = [
    ...(index > 0
      ? [
          {
            type: 'button' as const,
            action_id: `${ActionId.answer}:back`,
            text: { type: 'plain_text' as const, text: '← Back' },
            value: encodeValue({ ...base, a: 'back' }),
          },
        ]
      : []),
    {
      type: 'button',
      action_id: `${ActionId.answer}:skip`,
      text: { type: 'plain_text', text: 'Skip' },
      value: encodeValue({ ...base, a: 'skip' }),
    },
    {
      type: 'button',
      action_id: `${ActionId.answer}:na`,
      text: { type: 'plain_text', text: 'Not applicable' },
      value: encodeValue({ ...base, a: 'na' }),
      ...(current === 'na' ? { style: 'primary' as const } : {}),
    },
    // A note on this competency: why, an example (opens a small form; views/notes.ts).
    ...(options.noteButton === false
      ? []
      : [
          noteButton(
            ActionId.noteOpen,
            encodeValue({ f: framework.id, s: draft.sessionId, c: competency.id }),
            !!note,
          ),
        ]),
  ];
  const legend = framework.scale
    .map((s) => `*${s.value} ${escapeText(s.label)}*: ${escapeText(s.description)}`)
    .join('\n');
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(`Rate yourself · ${framework.role.name}`, 150) },
    },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `*${index + 1} of ${total}*  ${bar(index + 1, total)}  ·  ${escapeText(framework.domain.name)} · ${escapeText(level.name)}  ·  Only you can see your ratings, unless you share them.`,
        },
      ],
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeText(competency.name)}*  ·  _${escapeText(competency.category)}_\n${escapeText(competency.description)}`,
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          current === null
            ? 'How would you rate yourself today?'
            : `Your current rating: *${escapeText(ratingLabel(framework, current))}*. Press it again to keep it, or choose another.`,
      },
    },
    ...(note ? [noteOnCard(note)] : []),
    { type: 'actions', block_id: 'rating_scale', elements: scaleButtons },
    { type: 'actions', block_id: 'rating_nav', elements: navButtons },
    { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(legend, 2900) }] },
  ];
  return {
    text: escapeText(`Rate yourself, ${index + 1} of ${total}: ${competency.name}`),
    blocks,
  };
}

/** The emoji beside each status; the words are the domain's (gap-words.ts). */
const STATUS_EMOJI: Record<Status, string> = {
  above: ':large_blue_circle:',
  meets: ':white_check_mark:',
  'one-below': ':large_yellow_circle:',
  focus: ':red_circle:',
  'not-applicable': ':heavy_minus_sign:',
  'not-rated': ':grey_question:',
};

/** `:large_blue_circle: 1 above`, `:white_check_mark: meets`, `:red_circle: 2 below · focus area`… */
function statusText(row: GapRow): string {
  return `${STATUS_EMOJI[row.status]} ${gapLabel(row.status, row.gap)}`;
}

/**
 * Whose rating a row shows: `you` in the person's own summary; `rated` in what others read (the post
 * in a channel speaks of the person, never to them).
 */
export type Reader = 'you' | 'rated';

/** `You ▰▰▰▱▱ 3/5 · Expected ▰▰▰▰▱ 4/5`: bars for the eye, numbers for screen readers. */
function comparison(row: GapRow, reader: Reader): string {
  const rating =
    typeof row.rating === 'number' ? `${bar(row.rating)} ${row.rating}/5` : row.rating === 'na' ? 'n/a' : '–';
  return `${reader === 'you' ? 'You' : 'Rated'} ${rating}  ·  Expected ${bar(row.expected)} ${row.expected}/5`;
}

/** `<!date^…>` shows the time in each reader's own time zone; the fallback is for old clients. */
export function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  const fallback = `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  return Number.isFinite(seconds) ? `<!date^${seconds}^{date_short_pretty} at {time}|${fallback}>` : fallback;
}

/**
 * The overall line, with the exact count of each status and nothing that counts zero:
 * `*5 of 8 at or above Senior expectations*: 1 above, 4 meet, 3 focus areas (two or more below).
 * 1 already at or above Lead-Principal expectations.`
 */
export function overallLine(record: AssessmentRecord): string {
  const summary = analyse(record);
  const unrated = countsText(summary.counts, UNRATED_STATUSES);
  const aside = unrated === '' ? '' : ` (${unrated})`;
  const level = escapeText(record.levelName);
  if (summary.rated === 0) return `*Nothing rated 1–5 against ${level} expectations*${aside}.`;
  const next =
    summary.atOrAboveNext === null || summary.atOrAboveNext === 0 || record.nextLevelName === null
      ? ''
      : ` ${summary.atOrAboveNext} already at or above ${escapeText(record.nextLevelName)} expectations.`;
  return `*${summary.atOrAbove} of ${summary.rated} at or above ${level} expectations*${aside}: ${countsText(summary.counts, RATED_STATUSES)}.${next}`;
}

/** Slack's most characters in a section's text. */
const SECTION_TEXT = 3000;

/** `1. *Name* (primary): rated 2/5, expected 4/5` */
const listLine = (row: GapRow, i: number): string =>
  `${i + 1}. *${escapeText(row.name)}* (${row.tier}): rated ${row.rating}/5, expected ${row.expected}/5`;

/**
 * A heading and its numbered rows, within `room` characters: every row when they fit (they always
 * do, but for names made of characters that escaping lengthens), else as many as fit and how many more.
 */
function listText(heading: string, rows: readonly GapRow[], room: number): string {
  const lines = [heading];
  let length = heading.length;
  for (const [i, row] of rows.entries()) {
    const line = listLine(row, i);
    const more = `…and ${rows.length - i} more, each marked below.`;
    if (length + 1 + line.length + (i < rows.length - 1 ? 1 + more.length : 0) > room) {
      lines.push(more);
      break;
    }
    lines.push(line);
    length += 1 + line.length;
  }
  return lines.join('\n');
}

/** What else the person's own rows show: the Slack messages they added as evidence (see result-extras.ts). */
export type ResultOptions = {
  evidence?: readonly Evidence[];
  /**
   * Notes and evidence for a reader other than `you` too: the one colleague the person shares their
   * latest assessment with (views/shares.ts), never a channel.
   */
  extras?: boolean;
};

/**
 * The overall line, the focus areas (all of them, or "none"), those worth a conversation (when there
 * are any), and each rating against the expected level: shared by the summary and the post.
 * `reader`: whose message it is (see Reader). For `you`, each row also shows the person's note and
 * their evidence (`options.evidence`), within the room the message has; never for `rated`, what
 * others read.
 */
export function resultBlocks(
  record: AssessmentRecord,
  reader: Reader = 'you',
  options: ResultOptions = {},
): KnownBlock[] {
  const summary = analyse(record);
  const rowTexts = summary.rows.map(
    (row) => `*${escapeText(row.name)}*  ·  ${statusText(row)}\n${comparison(row, reader)}`,
  );
  const rows = rowTexts.map((text): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } }));
  // What the lists may take of the message, after the rows and the rest of it.
  const room = Math.max(600, Math.min(2 * SECTION_TEXT, MESSAGE_TEXT_BUDGET - 2500 - blockTextLength(rows)));
  const focusWords = GAP_WORDS.focus;
  const focusHeading = `*${focusWords.meaning.heading}* · ${focusWords.label}`;
  const none =
    summary.rated === 0
      ? 'None: nothing was rated 1–5.'
      : summary.worthAConversation.length === 0
        ? 'None. No gaps at this level. :tada:'
        : 'None.';
  const conversation = summary.worthAConversation;
  const focusRoom =
    conversation.length === 0 ? Math.min(SECTION_TEXT, room) : Math.min(SECTION_TEXT, room / 2);
  const focus =
    summary.focusAreas.length === 0
      ? `${focusHeading}\n${none}`
      : listText(focusHeading, summary.focusAreas, focusRoom);
  const oneBelow = GAP_WORDS['one-below'];
  const lists: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: focus } }];
  if (conversation.length > 0) {
    const heading = `*${oneBelow.meaning.heading}* · ${oneBelow.label}`;
    const text = listText(heading, conversation, Math.min(SECTION_TEXT, Math.max(300, room - focus.length)));
    lists.push({ type: 'section', text: { type: 'mrkdwn', text } });
  }
  let overall = overallLine(record);
  if (reader === 'you' || options.extras === true) {
    // Notes and evidence take what is left of the message once the rest of it is counted.
    const whose = reader === 'you' ? 'own' : 'shared';
    const used = blockTextLength([...lists, ...rows]) + overall.length + SHORTENED_NOTICE[whose].length + 1;
    const budget = MESSAGE_TEXT_BUDGET - 2500 - used;
    const extras = resultExtras(record, options.evidence ?? [], rowTexts, budget, whose);
    extras.lines.forEach((line, i) => {
      const block = rows[i];
      if (line && block?.type === 'section' && block.text) block.text.text += `\n${line}`;
    });
    if (extras.shortened) overall += `\n${SHORTENED_NOTICE[whose]}`;
  }
  return [
    { type: 'section', text: { type: 'mrkdwn', text: overall } },
    ...lists,
    { type: 'divider' },
    ...rows,
  ];
}

/** `*Solutions Architect* · E-commerce · Senior  ·  <date>` */
export function recordLine(record: AssessmentRecord): string {
  return `*${escapeText(record.roleName)}* · ${escapeText(record.domainName)} · ${escapeText(record.levelName)}  ·  ${slackDate(record.finishedAt)}`;
}

/** The button that includes an assessment in team views, or leaves them; `onHistory` for the history's own. */
export function teamViewsButton(record: AssessmentRecord, onHistory = false): Button {
  const included = record.inTeamViews === true;
  return {
    type: 'button',
    action_id: onHistory ? TEAM_VIEWS_ON_HISTORY : ActionId.teamViews,
    text: { type: 'plain_text', text: included ? 'Leave team views' : 'Include in team views' },
    value: encodeValue({ id: record.id, t: included ? 0 : 1 }),
  };
}

/** Whether an assessment is in team views, and what that means, in one line. */
function teamViewsLine(record: AssessmentRecord): string {
  return record.inTeamViews === true
    ? `:busts_in_silhouette: *In team views.* It counts in the totals ${code(`${COMMAND} team`)} shows for ${escapeText(record.roleName)} · ${escapeText(record.levelName)}: only totals of the people who chose to share, never who said what, and nothing until enough people have shared. You can leave at any time.`
    : `Not in team views. If you include it, it counts in the totals ${code(`${COMMAND} team`)} shows to your channel or group: only totals of the people who chose to share, never who said what, and nothing until enough people have shared.`;
}

/** Whether an assessment has focus areas or competencies worth a conversation: what a plan is for. */
const hasGaps = (record: AssessmentRecord): boolean => {
  const { focusAreas, worthAConversation } = analyse(record);
  return focusAreas.length + worthAConversation.length > 0;
};

/** The summary's second row of buttons (`summary_growth`), when it has any. */
const growthBlock = (elements: Button[]): KnownBlock[] =>
  elements.length === 0 ? [] : [{ type: 'actions', block_id: 'summary_growth', elements }];

/**
 * After the last competency: each rating against the expected level, the overall line, and focus
 * areas; and whether it is in team views. `note` says what a click just changed (team views).
 */
export function summaryMessage(
  record: AssessmentRecord,
  options: { note?: string; reminder?: ReminderShown | undefined } & ResultOptions = {},
): Message {
  // A button that acts on this assessment: its value names it.
  const recordButton = (action_id: string, text: string): Button => ({
    type: 'button',
    action_id,
    text: { type: 'plain_text', text },
    value: encodeValue({ id: record.id }),
  });
  const blocks: KnownBlock[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(`Your self-assessment · ${record.levelName}`, 150) },
    },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${recordLine(record)}  ·  Only you can see this.` }],
    },
    ...(options.note
      ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: options.note } }]
      : []),
    ...resultBlocks(record, 'you', { evidence: options.evidence ?? [] }),
    // How far it already meets the next level on the track, or why there is no single next level.
    { type: 'section', text: { type: 'mrkdwn', text: readinessText(readinessOf(record), 600) } },
    { type: 'divider' },
    {
      type: 'actions',
      block_id: 'summary_actions',
      elements: [
        recordButton(ActionId.sharePreview, 'Share to channel'),
        {
          type: 'button',
          action_id: ActionId.startAssessment,
          text: { type: 'plain_text', text: 'Rate again' },
          value: encodeValue({ f: record.frameworkId, l: record.levelId, r: 1 }),
        },
        {
          type: 'button',
          action_id: ActionId.showHistory,
          text: { type: 'plain_text', text: 'History' },
        },
        teamViewsButton(record),
        recordButton(ActionId.summaryChart, 'See it as a chart'),
        recordButton(ActionId.reviewAsk, 'Ask for a review'),
      ],
    },
    // From a rating to growth: what to do about the gaps, and more (only buttons that apply).
    ...growthBlock([
      ...(hasGaps(record) ? [recordButton(ActionId.planMake, 'Make a plan')] : []),
      recordButton(ActionId.shareWith, 'Share with…'),
      // No single next level (the top of a track, or a fork): every level side by side.
      ...(record.nextLevelName === null
        ? [
            {
              type: 'button' as const,
              action_id: ActionId.compareLevels,
              text: { type: 'plain_text' as const, text: 'Compare levels' },
              value: encodeValue({ f: record.frameworkId, l: record.levelId }),
            },
          ]
        : []),
    ]),
    { type: 'context', elements: [{ type: 'mrkdwn', text: teamViewsLine(record) }] },
    // Check-in reminders Off / Monthly / Quarterly (views/reminders.ts); `reminder` undefined: not known here.
    ...summaryReminderBlocks(record, options.reminder),
  ];
  return {
    text: `Your self-assessment for ${escapeText(record.roleName)} · ${escapeText(record.levelName)}: ${overallLine(record).replaceAll('*', '')}`,
    blocks,
  };
}

/** The button that starts (or continues) rating, for the framework answer. */
export function rateButton(
  frameworkId: string,
  levelId: string,
  progress: { position: number; total: number } | undefined,
): Button {
  return {
    type: 'button',
    action_id: ActionId.startAssessment,
    style: 'primary',
    text: {
      type: 'plain_text',
      text: progress ? `Continue rating (${progress.position + 1} of ${progress.total})` : 'Rate yourself',
    },
    value: encodeValue({ f: frameworkId, l: levelId }),
  };
}
