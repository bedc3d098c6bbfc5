import type { Logger, RespondFn, webApi } from '@slack/bolt';
import { postToResponseUrl } from './response-url.js';
import { withNote } from './views/click-note.js';
import { homeWith } from './views/home.js';
import { modalWith } from './views/modal.js';
import type { KnownBlock, Message } from './views/types.js';

/**
 * Where the answer to a click goes, decided from where the button was:
 * - a private (ephemeral) message: replaced in place through the click's response_url (ephemeral
 *   messages cannot be changed with chat.update);
 * - a message the app posted in the person's direct messages with it (a reminder, a summary a
 *   check-in ended in, a review request): changed in place with chat.update, so the conversation
 *   keeps one copy of it rather than gaining a new one per click;
 * - a message everyone in the channel sees (a shared summary): left alone; the answer goes to the
 *   person who clicked, privately, as a new message;
 * - the Home tab: republished with the answer;
 * - a modal: updated with the answer (views.update), so modals can carry buttons too.
 *
 * When the response_url no longer works (it expires after 30 minutes), or there is none, or Slack
 * refuses the chat.update, the answer goes to the person privately instead (see `tellPrivately`):
 * never nowhere. Either way the click's work is done.
 */

/** What a click says about where its button was. Field names are Slack's. */
export type ClickPlace = {
  user: { id: string };
  response_url?: string;
  container?: { type?: string; channel_id?: string; is_ephemeral?: boolean; message_ts?: string };
  channel?: { id?: string } | null;
  message?: unknown;
  view?: { id?: string; type?: string; title?: { text?: string } } | null;
};

export type Destination =
  | { kind: 'home'; userId: string }
  | { kind: 'modal'; viewId: string; title: string }
  | { kind: 'private-message'; userId: string; channelId: string | undefined }
  | { kind: 'direct-message'; userId: string; channelId: string; ts: string }
  | { kind: 'channel-post'; userId: string; channelId: string | undefined };

/**
 * A one-to-one direct message conversation (Slack's ids for them begin with `D`). Where the app's
 * message is in one, the conversation is the clicker's with the app: in a DM between two people the
 * app is not a member, and Slack lets it change nothing there (such a click is answered privately).
 */
export const isDirectMessage = (channelId: string): boolean => channelId.startsWith('D');

function tsOf(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null || !('ts' in message)) return undefined;
  return typeof message.ts === 'string' ? message.ts : undefined;
}

/** Where the answer to a click goes: the surface its button was on. */
export function destinationOf(place: ClickPlace): Destination {
  const userId = place.user.id;
  if (place.view?.type === 'home') return { kind: 'home', userId };
  if (place.view?.type === 'modal' && place.view.id) {
    return { kind: 'modal', viewId: place.view.id, title: place.view.title?.text ?? 'Competency' };
  }
  const channelId = place.channel?.id ?? place.container?.channel_id;
  // Slack sends the message itself, and is_ephemeral false, only for a message everyone can see.
  const shared = place.container?.is_ephemeral === false || place.message !== undefined;
  if (!shared) return { kind: 'private-message', userId, channelId };
  const ts = place.container?.message_ts ?? tsOf(place.message);
  if (channelId !== undefined && isDirectMessage(channelId) && ts !== undefined) {
    return { kind: 'direct-message', userId, channelId, ts };
  }
  return { kind: 'channel-post', userId, channelId };
}

/**
 * The message clicked on, as Slack sent it with the click, with `note` right below the buttons
 * pressed (`blockId`): how a click that could not be done (a failure, an old button) is answered on
 * a message the app posted in the person's direct messages, without taking away what they were
 * reading. Undefined anywhere else (Slack does not send a private message back, and a post others
 * see is answered privately).
 */
export function clickedWithNote(
  place: ClickPlace,
  note: string,
  blockId: string | undefined,
): Message | undefined {
  if (destinationOf(place).kind !== 'direct-message') return undefined;
  const message = place.message;
  if (typeof message !== 'object' || message === null || !('blocks' in message)) return undefined;
  const { blocks } = message;
  if (!Array.isArray(blocks) || blocks.length === 0) return undefined;
  const text = 'text' in message && typeof message.text === 'string' ? message.text : '';
  return withNote({ text: text || note, blocks: blocks as KnownBlock[] }, note, blockId);
}

export type ReplyTools = {
  /** Bolt's respond for the click's response_url; absent when the click had none. */
  respond: RespondFn | undefined;
  client: webApi.WebClient;
  logger: Logger;
};

/**
 * How a click is answered, beyond where it was:
 * - `where-clicked` (the default): in place of the message clicked on, unless everyone in the
 *   channel sees it (then privately, as a new message);
 * - `in-place`: in place of the message clicked on, wherever it is — for buttons only ever on a
 *   message of the person's own (a reviewer's request, a check-in reminder);
 * - `privately`: as a new private message, leaving the message alone — for the buttons of a post
 *   made for others to see (View this framework, on a shared summary).
 */
export type ReplyHow = 'where-clicked' | 'in-place' | 'privately';

