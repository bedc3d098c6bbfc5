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

/**
 * When a deletion fails (the store is unreachable, say), it is tried again after these waits, in the
 * background. Slack does not send the event again: Bolt acknowledged it before the listener ran.
 * About 45 minutes in all; a process that stops meanwhile gives up (the log says what was not done).
 */
const UNINSTALL_RETRY_MS = [5_000, 30_000, 120_000, 600_000, 1_800_000] as const;

async function uninstall(deps: Deps, context: Context, logger: Logger, why: string): Promise<void> {
  const target = uninstallTargetOf(context);
  if (!target) {
    logger.warn(
      `Could not tell which workspace or org to delete the data of (${why}): the event names neither`,
    );
    return;
  }
  const where = context.isEnterpriseInstall
    ? `the org ${target.installation} (org-wide install)`
    : `the workspace ${target.installation}${target.people !== target.installation ? ` of the org ${target.people}` : ''}`;
  const once = async () => {
    const result = await deps.uninstall(target);
    logger.info(
      `Removed from ${where} (${why}): ${result.installation ? 'deleted its installation' : 'no installation was kept'}, ` +
        `and the data of ${result.people} ${result.people === 1 ? 'person' : 'people'} (${result.records} records)` +
        `${result.orgData ? ", and the org's own frameworks and settings" : ''}`,
    );
  };
  await withRetries(once, UNINSTALL_RETRY_MS, (error, next) =>
    next === undefined
      ? logger.error(`Could not delete the data of ${where} (${why}), and gave up: delete it by hand`, error)
      : logger.error(
          `Could not delete the data of ${where} (${why}); trying again in ${next / 1000} s`,
          error,
        ),
  );
}

/**
 * Runs `work`; when it fails, again after each wait of `delays` in turn (timers that do not keep the
 * process alive), until it succeeds or the waits run out. `failed` hears of each failure, with the
 * wait before the next try (undefined: that was the last). Resolves after the first try.
 */
export async function withRetries(
  work: () => Promise<void>,
  delays: readonly number[],
  failed: (error: unknown, next: number | undefined) => void,
): Promise<void> {
  const attempt = async (index: number): Promise<void> => {
    try {
      await work();
    } catch (error) {
      const next = delays[index];
      failed(error, next);
      if (next !== undefined) setTimeout(() => void attempt(index + 1), next).unref();
    }
  };
  await attempt(0);
}
