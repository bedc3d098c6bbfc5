import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Comparison, ReviewRefusal, ReviewStep } from '../../assessments/reviews.js';
import { ownSummary } from '../answers/summary.js';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { REVIEW_WITHDRAW_ON_LIST } from '../ids.js';
import { personOf } from '../person.js';
import { formOriginOf } from '../reply.js';
import {
  decodeValue,
  encodeValue,
  OwnReviewValue,
  RecordValue,
  ReviewAnswerValue,
  ReviewValue,
} from '../values.js';
import { failureMessage } from '../views/error.js';
import { badClickMessage } from '../views/refusal.js';
import {
  askHowNote,
  askReviewModal,
  cannotWithdrawMessage,
  comparisonMessage,
  declinedMessage,
  declinedNoticeMessage,
  laterNote,
  requestsMessage,
  reviewRefusalMessage,
  reviewRequestMessage,
  reviewStepMessage,
  withdrawnMessage,
  withdrawnNoticeMessage,
} from '../views/review.js';
import { assessmentNotFoundMessage } from '../views/share.js';
import type { Message } from '../views/types.js';
import { answerMessage, buttonValue, type ClickArgs, click, replyOf } from './click.js';

type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

/**
 * The buttons of a colleague's review (see reviews.ts for the rules):
 * - the asker's: Ask for a review (on the summary), Withdraw, See the comparison — each works on the
 *   clicker's own record only;
 * - the reviewer's: Start, Not now, Decline and the rating buttons, on the request in their direct
 *   messages. Their value names whose record the review is in; the review is acted on only when the
 *   clicker is the reviewer the asker chose, and anyone else gets "no review request for you here",
 *   privately, and changes nothing.
 *
 * The reviewer's answers replace the message they clicked on (the request, then each step, then the
 * comparison), as a self-assessment does: it is their own conversation with the app.
 */

/** What a reviewer's click answers with, and whether it replaces the message clicked on. */
type ReviewerAnswer = { message: Message; inPlace: boolean };

/**
 * A reviewer's button: acknowledges, works, then answers — in place of the message clicked on when
 * the clicker is the reviewer, else privately as a new message, the message left as it was.
 */
function reviewerClick(what: string, work: (args: ClickArgs) => Promise<ReviewerAnswer>): ClickListener {
  return async (args) => {
    await args.ack();
    let answer: ReviewerAnswer;
    try {
      answer = await work(args);
    } catch (error) {
      args.logger.error(`Could not ${what}`, error);
      answer = { message: failureMessage(failureOf(error, 'save')), inPlace: false };
    }
    // In place: the request in the reviewer's direct messages is changed (chat.update); when it
    // cannot be, the answer comes as a new private message (reply.ts). Otherwise the message stays.
    await replyOf(args, answer.inPlace ? 'in-place' : 'privately')(answer.message);
  };
}

function reviewerOutcome(outcome: ReviewStep | Comparison | ReviewRefusal): ReviewerAnswer {
  switch (outcome.kind) {
    case 'review-step':
      return { message: reviewStepMessage(outcome), inPlace: true };
    case 'comparison':
      return { message: comparisonMessage(outcome, 'reviewer'), inPlace: true };
    case 'review-refused':
      // Someone who is not the reviewer gets a new private message; the message stays as it was.
      return { message: reviewRefusalMessage(outcome), inPlace: outcome.reason !== 'not-yours' };
  }
}

const bad = (): ReviewerAnswer => ({ message: badClickMessage(), inPlace: false });

/**
 * Ask for a review, on a summary: opens a form with Slack's person picker (the request goes out when
 * it is submitted, see view-submissions/ask-review.ts, and what happened is said on this summary,
 * next to its buttons). Where Slack gives no trigger to open a form with, or will not open it, the
 * summary says next to its buttons how to ask with the command instead. The summary stays.
 */
export function reviewAskAction(deps: Deps): ClickListener {
  return async (args) => {
    const { action, body, context, client, logger } = args;
    await args.ack();
    const value = decodeValue(RecordValue, buttonValue(action));
    const person = personOf(context);
    try {
      if (!value) return await replyOf(args)(badClickMessage());
      const record = await deps.assessments.record(person, value.id);
      if (!record) return await replyOf(args)(assessmentNotFoundMessage());
      const latest = await deps.assessments.latest(person);
      // Where the outcome goes: on this summary (its record), next to the buttons clicked.
      const origin = formOriginOf(body);
      const opened =
        latest && body.trigger_id
          ? await client.views
              .open({
                trigger_id: body.trigger_id,
                view: askReviewModal(
                  latest,
                  encodeValue({
                    ...(origin.u ? { u: origin.u } : {}),
                    ...(origin.c ? { c: origin.c } : {}),
                    ...(origin.t ? { t: origin.t } : {}),
                    r: record.id,
                    ...(action.block_id ? { b: action.block_id } : {}),
                  }),
                ),
              })
              .then(
                () => true,
                (error: unknown) => {
                  logger.warn('Could not open the Ask for a review form; saying how to ask instead', error);
                  return false;
                },
              )
          : false;
      if (!opened) {
        const note = askHowNote(record, latest?.id === record.id);
        await replyOf(args)(answerMessage(args, { message: await ownSummary(deps, person, record), note }));
      }
    } catch (error) {
      logger.error('Could not start asking for a review', error);
      await replyOf(args)(failureMessage(failureOf(error)));
    }
  };
}

