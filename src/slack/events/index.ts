import type { App } from '@slack/bolt';
import type { Catalog } from '../../frameworks/catalog.js';
import { appHomeOpened } from './app-home-opened.js';

export function registerEvents(app: Pick<App, 'event'>, deps: { catalog: Catalog }): void {
  app.event('app_home_opened', appHomeOpened(deps.catalog));
}
