import type { KnownBlock } from '@slack/types';
import type { HistoryEntry } from '../../assessments/assessments.js';
import type { Change } from '../../assessments/gaps.js';
import type { RatingValue } from '../../store/store.js';
import { overallLine, slackDate, teamViewsButton } from './assessment.js';
import { blockTextLength, MESSAGE_TEXT_BUDGET } from './budget.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

const short = (r: RatingValue | null): string => (r === null ? 'not rated' : r === 'na' ? 'n/a' : String(r));

function changesText(changes: Change[] | null): string {
  if (changes === null) return '_First assessment of this framework._';
  if (changes.length === 0) return '_No changes since the previous one._';
  const list = changes.map((c) => `${escapeText(c.name)} ${short(c.from)} → ${short(c.to)}`).join(', ');
  return `Changed: ${truncate(list, 1500)}`;
}

/** The blocks for a person's finished assessments, latest first (also used by the Home tab). */
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
      // Include in team views / Leave team views, for this assessment (answered with the history).
      accessory: teamViewsButton(record, true),
    };
    if (blocks.length + 1 > maxBlocks || blockTextLength([...blocks, block]) > MESSAGE_TEXT_BUDGET - 1500) {
      blocks.push({
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: `…and ${entries.length - blocks.length} older ones not shown here.` },
        ],
      });
      break;
    }
    blocks.push(block);
  }
  return blocks;
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
