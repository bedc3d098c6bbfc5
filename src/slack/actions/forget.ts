import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { personOf } from '../person.js';
import { forgetCancelledMessage, forgottenMessage } from '../views/forget.js';
import { click } from './click.js';

/** Delete my data, after the confirmation: everything about the person who clicked, durably. */
export function forgetConfirmAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click(
    'delete a person’s data',
    async ({ context, logger }) => {
      const deleted = await deps.assessments.forget(personOf(context));
      logger.info(`Deleted ${deleted} record(s) at a person's request`);
      return forgottenMessage(deleted);
    },
    { change: 'delete' },
  );
}

export function forgetCancelAction(): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('cancel deleting data', () => forgetCancelledMessage());
}
