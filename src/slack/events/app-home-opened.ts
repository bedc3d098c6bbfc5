import type { Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import { personKey } from '../../assessments/assessments.js';
import { type Deps, homeDataOf } from '../deps.js';
import { homeView } from '../views/home.js';

/** Publishes the Home tab when someone opens it (not the Messages or About tab). */
export function appHomeOpened(deps: Deps): Middleware<SlackEventMiddlewareArgs<'app_home_opened'>> {
  return async function publishHome({ event, body, client, logger }) {
    if (event.tab !== 'home') return;
    try {
      const person = personKey({
        userId: event.user,
        teamId: body.team_id,
        enterpriseId: body.enterprise_id,
      });
      await client.views.publish({ user_id: event.user, view: homeView(homeDataOf(deps, person)) });
    } catch (error) {
      logger.error('Could not publish the Home tab', error);
    }
  };
}
