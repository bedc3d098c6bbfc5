import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { checkNote } from '../../assessments/notes.js';
import type { Deps } from '../deps.js';
import { madeAtOf, personOf } from '../person.js';
import { privateChannelOf, showAtFormOrigin, tellPrivately } from '../reply.js';
import { decodeValue, NoteMetadata } from '../values.js';
import { ratingStepMessage } from '../views/assessment.js';
import { modalWith } from '../views/modal.js';
import { NOTE_BLOCK, NOTE_INPUT, noteSavedText, noteTooLongText } from '../views/notes.js';
import { reviewRefusalMessage, reviewStepMessage } from '../views/review.js';
import type { Message } from '../views/types.js';

/**
 * Save, on the note form: the person's own note on a competency of their run, or a reviewer's note on
 * a colleague's review (only theirs, only while it is open). A note that cannot be kept is said next
 * to the text box, the form staying open; the note is saved before the form closes (one quick write,
 * as Rate all does). Then the card the form was opened from shows the note; where that can no longer
 * be done, the person is told privately.
 */
export function noteSubmission(deps: Deps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> {
  return async function saveANote({ ack, view, body, context, client, logger }) {
    const fail = (error: string) => ack({ response_action: 'errors', errors: { [NOTE_BLOCK]: error } });
    const meta = decodeValue(NoteMetadata, view.private_metadata);
    if (!meta) return fail('This form is out of date. Close it and press Add a note again.');
    const checked = checkNote(view.state?.values?.[NOTE_BLOCK]?.[NOTE_INPUT]?.value);
    if (!checked.ok) return fail(noteTooLongText(checked.length));

    const person = personOf(context);
    let card: Message | undefined;
    let saved: Message;
    try {
      if (meta.k === 's') {
        const outcome = await deps.notes.setOwn(
          person,
          {
            frameworkId: meta.f,
            competencyId: meta.c,
            sessionId: meta.s,
            text: checked.text ?? '',
          },
          new Date(Math.min(meta.a ?? Number.POSITIVE_INFINITY, madeAtOf(context).getTime())),
        );
        if (outcome.kind === 'too-long') return fail(noteTooLongText(outcome.length));
        if (outcome.kind === 'unknown-competency') {
          return fail('This competency is no longer in the framework, so the note was not saved.');
        }
        card = outcome.step && ratingStepMessage(outcome.step);
        saved = textMessage(noteSavedText(outcome.competencyName, outcome.note));
      } else {
        const outcome = await deps.reviews.note(meta.o, person, {
          reviewId: meta.r,
          competencyId: meta.c,
          text: checked.text,
        });
        if (outcome.kind === 'review-refused') {
          return fail(`${reviewRefusalMessage(outcome).text} So the note was not saved.`);
        }
        if (outcome.kind === 'unknown-competency') {
          return fail('This competency is no longer in the assessment, so the note was not saved.');
        }
        card = reviewStepMessage(outcome.step);
        saved = textMessage(
          outcome.note === undefined
            ? 'Your note is removed.'
            : 'Your note is saved. Your colleague sees it beside your rating once you finish.',
        );
      }
    } catch (error) {
      return fail(notSavedText(error, logger, 'save a note'));
    }
    await ack();
    if (card && (meta.u || meta.t || meta.v)) {
      try {
        if (meta.v)
          await client.views.update({ view_id: meta.v, view: modalWith(card, meta.vt ?? 'Competency') });
        else await showAtFormOrigin(client, meta, card);
        return;
      } catch (error) {
        logger.warn('Saved a note, but could not show the card it was written on again', error);
      }
    }
    await tellPrivately(client, logger, { userId: body.user.id, channelId: privateChannelOf(meta) }, saved);
  };
}

const textMessage = (text: string): Message => ({
  text: text.replaceAll('*', ''),
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
});

import { notSavedText } from './not-saved.js';
