import type { Middleware, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { madeAtOf, personOf } from '../person.js';
import { tellPrivately } from '../reply.js';
import { encodeValue } from '../values.js';
import { failureMessage } from '../views/error.js';
import { evidenceModal, evidenceNoRoleModal } from '../views/evidence.js';

/**
 * "Add as evidence", the app's message shortcut (in the menu of any message): a form that asks which
 * competency of the person's current framework and level the message is evidence for, with a note of
 * their own (view-submissions/evidence.ts keeps it). Someone with no framework yet is told how to
 * start. The message's words are never read or kept: only where it is.
 */
export function evidenceShortcut(deps: Deps): Middleware<SlackShortcutMiddlewareArgs> {
  return async function addAsEvidence({ shortcut, ack, client, logger, context }) {
    await ack();
    if (shortcut.type !== 'message_action') return;
    try {
      // The role and level the person worked on last: their latest run, finished or not.
      const last = await deps.assessments.lastRole(personOf(context));
      const view = last
        ? evidenceModal(
            last.framework,
            last.level,
            encodeValue({
              f: last.framework.id,
              l: last.level.id,
              m: shortcut.channel.id,
              ts: shortcut.message.ts ?? shortcut.message_ts,
              ...(shortcut.response_url ? { u: shortcut.response_url } : {}),
              c: shortcut.channel.id,
              a: madeAtOf(context).getTime(),
            }),
          )
        : evidenceNoRoleModal();
      await client.views.open({ trigger_id: shortcut.trigger_id, view });
    } catch (error) {
      logger.error('Could not open the Add as evidence form', error);
      await tellPrivately(
        client,
        logger,
        { userId: shortcut.user.id, channelId: undefined },
        failureMessage(failureOf(error, 'read')),
      );
    }
  };
}
