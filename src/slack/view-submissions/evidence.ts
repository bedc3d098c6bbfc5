import type { Logger, Middleware, SlackViewMiddlewareArgs, ViewSubmitAction, webApi } from '@slack/bolt';
import type { EvidenceOutcome } from '../../assessments/evidence.js';
import { checkNote } from '../../assessments/notes.js';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { madeAtOf, personOf } from '../person.js';
import { tellPrivately } from '../reply.js';
import { postToResponseUrl } from '../response-url.js';
import { decodeValue, EvidenceMetadata } from '../values.js';
import { failureMessage } from '../views/error.js';
import {
  EVIDENCE_COMPETENCY,
  EVIDENCE_COMPETENCY_BLOCK,
  EVIDENCE_NOTE,
  EVIDENCE_NOTE_BLOCK,
  evidenceAddedMessage,
  evidenceNotAddedMessage,
} from '../views/evidence.js';
import { noteTooLongText } from '../views/notes.js';
import type { Message } from '../views/types.js';

/**
 * Add, on the Add as evidence form: the competency must be chosen and the note short enough (said
 * next to the field, the form staying open). Then the form closes, Slack is asked for the message's
 * permalink (chat.getPermalink, which needs no scope) and the evidence is kept; the person is told
 * privately what was added and where it shows — or, when Slack gives no link, that nothing was kept.
 */
export function evidenceSubmission(deps: Deps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> {
  return async function addEvidence({ ack, view, body, context, client, logger }) {
    const values = view.state?.values;
    const meta = decodeValue(EvidenceMetadata, view.private_metadata);
    const competencyId = values?.[EVIDENCE_COMPETENCY_BLOCK]?.[EVIDENCE_COMPETENCY]?.selected_option?.value;
    const note = checkNote(values?.[EVIDENCE_NOTE_BLOCK]?.[EVIDENCE_NOTE]?.value);
    const fail = (block: string, error: string) =>
      ack({ response_action: 'errors', errors: { [block]: error } });
    if (!meta) {
      return fail(
        EVIDENCE_COMPETENCY_BLOCK,
        'This form is out of date. Close it and run Add as evidence again.',
      );
    }
    if (!competencyId) return fail(EVIDENCE_COMPETENCY_BLOCK, 'Choose the competency this message shows.');
    if (!note.ok) return fail(EVIDENCE_NOTE_BLOCK, noteTooLongText(note.length));
    await ack();

    const tell = (message: Message) => confirm(client, logger, { userId: body.user.id, ...meta }, message);
    let permalink: string | undefined;
    try {
      const answer = await client.chat.getPermalink({ channel: meta.m, message_ts: meta.ts });
      permalink = answer.permalink;
    } catch (error) {
      const code = (error as { data?: { error?: string } }).data?.error ?? 'unknown';
      logger.warn(`Could not get the permalink of a message added as evidence (${code})`);
      return tell(evidenceNotAddedMessage({ kind: 'no-link', error: code }));
    }
    if (!permalink) return tell(evidenceNotAddedMessage({ kind: 'bad-message' }));

    let outcome: EvidenceOutcome;
    try {
      outcome = await deps.evidence.add(
        personOf(context),
        {
          frameworkId: meta.f,
          competencyId,
          permalink,
          channelId: meta.m,
          messageTs: meta.ts,
          addedBy: body.user.id,
          note: note.text,
        },
        new Date(Math.min(meta.a ?? Number.POSITIVE_INFINITY, madeAtOf(context).getTime())),
      );
    } catch (error) {
      logger.error('Could not keep a message as evidence', error);
      return tell(failureMessage(failureOf(error, 'save')));
    }
    switch (outcome.kind) {
      case 'added':
        return tell(evidenceAddedMessage(outcome.evidence));
      case 'already':
        return tell(evidenceAddedMessage(outcome.evidence, true));
      case 'too-long': {
        // Checked above already, with the same rule: only a change of the rule between the two gets here.
        const text = `${noteTooLongText(outcome.length)} Nothing was added.`;
        return tell({ text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] });
      }
      default:
        return tell(evidenceNotAddedMessage(outcome));
    }
  };
}

/**
 * Tells the person privately: through the shortcut's response_url (a message only they see, in the
 * conversation of the message), else in that channel or their direct messages with the app.
 */
async function confirm(
  client: webApi.WebClient,
  logger: Logger,
  to: { userId: string; u?: string | undefined; c?: string | undefined },
  message: Message,
): Promise<void> {
  if (to.u) {
    try {
      await postToResponseUrl(to.u, { response_type: 'ephemeral', replace_original: false, ...message });
      return;
    } catch (error) {
      logger.warn(
        'Could not answer Add as evidence through its response_url; telling the person privately',
        error,
      );
    }
  }
  await tellPrivately(client, logger, { userId: to.userId, channelId: to.c }, message);
}
