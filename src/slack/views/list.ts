import type { Button, KnownBlock } from '@slack/types';
import type { Framework } from '../../frameworks/schema.js';
import { ActionId } from '../ids.js';
import { MESSAGE_TEXT_BUDGET } from './budget.js';
import { frameworkQuery } from './framework.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

/** Past this many frameworks the list is text only: buttons for all of them would not fit in one message. */
const MAX_WITH_BUTTONS = 20;

/** The answer to `/competency list`: every framework with its levels, each level a button. */
export function listMessage(frameworks: readonly Framework[]): Message {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Competency frameworks' } },
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${frameworks.length} framework${frameworks.length === 1 ? '' : 's'}. Type ${code(`${COMMAND} <role> <level>`)} or press a level.`,
        },
      ],
    },
  ];
  // Each framework costs its line (and its buttons' labels) against Slack's total text limit;
  // what does not fit is counted at the end instead of shown.
  const withButtons = frameworks.length <= MAX_WITH_BUTTONS;
  let budget = MESSAGE_TEXT_BUDGET - 1000;
  let shown = 0;
  const lines: string[] = [];
  for (const framework of frameworks) {
    const line = `*${escapeText(framework.role.name)}* · ${escapeText(framework.domain.name)}  ${code(
      framework.role.id,
    )}\nLevels: ${framework.levels.map((l) => `${escapeText(l.name)} (${code(l.id)})`).join(', ')}  ·  ${framework.competencies.length} competencies`;
    const buttons: Button[] = withButtons
      ? framework.levels.map((level) => ({
          type: 'button',
          action_id: `${ActionId.showFramework}:${level.id}`,
          text: { type: 'plain_text', text: truncate(level.name, 75) },
          value: frameworkQuery(framework, level),
        }))
      : [];
    budget -= line.length + 2 + buttons.reduce((sum, b) => sum + b.text.text.length, 0);
    if (budget < 0) break;
    shown++;
    if (withButtons) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: line } });
      blocks.push({ type: 'actions', block_id: `list_${framework.id}`.slice(0, 255), elements: buttons });
    } else {
      lines.push(line);
    }
  }
  // Without buttons, pack the lines into as few sections as the 3000-character limit allows.
  let chunk = '';
  for (const line of lines) {
    if (chunk.length + line.length + 2 > 3000) {
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n\n${line}` : line;
  }
  if (chunk) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
  if (shown < frameworks.length) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${frameworks.length - shown} more not shown here.` }],
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
  const names = frameworks.map((f) => `${f.role.name} (${f.domain.name})`).join(', ');
  const text = escapeText(`Competency frameworks: ${names || 'none'}`);
  return { text: truncate(text, 3000), blocks };
}
