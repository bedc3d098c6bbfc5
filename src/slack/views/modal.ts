import type { ModalView } from '@slack/types';
import { truncate } from './mrkdwn.js';
import type { Message } from './types.js';

/**
 * A message shown in a modal, in place of what the modal showed: the answer to a button pressed
 * inside it. It keeps the modal's title; it has no submit button, only Close.
 */
export function modalWith(message: Message, title: string): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: truncate(title || 'Competency', 24) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: message.blocks.slice(0, 100),
  };
}
