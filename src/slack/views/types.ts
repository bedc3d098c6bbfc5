import type { KnownBlock, View } from '@slack/types';

/** What every view function returns for a message: blocks plus the plain-text fallback Slack needs. */
export type Message = {
  text: string;
  blocks: KnownBlock[];
};

export type { KnownBlock, View };

/** The slash command as the person typed it; named once here so every message says the same. */
export const COMMAND = '/competency';
