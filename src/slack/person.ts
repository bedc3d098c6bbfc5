import type { Context } from '@slack/bolt';
import { personKey } from '../assessments/assessments.js';
import type { PersonKey } from '../store/store.js';

/**
 * Whose records a request concerns, on every surface (commands, clicks, forms, events), from what
 * Bolt resolved as the request's context rather than from each payload's own fields:
 * - the org: the Enterprise Grid org when the installation or the workspace belongs to one, else
 *   the workspace. Bolt reads it from `enterprise_id` on commands, `enterprise.id` or
 *   `team.enterprise_id` on clicks and forms, and `authorizations[0]` on events, so a person in a
 *   Grid org has one key whichever workspace of the org they use, and whichever surface they use;
 * - the user: who typed, clicked or opened the tab (`user_id`, `user.id`, `event.user`), never an
 *   id carried by a button.
 *
 * In a Slack Connect channel the workspace is the one the app is installed in (the command's
 * `team_id`, the click's `team.id`), not the person's own `user.team_id`: the command and the
 * clicks on its answer then agree.
 *
 * Slack always says who is acting; the app refuses requests that do not (see guard.ts) before any
 * listener runs, so this throws only on a request that slipped past that check.
 */
export function personOf(context: Pick<Context, 'userId' | 'teamId' | 'enterpriseId'>): PersonKey {
  if (!context.userId) throw new Error('The request does not say who is acting');
  return personKey({ userId: context.userId, teamId: context.teamId, enterpriseId: context.enterpriseId });
}
