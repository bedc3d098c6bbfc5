import type { Middleware, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { roleOptionsOf } from '../../frameworks/role-options.js';
import type { Deps } from '../deps.js';
import { personOf } from '../person.js';
import {
  chooseRoleFirstResponse,
  domainOptionsResponse,
  isNote,
  lookupMetadataOf,
  MAX_OPTIONS,
  roleOptionsResponse,
} from '../views/lookup-modal.js';

type OptionsListener = Middleware<SlackOptionsMiddlewareArgs<'block_suggestion'>>;

/**
 * The role menu of the Look up a competency form: Slack asks as the person types, and the answer
 * goes back in the acknowledgement itself (the HTTP response, or the Socket Mode ack), at once —
 * the ranking is in memory, worked out once per catalog.
 */
export function roleOptionsListener(deps: Deps): OptionsListener {
  return async function roleOptions({ options, ack, context }) {
    const typed = typeof options.value === 'string' ? options.value.slice(0, 200) : '';
    const ranking = roleOptionsOf(await deps.catalogFor(personOf(context))).rank(typed, MAX_OPTIONS);
    await ack(roleOptionsResponse(ranking, typed));
  };
}

/**
 * The domain menu, for a role with more domains than a static menu holds: the role is the one the
 * form was updated for (its private_metadata).
 */
export function domainOptionsListener(deps: Deps): OptionsListener {
  return async function domainOptions({ options, ack, context }) {
    const typed = typeof options.value === 'string' ? options.value.slice(0, 200) : '';
    const roleId = lookupMetadataOf(options.view?.private_metadata).r;
    const role =
      roleId === undefined || isNote(roleId)
        ? undefined
        : roleOptionsOf(await deps.catalogFor(personOf(context))).get(roleId);
    if (!role) {
      await ack(chooseRoleFirstResponse());
      return;
    }
    await ack(domainOptionsResponse(role.frameworks, typed));
  };
}
