import type { Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Catalog } from '../../frameworks/catalog.js';
import { homeView } from '../views/home.js';

/** Publishes the Home tab when someone opens it (not the Messages or About tab). */
export function appHomeOpened(catalog: Catalog): Middleware<SlackEventMiddlewareArgs<'app_home_opened'>> {
  return async function publishHome({ event, client, logger }) {
    if (event.tab !== 'home') return;
    try {
      await client.views.publish({ user_id: event.user, view: homeView(catalog.frameworks) });
    } catch (error) {
      logger.error('Could not publish the Home tab', error);
    }
  };
}
