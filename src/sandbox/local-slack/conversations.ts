import { createHash } from 'node:crypto';
import { missingScope } from './auth.js';
import type { SlackState } from './state.js';
import { type ApiResult, CONVERSATION_ID, type Method, type MethodCall, str, USER_ID } from './web-api.js';

/**
 * conversations.open (a DM or a group DM) and conversations.members (who is in a channel, page by
 * page, from `LocalSlack.setChannelMembers`).
 */

/** conversations.open takes at most 8 users besides the caller. */
const MAX_CONVERSATION_USERS = 8;
/** conversations.members: how many members a page has unless `limit` says, and the most it may say. */
const DEFAULT_MEMBERS_LIMIT = 100;
const MAX_MEMBERS_LIMIT = 1000;

/**
 * A DM with one user (`D` + the user id without its `U`, the id chat.postMessage to a user id
 * answers with) or a group DM with several (`G…`, the same for the same set of users).
 */
function conversationsOpen(state: SlackState, { args, actor }: MethodCall): ApiResult {
  const usersArg = str(args.users);
  if (usersArg === undefined) {
    // Resuming a DM by its id.
    const channel = str(args.channel);
    if (channel === undefined) return { ok: false, error: 'users_list_not_supplied' };
    if (!CONVERSATION_ID.test(channel)) return { ok: false, error: 'channel_not_found' };
    if (!/^[DG]/.test(channel)) return { ok: false, error: 'method_not_supported_for_channel_type' };
    return { ok: true, no_op: true, already_open: true, channel: { id: channel } };
  }
  const users = [...new Set(usersArg.split(',').map((user) => user.trim()))].filter((u) => u.length > 0);
  if (users.length === 0) return { ok: false, error: 'users_list_not_supplied' };
  if (users.length > MAX_CONVERSATION_USERS) return { ok: false, error: 'too_many_users' };
  if (users.some((user) => !USER_ID.test(user))) return { ok: false, error: 'user_not_found' };
  const [only] = users;
  if (users.length === 1 && only === actor.installation.botUserId) {
    return { ok: false, error: 'cannot_dm_bot' };
  }
  const id =
    users.length === 1 && only !== undefined
      ? `D${only.slice(1)}`
      : `G${createHash('sha256')
          .update([...users].sort().join(','))
          .digest('hex')
          .slice(0, 10)
          .toUpperCase()}`;
  const alreadyOpen = state.openConversations.has(id);
  state.openConversations.add(id);
  return alreadyOpen
    ? { ok: true, no_op: true, already_open: true, channel: { id } }
    : { ok: true, channel: { id } };
}

/** conversations.members: one page of a channel's members, and the cursor of the next page. */
function conversationsMembers(state: SlackState, { args, actor }: MethodCall): ApiResult {
  const denied = missingScope(actor, ['channels:read', 'groups:read']);
  if (denied !== undefined) return denied;
  const channel = str(args.channel);
  const members = channel === undefined ? undefined : state.channelMembers.get(channel);
  if (members === undefined) return { ok: false, error: 'channel_not_found' };
  const limitArg = args.limit === undefined || args.limit === '' ? undefined : Number(String(args.limit));
  const limit = limitArg ?? DEFAULT_MEMBERS_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MEMBERS_LIMIT)
    return { ok: false, error: 'invalid_limit' };
  let offset = 0;
  const cursor = str(args.cursor);
  if (cursor !== undefined) {
    const at = /^member:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1];
    offset = at === undefined ? Number.NaN : Number(at);
    if (!Number.isSafeInteger(offset) || offset <= 0 || offset >= members.length) {
      return { ok: false, error: 'invalid_cursor' };
    }
  }
  const end = offset + limit;
  const next = end < members.length ? Buffer.from(`member:${end}`).toString('base64') : '';
  return { ok: true, members: members.slice(offset, end), response_metadata: { next_cursor: next } };
}

/** Who is in a channel from now on (see `LocalSlack.setChannelMembers`). */
export function setChannelMembers(state: SlackState, channelId: string, userIds: readonly string[]): void {
  if (!CONVERSATION_ID.test(channelId)) {
    throw new Error(`local Slack: a channel id looks like C0123ABCD, not ${channelId}`);
  }
  state.channelMembers.set(channelId, [...userIds]);
}

export const conversationsMethods: Record<string, Method> = {
  'conversations.open': (state, call) => ({ result: conversationsOpen(state, call) }),
  'conversations.members': (state, call) => ({ result: conversationsMembers(state, call) }),
};
