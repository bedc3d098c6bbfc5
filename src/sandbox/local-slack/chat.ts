import { validateMessage } from '../block-kit.js';
import { LOCAL_APP_ID, newTs } from '../defaults.js';
import type { SlackState } from './state.js';
import { invalidBlocks, type Method, type MethodAnswer, type MethodCall, missing, str } from './web-api.js';

/**
 * chat.postMessage, chat.postEphemeral and chat.update: every message is checked against Slack's
 * Block Kit limits; posted messages are kept (ephemeral ones are not: Slack keeps none) so that
 * chat.update and a response_url's replace_original / delete_original can change them.
 */

function chat(state: SlackState, { method, args, actor }: MethodCall): MethodAnswer {
  const channelArg = str(args.channel);
  if (channelArg === undefined) return { result: { ok: false, error: 'channel_not_found' } };
  if (method === 'chat.postEphemeral' && str(args.user) === undefined) return { result: missing('user') };
  if (method === 'chat.update' && str(args.ts) === undefined) return { result: missing('ts') };
  if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) {
    return { result: { ok: false, error: 'no_text' } };
  }
  const problems = validateMessage(args);
  if (problems.length > 0) return { result: invalidBlocks(problems), problems };

  // Posting to a user id opens a DM with them; Slack answers with the DM's channel id.
  const channel = /^[UW]/.test(channelArg) ? `D${channelArg.slice(1)}` : channelArg;
  const { botUserId, botId } = actor.installation;
  const content: Record<string, unknown> = {
    user: botUserId,
    type: 'message',
    bot_id: botId,
    app_id: LOCAL_APP_ID,
    text: args.text ?? '',
    team: state.workspaceOf(actor, args),
    ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
    ...(args.attachments !== undefined ? { attachments: args.attachments } : {}),
  };

  if (method === 'chat.postEphemeral') return { result: { ok: true, message_ts: newTs() } };
  if (method === 'chat.postMessage') {
    const ts = newTs();
    const message = { ...content, ts };
    state.messages.set(`${channel}/${ts}`, { channel, ts, message });
    return { result: { ok: true, channel, ts, message } };
  }
  // chat.update: only messages posted with chat.postMessage can be changed (never ephemeral ones),
  // named by their conversation's id: a DM's `D…`, not the user id chat.postMessage takes.
  if (channel !== channelArg) return { result: { ok: false, error: 'channel_not_found' } };
  const ts = str(args.ts) ?? '';
  const stored = state.messages.get(`${channel}/${ts}`);
  if (stored === undefined) return { result: { ok: false, error: 'message_not_found' } };
  // A bot can change its own messages only: not another app's, nor another installation's bot's.
  if (stored.message.bot_id !== botId) return { result: { ok: false, error: 'cant_update_message' } };
  const message = { ...content, ts, edited: { user: botUserId, ts: newTs() } };
  stored.message = message;
  return { result: { ok: true, channel, ts, text: content.text, message } };
}

/** The messages posted in a conversation, oldest first, as they are now (see `LocalSlack.messagesIn`). */
export function messagesIn(
  state: SlackState,
  channel: string,
): { ts: string; text: string; blocks: unknown[]; edited: boolean }[] {
  return [...state.messages.values()]
    .filter((stored) => stored.channel === channel)
    .map(({ ts, message }) => ({
      ts,
      text: typeof message.text === 'string' ? message.text : '',
      blocks: Array.isArray(message.blocks) ? message.blocks : [],
      edited: message.edited !== undefined,
    }))
    .sort((a, b) => Number(a.ts) - Number(b.ts));
}

export const chatMethods: Record<string, Method> = {
  'chat.postMessage': chat,
  'chat.postEphemeral': chat,
  'chat.update': chat,
};
