import type { AllMiddlewareArgs, BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { failureOf } from '../failures.js';
import { replyTo } from '../reply.js';
import { failureMessage } from '../views/error.js';
import type { Message } from '../views/types.js';

export type ClickArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

export const buttonValue = (action: ClickArgs['action']): string | undefined =>
  action.type === 'button' ? action.value : undefined;

/** Where the answer to this click goes (see reply.ts). */
export const replyOf = (args: ClickArgs): ((message: Message) => Promise<void>) =>
  replyTo(args.body, {
    respond: args.respond as ClickArgs['respond'] | undefined,
    client: args.client,
    logger: args.logger,
  });

/**
 * A button listener that acknowledges first, then does the work, and always answers the person
 * where they clicked: the outcome, or — when something failed — a plain account of what happened
 * (whether anything was saved; details go to the log, never to Slack).
 */
export function click(
  what: string,
  work: (args: ClickArgs) => Promise<Message> | Message,
  options: { change?: 'save' | 'delete' } = {},
): ClickListener {
  return async (args) => {
    await args.ack();
    let message: Message;
    try {
      message = await work(args);
    } catch (error) {
      args.logger.error(`Could not ${what}`, error);
      message = failureMessage(failureOf(error, options.change));
    }
    await replyOf(args)(message);
  };
}
