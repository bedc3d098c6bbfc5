import type { KnownBlock } from '@slack/types';
import type { AssessmentRecord } from '../../model/records.js';
import { ActionId } from '../ids.js';
import { encodeValue } from '../values.js';
import { overallLine, recordLine, resultBlocks } from './assessment.js';
import { code, escapeText } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

/** The text someone types to see the framework of a shared assessment. */
function frameworkQueryOf(record: AssessmentRecord): string {
  const [roleId = '', domainId = ''] = record.frameworkId.split('.');
  return `${roleId} ${record.levelId} ${domainId}`.trim();
}

/**
 * The post in the channel. It shows who shared it and their results, and offers only
 * "View this framework": nothing in it lets anyone else change the ratings. Everyone in the channel
 * reads it, so it speaks of the person (their mention, "rated"), never to them ("you", "your").
 */
export function sharedMessage(record: AssessmentRecord, userId: string): Message {
  const who = `<@${escapeText(userId)}>`;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `${who} shared their self-assessment` },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: recordLine(record) }] },
    ...resultBlocks(record, 'rated'),
    { type: 'divider' },
    {
      type: 'actions',
      block_id: 'shared_actions',
      elements: [
        {
          type: 'button',
          action_id: ActionId.viewFramework,
          text: { type: 'plain_text', text: 'View this framework' },
          value: frameworkQueryOf(record),
        },
      ],
    },
  ];
  return {
    text: `${who} shared their self-assessment for ${escapeText(record.roleName)} · ${escapeText(record.levelName)}: ${overallLine(record).replaceAll('*', '')}`,
    blocks,
  };
}

/** What will be posted, shown privately first: nothing reaches the channel without "Post it". */
export function sharePreviewMessage(record: AssessmentRecord, userId: string): Message {
  const post = sharedMessage(record, userId);
  const value = encodeValue({ id: record.id });
  return {
    text: 'Preview: share your self-assessment in this channel?',
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*Preview* — only you can see this. Post it to this channel for everyone in it to see?',
        },
      },
      {
        type: 'actions',
        block_id: 'share_confirm',
        elements: [
          {
            type: 'button',
            action_id: ActionId.sharePost,
            style: 'primary',
            text: { type: 'plain_text', text: 'Post it' },
            value,
          },
          {
            type: 'button',
            action_id: ActionId.shareCancel,
            text: { type: 'plain_text', text: 'Cancel' },
            value,
          },
        ],
      },
      { type: 'divider' },
      // The post itself, without its button (it only works once posted).
      ...post.blocks.filter((b) => b.type !== 'actions').slice(0, 44),
    ],
  };
}

export function sharedConfirmationMessage(record: AssessmentRecord): Message {
  const text = `Posted your ${escapeText(record.roleName)} · ${escapeText(record.levelName)} self-assessment to the channel.`;
  return {
    text,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: ${text}` } }],
  };
}

/** Cancel on the preview: back to the summary, nothing posted. */
export function shareCancelledMessage(summary: Message): Message {
  return {
    text: summary.text,
    blocks: [
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Not shared. Nothing was posted.' }] },
      ...summary.blocks,
    ],
  };
}

/** When posting to the channel failed: what happened and what to do. */
export function shareFailedMessage(reason: string): Message {
  const text = [
    `:warning: I couldn't post your summary to the channel (Slack said: ${code(reason)}). Nothing was shared.`,
    `If the channel is archived, share it somewhere else. If it is a private channel or a DM, invite the app to it first (${code('/invite @Competency')}).`,
    `If the preview was more than 30 minutes old, type ${code(`${COMMAND} share`)} to get a fresh one and press *Post it* again.`,
  ].join('\n');
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** `/competency share` with nothing finished yet. */
export function nothingToShareMessage(): Message {
  const text = `You have no finished self-assessment to share yet. Type ${code(`${COMMAND} solutions-architect senior`)} and press *Rate yourself* — or ${code(`${COMMAND} list`)} to pick your role.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/**
 * A button for an assessment that is not (or no longer) the person's; `outcome`: what did not happen
 * (nothing for a button that only shows it).
 */
export function assessmentNotFoundMessage(outcome = 'Nothing was shared. '): Message {
  const text = `I couldn't find that self-assessment among yours (it may have been deleted). ${outcome}${code(`${COMMAND} history`)} lists the ones you have.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** Share to channel pressed in the Home tab, which has no channel. */
export function shareFromChannelMessage(): Message {
  const text = `To share, go to the channel you want to share it in and type ${code(`${COMMAND} share`)}: you will see a preview first.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/**
 * Share to channel pressed, or `/competency share` typed, in the person's direct messages with the
 * app: a post there would reach only them. What sharing does, and where to do it; nothing posted.
 */
export const SHARE_FROM_DM_NOTE = `:speech_balloon: Sharing posts your summary in a channel, for the people there to see; this conversation is only between you and the app, so nothing was posted. To share, go to the channel and type ${code(`${COMMAND} share`)} there: you will see a preview first.`;

/** `/competency share` typed in the person's direct messages with the app. */
export function shareFromDmMessage(): Message {
  return {
    text: 'Sharing posts in a channel: type /competency share in the channel you want to share in. Nothing was posted.',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: SHARE_FROM_DM_NOTE } }],
  };
}
