import type { Logger, webApi } from '@slack/bolt';
import type { Reviewer } from '../../assessments/reviews.js';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import type { Asker } from '../person.js';
import { replaceOrTellPrivately } from '../reply.js';
import { failureMessage } from '../views/error.js';
import {
  alreadyAskedMessage,
  askedMessage,
  askNotSentMessage,
  askUsageMessage,
  noAssessmentToReviewMessage,
  reviewRequestMessage,
} from '../views/review.js';
import type { Message } from '../views/types.js';

/**
 * Asking a colleague for a review — `/competency ask @someone` after its acknowledgement ("Asking
 * @someone…"), or the Ask for a review form once it is submitted: keeps the request (in
 * the asker's record, with an index entry in the reviewer's), sends it to the reviewer's direct
 * messages with Start, Not now and Decline, and replaces "Asking…" with the confirmation and its
 * Withdraw button. A request Slack would not deliver is deleted again, and the asker told so.
 */
export async function sendReviewRequest(args: {
  deps: Deps;
  asker: Asker;
  reviewer: Reviewer;
  client: webApi.WebClient;
  /** Puts the outcome in place of what the asker saw ("Asking…", or the summary the form came from). */
  reply: (message: Message) => Promise<unknown>;
  logger: Logger;
}): Promise<void> {
  const { deps, asker, reviewer, client, reply, logger } = args;
  const { reviews } = deps;
  let answer: Message;
  try {
    const outcome = await reviews.ask(asker.person, reviewer);
    if (outcome.kind === 'refused') {
      if ('request' in outcome) {
        answer = alreadyAskedMessage(outcome.request, outcome.reason === 'already-reviewed');
      } else {
        answer = outcome.reason === 'self' ? askUsageMessage('self') : noAssessmentToReviewMessage();
      }
    } else {
      const request = reviewRequestMessage(outcome.request);
      let sent: { channel?: string; ts?: string } | undefined;
      try {
        sent = await client.chat.postMessage({
          channel: reviewer.userId,
          text: request.text,
          blocks: request.blocks,
        });
      } catch (error) {
        logger.warn('Could not send a review request; deleting it again', error);
      }
      if (sent) {
        if (sent.channel && sent.ts) {
          await reviews
            .delivered(asker.person, outcome.request.reviewId, { channel: sent.channel, ts: sent.ts })
            .catch((error: unknown) => logger.warn('Could not note where a review request was sent', error));
        }
        answer = askedMessage(outcome.request);
      } else {
        await reviews.cancelUndelivered(asker.person, outcome.request.reviewId);
        answer = askNotSentMessage(reviewer.userId);
      }
    }
  } catch (error) {
    logger.error('Could not ask for a review', error);
    answer = failureMessage(failureOf(error, 'save'));
  }
  await replaceOrTellPrivately(reply, answer, {
    client,
    logger,
    to: { userId: asker.userId, channelId: asker.channelId },
    placeholder: 'Asking…',
  });
}
