import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { PersonKey } from '../../store/store.js';
import { type Deps, personOfCommand } from '../deps.js';
import { somethingWentWrongMessage } from '../views/error.js';
import { frameworkMessage } from '../views/framework.js';
import { helpMessage } from '../views/help.js';
import { historyMessage } from '../views/history.js';
import { listMessage } from '../views/list.js';
import { lookupProblemMessage } from '../views/lookup-problem.js';
import type { Message } from '../views/types.js';
import { parseCompetencyText } from './parse.js';

/** Turns the text typed after `/competency` into the message to show. No Slack calls, no writes. */
export function answerCompetency(text: string, deps: Deps, person: PersonKey): Message {
  const request = parseCompetencyText(text);
  switch (request.kind) {
    case 'help':
      return helpMessage(deps.catalog.frameworks);
    case 'list':
      return listMessage(deps.catalog.frameworks);
    case 'history':
      return historyMessage(deps.assessments.history(person));
    case 'show':
      return answerLookup(request.query, deps, person);
  }
}

/** The framework at a level (with a Rate yourself button), or a kind explanation of what did not match. */
export function answerLookup(query: string, deps: Deps, person: PersonKey): Message {
  const result = deps.catalog.lookup(query);
  switch (result.kind) {
    case 'found':
      return frameworkMessage(result.framework, result.level, {
        rate: { progress: deps.assessments.progress(person, result.framework.id) },
      });
    case 'empty':
      return helpMessage(deps.catalog.frameworks);
    default:
      return lookupProblemMessage(result);
  }
}

/**
 * `/competency …`: everything it needs is in memory, so the answer goes back with the acknowledgement
 * itself — one round trip, well inside Slack's 3 seconds — and only the person who asked sees it.
 */
export function competencyCommand(deps: Deps): Middleware<SlackCommandMiddlewareArgs> {
  return async function competency({ command, ack, logger }) {
    let message: Message;
    try {
      message = answerCompetency(command.text, deps, personOfCommand(command));
    } catch (error) {
      logger.error('Could not answer /competency', error);
      message = somethingWentWrongMessage();
    }
    await ack({ response_type: 'ephemeral', ...message });
  };
}
