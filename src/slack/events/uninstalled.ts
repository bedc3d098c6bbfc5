import type { Context, Logger, Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { uninstallTargetOf } from '../installations.js';

/**
 * The app was removed from a workspace or an org (`app_uninstalled`), or its bot token was revoked
 * (`tokens_revoked` naming a bot): the installation goes, and with it every record of the people it
 * covered. Slack sends both events, in either order, and may send one again: the second finds nothing
 * left to delete. Tokens of people (user tokens) are not something this app holds, so their
 * revocation changes nothing.
 *
 * Bolt does not look up an installation for these two events (it may be gone already), so they
 * arrive with the workspace and org of the request only.
 */
export function appUninstalled(deps: Deps): Middleware<SlackEventMiddlewareArgs<'app_uninstalled'>> {
  return async ({ context, logger }) => {
    await uninstall(deps, context, logger, 'the app was uninstalled');
  };
}

export function tokensRevoked(deps: Deps): Middleware<SlackEventMiddlewareArgs<'tokens_revoked'>> {
  return async ({ event, context, logger }) => {
    if ((event.tokens.bot ?? []).length === 0) return;
    await uninstall(deps, context, logger, "the app's bot token was revoked");
  };
}

async function uninstall(deps: Deps, context: Context, logger: Logger, why: string): Promise<void> {
  const target = uninstallTargetOf(context);
  if (!target) {
    logger.warn(
      `Could not tell which workspace or org to delete the data of (${why}): the event names neither`,
    );
    return;
  }
  // A failure is thrown on: Bolt answers 500, and Slack sends the event again later.
  const result = await deps.uninstall(target);
  const where = context.isEnterpriseInstall
    ? `the org ${target.installation} (org-wide install)`
    : `the workspace ${target.installation}${target.people !== target.installation ? ` of the org ${target.people}` : ''}`;
  logger.info(
    `Removed from ${where} (${why}): ${result.installation ? 'deleted its installation' : 'no installation was kept'}, ` +
      `and the data of ${result.people} ${result.people === 1 ? 'person' : 'people'} (${result.records} records)`,
  );
}
