import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { answerLookup } from '../commands/competency.js';
import { type Deps, personOfClick } from '../deps.js';
import { somethingWentWrongMessage } from '../views/error.js';
import type { Message } from '../views/types.js';
import { replyTo } from './reply.js';

/**
 * A level or suggestion button: the value is the text to look up (the same as typing it after
 * `/competency`), and the answer replaces the private message the button was on.
 */
export function showFrameworkAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return async function showFramework({ ack, action, body, respond, client, logger }) {
    await ack();
    let message: Message;
    try {
      const query = action.type === 'button' ? (action.value ?? '') : '';
      message = answerLookup(query.slice(0, 500), deps, personOfClick(body));
    } catch (error) {
      logger.error('Could not show a framework from a button', error);
      message = somethingWentWrongMessage();
    }
    await replyTo(body, respond, client, logger)(message);
  };
}
