import type { AllMiddlewareArgs, BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { somethingWentWrongMessage } from '../views/error.js';
import type { Message } from '../views/types.js';
import { replyTo } from './reply.js';

export type ClickArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

export const buttonValue = (action: ClickArgs['action']): string | undefined =>
  action.type === 'button' ? action.value : undefined;

/**
 * A button listener that acknowledges first, then does the work, and always answers the person in
 * place: the outcome, or — when something failed on our side — a plain apology (details go to the log).
 */
export function click(what: string, work: (args: ClickArgs) => Promise<Message> | Message): ClickListener {
  return async (args) => {
    await args.ack();
    let message: Message;
    try {
      message = await work(args);
    } catch (error) {
      args.logger.error(`Could not ${what}`, error);
      message = somethingWentWrongMessage();
    }
    await replyTo(args.body, args.respond, args.client, args.logger)(message);
  };
}
