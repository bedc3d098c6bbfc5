import type { AssessmentRecord } from '../../model/records.js';
import { escapeText } from './mrkdwn.js';
import type { Message } from './types.js';

/** What the plan's buttons answer when there is no plan to act on, or nothing to plan. */

const message = (text: string, fallback: string): Message => ({
  text: fallback,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

/** Make a plan, on a summary with no gap left (it was rated again since, say). */
export function noGapsMessage(record: AssessmentRecord): Message {
  return message(
    `:tada: Your *${escapeText(record.roleName)} · ${escapeText(record.levelName)}* assessment has no focus areas and nothing worth a conversation, so there is nothing to plan. Rate yourself again when things change.`,
    'Nothing to plan: that assessment has no gaps.',
  );
}

/**
 * A plan button where the plan (or the item) is no longer there: made again since, or the person's
 * data was deleted. `what`: what the button was for.
 */
export function noPlanMessage(what: 'changed' | 'canvas' | 'show'): Message {
  const start =
    'To make one, press *Make a plan* on a summary that has focus areas (`/competency history` lists yours).';
  const text =
    what === 'changed'
      ? `That item is no longer in your plan (it was made again since), so nothing changed. Your plan as it is now is in the app’s Home tab. ${start}`
      : `You have no plan yet. ${start}`;
  return message(text, what === 'changed' ? 'That item is no longer in your plan.' : 'You have no plan yet.');
}
