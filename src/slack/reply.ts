import type { Logger, RespondFn, webApi } from '@slack/bolt';
import type { PersonKey } from '../store/store.js';
import { type Deps, homeDataOf } from './deps.js';
import { homeView, homeWith } from './views/home.js';
import { modalWith } from './views/modal.js';
import type { Message } from './views/types.js';

/**
 * Where the answer to a click goes, decided from where the button was:
 * - a private (ephemeral) message: replaced in place through the click's response_url (ephemeral
 *   messages cannot be changed with chat.update);
 * - a message everyone in the channel sees (a shared summary): left alone; the answer goes to the
 *   person who clicked, privately, as a new message;
 * - the Home tab: republished with the answer;
 * - a modal: updated with the answer (views.update), so modals can carry buttons too.
 *
 * When the response_url no longer works (it expires after 30 minutes) or there is none, the answer
 * goes to the person privately instead (see `tellPrivately`). Either way the click's work is done.
 */

/** What a click says about where its button was. Field names are Slack's. */
export type ClickPlace = {
  user: { id: string };
  response_url?: string;
  container?: { type?: string; channel_id?: string; is_ephemeral?: boolean };
  channel?: { id?: string } | null;
  message?: unknown;
  view?: { id?: string; type?: string; title?: { text?: string } } | null;
};

export type Destination =
  | { kind: 'home'; userId: string }
  | { kind: 'modal'; viewId: string; title: string }
  | { kind: 'private-message'; userId: string; channelId: string | undefined }
  | { kind: 'channel-post'; userId: string; channelId: string | undefined };

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
  return shared
    ? { kind: 'channel-post', userId, channelId }
    : { kind: 'private-message', userId, channelId };
}

export type ReplyTools = {
  /** Bolt's respond for the click's response_url; absent when the click had none. */
  respond: RespondFn | undefined;
  client: webApi.WebClient;
  logger: Logger;
};

export function replyTo(place: ClickPlace, tools: ReplyTools): (message: Message) => Promise<void> {
  const { respond, client, logger } = tools;
  const surface = destinationOf(place);
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
    case 'private-message':
    case 'channel-post': {
      const inPlace = surface.kind === 'private-message';
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

/**
 * Publishes a person's Home tab front page (their unfinished runs, history, reminders, the
 * frameworks). A failure is logged: the tab keeps showing what it showed.
 */
export async function publishHome(
  deps: Deps,
  client: webApi.WebClient,
  logger: Logger,
  to: { userId: string; person: PersonKey },
): Promise<void> {
  try {
    await client.views.publish({ user_id: to.userId, view: homeView(await homeDataOf(deps, to.person)) });
  } catch (error) {
    logger.error('Could not publish the Home tab', error);
  }
}
