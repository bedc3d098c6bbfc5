import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { personOf } from '../person.js';
import { listMessage, listPageOf } from '../views/list.js';
import { badClickMessage } from '../views/refusal.js';
import { buttonValue, click } from './click.js';

/**
 * Previous / Next on `/competency list` (and "See every framework"): the page the button names, in
 * place of the message it was on. A value that is not a page number gets the usual kind refusal.
 */
export function listPageAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('show a page of the framework list', async ({ action, context }) => {
    const page = listPageOf(buttonValue(action));
    if (page === undefined) return badClickMessage();
    return listMessage((await deps.catalogFor(personOf(context))).frameworks, page);
  });
}
