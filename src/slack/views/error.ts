import type { Message } from './types.js';

/** For failures only an operator can fix. The details go to the log, never to Slack. */
export function somethingWentWrongMessage(): Message {
  const text =
    'Something went wrong on our side, sorry. Please try again in a moment; if it keeps happening, tell the person who runs this app.';
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${text}` } }] };
}
