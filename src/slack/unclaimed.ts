import type { AnyMiddlewareArgs, Logger, RespondFn, webApi } from '@slack/bolt';
import { requestKind } from './guard.js';
import { type ClickPlace, replyTo } from './reply.js';
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
    const actionId = (body as { actions: { action_id: string }[] }).actions[0]?.action_id ?? '';
    logger.info(
      `A click on a button no listener handles (${actionId.slice(0, 80)}): told the person it no longer works`,
    );
    const { respond, client } = args as Args;
    await replyTo(body as unknown as ClickPlace, { respond, client, logger })(oldButtonMessage());
    return;
  }
  logger.info(`A ${type.slice(0, 40)} request no listener handles: acknowledged`);
}
