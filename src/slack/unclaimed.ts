import type { AnyMiddlewareArgs, Logger, RespondFn, webApi } from '@slack/bolt';
import { requestKind } from './guard.js';
import { type ClickPlace, clickedWithNote, replyTo } from './reply.js';
import { noteOf } from './views/click-note.js';
import { oldButtonMessage } from './views/refusal.js';

type Args = AnyMiddlewareArgs & { client: webApi.WebClient; logger: Logger; respond?: RespondFn };

/**
 * What the person hears about a request no listener claimed (the fallback in guard.ts has already
 * acknowledged it): a button this version does not have is explained where it was pressed; a form
 * this version does not know has been closed; anything else (Slack sends only what manifest.yml
 * declares) is only logged.
 */
export async function explainUnclaimed(args: AnyMiddlewareArgs & { logger: Logger }): Promise<void> {
  const { body, logger } = args as Args;
  const type = requestKind(body);
  if (type === 'block_actions') {
    const action = (body as { actions: { action_id: string; block_id?: string }[] }).actions[0];
    const actionId = action?.action_id ?? '';
    logger.info(
      `A click on a button no listener handles (${actionId.slice(0, 80)}): told the person it no longer works`,
    );
    const { respond, client } = args as Args;
    const place = body as unknown as ClickPlace;
    // On a message of the person's direct messages, the message stays, with the explanation under
    // the button; elsewhere the explanation is the answer (in place of a private message).
    const old = oldButtonMessage();
    await replyTo(place, { respond, client, logger })(
      clickedWithNote(place, noteOf(old), action?.block_id) ?? old,
    );
    return;
  }
  logger.info(`A ${type.slice(0, 40)} request no listener handles: acknowledged`);
}
