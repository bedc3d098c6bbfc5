import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { appHomeOpened } from './app-home-opened.js';
import { appUninstalled, tokensRevoked } from './uninstalled.js';

export function registerEvents(app: Pick<App, 'event'>, deps: Deps): void {
  app.event('app_home_opened', appHomeOpened(deps));
  app.event('app_uninstalled', appUninstalled(deps));
  app.event('tokens_revoked', tokensRevoked(deps));
}
