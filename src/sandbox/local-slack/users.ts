import { missingScope } from './auth.js';
import type { InstallPlace, SlackState } from './state.js';
import type { AdminRole, LocalOrg } from './types.js';
import { type ApiResult, type Method, type MethodCall, missing, str, USER_ID } from './web-api.js';

/**
 * users.list: the people of the workspace the call is made in, page by page (from
 * `LocalSlack.addMembers` and `setUserTimeZone`), with their time zones.
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

/** A person's time zone from now on (see `LocalSlack.setUserTimeZone`); a member of their workspace. */
export function setUserTimeZone(state: SlackState, userId: string, timeZone: string): void {
  if (!USER_ID.test(userId)) throw new Error(`local Slack: a user id looks like U0123ABCD, not ${userId}`);
  state.timeZones.set(userId, timeZone);
  addMember(state, state.accounts.get(userId)?.teamId ?? state.team.id, userId);
}

/** People of a workspace, for users.list (see `LocalSlack.addMembers`). */
export function addMembers(
  state: SlackState,
  teamId: string,
  people: readonly { id: string; timeZone?: string }[],
): void {
  if (state.placeOf(teamId)?.kind !== 'workspace') throw new Error(`local Slack: no workspace ${teamId}`);
  for (const person of people) {
    if (!USER_ID.test(person.id))
      throw new Error(`local Slack: a user id looks like U0123ABCD, not ${person.id}`);
    if (person.timeZone !== undefined) state.timeZones.set(person.id, person.timeZone);
    addMember(state, teamId, person.id);
  }
}

function addMember(state: SlackState, teamId: string, userId: string): void {
  const members = state.members.get(teamId) ?? new Set<string>();
  members.add(userId);
  state.members.set(teamId, members);
}

/** users.list: the most people a page may hold, and Slack's cursor (the position, encoded). */
const MAX_LIST_LIMIT = 1000;

/**
 * users.list: one page of the workspace's people (`limit`, 1–1000; all of them, up to 1000,
 * without one), each as users.info describes them (time zone and its offset, no roles), and the
 * cursor of the next page (`response_metadata.next_cursor`, empty on the last).
 */
function usersList(state: SlackState, { args, actor }: MethodCall): ApiResult {
  const denied = missingScope(actor, ['users:read']);
  if (denied !== undefined) return denied;
  const limitArg = args.limit === undefined || args.limit === '' ? 0 : Number(String(args.limit));
  if (!Number.isInteger(limitArg) || limitArg < 0) return { ok: false, error: 'invalid_limit' };
  const limit = limitArg === 0 ? MAX_LIST_LIMIT : Math.min(limitArg, MAX_LIST_LIMIT);
  const teamId = state.workspaceOf(actor, args);
  const members = [...(state.members.get(teamId) ?? [])];
  let offset = 0;
  const cursor = str(args.cursor);
  if (cursor !== undefined && cursor !== '') {
    const at = /^user:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1];
    offset = at === undefined ? Number.NaN : Number(at);
    if (!Number.isSafeInteger(offset) || offset <= 0 || offset >= members.length)
      return { ok: false, error: 'invalid_cursor' };
  }
  const end = offset + limit;
  const now = state.now();
  const offsets = new Map<string, number>();
  const page = members.slice(offset, end).map((id) => {
    const tz = state.timeZones.get(id) ?? 'UTC';
    let tzOffset = offsets.get(tz);
    if (tzOffset === undefined) {
      tzOffset = offsetSeconds(tz, now);
      offsets.set(tz, tzOffset);
    }
    return {
      id,
      team_id: teamId,
      name: id.toLowerCase(),
      deleted: false,
      is_bot: id === actor.installation.botUserId || state.accounts.get(id)?.bot === true,
      is_app_user: false,
      tz,
      tz_label: tz,
      tz_offset: tzOffset,
    };
  });
  const next = end < members.length ? Buffer.from(`user:${end}`).toString('base64') : '';
  return {
    ok: true,
    members: page,
    cache_ts: Math.floor(now / 1000),
    response_metadata: { next_cursor: next },
  };
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
  'users.list': (state, call) => ({ result: usersList(state, call) }),
};
