import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { appHomeOpened } from './app-home-opened.js';
import { fileShared } from './file-shared.js';
import { appUninstalled, tokensRevoked } from './uninstalled.js';

export type EventListener = (args: SlackEventMiddlewareArgs & AllMiddlewareArgs) => Promise<void>;

/** The events the app listens to; manifest.yml subscribes to the same (a test checks). */
export const EVENT_TYPES = ['app_home_opened', 'app_uninstalled', 'tokens_revoked', 'file_shared'] as const;

/** The handler of every event, by its exact type. */
export function eventListeners(deps: Deps): Record<(typeof EVENT_TYPES)[number], EventListener> {
  // Each listener is typed for its own event; it gets only that event (the key it is filed under).
  return {
    app_home_opened: appHomeOpened(deps),
    app_uninstalled: appUninstalled(deps),
    tokens_revoked: tokensRevoked(deps),
    file_shared: fileShared(deps),
  } satisfies Record<(typeof EVENT_TYPES)[number], unknown> as unknown as Record<
    (typeof EVENT_TYPES)[number],
    EventListener
  >;
}
