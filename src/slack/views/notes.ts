import type { Button, ModalView } from '@slack/types';
import { NOTE_MAX } from '../../model/growth.js';
import { CallbackId } from '../ids.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { COMMAND, type KnownBlock } from './types.js';

/**
 * Notes, as people see them: the Add a note button of a rating card, the form it opens, the note on
 * the card, and notes shortened evenly where a message has no room for them all in full.
 */

/** The block and element of the note's text box in the note form. */
export const NOTE_BLOCK = 'note';
export const NOTE_INPUT = 'text';

/** Add a note (or Edit your note), beside the rating buttons of a card; `value` names the card. */
export function noteButton(actionId: string, value: string, hasNote: boolean): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: hasNote ? 'Edit your note' : 'Add a note' },
    value,
  };
}

/** The note under a card's competency: `:memo: Your note: …`, escaped, on one line. */
export function noteOnCard(note: string): KnownBlock {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: truncate(`:memo: *Your note:* ${escapeText(oneLine(note))}`, 2900) }],
  };
}

/**
 * The note form: a text box of at most NOTE_MAX characters, with the current note in it. `whose`:
 * the person's own note on their rating, or a reviewer's on a colleague's review.
 */
export function noteModal(input: {
  competencyName: string;
  current: string | undefined;
  whose: 'own' | 'review';
  privateMetadata: string;
}): ModalView {
  const who =
    input.whose === 'own'
      ? `Why you rated yourself so, an example, what you want to work on. It shows in your summary, your history and your export, only to you (and to the one person you share your latest assessment with, if you do). It goes with the assessment when you finish.`
      : `Why you rated so, or an example. Your colleague sees it beside your rating once you finish the review, not before.`;
  return {
    type: 'modal',
    callback_id: CallbackId.note,
    private_metadata: input.privateMetadata,
    title: { type: 'plain_text', text: input.current ? 'Edit your note' : 'Add a note' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: truncate(`*${escapeText(input.competencyName)}*\n${who}`, 3000) },
      },
      {
        type: 'input',
        block_id: NOTE_BLOCK,
        optional: true,
        label: { type: 'plain_text', text: 'Your note' },
        hint: {
          type: 'plain_text',
          text: `At most ${NOTE_MAX} characters. Leave it empty and save to remove the note.`,
        },
        element: {
          type: 'plain_text_input',
          action_id: NOTE_INPUT,
          multiline: true,
          max_length: NOTE_MAX,
          ...(input.current ? { initial_value: input.current } : {}),
          placeholder: { type: 'plain_text', text: 'An example, a reason, a next step…' },
        },
      },
    ],
  };
}

/** What the form says next to the text box when the note is too long. */
export function noteTooLongText(length: number): string {
  return `A note may have at most ${NOTE_MAX} characters, and this one has ${length}. Shorten it by ${length - NOTE_MAX} and save again.`;
}

/** When the card a note was written on can no longer be shown: what happened to the note. */
export function noteSavedText(competencyName: string, note: string | undefined): string {
  return note === undefined
    ? `Your note on *${escapeText(competencyName)}* is removed.`
    : `Your note on *${escapeText(competencyName)}* is saved. It shows in your summary, your history and your export (${code(`${COMMAND} export`)}).`;
}

/** A note on one line: its line breaks and runs of spaces as single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The longest each text may be so that together they take at most `budget` characters: texts within
 * it stay whole, longer ones are all cut to the same length. Infinity when all fit.
 */
export function evenShare(lengths: readonly number[], budget: number): number {
  const sorted = [...lengths].sort((a, b) => a - b);
  let left = Math.max(0, budget);
  for (const [i, length] of sorted.entries()) {
    const others = sorted.length - i;
    if (length * others > left) return Math.floor(left / others);
    left -= length;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * `text` escaped for mrkdwn, in at most `max` characters: cut (at a character, never inside an
 * escape such as `&amp;`) with `…` when it is longer.
 */
export function escapedWithin(text: string, max: number): { text: string; cut: boolean } {
  const whole = escapeText(text);
  if (whole.length <= max) return { text: whole, cut: false };
  let out = '';
  for (const char of text) {
    const next = escapeText(char);
    if (out.length + next.length + 1 > max) break;
    out += next;
  }
  return { text: `${out.trimEnd()}…`, cut: true };
}

/**
 * The notes of a comparison's rows, one text per row (`''` for none): each side's note with whose it
 * is (`labels`: the self-rater's and the reviewer's names as the reader sees them), within `budget`
 * characters in all, each note cut to the same length when they do not all fit.
 */
export function comparisonNoteLines(
  rows: readonly { selfNote?: string | undefined; reviewNote?: string | undefined }[],
  labels: { self: string; review: string },
  budget: number,
): { lines: string[]; shortened: boolean } {
  const prefix = (side: 'self' | 'review') => `:memo: ${labels[side]}: `;
  const wanted: number[] = [];
  for (const row of rows) {
    if (row.selfNote) wanted.push(prefix('self').length + row.selfNote.length + 1);
    if (row.reviewNote) wanted.push(prefix('review').length + row.reviewNote.length + 1);
  }
  const cap = evenShare(wanted, budget);
  let shortened = false;
  const lines = rows.map((row) => {
    const parts: string[] = [];
    for (const side of ['self', 'review'] as const) {
      const note = side === 'self' ? row.selfNote : row.reviewNote;
      if (!note) continue;
      const room = Math.min(cap, 1200) - prefix(side).length - 1;
      const fitted = escapedWithin(oneLine(note), Math.max(0, room));
      shortened ||= fitted.cut;
      if (room >= 20 || !fitted.cut) parts.push(`${prefix(side)}${fitted.text}`);
    }
    return parts.join('\n');
  });
  return { lines, shortened };
}
