import type { AllMiddlewareArgs, BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { failureOf } from '../failures.js';
import { clickedWithNote, type ReplyHow, replyTo } from '../reply.js';
import { noteOf, withNote } from '../views/click-note.js';
import { failureMessage } from '../views/error.js';
import type { Message } from '../views/types.js';

export type ClickArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

export const buttonValue = (action: ClickArgs['action']): string | undefined =>
  action.type === 'button' ? action.value : undefined;

/**
 * What a click answers with: a message, or a message and a line saying what the click just did
 * (`note`), which goes right below the buttons that were clicked (views/click-note.ts).
 */
export type Answer = Message | { message: Message; note: string };

/** The message of an answer, with its note (if any) next to the buttons of this click. */
export function answerMessage(args: Pick<ClickArgs, 'action'>, answer: Answer): Message {
  return 'note' in answer ? withNote(answer.message, answer.note, args.action.block_id) : answer;
}

/** Where the answer to this click goes (see reply.ts). */
export const replyOf = (args: ClickArgs, how?: ReplyHow): ((message: Message) => Promise<void>) =>
  replyTo(
    args.body,
    {
      respond: args.respond as ClickArgs['respond'] | undefined,
      client: args.client,
      logger: args.logger,
    },
    how,
  );

/**
 * A button listener that acknowledges first, then does the work, and always answers the person
 * where they clicked: the outcome, or — when something failed — a plain account of what happened
 * (whether anything was saved; details go to the log, never to Slack). `how`: see ReplyHow.
 */
export function click(
  what: string,
  work: (args: ClickArgs) => Promise<Answer> | Answer,
  options: { change?: 'save' | 'delete'; how?: ReplyHow } = {},
): ClickListener {
  return async (args) => {
    await args.ack();
    let message: Message;
    try {
      message = answerMessage(args, await work(args));
    } catch (error) {
      args.logger.error(`Could not ${what}`, error);
      const failure = failureMessage(failureOf(error, options.change));
      // On a message of the person's direct messages, the message stays, with what went wrong under
      // the buttons pressed; elsewhere the account of it is the answer.
      const kept =
        options.how === 'privately'
          ? undefined
          : clickedWithNote(args.body, noteOf(failure), args.action.block_id);
      message = kept ?? failure;
    }
    await replyOf(args, options.how)(message);
  };
}
