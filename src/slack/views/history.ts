import type { Button, KnownBlock } from '@slack/types';
import type { HistoryEntry } from '../../assessments/assessments.js';
import type { Change } from '../../assessments/gaps.js';
import { ratingWord } from '../../model/gap-words.js';
import type { AssessmentRecord } from '../../model/records.js';
import { ActionId } from '../ids.js';
import { encodeValue } from '../values.js';
import { overallLine, slackDate, teamViewsButton } from './assessment.js';
import { blockTextLength, MESSAGE_TEXT_BUDGET } from './budget.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

/** `Omnichannel Architecture 3 → 4`, a rating with no 1–5 in the words of gap-words.ts. */
export function changeText(change: Change): string {
  return `${escapeText(change.name)} ${ratingWord(change.from)} → ${ratingWord(change.to)}`;
}

function changesText(changes: Change[] | null): string {
  if (changes === null) return '_First assessment of this framework._';
  if (changes.length === 0) return '_No changes since the previous one._';
  return `Changed: ${truncate(changes.map(changeText).join(', '), 1500)}`;
}

/** Open: one finished assessment's summary, as it was recorded. */
export function openButton(record: AssessmentRecord, text = 'Open'): Button {
  return {
    type: 'button',
    action_id: ActionId.openAssessment,
    text: { type: 'plain_text', text },
    value: encodeValue({ id: record.id }),
  };
}

/** Progress over time: a trend chart of the assessment's framework, sent to the person's direct messages. */
export function trendButton(record: AssessmentRecord, text = 'Progress over time'): Button {
  return {
    type: 'button',
    action_id: ActionId.trendChart,
    text: { type: 'plain_text', text },
    value: encodeValue({ id: record.id }),
  };
}

/**
 * The blocks for a person's finished assessments, latest first (also used by the Home tab): for each,
 * what it was and what changed, then its buttons, **Open** (its summary as recorded), **Include in
 * team views** / **Leave team views** and **Progress over time** (a trend chart of its framework). At most `maxBlocks` blocks, two per assessment, and a line
 * saying how many more there are.
 */
export function historyBlocks(entries: readonly HistoryEntry[], maxBlocks: number): KnownBlock[] {
  if (entries.length === 0) {
    return [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `No finished assessments yet. Try ${code(`${COMMAND} solutions-architect senior`)} and press *Rate yourself*.`,
        },
      },
    ];
  }
  const blocks: KnownBlock[] = [];
  let shown = 0;
  for (const { record, changes } of entries) {
    const block: KnownBlock = {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          `*${escapeText(record.roleName)} · ${escapeText(record.levelName)}* (${escapeText(record.domainName)})  ·  ${slackDate(record.finishedAt)}`,
          // Exact counts of each status, in the words of the summary (gap-words.ts).
          overallLine(record),
          changesText(changes),
          ...(record.inTeamViews === true ? [':busts_in_silhouette: _In team views._'] : []),
        ].join('\n'),
      },
    };
    const actions: KnownBlock = {
      type: 'actions',
      block_id: `history_entry_${shown}`,
      // Open, and Include in team views / Leave team views for this assessment (answered with the
      // history), and Progress over time for its framework (a chart, in the person's direct messages).
      elements: [openButton(record), teamViewsButton(record, true), trendButton(record)],
    };
    const room = shown < entries.length - 1 ? 1 : 0;
    if (
      blocks.length + 2 + room > maxBlocks ||
      blockTextLength([...blocks, block, actions]) > MESSAGE_TEXT_BUDGET - 1500
    ) {
      blocks.push({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `…and ${entries.length - shown} older ones not shown here.` }],
      });
      break;
    }
    blocks.push(block, actions);
    shown += 1;
  }
  return blocks;
}

/**
 * Said at the top of a summary opened from the history: it is the assessment as it was recorded,
 * the expectations included, whatever changed in the framework since.
 */
export function openedNote(record: AssessmentRecord): string {
  return `:card_index_dividers: From your history: this assessment as you recorded it on ${slackDate(record.finishedAt)}, your ratings against the expectations of that time. *History* goes back to the list.`;
}

/**
 * The answer to `/competency history` and the History button; `note` says what a click just changed
 * (team views).
 */
export function historyMessage(entries: readonly HistoryEntry[], options: { note?: string } = {}): Message {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Your assessment history' } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Latest first. Only you can see this. An assessment you include in team views counts, without your name, in the totals ${code(`${COMMAND} team`)} shows, once enough people have shared; one per role and level.`,
        },
      ],
    },
    ...(options.note
      ? [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: options.note } }]
      : []),
    ...historyBlocks(entries, 40),
  ];
  return { text: `Your assessment history: ${entries.length} finished assessment(s)`, blocks };
}
