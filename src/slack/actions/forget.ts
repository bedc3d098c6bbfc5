import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { personOf } from '../person.js';
import { forgetCancelledMessage, forgottenMessage } from '../views/forget.js';
import { shareEndedMessage } from '../views/shares.js';
import { click } from './click.js';

/** Delete my data, after the confirmation: everything about the person who clicked, durably. */
export function forgetConfirmAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click(
    'delete a person’s data',
    async ({ context, client, logger }) => {
      const person = personOf(context);
      // The direct messages of the person's shares, both ways, say once their data is gone that the share ended.
      const shared = await deps.shares.messagesAround(person).catch(() => []);
      // The canvas the plan was opened as is the app's (the person may only read it): it goes too.
      const canvas = (await deps.assessments.dataOf(person)).plan?.canvas;
      const deleted = await deps.assessments.forget(person);
      logger.info(`Deleted ${deleted} record(s) at a person's request`);
      const canvasLeft =
        canvas !== undefined &&
        (await client.canvases.delete({ canvas_id: canvas.id }).then(
          () => false,
          (error: unknown) => {
            const code = (error as { data?: { error?: string } }).data?.error;
            // Already gone (deleted in Slack) is what was asked for.
            if (code === 'canvas_not_found' || code === 'canvas_deleted' || code === 'file_not_found')
              return false;
            logger.warn('Could not delete the canvas of a forgotten plan', error);
            return true;
          },
        ));
      for (const { channel, ts, ownerUserId } of shared) {
        const ended = shareEndedMessage(ownerUserId);
        await client.chat
          .update({ channel, ts, text: ended.text, blocks: ended.blocks })
          .catch((error: unknown) =>
            logger.warn('Could not mark an ended share in its direct message', error),
          );
      }
      return forgottenMessage(deleted, { canvasLeft });
    },
    { change: 'delete' },
  );
}

export function forgetCancelAction(): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('cancel deleting data', () => forgetCancelledMessage());
}
