import type { Logger, Middleware, SlackViewMiddlewareArgs, ViewSubmitAction, webApi } from '@slack/bolt';
import { orgOfPerson, type PersonKey } from '../../model/person.js';
import { ownSummary } from '../answers/summary.js';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { madeAtOf, personOf } from '../person.js';
import { showAtFormOrigin, tellPrivately } from '../reply.js';
import { decodeValue, ShareWithMetadata } from '../values.js';
import { noteOf, withNote } from '../views/click-note.js';
import { failureMessage } from '../views/error.js';
import {
  type PickerProblem,
  pickerProblemText,
  SHARE_WITH_BLOCK,
  SHARE_WITH_USER,
  sharedMessage,
  shareInviteMessage,
  shareNotSentMessage,
} from '../views/shares.js';
import type { Message } from '../views/types.js';

/** How long the form waits for Slack to say who the person chosen is, within Slack's 3 seconds. */
const USERS_INFO_PATIENCE_MS = 2000;

/**
 * Whether the person chosen can be shared with, as Slack says (users.info): a person, not an app or a
 * bot, whose account is active, of the owner's own workspace or Enterprise Grid org.
 */
async function colleagueProblem(
  client: webApi.WebClient,
  logger: Logger,
  owner: PersonKey,
  userId: string,
): Promise<PickerProblem | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const info = await Promise.race([
      client.users.info({ user: userId }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('users.info took too long')), USERS_INFO_PATIENCE_MS);
      }),
    ]);
    const user = info.user;
    if (!user) return 'unknown';
    if (user.is_bot === true || user.is_app_user === true || userId === 'USLACKBOT') return 'bot';
    if (user.deleted === true) return 'deactivated';
    const org = user.enterprise_user?.enterprise_id || user.team_id;
    return org === orgOfPerson(owner) ? undefined : 'other-org';
  } catch (error) {
    logger.warn('Could not ask Slack who the person chosen to share with is', error);
    return 'unknown';
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Share, from the Share with… form: the person chosen must be someone else of the same workspace or
 * org, a person (not an app), not shared with already, within SHARES_MAX — said next to the picker
 * otherwise, the form staying open. Then the form closes; the share is kept (in the owner's record,
 * with an index entry in the colleague's) and the colleague gets a direct message with Open. What
 * happened is said on the summary the form came from, next to its buttons, or else privately.
 */
export function shareWithSubmission(deps: Deps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> {
  return async function shareWith({ ack, view, body, context, client, logger }) {
    const chosen = view.state?.values?.[SHARE_WITH_BLOCK]?.[SHARE_WITH_USER]?.selected_user ?? undefined;
    const fail = (problem: PickerProblem) =>
      ack({ response_action: 'errors', errors: { [SHARE_WITH_BLOCK]: pickerProblemText(problem) } });
    const owner = personOf(context);
    if (!chosen) return fail('missing');
    if (chosen === body.user.id) return fail('self');
    if (chosen === context.botUserId) return fail('bot');
    const problem =
      (await colleagueProblem(client, logger, owner, chosen)) ??
      (await deps.shares.check(owner, chosen).catch(() => undefined))?.reason;
    if (problem) return fail(problem);
    await ack();

    const meta = decodeValue(ShareWithMetadata, view.private_metadata) ?? {};
    let outcome: Message;
    try {
      outcome = await share(deps, client, logger, {
        owner,
        ownerUserId: body.user.id,
        chosen,
        madeAt: madeAtOf(context),
      });
    } catch (error) {
      logger.error('Could not share an assessment', error);
      outcome = failureMessage(failureOf(error, 'save'));
    }
    try {
      if (!meta.r) throw new Error('the form was not opened from a summary');
      const record = await deps.assessments.record(owner, meta.r);
      if (!record) throw new Error('the assessment of the summary is gone');
      await showAtFormOrigin(
        client,
        meta,
        withNote(await ownSummary(deps, owner, record), noteOf(outcome), meta.b),
      );
    } catch {
      // From the Home tab, or the summary cannot be changed any more: privately instead.
      await tellPrivately(
        client,
        logger,
        { userId: body.user.id, channelId: meta.t ? undefined : meta.c },
        outcome,
      );
    }
  };
}

/** Keeps the share, sends the colleague's direct message, and says what happened. */
async function share(
  deps: Deps,
  client: webApi.WebClient,
  logger: Logger,
  args: { owner: PersonKey; ownerUserId: string; chosen: string; madeAt: Date },
): Promise<Message> {
  const { owner, ownerUserId, chosen, madeAt } = args;
  const outcome = await deps.shares.share(owner, ownerUserId, chosen, madeAt);
  if (outcome.kind === 'refused')
    return {
      text: pickerProblemText(outcome.reason),
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: pickerProblemText(outcome.reason) } }],
    };
  const invite = shareInviteMessage(owner, outcome.share);
  let sent: { channel?: string; ts?: string } | undefined;
  try {
    sent = await client.chat.postMessage({ channel: chosen, text: invite.text, blocks: invite.blocks });
  } catch (error) {
    logger.warn('Could not send a share to its colleague; undoing it', error);
  }
  if (!sent) {
    await deps.shares.cancelUndelivered(owner, outcome.share.id);
    return shareNotSentMessage(chosen);
  }
  if (sent.channel && sent.ts) {
    await deps.shares
      .delivered(owner, outcome.share.id, { channel: sent.channel, ts: sent.ts })
      .catch((error: unknown) => logger.warn('Could not note where a share was sent', error));
  }
  return sharedMessage(outcome.share);
}
