import type { Middleware, SlackEventMiddlewareArgs } from '@slack/bolt';
import { adminOf, type SlackFile } from '../admins.js';
import type { Deps } from '../deps.js';
import { isDirectMessage } from '../reply.js';
import { useFileMessage } from '../views/admin.js';

/**
 * A file someone shared in their direct messages with the app (`file_shared`, scope `files:read`):
 * for an admin or framework editor, a message offering to use it as a framework; for anyone else,
 * nothing (they see nothing of the admin flow). Files shared in channels are not the app's business.
 */
export function fileShared(deps: Deps): Middleware<SlackEventMiddlewareArgs<'file_shared'>> {
  return async function offerAsFramework({ event, context, client, logger }) {
    if (!event.channel_id || !isDirectMessage(event.channel_id)) return;
    const admin = await adminOf(client, { ...context, userId: event.user_id }, deps.orgs);
    if (!admin) return;
    const info = await client.files.info({ file: event.file_id });
    const file = info.file as SlackFile | undefined;
    if (!file?.id || !file.name) return;
    try {
      await client.chat.postMessage({
        channel: event.channel_id,
        ...useFileMessage({ id: file.id, name: file.name }),
      });
    } catch (error) {
      logger.warn('Could not offer a shared file as a framework', error);
    }
  };
}
