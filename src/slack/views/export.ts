import { code } from './mrkdwn.js';
import type { Message } from './types.js';

/** What the direct message with the exported files says. */
export const EXPORT_FILES_COMMENT =
  'Your competency ratings and history, as you asked. Only you can see this conversation.';

export function exportPreparingMessage(): Message {
  const text = 'Preparing your export: your ratings and history, as JSON and CSV files, sent only to you…';
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export function exportSentMessage(filenames: string[]): Message {
  const text = `:inbox_tray: I've sent your data to our direct messages: ${filenames.map((f) => code(f)).join(' and ')}. It holds your current ratings, any unfinished run, and your finished assessments — nobody else's.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

export function exportFailedMessage(reason: string | undefined): Message {
  if (reason === 'ratelimited') {
    const text =
      ':warning: Slack is busy and asked this app to slow down, so your export was not sent. Nothing was shared with anyone. Please try again in a few minutes.';
    return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
  }
  const said = reason ? ` (Slack said: ${code(reason)})` : '';
  const text = `:warning: I couldn't send your export${said}. Nothing was shared with anyone. Please try again in a moment; if it keeps failing, ask the person who runs this app to check that it has the ${code('files:write')} and ${code('im:write')} scopes.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}
