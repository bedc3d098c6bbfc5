import type { Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import { publishHome } from '../answers/home.js';
import type { Deps } from '../deps.js';
import { personOf } from '../person.js';

/** Publishes the Home tab when someone opens it (not the Messages or About tab). */
export function appHomeOpened(deps: Deps): Middleware<SlackEventMiddlewareArgs<'app_home_opened'>> {
  return async function homeOpened({ event, context, client, logger }) {
    if (event.tab !== 'home') return;
    await publishHome(deps, client, logger, { userId: event.user, person: personOf(context) });
  };
}