export function replyTo(
  place: ClickPlace,
  tools: ReplyTools,
  how: ReplyHow = 'where-clicked',
): (message: Message) => Promise<void> {
  const { respond, client, logger } = tools;
  const found = destinationOf(place);
  const surface: Destination =
    how === 'privately' && (found.kind === 'private-message' || found.kind === 'direct-message')
      ? { kind: 'channel-post', userId: found.userId, channelId: found.channelId }
      : found;
  switch (surface.kind) {
    case 'home':
      return async (message) => {
        try {
          await client.views.publish({ user_id: surface.userId, view: homeWith(message) });
        } catch (error) {
          logger.error('Could not publish the Home tab', error);
        }
      };
    case 'modal':
      return async (message) => {
        try {
          await client.views.update({ view_id: surface.viewId, view: modalWith(message, surface.title) });
        } catch (error) {
          logger.error('Could not update a modal with the answer to a click', error);
        }
      };
    case 'direct-message':
      return async (message) => {
        try {
          await client.chat.update({
            channel: surface.channelId,
            ts: surface.ts,
            text: message.text,
            blocks: message.blocks,
          });
          return;
        } catch (error) {
          logger.warn(
            'Could not update the message clicked on in the person’s direct messages; sending the answer as a new one',
            error,
          );
        }
        await tellPrivately(client, logger, { userId: surface.userId, channelId: undefined }, message);
      };
    case 'private-message':
    case 'channel-post': {
      const inPlace = surface.kind === 'private-message' || how === 'in-place';
      return async (message) => {
        if (respond) {
          try {
            await respond({ response_type: 'ephemeral', replace_original: inPlace, ...message });
            return;
          } catch (error) {
            logger.warn('Could not answer through the response_url; trying a private message instead', error);
          }
        }
        await tellPrivately(
          client,
          logger,
          { userId: surface.userId, channelId: surface.channelId },
          message,
        );
      };
    }
  }
}

/**
 * Where a form opened by a click shows its outcome (kept in the form's private_metadata, see
 * FormOrigin in values.ts): `t` and `c`, a message of the app's in the person's direct messages, to
 * change with chat.update; `u`, the response_url of a private message, to replace through it; `c`
 * alone, the channel to tell the person privately in. A post everyone in the channel sees is never
 * replaced by a form's outcome: it gets no `u`.
 */
export type FormOrigin = { u?: string | undefined; c?: string | undefined; t?: string | undefined };

export function formOriginOf(place: ClickPlace): FormOrigin {
  const surface = destinationOf(place);
  switch (surface.kind) {
    case 'direct-message':
      return { c: surface.channelId, t: surface.ts };
    case 'private-message':
      return {
        ...(place.response_url ? { u: place.response_url } : {}),
        ...(surface.channelId ? { c: surface.channelId } : {}),
      };
    case 'channel-post':
      return surface.channelId ? { c: surface.channelId } : {};
    default:
      return {};
  }
}

/** Puts a form's outcome in place of the message the form was opened from; throws when it cannot. */
export async function showAtFormOrigin(
  client: webApi.WebClient,
  origin: FormOrigin,
  message: Message,
): Promise<void> {
  if (origin.t && origin.c) {
    await client.chat.update({ channel: origin.c, ts: origin.t, text: message.text, blocks: message.blocks });
  } else if (origin.u) {
    await postToResponseUrl(origin.u, { replace_original: true, response_type: 'ephemeral', ...message });
  } else {
    throw new Error('the form was not opened from a message');
  }
}

/**
 * Where to tell the person privately when a form's outcome cannot go in place: the channel it was
 * opened in, with an ephemeral message; for a form opened in their direct messages, undefined (a new
 * message there, which stays, rather than an ephemeral one).
 */
export const privateChannelOf = (origin: FormOrigin): string | undefined => (origin.t ? undefined : origin.c);

/**
 * The outcome of background work, in place of the placeholder the person saw ("Working it out…",
 * "Preparing your export…") through `replace`; when that can no longer be done (an expired
 * response_url, say), privately by tellPrivately. `placeholder` names it for the log.
 */
export async function replaceOrTellPrivately(
  replace: (message: Message) => Promise<unknown>,
  message: Message,
  fallback: {
    client: webApi.WebClient;
    logger: Logger;
    to: { userId: string; channelId: string | undefined };
    placeholder: string;
    directMessage?: boolean;
  },
): Promise<void> {
  try {
    await replace(message);
  } catch (error) {
    fallback.logger.warn(
      `Could not replace "${fallback.placeholder}" with the outcome; telling the person privately`,
      error,
    );
    await tellPrivately(fallback.client, fallback.logger, fallback.to, message, {
      ...(fallback.directMessage === undefined ? {} : { directMessage: fallback.directMessage }),
    });
  }
}

/**
 * A message only this person sees, when there is no response_url to use: an ephemeral message in
 * the channel they were in (chat.postEphemeral, where the bot is a member), else — unless told not
 * to — a message in their direct messages with the app (chat.postMessage to their user id).
 * Resolves with where it went.
 */
export async function tellPrivately(
  client: webApi.WebClient,
  logger: Logger,
  to: { userId: string; channelId: string | undefined },
  message: Message,
  options: { directMessage?: boolean } = {},
): Promise<'channel' | 'direct-message' | 'nowhere'> {
  if (to.channelId) {
    try {
      await client.chat.postEphemeral({
        channel: to.channelId,
        user: to.userId,
        text: message.text,
        blocks: message.blocks,
      });
      return 'channel';
    } catch (error) {
      logger.warn('Could not answer with a private message in the channel', error);
    }
  }
  if (options.directMessage === false) return 'nowhere';
  try {
    await client.chat.postMessage({ channel: to.userId, text: message.text, blocks: message.blocks });
    return 'direct-message';
  } catch (error) {
    logger.error('Could not reach the person privately either', error);
    return 'nowhere';
  }
}
