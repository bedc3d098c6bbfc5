import { missingScope } from './auth.js';
import type { SlackState } from './state.js';
import { type ApiResult, type Method, type MethodCall, missing, str, USER_ID } from './web-api.js';

/**
 * users.info: a person of the workspace the call is made in, with their time zone (from
 * `LocalSlack.setUserTimeZone`, UTC unless set). Any well-formed user id is someone.
 */

/** users.info: the person, with `tz`, its label, and `tz_offset`: seconds east of UTC now. */
function usersInfo(state: SlackState, { args, actor }: MethodCall): ApiResult {
  const denied = missingScope(actor, ['users:read']);
  if (denied !== undefined) return denied;
  const userId = str(args.user);
  if (userId === undefined) return missing('user');
  if (!USER_ID.test(userId)) return { ok: false, error: 'user_not_found' };
  const tz = state.timeZones.get(userId) ?? 'UTC';
  return {
    ok: true,
    user: {
      id: userId,
      team_id: state.workspaceOf(actor, args),
      name: userId.toLowerCase(),
      deleted: false,
      is_bot: userId === actor.installation.botUserId,
      tz,
      tz_label: tz,
      tz_offset: offsetSeconds(tz, state.now()),
    },
  };
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
