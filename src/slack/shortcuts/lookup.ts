import type { Middleware, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import { roleOptionsOf } from '../../frameworks/role-options.js';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { personOf } from '../person.js';
import { tellPrivately } from '../reply.js';
import { failureMessage } from '../views/error.js';
import { lookupFormView } from '../views/lookup-modal.js';

/**
 * "Look up a competency", the app's global shortcut: a form with a role menu that fills itself as
 * the person types (options/roles.ts), then the role's domains (when it has several) and levels
 * (actions/lookup.ts); Show puts the framework at that level, with its usual buttons, in place of
 * the form (view-submissions/lookup.ts).
 *
 * The shortcut opens the form. A global shortcut has no channel, so a failure is told in a direct
 * message.
 */
export function lookupShortcut(deps: Deps): Middleware<SlackShortcutMiddlewareArgs> {
  return async function lookUpACompetency({ shortcut, ack, client, logger, context }) {
    await ack();
    // Built before the form opens, so the first options request finds the ranking ready.
    roleOptionsOf(await deps.catalogFor(personOf(context)));
    try {
      await client.views.open({ trigger_id: shortcut.trigger_id, view: lookupFormView() });
    } catch (error) {
      logger.error('Could not open the Look up a competency form', error);
      await tellPrivately(
        client,
        logger,
        { userId: shortcut.user.id, channelId: undefined },
        failureMessage(failureOf(error, 'read')),
      );
    }
  };
}
