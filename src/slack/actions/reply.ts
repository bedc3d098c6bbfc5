import type { BlockAction, RespondFn, webApi } from '@slack/bolt';
import { homeWith } from '../views/home.js';
import type { Message } from '../views/types.js';

/**
 * Where the answer to a click goes: a click on a private message replaces that message through
 * its response_url (ephemeral messages cannot be changed with chat.update); a click in the Home
 * tab republishes the Home tab.
 */
export function replyTo(
  body: BlockAction,
  respond: RespondFn,
  client: webApi.WebClient,
): (message: Message) => Promise<unknown> {
  if (body.view?.type === 'home') {
    return (message) => client.views.publish({ user_id: body.user.id, view: homeWith(message) });
  }
  return (message) => respond({ replace_original: true, response_type: 'ephemeral', ...message });
}
