import { missingScope } from './auth.js';
import type { InstallPlace, SlackState } from './state.js';
import type { AdminRole, LocalOrg } from './types.js';
import { type ApiResult, type Method, type MethodCall, missing, str, USER_ID } from './web-api.js';

/**
 * users.info: a person of the workspace the call is made in, with their time zone (from
 * `LocalSlack.setUserTimeZone`, UTC unless set) and their role (from `LocalSlack.setAdmin`: an
 * ordinary member unless set; in a workspace of an Enterprise Grid org, `enterprise_user` too). Any
 * well-formed user id is someone: a member of the calling workspace, unless `LocalSlack.setUserAccount`
 * made them another workspace's, or a bot.
 */

const ROLES: ReadonlySet<string> = new Set<AdminRole>([
  'admin',
  'owner',
  'primary-owner',
  'org-admin',
  'org-owner',
]);

/** users.info: the person, with `tz`, its label, `tz_offset` (seconds east of UTC now) and their role. */
function usersInfo(state: SlackState, { args, actor }: MethodCall): ApiResult {
  const denied = missingScope(actor, ['users:read']);
  if (denied !== undefined) return denied;
  const userId = str(args.user);
  if (userId === undefined) return missing('user');
  if (!USER_ID.test(userId)) return { ok: false, error: 'user_not_found' };
  const tz = state.timeZones.get(userId) ?? 'UTC';
  const account = state.accounts.get(userId);
  const teamId = account?.teamId ?? state.workspaceOf(actor, args);
  const role = state.adminRoles.get(userId);
  // Owners are admins too, in Slack; the org's roles are only in enterprise_user.
  const owner = role === 'owner' || role === 'primary-owner';
  const org = orgOf(state, actor.installation.place, teamId);
  return {
    ok: true,
    user: {
      id: userId,
      team_id: teamId,
      name: userId.toLowerCase(),
      deleted: false,
      is_bot: userId === actor.installation.botUserId || account?.bot === true,
      is_app_user: false,
      is_admin: role === 'admin' || owner,
      is_owner: owner,
      is_primary_owner: role === 'primary-owner',
      is_restricted: false,
      is_ultra_restricted: false,
      tz,
      tz_label: tz,
      tz_offset: offsetSeconds(tz, state.now()),
      ...(org !== undefined
        ? {
            enterprise_user: {
              id: userId,
              enterprise_id: org.id,
              enterprise_name: org.name,
              is_admin: role === 'org-admin' || role === 'org-owner',
              is_owner: role === 'org-owner',
              is_primary_owner: false,
              teams: [teamId],
            },
          }
        : {}),
    },
  };
}

/** The Grid org a call's workspace belongs to (an org-wide install's org), if any. */
function orgOf(state: SlackState, place: InstallPlace, teamId: string): LocalOrg | undefined {
  if (place.kind === 'org') return place.org;
  const here = state.placeOf(teamId);
  return here?.kind === 'workspace' ? here.org : undefined;
}

/** A person's role from now on (see `LocalSlack.setAdmin`). */
export function setAdmin(state: SlackState, userId: string, role: AdminRole | undefined): void {
  if (!USER_ID.test(userId)) throw new Error(`local Slack: a user id looks like U0123ABCD, not ${userId}`);
  if (role === undefined) {
    state.adminRoles.delete(userId);
    return;
  }
  if (!ROLES.has(role)) {
    throw new Error(`local Slack: a role is one of ${[...ROLES].join(', ')}, not ${String(role)}`);
  }
  state.adminRoles.set(userId, role);
}

/** Someone's account from now on (see `LocalSlack.setUserAccount`). */
export function setUserAccount(
  state: SlackState,
  userId: string,
  account: { teamId?: string; bot?: boolean },
): void {
  if (!USER_ID.test(userId)) throw new Error(`local Slack: a user id looks like U0123ABCD, not ${userId}`);
  state.accounts.set(userId, { ...account });
}

/** A person's time zone from now on (see `LocalSlack.setUserTimeZone`). */
export function setUserTimeZone(state: SlackState, userId: string, timeZone: string): void {
  if (!USER_ID.test(userId)) throw new Error(`local Slack: a user id looks like U0123ABCD, not ${userId}`);
  state.timeZones.set(userId, timeZone);
}

/** Seconds east of UTC of an IANA zone at a moment, as Slack's `tz_offset` (0 for a zone it does not know). */
function offsetSeconds(timeZone: string, at: number): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(at));
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    const local = Date.UTC(
      part('year'),
      part('month') - 1,
      part('day'),
      part('hour'),
      part('minute'),
      part('second'),
    );
    return Math.round((local - Math.floor(at / 1000) * 1000) / 1000);
  } catch {
    return 0;
  }
}

export const usersMethods: Record<string, Method> = {
  'users.info': (state, call) => ({ result: usersInfo(state, call) }),
};
