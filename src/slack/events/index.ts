import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import { own } from '../../util/own.js';
import type { Deps } from '../deps.js';
import { anyRoute } from '../ids.js';
import { appHomeOpened } from './app-home-opened.js';
import { appUninstalled, tokensRevoked } from './uninstalled.js';

type EventArgs = SlackEventMiddlewareArgs & AllMiddlewareArgs;

/** The events the app listens to; manifest.yml subscribes to the same (a test checks). */
export const EVENT_TYPES = ['app_home_opened', 'app_uninstalled', 'tokens_revoked'] as const;

/**
 * The events the app subscribes to (manifest.yml), by exact type, through one registration whose
 * pattern is exactly their union: Bolt runs the matching of every registered listener on every
 * request, commands included (see actions/index.ts).
 */
export function registerEvents(app: Pick<App, 'event'>, deps: Deps): void {
  // Each listener is typed for its own event; it gets only that event (the key it is filed under).
  const listeners = {
    app_home_opened: appHomeOpened(deps),
    app_uninstalled: appUninstalled(deps),
    tokens_revoked: tokensRevoked(deps),
  } satisfies Record<(typeof EVENT_TYPES)[number], unknown> as unknown as Record<
    string,
    (args: EventArgs) => Promise<void>
  >;
  app.event(anyRoute(EVENT_TYPES), async (args) => {
    await own(listeners, args.event.type)?.(args);
  });
}
