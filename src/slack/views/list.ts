import type { Button, KnownBlock } from '@slack/types';
import type { Framework } from '../../frameworks/schema.js';
import { ActionId } from '../ids.js';
import { MESSAGE_TEXT_BUDGET } from './budget.js';
import { showLevelButton } from './framework.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

/**
 * The most frameworks on one page of `/competency list`: each takes two blocks (its line, and a button
 * per level), and a message holds 50 blocks, four of which are the header, the count, the page
 * buttons and the hint at the end.
 */
export const LIST_PAGE_SIZE = 20;

/** What one framework's line and buttons may add to a page's text (Slack's limit is for all of it). */
const PAGE_TEXT_BUDGET = MESSAGE_TEXT_BUDGET - 1000;

/** A framework's line in the list: role, domain, the id to type, its levels. */
function lineOf(framework: Framework): string {
  return `*${escapeText(framework.role.name)}* · ${escapeText(framework.domain.name)}  ${code(
    framework.role.id,
  )}\nLevels: ${framework.levels.map((l) => `${escapeText(l.name)} (${code(l.id)})`).join(', ')}  ·  ${framework.competencies.length} competencies`;
}

/** A button per level, each showing the framework at that level. */
function levelButtons(framework: Framework): Button[] {
  return framework.levels.slice(0, 25).map((level) => showLevelButton(framework, level));
}

/** What a framework costs against a page's text budget: its line and its buttons' labels. */
function costOf(framework: Framework): number {
  return lineOf(framework).length + 2 + levelButtons(framework).reduce((n, b) => n + b.text.text.length, 0);
}

/** Pages are worked out once per list of frameworks (a catalog's never changes). */
const pagesOf = new WeakMap<readonly Framework[], number[]>();

/**
 * Where each page starts, as an index into `frameworks`: pages of at most LIST_PAGE_SIZE frameworks,
 * fewer when their text would not fit in one message. Every framework is on exactly one page, in
 * catalog order.
 */
function listPageStarts(frameworks: readonly Framework[]): number[] {
  const known = pagesOf.get(frameworks);
  if (known) return known;
  const starts: number[] = [0];
  let count = 0;
  let budget = PAGE_TEXT_BUDGET;
  frameworks.forEach((framework, i) => {
    const cost = costOf(framework);
    if (count > 0 && (count >= LIST_PAGE_SIZE || cost > budget)) {
      starts.push(i);
      count = 0;
      budget = PAGE_TEXT_BUDGET;
    }
    count++;
    budget -= cost;
  });
  pagesOf.set(frameworks, starts);
  return starts;
}

/** How many pages `/competency list` has. */
export const listPageCount = (frameworks: readonly Framework[]): number => listPageStarts(frameworks).length;

/**
 * The answer to `/competency list [page]`: one page of the frameworks, each with its levels as
 * buttons, and Previous / Next buttons between pages. A page past the last shows the last.
 */
export function listMessage(frameworks: readonly Framework[], page = 1): Message {
  const starts = listPageStarts(frameworks);
  const pages = starts.length;
  const asked = Number.isFinite(page) ? Math.trunc(page) : 1;
  const current = Math.min(Math.max(1, asked), pages);
  const from = starts[current - 1] ?? 0;
  const to = starts[current] ?? frameworks.length;
  const shown = frameworks.slice(from, to);

  const count = `${frameworks.length} framework${frameworks.length === 1 ? '' : 's'}`;
  const where = pages > 1 ? `Page ${current} of ${pages} · ${from + 1}–${to} of ${count}.` : `${count}.`;
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Competency frameworks' } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${where} Type ${code(`${COMMAND} <role> <level>`)} or press a level.`,
        },
      ],
    },
  ];
  if (asked > pages && frameworks.length > 0) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `There ${pages === 1 ? 'is only 1 page' : `are only ${pages} pages`}: here is the last.`,
      },
    });
  }
  for (const framework of shown) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lineOf(framework) } });
    blocks.push({
      type: 'actions',
      block_id: `list_${framework.id}`.slice(0, 255),
      elements: levelButtons(framework),
    });
  }
  if (pages > 1) {
    const nav: Button[] = [];
    if (current > 1) {
      nav.push({
        type: 'button',
        action_id: `${ActionId.listPage}:prev`,
        text: { type: 'plain_text', text: '← Previous' },
        value: String(current - 1),
      });
    }
    if (current < pages) {
      nav.push({
        type: 'button',
        action_id: `${ActionId.listPage}:next`,
        text: { type: 'plain_text', text: 'Next →' },
        value: String(current + 1),
      });
    }
    blocks.push({ type: 'actions', block_id: 'list_pages', elements: nav });
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${code(`${COMMAND} list <page>`)} goes straight to a page; ${code(`${COMMAND} find <words>`)} searches names and descriptions.`,
        },
      ],
    });
  }
  if (frameworks.length === 0) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: 'No frameworks are installed. An admin can add YAML files to `frameworks/`.',
      },
    });
  }
  const names = shown.map((f) => `${f.role.name} (${f.domain.name})`).join(', ');
  const title = pages > 1 ? `Competency frameworks, page ${current} of ${pages}` : 'Competency frameworks';
  const text = escapeText(`${title}: ${names || 'none'}`);
  return { text: truncate(text, 3000), blocks };
}

/** The page number a list page button carries, or undefined when the value is not one. */
export function listPageOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^[1-9][0-9]{0,5}$/.test(value)) return undefined;
  return Number(value);
}
