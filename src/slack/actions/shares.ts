import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { todayIn } from '../../assessments/plans.js';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { personOf } from '../person.js';
import { formOriginOf } from '../reply.js';
import { decodeValue, encodeValue, OwnShareValue, RecordValue, ShareValue } from '../values.js';
import { failureMessage } from '../views/error.js';
import { badClickMessage } from '../views/refusal.js';
import {
  ALREADY_TAKEN_BACK_NOTE,
  nothingToShareWithMessage,
  notSharedMessage,
  oneOnOneMessage,
  sharedViewModal,
  sharedViewNotOpenedMessage,
  shareEndedMessage,
  shareFormNotOpenedMessage,
  sharesMessage,
  shareWithModal,
  takenBackNote,
} from '../views/shares.js';
import { buttonValue, click, replyOf } from './click.js';

type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

/**
 * The buttons of sharing with one colleague (see assessments/shares.ts for the rules):
 * - the owner's: Share with… (on a summary, or the Home tab), Take back (on `/competency shares`) —
 *   each works on the clicker's own record only;
 * - the colleague's: Open (in their direct message, or `/competency shares`) — its value names the
 *   owner's record and the share; it shows anything only when that share is in that record now and
 *   names the clicker as its colleague; anyone else, a replayed old button or a share taken back
 *   gets "no longer shared with you", privately, and nothing else;
 * - either's: 1:1 summary, for the owner or the colleague of the share, re-checked the same way.
 */

/** Share with…: opens the person picker; the share is made when the form is submitted (view-submissions/share-with.ts). */
export function shareWithAction(deps: Deps): ClickListener {
  return async (args) => {
    const { action, body, context, client, logger } = args;
    await args.ack();
    const reply = replyOf(args);
    try {
      const person = personOf(context);
      // On a summary, the button names it: the outcome is said there, next to the buttons.
      const raw = buttonValue(action);
      const value = raw === undefined ? undefined : decodeValue(RecordValue, raw);
      if (raw !== undefined && !value) return await reply(badClickMessage());
      const latest = await deps.assessments.latest(person);
      if (!latest) return await reply(nothingToShareWithMessage());
      const origin = formOriginOf(body);
      const metadata = encodeValue({
        ...(origin.u ? { u: origin.u } : {}),
        ...(origin.c ? { c: origin.c } : {}),
        ...(origin.t ? { t: origin.t } : {}),
        ...(value ? { r: value.id } : {}),
        ...(action.block_id ? { b: action.block_id } : {}),
      });
      const view = shareWithModal(latest, metadata);
      // Pressed inside a modal (a summary shown there): Slack opens no second modal from there; the
      // form takes that modal's place.
      const open = () =>
        body.view?.type === 'modal'
          ? client.views.update({ view_id: body.view.id, view })
          : client.views.open({ trigger_id: body.trigger_id, view });
      const opened = body.trigger_id
        ? await open().then(
            () => true,
            (error: unknown) => {
              logger.warn('Could not open the Share with… form', error);
              return false;
            },
          )
        : false;
      if (!opened) await replyOf(args, 'privately')(shareFormNotOpenedMessage());
    } catch (error) {
      logger.error('Could not start sharing', error);
      await reply(failureMessage(failureOf(error)));
    }
  };
}

/**
 * Open, for the colleague: the owner's latest assessment (with notes and evidence) and plan,
 * read-only, in a modal only they see. Checked in the owner's record at every click.
 */
export function shareOpenAction(deps: Deps): ClickListener {
  return async (args) => {
    const { action, body, context, client, logger } = args;
    await args.ack();
    const answer = replyOf(args, 'privately');
    try {
      const value = decodeValue(ShareValue, buttonValue(action));
      if (!value) return await answer(notSharedMessage());
      const view = await deps.shares.open(personOf(context), value.o, value.s);
      if (view.kind === 'not-shared') return await answer(notSharedMessage());
      const modal = sharedViewModal(view, todayIn(view.plan?.timeZone ?? 'UTC', new Date()));
      try {
        // Pressed inside a modal (a 1:1 summary shown there): Slack opens no second modal from there.
        if (body.view?.type === 'modal') await client.views.update({ view_id: body.view.id, view: modal });
        else await client.views.open({ trigger_id: body.trigger_id, view: modal });
      } catch (error) {
        logger.warn('Could not open a shared assessment', error);
        await answer(sharedViewNotOpenedMessage());
      }
    } catch (error) {
      logger.error('Could not open a shared assessment', error);
      await answer(failureMessage(failureOf(error)));
    }
  };
}

/** 1:1 summary, for either person of a share: shown privately to whoever asked, and remembered for next time. */
export function shareOneOnOneAction(deps: Deps): ClickListener {
  return click(
    'make a 1:1 summary',
    async ({ action, context }) => {
      const value = decodeValue(ShareValue, buttonValue(action));
      if (!value) return notSharedMessage();
      const person = personOf(context);
      const summary = await deps.shares.oneOnOne(person, value.o, value.s);
      if (summary.kind === 'not-shared') return notSharedMessage();
      return oneOnOneMessage(summary, person === value.o ? 'owner' : 'colleague', value.s);
    },
    { how: 'privately', change: 'save' },
  );
}

/**
 * Take back, on the owner's `/competency shares`: the share ends (their record, the colleague's
 * index), the colleague's direct message says so, and the list is shown again.
 */
export function shareTakeBackAction(deps: Deps): ClickListener {
  return click(
    'take a share back',
    async ({ action, context, client, logger }) => {
      const value = decodeValue(OwnShareValue, buttonValue(action));
      if (!value) return badClickMessage();
      const person = personOf(context);
      const removed = await deps.shares.takeBack(person, value.s);
      if (removed?.message) {
        const ended = shareEndedMessage(removed.ownerUserId);
        await client.chat
          .update({ ...removed.message, text: ended.text, blocks: ended.blocks })
          .catch((error: unknown) =>
            logger.warn('Could not mark a share taken back in its direct message', error),
          );
      }
      const [given, received] = await Promise.all([deps.shares.given(person), deps.shares.received(person)]);
      return sharesMessage(
        person,
        given,
        received,
        removed ? takenBackNote(removed) : ALREADY_TAKEN_BACK_NOTE,
      );
    },
    { change: 'delete' },
  );
}
