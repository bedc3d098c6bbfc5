import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ModalView } from '@slack/types';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { madeAtOf, personOf } from '../person.js';
import { type FormOrigin, formOriginOf } from '../reply.js';
import { decodeValue, EvidenceValue, encodeValue, NoteValue, ReviewNoteValue } from '../values.js';
import { failureMessage } from '../views/error.js';
import { evidenceRemovedMessage } from '../views/evidence.js';
import { noteModal } from '../views/notes.js';
import { badClickMessage } from '../views/refusal.js';
import { reviewRefusalMessage } from '../views/review.js';
import type { Message } from '../views/types.js';
import { buttonValue, type ClickArgs, click, replyOf } from './click.js';

type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

/**
 * Add a note, on the card of a self-rating run or of a reviewer's run: opens the note form with the
 * current note in it (view-submissions/note.ts saves it and shows the card again, with the note).
 * The card stays as it is; what goes wrong is said privately, as a new message.
 */

/**
 * Where the form's outcome goes (the card), without the fields it does not have: a message, or the
 * modal the card is in (`v`, with its title `vt`).
 */
function originOf(args: ClickArgs): FormOrigin & { v?: string; vt?: string } {
  const view = args.body.view;
  if (view?.type === 'modal' && view.id) {
    return { v: view.id, vt: (view.title?.text ?? 'Competency').slice(0, 24) };
  }
  const origin = formOriginOf(args.body);
  return {
    ...(origin.u ? { u: origin.u } : {}),
    ...(origin.c ? { c: origin.c } : {}),
    ...(origin.t ? { t: origin.t } : {}),
  };
}

/** Opens a form with the click's trigger; anything else it answers, and any failure, is told privately. */
function opensForm(what: string, work: (args: ClickArgs) => Promise<ModalView | Message>): ClickListener {
  return async (args) => {
    await args.ack();
    try {
      const answer = await work(args);
      if ('type' in answer && answer.type === 'modal') {
        // A card in a modal (a run started in a form) gets the note form on top of it.
        const inModal = args.body.view?.type === 'modal';
        await args.client.views[inModal ? 'push' : 'open']({
          trigger_id: args.body.trigger_id,
          view: answer,
        });
      } else await replyOf(args, 'privately')(answer as Message);
    } catch (error) {
      args.logger.error(`Could not ${what}`, error);
      await replyOf(args, 'privately')(failureMessage(failureOf(error, 'read')));
    }
  };
}

/** Add a note, on a card of the person's own run. */
export function noteOpenAction(deps: Deps): ClickListener {
  return opensForm('open the note form', async (args) => {
    const value = decodeValue(NoteValue, buttonValue(args.action));
    if (!value) return badClickMessage();
    const person = personOf(args.context);
    const framework = (await deps.catalogFor(person)).get(value.f);
    const competency = framework?.competencies.find((c) => c.id === value.c);
    if (!competency) return badClickMessage();
    return noteModal({
      competencyName: competency.name,
      current: await deps.notes.own(person, value.f, value.c),
      whose: 'own',
      privateMetadata: encodeValue({
        ...originOf(args),
        k: 's',
        f: value.f,
        s: value.s,
        c: value.c,
        a: madeAtOf(args.context).getTime(),
      }),
    });
  });
}

/** Add a note, on a card of a reviewer's run: only the reviewer the person chose, while the review is open. */
export function reviewNoteOpenAction(deps: Deps): ClickListener {
  return opensForm('open a reviewer’s note form', async (args) => {
    const value = decodeValue(ReviewNoteValue, buttonValue(args.action));
    if (!value) return badClickMessage();
    const found = await deps.reviews.noteOf(value.o, personOf(args.context), value.r, value.c);
    if ('kind' in found) return reviewRefusalMessage(found);
    if (found.competencyName === undefined) return badClickMessage();
    return noteModal({
      competencyName: found.competencyName,
      current: found.note,
      whose: 'review',
      privateMetadata: encodeValue({ ...originOf(args), k: 'r', o: value.o, r: value.r, c: value.c }),
    });
  });
}

/** Remove, on the confirmation of a piece of evidence: deletes it from the clicker's own record. */
export function evidenceRemoveAction(deps: Deps): ClickListener {
  return click(
    'remove a piece of evidence',
    async ({ action, context }) => {
      const value = decodeValue(EvidenceValue, buttonValue(action));
      if (!value) return badClickMessage();
      return evidenceRemovedMessage(await deps.evidence.remove(personOf(context), value.e));
    },
    { change: 'delete' },
  );
}
