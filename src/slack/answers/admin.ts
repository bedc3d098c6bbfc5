import type { webApi } from '@slack/bolt';
import { type AdminAct, userGroupsOf } from '../admins.js';
import type { Deps } from '../deps.js';
import { adminMessage } from '../views/admin.js';
import type { Message } from '../views/types.js';

/**
 * The admin panel of an org, as it is now (the caller checked the person is an admin or an editor);
 * admins also choose the editors, from the workspace's user groups.
 */
export async function answerAdminPanel(
  deps: Deps,
  admin: AdminAct,
  client: webApi.WebClient,
): Promise<Message> {
  const [{ data, bundled, catalog }, groups] = await Promise.all([
    deps.orgs.overview(admin.org),
    admin.role === 'admin' ? userGroupsOf(client) : Promise.resolve(undefined),
  ]);
  const adoption = await deps.orgs.adoption(admin.org, data);
  const ownIds = new Set(data.frameworks.map((f) => f.id));
  return adminMessage({
    data,
    bundled: bundled.frameworks,
    own: catalog.frameworks.filter((f) => ownIds.has(f.id)),
    seen: catalog.frameworks,
    userGroups: groups,
    adoption,
    serverTeamMinimum: deps.teams.minPeople,
  });
}
