import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { sendReviewRequest } from '../commands/ask.js';
import type { Deps } from '../deps.js';
import { personOf } from '../person.js';
import { postToResponseUrl } from '../response-url.js';
import { AskReviewMetadata, decodeValue } from '../values.js';
import { ASK_REVIEW_BLOCK, ASK_REVIEW_USER } from '../views/review.js';

/**
 * Ask, from the Ask for a review form: the person chosen must be someone else (not the asker, not
 * the app), said next to the picker otherwise. Then the form closes and the request goes out as with
 * `/competency ask @name`; what happened replaces the summary the form was opened from (or, when that
 * is no longer possible, comes privately).
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
    const asker = {
      person: personOf(context),
      userId: body.user.id,
      ...(meta.c ? { channelId: meta.c } : {}),
    };
    await sendReviewRequest({
      deps,
      asker,
      reviewer: { userId: chosen },
      client,
      // In place of the summary the form was opened from; sendReviewRequest tells the person
      // privately when that fails (or the form came from the Home tab).
      reply: (message) =>
        meta.u
          ? postToResponseUrl(meta.u, { replace_original: true, response_type: 'ephemeral', ...message })
          : Promise.reject(new Error('the form was not opened from a message')),
      logger,
    });
  };
}
