import type { HomeView, KnownBlock } from '@slack/types';
import type { Framework } from '../../frameworks/schema.js';
import { code, escapeText } from './mrkdwn.js';
import { COMMAND } from './types.js';

/** The App Home tab: what the app does, how to ask, and which frameworks exist. */
export function homeView(frameworks: readonly Framework[]): HomeView {
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Competency frameworks' } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `See what a role expects at each level. In any channel or DM, type ${code(`${COMMAND} <role> <level>`)}; the answer is visible only to you.`,
      },
    },
    { type: 'divider' },
  ];
  for (const framework of frameworks.slice(0, 40)) {
    const level = framework.levels[Math.min(1, framework.levels.length - 1)];
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeText(framework.role.name)}* · ${escapeText(framework.domain.name)}\n${framework.levels
          .map((l) => escapeText(l.name))
          .join(' → ')}  ·  try ${code(`${COMMAND} ${framework.role.id} ${level?.id ?? ''}`.trim())}`,
      },
    });
  }
  if (frameworks.length > 40) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `…and ${frameworks.length - 40} more: ${code(`${COMMAND} list`)}` }],
    });
  }
  return { type: 'home', blocks };
}
