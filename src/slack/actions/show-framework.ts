import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { answerLookup } from '../answers/lookup.js';
import type { Deps } from '../deps.js';
import { personOf } from '../person.js';
import { buttonValue, click } from './click.js';

/**
 * A level or suggestion button: the value is the text to look up (the same as typing it after
 * `/competency`), and the answer replaces the private message the button was on.
 */
export function showFrameworkAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('show a framework from a button', async ({ action, context }) =>
    answerLookup((buttonValue(action) ?? '').slice(0, 500), deps, personOf(context)),
  );
}
