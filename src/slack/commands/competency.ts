import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Catalog } from '../../frameworks/catalog.js';
import { somethingWentWrongMessage } from '../views/error.js';
import { frameworkMessage } from '../views/framework.js';
import { helpMessage } from '../views/help.js';
import { listMessage } from '../views/list.js';
import { lookupProblemMessage } from '../views/lookup-problem.js';
import type { Message } from '../views/types.js';
import { parseCompetencyText } from './parse.js';

/** Turns the text typed after `/competency` into the message to show. Pure: no Slack calls. */
export function answerCompetency(text: string, catalog: Catalog): Message {
  const request = parseCompetencyText(text);
  switch (request.kind) {
    case 'help':
      return helpMessage(catalog.frameworks);
    case 'list':
      return listMessage(catalog.frameworks);
    case 'show':
      return answerLookup(request.query, catalog);
  }
}

/** The framework at a level, or a kind explanation of what did not match. */
export function answerLookup(query: string, catalog: Catalog): Message {
  const result = catalog.lookup(query);
  switch (result.kind) {
    case 'found':
      return frameworkMessage(result.framework, result.level);
    case 'empty':
      return helpMessage(catalog.frameworks);
    default:
      return lookupProblemMessage(result);
  }
}

/**
 * `/competency …`: everything it needs is in memory, so the answer goes back with the acknowledgement
 * itself — one round trip, well inside Slack's 3 seconds — and only the person who asked sees it.
 */
export function competencyCommand(catalog: Catalog): Middleware<SlackCommandMiddlewareArgs> {
  return async function competency({ command, ack, logger }) {
    let message: Message;
    try {
      message = answerCompetency(command.text, catalog);
    } catch (error) {
      logger.error('Could not answer /competency', error);
      message = somethingWentWrongMessage();
    }
    await ack({ response_type: 'ephemeral', ...message });
  };
}
