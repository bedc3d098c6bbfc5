import type { KnownBlock } from '@slack/types';
import { truncate } from './mrkdwn.js';
import type { Message } from './types.js';

/** The block id of the line saying what a click just did: one such line per message. */
const CLICK_NOTE_BLOCK = 'click_note';

/** Slack's most blocks in a message. */
const MAX_BLOCKS = 50;

/**
 * The message with one line saying what a click just did (`note`, mrkdwn), right below the block of
 * buttons that was clicked (`nextTo`, its block_id): where the person is looking, rather than as a
 * banner above a message that may be longer than their screen. When that block is not in the
 * message, the line goes below the message's last block of buttons, or else at its end. A line left
 * by an earlier click is replaced.
 */
export function withNote(message: Message, note: string, nextTo: string | undefined): Message {
  const blocks = message.blocks.filter((block) => block.block_id !== CLICK_NOTE_BLOCK);
  const line: KnownBlock = {
    type: 'context',
    block_id: CLICK_NOTE_BLOCK,
    elements: [{ type: 'mrkdwn', text: truncate(note, 2000) }],
  };
  if (blocks.length >= MAX_BLOCKS) {
    // No room: a divider makes way for it (they only separate); else the message goes as it is.
    const divider = lastIndexWhere(blocks, (block) => block.type === 'divider');
    if (divider < 0) return { ...message, blocks };
    blocks.splice(divider, 1);
  }
  let at = nextTo === undefined ? -1 : blocks.findIndex((block) => block.block_id === nextTo);
  if (at < 0) at = lastIndexWhere(blocks, (block) => block.type === 'actions');
  if (at < 0) at = blocks.length - 1;
  blocks.splice(at + 1, 0, line);
  return { ...message, blocks };
}

function lastIndexWhere<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item !== undefined && test(item)) return i;
  }
  return -1;
}

/**
 * A message's words as one line for a note: the text of its sections and context lines, in order
 * (its buttons and other elements left out).
 */
export function noteOf(message: Message): string {
  const parts: string[] = [];
  for (const block of message.blocks) {
    if (block.type === 'section' && block.text) parts.push(block.text.text);
    if (block.type === 'context') {
      for (const element of block.elements) {
        if ('text' in element && typeof element.text === 'string') parts.push(element.text);
      }
    }
  }
  return parts.length > 0 ? parts.join(' ') : message.text;
}
