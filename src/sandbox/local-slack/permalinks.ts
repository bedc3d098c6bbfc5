import { newTs } from '../defaults.js';
import type { SlackState } from './state.js';
import type { AddMessageOptions } from './types.js';
import { CONVERSATION_ID, type Method, type MethodCall, missing, str, USER_ID } from './web-api.js';

/**
 * chat.getPermalink: a link to a message the local Slack knows (one the app posted, or one a person
 * wrote, `LocalSlack.addMessage`), `message_not_found` for any other. Like Slack's, it needs no
 * scope. The link points at this local Slack (`/archives/<channel>/p<ts without the dot>`, the shape
 * of Slack's own), which answers it with a short page naming the message.
 */

function getPermalink(state: SlackState, { args }: MethodCall) {
  const channel = str(args.channel);
  const ts = str(args.message_ts);
  if (channel === undefined) return { result: missing('channel') };
  if (ts === undefined) return { result: missing('message_ts') };
  if (!CONVERSATION_ID.test(channel)) return { result: { ok: false as const, error: 'channel_not_found' } };
  if (!state.messages.has(`${channel}/${ts}`))
    return { result: { ok: false as const, error: 'message_not_found' } };
  return { result: { ok: true as const, channel, permalink: permalinkOf(state, channel, ts) } };
}

/** `http://127.0.0.1:PORT/archives/C0123/p1700000000000100`. */
function permalinkOf(state: SlackState, channel: string, ts: string): string {
  return `${state.url}/archives/${channel}/p${ts.replace('.', '')}`;
}

/** Keeps a message a person wrote (see `LocalSlack.addMessage`); answers with its timestamp. */
export function addMessage(state: SlackState, options: AddMessageOptions): string {
  if (!CONVERSATION_ID.test(options.channel)) {
    throw new Error(`local Slack: a conversation id looks like C0123ABCD, not ${options.channel}`);
  }
  if (!USER_ID.test(options.userId)) {
    throw new Error(`local Slack: a user id looks like U0123ABCD, not ${options.userId}`);
  }
  const ts = options.ts ?? newTs();
  state.messages.set(`${options.channel}/${ts}`, {
    channel: options.channel,
    ts,
    message: {
      type: 'message',
      user: options.userId,
      text: options.text,
      ts,
      team: options.teamId ?? state.team.id,
    },
  });
  return ts;
}

export const permalinkMethods: Record<string, Method> = { 'chat.getPermalink': getPermalink };
