import type { Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import { type Deps, homeDataOf } from '../deps.js';
import { personOf } from '../person.js';
import { homeView } from '../views/home.js';

/** Publishes the Home tab when someone opens it (not the Messages or About tab). */
export function appHomeOpened(deps: Deps): Middleware<SlackEventMiddlewareArgs<'app_home_opened'>> {
  return async function publishHome({ event, context, client, logger }) {
    if (event.tab !== 'home') return;
    try {
      await client.views.publish({
        user_id: event.user,
        view: homeView(await homeDataOf(deps, personOf(context))),
      });
    } catch (error) {
      logger.error('Could not publish the Home tab', error);
    }
  };
}
