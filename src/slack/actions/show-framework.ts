import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Catalog } from '../../frameworks/catalog.js';
import { answerLookup } from '../commands/competency.js';
import { somethingWentWrongMessage } from '../views/error.js';
import type { Message } from '../views/types.js';

/**
 * A level or suggestion button: the value is the text to look up (the same as typing it after
 * `/competency`), and the answer replaces the private message the button was on.
 */
export function showFrameworkAction(catalog: Catalog): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return async function showFramework({ ack, action, respond, logger }) {
    await ack();
    let message: Message;
    try {
      const query = action.type === 'button' ? (action.value ?? '') : '';
      message = answerLookup(query.slice(0, 500), catalog);
    } catch (error) {
      logger.error('Could not show a framework from a button', error);
      message = somethingWentWrongMessage();
    }
    await respond({ replace_original: true, response_type: 'ephemeral', ...message });
  };
}
