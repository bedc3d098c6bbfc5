import { ActionId } from '../ids.js';
import { code } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

/** `/competency forget`: what will be deleted, and a confirmation that cannot be pressed by accident. */
export function forgetConfirmMessage(records: number): Message {
  if (records === 0) {
    const text =
      'There is nothing stored about you: no ratings, no unfinished or finished assessments, no reviews, no check-in reminder.';
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const text = `This deletes everything this app keeps about you: ${records} record${records === 1 ? '' : 's'} (your ratings, any unfinished run, your finished assessments, the reviews colleagues gave you and the reviews you gave them, and your check-in reminder). It cannot be undone. Want a copy first? ${code(`${COMMAND} export`)}.`;
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: STAYS_IN_SLACK }] },
      {
        type: 'actions',
        block_id: 'forget_actions',
        elements: [
          {
            type: 'button',
            action_id: ActionId.forgetConfirm,
            style: 'danger',
            text: { type: 'plain_text', text: 'Delete my data' },
            confirm: {
              title: { type: 'plain_text', text: 'Delete your data?' },
              text: { type: 'plain_text', text: 'Your ratings and assessments will be gone for good.' },
              confirm: { type: 'plain_text', text: 'Delete' },
              deny: { type: 'plain_text', text: 'Keep them' },
              style: 'danger',
            },
          },
          { type: 'button', action_id: ActionId.forgetCancel, text: { type: 'plain_text', text: 'Cancel' } },
        ],
      },
    ],
  };
}

/**
 * What forget cannot reach: posts and files are Slack's, not this app's store. Said after every
 * forget, and before it, so nobody believes their shared summaries went too.
 */
const STAYS_IN_SLACK =
  'Posts you already shared in channels, and files you already exported to your direct messages with this app, are messages and files in Slack, not records this app keeps: they stay until they are deleted in Slack.';
const HOW_TO_REMOVE =
  'To remove a shared post, open its *More actions* menu (⋮) and choose *Delete message*; if Slack does not offer it to you, a workspace admin can. To remove an export, open your direct messages with this app, and choose *Delete file* from the file’s menu (or ask an admin).';

export function forgottenMessage(deleted: number, options: { canvasLeft?: boolean } = {}): Message {
  const deletedText =
    deleted === 0
      ? 'There was nothing stored about you, so nothing was deleted.'
      : `Deleted ${deleted} record${deleted === 1 ? '' : 's'}. Nothing about you is kept by this app any more.`;
  // The plan's canvas is deleted with the records; when Slack refused, the person must know it is still there.
  const text = options.canvasLeft
    ? `${deletedText} Slack did not let the app delete the canvas your plan was opened as: ask a workspace admin to delete it.`
    : deletedText;
  return {
    text: `${text} ${STAYS_IN_SLACK}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `:wastebasket: ${text}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${STAYS_IN_SLACK} ${HOW_TO_REMOVE}` }] },
    ],
  };
}

export function forgetCancelledMessage(): Message {
  const text = 'Nothing was deleted.';
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
