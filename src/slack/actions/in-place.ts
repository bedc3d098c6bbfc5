import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { publishHome } from '../answers/home.js';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { personOf } from '../person.js';
import { clickedWithNote } from '../reply.js';
import { noteOf } from '../views/click-note.js';
import { failureMessage } from '../views/error.js';
import { type Answer, answerMessage, type ClickArgs, replyOf } from './click.js';

/**
 * A click answered in place of the message clicked on (a summary, a check-in reminder, a plan: private either
 * way, an ephemeral message, replaced through the response_url, or the person's own direct messages
 * with the app, changed with chat.update); in the Home tab by republishing it; in a modal by
 * updating it. Failures get a plain account, in the same place; when the message cannot be changed,
 * the answer comes privately as a new message (reply.ts).
 */
export function inPlaceOrHome(
  deps: Deps,
  what: string,
  work: (args: ClickArgs) => Promise<Answer | 'home'>,
): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return async (args) => {
    await args.ack();
    let answer: Answer | 'home';
    try {
      answer = await work(args);
    } catch (error) {
      args.logger.error(`Could not ${what}`, error);
      const failure = failureMessage(failureOf(error));
      // On a message of the person's direct messages, it stays, with what went wrong under the buttons.
      answer = clickedWithNote(args.body, noteOf(failure), args.action.block_id) ?? failure;
    }
    const { body, client, logger, context } = args;
    if (answer === 'home') {
      await publishHome(deps, client, logger, { userId: body.user.id, person: personOf(context) });
      return;
    }
    await replyOf(args, 'in-place')(answerMessage(args, answer));
  };
}
