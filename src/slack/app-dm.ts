import type { Logger, webApi } from '@slack/bolt';
import { type ClickPlace, destinationOf, isDirectMessage } from './reply.js';

/**
 * Whether the person is in their direct messages with the app, where a post "in the channel" would
 * reach nobody but them (Share to channel, `/competency share`).
 *
 * A message the app posted in a direct message conversation is in that one (reply.ts). Anything else
 * in a conversation whose id begins with `D` (a command typed there, the private answer to it) may be
 * the app's DM or one between two people, where sharing does reach the other person: Slack names
 * both `directmessage`. So the app asks Slack which conversation is its own with the person
 * (`conversations.open`, scope `im:write`, as the export does; Slack answers the same id every time)
 * and compares. When Slack cannot say, the answer is no: sharing works as it always did.
 */
export async function inDmWithApp(
  client: webApi.WebClient,
  logger: Logger,
  where: { userId: string; channelId: string | undefined },
): Promise<boolean> {
  const { userId, channelId } = where;
  if (channelId === undefined || !isDirectMessage(channelId)) return false;
  try {
    const opened = await client.conversations.open({ users: userId });
    return opened.channel?.id === channelId;
  } catch (error) {
    logger.warn('Could not tell whether a conversation is the person’s direct messages with the app', error);
    return false;
  }
}

/** Whether a click was in the clicker's direct messages with the app (see inDmWithApp). */
export async function clickedInDmWithApp(
  place: ClickPlace,
  client: webApi.WebClient,
  logger: Logger,
): Promise<boolean> {
  const surface = destinationOf(place);
  if (surface.kind === 'direct-message') return true;
  if (surface.kind !== 'private-message') return false;
  return inDmWithApp(client, logger, { userId: surface.userId, channelId: surface.channelId });
}
