import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { answerLookup } from '../answers/lookup.js';
import { ownSummary } from '../answers/summary.js';
import { clickedInDmWithApp } from '../app-dm.js';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { personOf } from '../person.js';
import { postToResponseUrl, ResponseUrlError } from '../response-url.js';
import { decodeValue, RecordValue } from '../values.js';
import { failureMessage, somethingWentWrongMessage } from '../views/error.js';
import { badClickMessage } from '../views/refusal.js';
import {
  assessmentNotFoundMessage,
  SHARE_FROM_DM_NOTE,
  shareCancelledMessage,
  sharedConfirmationMessage,
  sharedMessage,
  shareFailedMessage,
  shareFromChannelMessage,
  sharePreviewMessage,
} from '../views/share.js';
import { buttonValue, type ClickArgs, click, replyOf } from './click.js';

/** The person's own assessment named by the button, if it is theirs. */
async function recordOf(deps: Deps, args: ClickArgs) {
  const value = decodeValue(RecordValue, buttonValue(args.action));
  if (!value) return { error: badClickMessage() };
  const record = await deps.assessments.record(personOf(args.context), value.id);
  if (!record) return { error: assessmentNotFoundMessage() };
  return { record };
}

/**
 * Share to channel: a private preview first; nothing reaches the channel without Post it. In the
 * person's direct messages with the app, where a post would reach only them, nothing is previewed
 * or posted: the summary stays, with where and how to share said under its buttons.
 */
export function sharePreviewAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('show a share preview', async (args) => {
    const found = await recordOf(deps, args);
    if (!found.record) return found.error;
    // The Home tab and modals have no channel to post in.
    if (args.body.view) return shareFromChannelMessage();
    if (await clickedInDmWithApp(args.body, args.client, args.logger)) {
      return {
        message: await ownSummary(deps, personOf(args.context), found.record),
        note: SHARE_FROM_DM_NOTE,
      };
    }
    return sharePreviewMessage(found.record, args.body.user.id);
  });
}

export function shareCancelAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('cancel sharing', async (args) => {
    const found = await recordOf(deps, args);
    if (!found.record) return found.error;
    return shareCancelledMessage(await ownSummary(deps, personOf(args.context), found.record));
  });
}

/**
 * Post it: the summary goes to the channel through the interaction's response_url as `in_channel`,
 * which works where the bot is not a member. If Slack refuses, the person is told why, privately.
 */
export function sharePostAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return async (args) => {
    const { ack, body, logger } = args;
    await ack();
    const reply = replyOf(args);
    let found: Awaited<ReturnType<typeof recordOf>>;
    try {
      found = await recordOf(deps, args);
    } catch (error) {
      logger.error('Could not read the assessment to share', error);
      await reply(failureMessage(failureOf(error)));
      return;
    }
    if (!found.record) {
      await reply(found.error);
      return;
    }
    const url = body.response_url;
    try {
      if (!url) throw new ResponseUrlError('no_response_url', 0);
      await postToResponseUrl(url, {
        response_type: 'in_channel',
        replace_original: false,
        ...sharedMessage(found.record, body.user.id),
      });
    } catch (error) {
      const reason = error instanceof ResponseUrlError ? error.reason : 'unknown_error';
      logger.warn(`Sharing a summary failed: ${reason}`);
      // In place of the preview; or, if the response_url no longer works, as a private message.
      await reply(
        error instanceof ResponseUrlError ? shareFailedMessage(reason) : somethingWentWrongMessage(),
      );
      return;
    }
    await reply(sharedConfirmationMessage(found.record));
  };
}

/**
 * View this framework, on a shared post: anyone in the channel can press it, and sees the framework
 * privately, as a new message of their own; the post itself is left alone, wherever it was shared
 * (a channel, or a direct message between two people).
 */
export function viewFrameworkAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click(
    'show a shared framework',
    async ({ action, context }) =>
      answerLookup((buttonValue(action) ?? '').slice(0, 500), deps, personOf(context)),
    { how: 'privately' },
  );
}
