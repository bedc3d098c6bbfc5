import type { BlockAction, Logger, RespondFn, webApi } from '@slack/bolt';
import { homeWith } from '../views/home.js';
import type { Message } from '../views/types.js';

/**
 * Where the answer to a click goes: a click on a private message replaces that message through
 * its response_url (ephemeral messages cannot be changed with chat.update); a click in the Home
 * tab republishes the Home tab.
 *
 * When the response_url no longer works (it expires after 30 minutes), the answer goes to the
 * person as a new private message from the bot instead (chat:write; only where the bot is a
 * member). When that fails too, the log says so. Either way the click's work is already done.
 */
export function replyTo(
  body: BlockAction,
  respond: RespondFn,
  client: webApi.WebClient,
  logger: Logger,
): (message: Message) => Promise<void> {
  if (body.view?.type === 'home') {
    return async (message) => {
      try {
        await client.views.publish({ user_id: body.user.id, view: homeWith(message) });
      } catch (error) {
        logger.error('Could not publish the Home tab', error);
      }
    };
  }
  return async (message) => {
    try {
      await respond({ replace_original: true, response_type: 'ephemeral', ...message });
      return;
    } catch (error) {
      logger.warn('Could not answer through the response_url; trying a private message instead', error);
    }
    const channel = body.channel?.id ?? body.container?.channel_id;
    if (!channel) {
      logger.error('Could not answer a click: no response_url and no channel');
      return;
    }
    try {
      await client.chat.postEphemeral({
        channel,
        user: body.user.id,
        text: message.text,
        blocks: message.blocks,
      });
    } catch (error) {
      logger.error('Could not answer a click with a private message either', error);
    }
  };
}
