import type { ModalView, PlainTextOption } from '@slack/types';
import type { Framework, Level } from '../../frameworks/schema.js';
import { EVIDENCE_MAX, EVIDENCE_PER_COMPETENCY_MAX, type Evidence, NOTE_MAX } from '../../model/growth.js';
import { ActionId, CallbackId } from '../ids.js';
import { encodeValue } from '../values.js';
import { code, escapeText, link, truncate } from './mrkdwn.js';
import { COMMAND, type KnownBlock, type Message } from './types.js';

/**
 * Add as evidence, the message shortcut: the form that asks which competency a message is evidence
 * for, and what the person is told afterwards, privately.
 */

/** The blocks and elements of the form: the competency menu and the note. */
export const EVIDENCE_COMPETENCY_BLOCK = 'evidence_competency';
export const EVIDENCE_COMPETENCY = 'competency';
export const EVIDENCE_NOTE_BLOCK = 'evidence_note';
export const EVIDENCE_NOTE = 'note';

/** Slack's most options in a static_select. */
const MAX_OPTIONS = 100;

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

const WHAT_IS_KEPT =
  'The app keeps a link to the message, the day it was posted and that you added it — never its words. Only you see your evidence (in your summary, your history and your export), and the one person you share your latest assessment with, if you do.';

/** The form: which competency of the person's current framework and level, and a note of their own. */
export function evidenceModal(framework: Framework, level: Level, privateMetadata: string): ModalView {
  const options: PlainTextOption[] = framework.competencies.slice(0, MAX_OPTIONS).map((c) => ({
    text: { type: 'plain_text', text: truncate(c.name, 75) },
    value: c.id,
  }));
  return {
    type: 'modal',
    callback_id: CallbackId.evidence,
    private_metadata: privateMetadata,
    title: { type: 'plain_text', text: 'Add as evidence' },
    submit: { type: 'plain_text', text: 'Add' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        truncate(
          `This message becomes evidence for one competency of *${escapeText(framework.role.name)} · ${escapeText(level.name)}* (${escapeText(framework.domain.name)}), your current framework.`,
          3000,
        ),
      ),
      {
        type: 'input',
        block_id: EVIDENCE_COMPETENCY_BLOCK,
        label: { type: 'plain_text', text: 'Competency' },
        element: {
          type: 'static_select',
          action_id: EVIDENCE_COMPETENCY,
          placeholder: { type: 'plain_text', text: 'Choose a competency' },
          options,
        },
      },
      {
        type: 'input',
        block_id: EVIDENCE_NOTE_BLOCK,
        optional: true,
        label: { type: 'plain_text', text: 'Your note' },
        hint: {
          type: 'plain_text',
          text: `What it shows, in your own words. At most ${NOTE_MAX} characters.`,
        },
        element: {
          type: 'plain_text_input',
          action_id: EVIDENCE_NOTE,
          multiline: true,
          max_length: NOTE_MAX,
        },
      },
      context(WHAT_IS_KEPT),
    ],
  };
}

/** The form, for someone with no framework yet: how to start. Nothing to submit. */
export function evidenceNoRoleModal(): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: 'Add as evidence' },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [
      section(
        `Evidence goes with a competency of your role, and you have not chosen one yet. Type ${code(`${COMMAND} <role> <level>`)} (for example ${code(`${COMMAND} solutions-architect senior`)}) and press *Rate yourself*; then come back to this message and add it.`,
      ),
      context(WHAT_IS_KEPT),
    ],
  };
}

/** `3 Mar 2025` (UTC), the day a message was posted. */
function dayOf(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso.slice(0, 10)
    : new Intl.DateTimeFormat('en-GB', {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(date);
}

/** After adding: what was added, where it shows, and Remove. `again`: it was there already. */
export function evidenceAddedMessage(evidence: Evidence, again = false): Message {
  const message = link(evidence.permalink, `the message of ${dayOf(evidence.postedAt)}`);
  const what = again
    ? `:link: ${message} is evidence for *${escapeText(evidence.competencyName)}* already; nothing changed.`
    : `:link: Added ${message} as evidence for *${escapeText(evidence.competencyName)}*.`;
  return {
    text: `${again ? 'Already evidence' : 'Added as evidence'} for ${escapeText(evidence.competencyName)}`,
    blocks: [
      section(what),
      context(
        `It shows under that competency in your summary and history (${code(`${COMMAND} history`)}, then *Open*), and in your export (${code(`${COMMAND} export`)}). Only you can see it, and anyone you share your latest assessment with (${code(`${COMMAND} shares`)}).`,
      ),
      {
        type: 'actions',
        block_id: 'evidence_actions',
        elements: [
          {
            type: 'button',
            action_id: ActionId.evidenceRemove,
            text: { type: 'plain_text', text: 'Remove' },
            value: encodeValue({ e: evidence.id }),
          },
        ],
      },
    ],
  };
}

/** Why nothing was added, and what to do instead. */
export function evidenceNotAddedMessage(
  reason:
    | { kind: 'competency-full'; competencyName: string }
    | { kind: 'full' }
    | { kind: 'unknown-competency' }
    | { kind: 'bad-message' }
    | { kind: 'no-link'; error: string },
): Message {
  let text: string;
  switch (reason.kind) {
    case 'competency-full':
      text = `*${escapeText(reason.competencyName)}* has ${EVIDENCE_PER_COMPETENCY_MAX} pieces of evidence already, the most it keeps, so this message was not added. Your export (${code(`${COMMAND} export`)}) lists them all; choose the ones that matter most, or add this one to another competency.`;
      break;
    case 'full':
      text = `You have ${EVIDENCE_MAX} pieces of evidence already, the most the app keeps for one person, so this message was not added. Your export (${code(`${COMMAND} export`)}) lists them all.`;
      break;
    case 'unknown-competency':
      text = `That competency is no longer in your framework, so nothing was added. Run *Add as evidence* on the message again and choose from the list it shows now.`;
      break;
    case 'bad-message':
      text = `Slack did not give me a link to that message, so nothing was added. Try *Add as evidence* on it again in a minute.`;
      break;
    case 'no-link':
      text =
        reason.error === 'message_not_found'
          ? 'I could not find that message any more (it may have been deleted), so nothing was added.'
          : reason.error === 'channel_not_found' || reason.error === 'not_in_channel'
            ? `I cannot reach the conversation that message is in, so nothing was added. Add Competency to that channel (type ${code('/invite @Competency')} there) and try again.`
            : 'Slack did not give me a link to that message just now, so nothing was added. Please try again in a minute.';
      break;
  }
  return { text: text.replaceAll('*', ''), blocks: [section(`:warning: ${text}`)] };
}

/** After Remove. */
export function evidenceRemovedMessage(evidence: Evidence | undefined): Message {
  const text = evidence
    ? `Removed: that message is no longer evidence for *${escapeText(evidence.competencyName)}*.`
    : 'That piece of evidence is not among yours any more; nothing to remove.';
  return { text: text.replaceAll('*', ''), blocks: [section(text)] };
}
