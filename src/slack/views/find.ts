import type { Button, KnownBlock } from '@slack/types';
import { expectedAt, type Framework } from '../../frameworks/schema.js';
import type { SearchHit, SearchResult } from '../../frameworks/search.js';
import { ActionId } from '../ids.js';
import { blockTextLength, MESSAGE_TEXT_BUDGET } from './budget.js';
import { showLevelButton } from './framework.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

/**
 * The most results one answer to `/competency find` shows. Each takes two blocks (what it is, and a
 * button per level), so 10 leave room within Slack's 50 blocks; fewer are shown when their text would
 * not fit in one message. How many more matched is said at the end.
 */
export const FIND_LIMIT = 10;

/** The text of the results may take this much of the message; the rest is for the header and hints. */
const RESULTS_TEXT_BUDGET = MESSAGE_TEXT_BUDGET - 1500;

const DESCRIPTION_MAX = 180;

/** A search to show as an example: a word of a real competency's name, so that it finds something. */
export function exampleSearch(frameworks: readonly Framework[]): string {
  const name = frameworks[0]?.competencies[0]?.name ?? 'stakeholder';
  const word = name.split(/\s+/).find((w) => w.length > 3) ?? name;
  return `${COMMAND} find ${word.toLowerCase()}`;
}

/** `/competency find` with nothing after it: what it does, with an example that finds something. */
export function findUsageMessage(frameworks: readonly Framework[]): Message {
  const example = exampleSearch(frameworks);
  const text = `${code(`${COMMAND} find <words>`)} finds frameworks and competencies by their names, categories and descriptions, e.g. ${code(example)}. The start of a word is enough, and small typos are fine.`;
  return {
    text: `Type ${COMMAND} find and some words, e.g. ${example}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `${code(`${COMMAND} list`)} shows every framework; ${code(`${COMMAND} help`)} shows everything else.`,
          },
        ],
      },
    ],
  };
}

/** A result: what it is, where it belongs, and a button per level to open its framework there. */
function hitBlocks(hit: SearchHit, block: number): KnownBlock[] {
  const { framework, competency } = hit;
  const where = `${escapeText(framework.role.name)} · ${escapeText(framework.domain.name)}`;
  let lines: string[];
  let buttons: Button[];
  if (competency) {
    const expected = framework.levels.map((level) => {
      const value = expectedAt(competency, level.id);
      return `${escapeText(level.name)} ${value === undefined ? '–' : `${value}/5`}`;
    });
    lines = [
      `*${escapeText(competency.name)}*  ·  _${escapeText(competency.category)}_  ·  competency in *${where}*`,
      escapeText(truncate(competency.description, DESCRIPTION_MAX)),
      `Expected: ${expected.join(' → ')}`,
    ];
    buttons = framework.levels.slice(0, 25).map((level) => {
      const value = expectedAt(competency, level.id);
      return showLevelButton(framework, level, `${level.name}${value === undefined ? '' : ` · ${value}/5`}`);
    });
  } else {
    lines = [
      `*${where}*  ·  framework  ${code(framework.role.id)}  ·  ${framework.competencies.length} ${framework.competencies.length === 1 ? 'competency' : 'competencies'}`,
      escapeText(truncate(framework.role.summary, DESCRIPTION_MAX)),
      `Levels: ${framework.levels.map((l) => escapeText(l.name)).join(', ')}`,
    ];
    buttons = framework.levels.slice(0, 25).map((level) => showLevelButton(framework, level));
  }
  return [
    { type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 3000) } },
    { type: 'actions', block_id: `find_${block}`, elements: buttons },
  ];
}

/**
 * The answer to `/competency find <words>`: the best results first, each with a button per level that
 * opens its framework at that level (for a competency, the button says what that level expects), and
 * how many more matched. Nothing found: a kind message with what to try instead.
 */
export function findMessage(query: string, result: SearchResult, frameworks: readonly Framework[]): Message {
  const typed = escapeText(truncate(query.trim().replace(/\s+/g, ' '), 100));
  if (result.hits.length === 0) return nothingFoundMessage(typed, result, frameworks);

  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`Find: ${query.trim()}`, 150) } },
  ];
  const results: KnownBlock[] = [];
  let budget = RESULTS_TEXT_BUDGET;
  let shown = 0;
  for (const hit of result.hits.slice(0, FIND_LIMIT)) {
    const more = hitBlocks(hit, shown);
    budget -= blockTextLength(more);
    if (budget < 0) break;
    results.push(...more);
    shown++;
  }
  const all =
    result.words.length > 1
      ? result.allWords === result.total
        ? ' All of them have every word.'
        : ` ${result.allWords} ${result.allWords === 1 ? 'has' : 'have'} every word; the rest have some.`
      : '';
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${result.total} ${result.total === 1 ? 'match' : 'matches'} for *${typed}*${shown < result.total ? `, the best ${shown} here` : ''}.${all} Press a level to open the framework there.`,
      },
    ],
  });
  blocks.push(...results);
  const rest = result.total - shown;
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text:
          rest > 0
            ? `…and ${rest} more matched. Add a word to narrow it down, or see every framework with ${code(`${COMMAND} list`)}.`
            : `${code(`${COMMAND} list`)} shows every framework.`,
      },
    ],
  });
  const names = result.hits
    .slice(0, shown)
    .map((h) => (h.competency ? `${h.competency.name} (${h.framework.role.name})` : h.framework.role.name))
    .join(', ');
  return {
    text: truncate(escapeText(`${result.total} matches for "${query.trim()}": ${names}`), 3000),
    blocks,
  };
}

function nothingFoundMessage(typed: string, result: SearchResult, frameworks: readonly Framework[]): Message {
  const tips = [
    result.words.length > 1 ? 'Try fewer words, or other ones.' : 'Try another word, or check its spelling.',
    `Searches look in the names, categories and descriptions of frameworks and competencies, e.g. ${code(exampleSearch(frameworks))}.`,
  ];
  const headline =
    result.words.length === 0 ? `*${typed}* has no words to search for.` : `Nothing matched *${typed}*.`;
  const blocks: KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `${headline} ${tips.join(' ')}` } },
  ];
  if (frameworks.length > 0) {
    blocks.push({
      type: 'actions',
      block_id: 'find_nothing',
      elements: [
        {
          type: 'button',
          action_id: ActionId.listPage,
          text: { type: 'plain_text', text: 'See every framework' },
          value: '1',
        },
      ],
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${code(`${COMMAND} list`)} shows every framework; ${code(`${COMMAND} help`)} shows how to ask.`,
      },
    ],
  });
  return { text: `${headline.replaceAll('*', '')} Try fewer words, or ${COMMAND} list.`, blocks };
}
