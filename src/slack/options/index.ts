import type { Middleware, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { LookupId } from '../ids.js';
import { domainOptionsListener, roleOptionsListener } from './roles.js';

export type OptionsListener = Middleware<SlackOptionsMiddlewareArgs<'block_suggestion'>>;

/** The handler of every menu the app fills as people type (options requests), by its exact action_id. */
export function menuListeners(deps: Deps): Record<string, OptionsListener> {
  return {
    [LookupId.role]: roleOptionsListener(deps),
    [LookupId.domain]: domainOptionsListener(deps),
  };
}
