import type { KnownBlock } from '@slack/types';

/**
 * Slack rejects messages whose block text adds up to much more than ~12,000 characters
 * (`msg_blocks_too_long`). Views that show user data aim below this, leaving some room.
 */
export const MESSAGE_TEXT_BUDGET = 11_000;

/** The sum of every text string in the blocks: what Slack's total-length limit counts. */
export function blockTextLength(blocks: readonly KnownBlock[]): number {
  let total = 0;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') total += value.length;
        else walk(value);
      }
    }
  };
  walk(blocks);
  return total;
}
