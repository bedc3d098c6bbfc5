import { missingScope } from './auth.js';
import type { SlackState } from './state.js';
import { type ApiResult, type Method, type MethodCall, missing, str } from './web-api.js';

/**
 * usergroups.users.list (all members at once, as Slack answers it) and usergroups.list, from the
 * groups given with `LocalSlack.setUserGroup`, each in the workspace the call is made in.
 */

const USER_GROUP_ID = /^S[A-Z0-9]+$/;

/** usergroups.users.list: every member of a user group of the workspace the call is made in. */
function userGroupMembers(state: SlackState, { args, actor }: MethodCall): ApiResult {
  const denied = missingScope(actor, ['usergroups:read']);
  if (denied !== undefined) return denied;
  const id = str(args.usergroup);
  if (id === undefined) return missing('usergroup');
  const group = state.userGroups.get(id);
  if (group === undefined || group.teamId !== state.workspaceOf(actor, args)) {
    return { ok: false, error: 'no_such_subteam' };
  }
  return { ok: true, users: [...group.users] };
}

/** usergroups.list: the user groups of the workspace the call is made in (with members if asked). */
function userGroupList(state: SlackState, { args, actor }: MethodCall): ApiResult {
  const denied = missingScope(actor, ['usergroups:read']);
  if (denied !== undefined) return denied;
  const workspace = state.workspaceOf(actor, args);
  const withUsers =
    args.include_users === true || args.include_users === 'true' || args.include_users === '1';
  const usergroups = [...state.userGroups.values()]
    .filter((group) => group.teamId === workspace)
    .map((group) => ({
      id: group.id,
      team_id: group.teamId,
      is_usergroup: true,
      name: group.name,
      description: '',
      handle: group.handle,
      is_external: false,
      date_delete: 0,
      user_count: group.users.length,
      ...(withUsers ? { users: [...group.users] } : {}),
    }));
  return { ok: true, usergroups };
}

/** A user group and its members from now on (see `LocalSlack.setUserGroup`). */
export function setUserGroup(
  state: SlackState,
  id: string,
  userIds: readonly string[],
  options: { handle?: string; name?: string; teamId?: string } = {},
): void {
  if (!USER_GROUP_ID.test(id))
    throw new Error(`local Slack: a user group id looks like S0123ABCD, not ${id}`);
  const handle = options.handle ?? id.toLowerCase();
  state.userGroups.set(id, {
    id,
    teamId: options.teamId ?? state.team.id,
    handle,
    name: options.name ?? handle,
    users: [...userIds],
  });
}

export const usergroupsMethods: Record<string, Method> = {
  'usergroups.users.list': (state, call) => ({ result: userGroupMembers(state, call) }),
  'usergroups.list': (state, call) => ({ result: userGroupList(state, call) }),
};