/** Start / Continue, on the request: the first (or next) competency to rate, or the comparison if done. */
export function reviewStartAction(deps: Deps): ClickListener {
  return reviewerClick('start a review', async ({ action, body, context }) => {
    const value = decodeValue(ReviewValue, buttonValue(action));
    if (!value) return bad();
    const name = body.user.name ?? body.user.username;
    const outcome = await deps.reviews.start(
      value.o,
      personOf(context),
      value.r,
      typeof name === 'string' ? name : undefined,
    );
    return reviewerOutcome(outcome);
  });
}

/** Not now: the request stays, unchanged; the asker is not told. */
export function reviewLaterAction(deps: Deps): ClickListener {
  return reviewerClick('put a review off', async ({ action, context }) => {
    const value = decodeValue(ReviewValue, buttonValue(action));
    if (!value) return bad();
    const found = await deps.reviews.request(value.o, personOf(context), value.r);
    if ('kind' in found) return reviewerOutcome(found);
    if (found.status === 'declined' || found.status === 'withdrawn') {
      return reviewerOutcome({ kind: 'review-refused', reason: found.status, request: found });
    }
    if (found.status === 'finished') return reviewerOutcome({ kind: 'review-refused', reason: 'finished' });
    return { message: reviewRequestMessage(found, laterNote(found)), inPlace: true };
  });
}

/** Decline: the request is closed, the reviewer's answers dropped, and the asker told once. */
export function reviewDeclineAction(deps: Deps): ClickListener {
  return reviewerClick('decline a review', async ({ action, context, client, logger }) => {
    const value = decodeValue(ReviewValue, buttonValue(action));
    if (!value) return bad();
    const outcome = await deps.reviews.decline(value.o, personOf(context), value.r);
    if (outcome.kind === 'review-refused') return reviewerOutcome(outcome);
    if (outcome.changed) {
      const notice = declinedNoticeMessage(outcome.request);
      await client.chat
        .postMessage({ channel: outcome.request.subjectUserId, text: notice.text, blocks: notice.blocks })
        .catch((error: unknown) => logger.warn('Could not tell a person their review was declined', error));
    }
    return { message: declinedMessage(outcome.request), inPlace: true };
  });
}

/**
 * A reviewer's rating, Not applicable, Skip or Back. The answer that finishes the review sends the
 * asker the comparison in their direct messages, and shows the reviewer the same in place of the
 * last step.
 */
export function reviewAnswerAction(deps: Deps): ClickListener {
  return reviewerClick('save a review rating', async ({ action, context, client, logger }) => {
    const value = decodeValue(ReviewAnswerValue, buttonValue(action));
    if (!value) return bad();
    const outcome = await deps.reviews.answer(value.o, personOf(context), {
      reviewId: value.r,
      competencyId: value.c,
      choice: value.a,
    });
    if (outcome.kind === 'comparison' && outcome.finishedNow) {
      const theirs = comparisonMessage(outcome, 'subject');
      await client.chat
        .postMessage({ channel: outcome.request.subjectUserId, text: theirs.text, blocks: theirs.blocks })
        .catch((error: unknown) =>
          logger.warn('Could not send a finished review to the person reviewed; it is kept for them', error),
        );
    }
    return reviewerOutcome(outcome);
  });
}

/**
 * Withdraw, on the asker's confirmation or list: closes one of the clicker's own open requests,
 * and marks the request withdrawn in the reviewer's direct messages.
 */
export function reviewWithdrawAction(deps: Deps): ClickListener {
  return click(
    'withdraw a review request',
    async ({ action, context, client, logger }) => {
      const value = decodeValue(OwnReviewValue, buttonValue(action));
      if (!value) return badClickMessage();
      const person = personOf(context);
      const outcome = await deps.reviews.withdraw(person, value.r);
      let message: Message;
      if (outcome.kind === 'not-found') message = cannotWithdrawMessage('not-found');
      else if (outcome.kind === 'closed') {
        message = cannotWithdrawMessage(outcome.review.status === 'finished' ? 'finished' : 'declined');
      } else {
        message = withdrawnMessage(outcome.request);
        if (outcome.requestMessage) {
          const notice = withdrawnNoticeMessage(outcome.request);
          await client.chat
            .update({ ...outcome.requestMessage, text: notice.text, blocks: notice.blocks })
            .catch((error: unknown) =>
              logger.warn('Could not mark a withdrawn request in the reviewer’s messages', error),
            );
        }
      }
      if (action.action_id === REVIEW_WITHDRAW_ON_LIST) {
        return requestsMessage(await deps.reviews.requests(person), message.text);
      }
      return message;
    },
    { change: 'save' },
  );
}

/** See the comparison, on the asker's list: one of their own finished reviews beside their ratings. */
export function reviewShowAction(deps: Deps): ClickListener {
  return click('show a review', async ({ action, context }) => {
    const value = decodeValue(OwnReviewValue, buttonValue(action));
    if (!value) return badClickMessage();
    const comparison = await deps.reviews.comparison(personOf(context), value.r);
    return comparison ? comparisonMessage(comparison, 'subject') : cannotWithdrawMessage('not-found');
  });
}
