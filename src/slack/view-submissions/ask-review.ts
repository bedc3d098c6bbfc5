import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { sendReviewRequest } from '../answers/review-request.js';
import { ownSummary } from '../answers/summary.js';
import type { Deps } from '../deps.js';
import { personOf } from '../person.js';
import { privateChannelOf, showAtFormOrigin } from '../reply.js';
import { AskReviewMetadata, decodeValue } from '../values.js';
import { noteOf, withNote } from '../views/click-note.js';
import { ASK_REVIEW_BLOCK, ASK_REVIEW_USER } from '../views/review.js';

/**
 * Ask, from the Ask for a review form: the person chosen must be someone else (not the asker, not
 * the app), said next to the picker otherwise. Then the form closes and the request goes out as with
 * `/competency ask @name`; what happened is said on the summary the form was opened from, next to its
 * buttons, the summary staying as it was (or, when that is no longer possible, comes privately, with
 * its Withdraw button).
 */
export function askReviewSubmission(deps: Deps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> {
  return async function askForAReview({ ack, view, body, context, client, logger }) {
    const chosen = view.state?.values?.[ASK_REVIEW_BLOCK]?.[ASK_REVIEW_USER]?.selected_user ?? undefined;
    const fail = (error: string) => ack({ response_action: 'errors', errors: { [ASK_REVIEW_BLOCK]: error } });
    if (!chosen) return fail('Choose the colleague to ask.');
    if (chosen === body.user.id) return fail('Choose someone else: your own view is your self-assessment.');
    if (chosen === context.botUserId) return fail('Choose a person: the app cannot rate you.');
    await ack();

    const meta = decodeValue(AskReviewMetadata, view.private_metadata) ?? {};
    const channelId = privateChannelOf(meta);
    const asker = { person: personOf(context), userId: body.user.id, ...(channelId ? { channelId } : {}) };
    await sendReviewRequest({
      deps,
      asker,
      reviewer: { userId: chosen },
      client,
      // On the summary the form was opened from, next to its buttons; sendReviewRequest tells the
      // person privately when that fails (or the form came from the Home tab).
      reply: async (outcome) => {
        if (!meta.r) throw new Error('the form does not say which summary it was opened from');
        const record = await deps.assessments.record(asker.person, meta.r);
        if (!record) throw new Error('the assessment of the summary is gone');
        const summary = withNote(await ownSummary(deps, asker.person, record), noteOf(outcome), meta.b);
        await showAtFormOrigin(client, meta, summary);
      },
      logger,
    });
  };
}
