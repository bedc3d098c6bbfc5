import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import type { PersonData } from '../../src/model/records.js';
import { messageShortcutPayload, viewSubmissionPayload } from '../../src/sandbox/interaction-payloads.js';
import { sendInteraction } from '../../src/sandbox/signing.js';
import { CallbackId, ShortcutId } from '../../src/slack/ids.js';
import {
  EVIDENCE_COMPETENCY,
  EVIDENCE_COMPETENCY_BLOCK,
  EVIDENCE_NOTE,
  EVIDENCE_NOTE_BLOCK,
} from '../../src/slack/views/evidence.js';
import { NOTE_BLOCK, NOTE_INPUT } from '../../src/slack/views/notes.js';
import { assertValidView } from '../support/block-kit.js';
import { it } from '../support/fixtures.js';
import { finishSeniorAssessment, type Harness, type Posted, SIGNING_SECRET, textOf } from './harness.js';

/**
 * Notes and evidence, against the real app over signed HTTP: a note written on a rating card shows on
 * the card, in the summary and in the export; a note too long is refused in its form; a reviewer's
 * notes reach the person reviewed only once the review is finished; a Slack message added with the
 * message shortcut is kept as a link (never its words), shows in the summary and the export, and
 * goes when the person forgets their data.
 */

const TEAM = 'T0LOCAL0001';
const ALICE = 'U0ALICE0001';
const BOB = 'U0BOB000001';
const CHANNEL = { id: 'C0LOCALCHN1', name: 'general' };
const FILE = 'competency-data.json';
const LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];

type View = { id: string; callback_id?: string; private_metadata?: string; blocks?: unknown[] };

const onDisk = async (h: Harness): Promise<Record<string, PersonData>> =>
  JSON.parse(await readFile(path.join(h.dataDir, FILE), 'utf8')).people;

/** The latest form the app opened, as the local Slack keeps it, once it has opened `n` in all. */
async function openedForm(h: Harness, n: number): Promise<View> {
  const call = (await h.slack.waitForCalls('views.open', n)).at(-1);
  expect(call?.ok, JSON.stringify(call)).toBe(true);
  const view = { ...(call?.args.view as object), id: call?.viewId ?? '' } as View;
  assertValidView(view);
  return view;
}

const opened = (h: Harness) => h.slack.calls.filter((c) => c.method === 'views.open').length;

/** Presses Add a note on a card (the click's answer goes to `responseUrl`); returns the form. */
async function openNoteForm(h: Harness, card: unknown, userId: string, responseUrl: string): Promise<View> {
  const before = opened(h);
  const res = await h.click(card, 'Add a note', { userId, responseUrl });
  expect(res.status).toBe(200);
  return openedForm(h, before + 1);
}

/** Submits the note form with `text`; returns the acknowledgement's body (errors, or nothing). */
async function submitNote(h: Harness, form: View, userId: string, text: string): Promise<unknown> {
  const res = await sendInteraction(
    h.eventsUrl,
    SIGNING_SECRET,
    viewSubmissionPayload({
      callbackId: form.callback_id ?? '',
      privateMetadata: form.private_metadata ?? '',
      viewId: form.id,
      values: { [NOTE_BLOCK]: { [NOTE_INPUT]: { type: 'plain_text_input', value: text } } },
      user: { id: userId },
    }),
  );
  expect(res.status).toBe(200);
  return res.json;
}

/** `/competency export`: the JSON and CSV the person got. */
async function exportOf(h: Harness, userId: string): Promise<{ json: string; csv: string }> {
  h.slack.reset();
  await h.followUp(await h.command('export', { userId }));
  const files = h.slack.files;
  return {
    json: files.find((f) => f.filename.endsWith('.json'))?.text() ?? '',
    csv: files.find((f) => f.filename.endsWith('.csv'))?.text() ?? '',
  };
}

describe('a note on a self-rating', () => {
  it('shows on the card, in the summary and in the export; 501 characters are refused in the form', async ({
    harness: h,
  }) => {
    const answer = (await h.command('solutions-architect senior', { userId: ALICE })).json;
    const first = await h.press(answer, 'Rate yourself', { userId: ALICE });
    expect(textOf(first)).toContain('1 of 8');

    const cardUrl = h.slack.newResponseUrl();
    const form = await openNoteForm(h, first, ALICE, cardUrl);
    expect(form.callback_id).toBe(CallbackId.note);

    // Too long: said next to the text box, the form stays open, nothing is kept.
    const refused = await submitNote(h, form, ALICE, 'a'.repeat(501));
    expect(refused).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(refused)).toContain('at most 500 characters, and this one has 501');
    await h.idle();
    const before = await onDisk(h).catch((): Record<string, PersonData> => ({}));
    expect(before[`${TEAM}:${ALICE}`]?.notes).toBeUndefined();

    // Saved: the form closes and the card shows the note, escaped.
    expect(await submitNote(h, form, ALICE, '  Led the <!channel> checkout migration  ')).toBeUndefined();
    const card = (await h.slack.waitForResponseTo(cardUrl)).body as Posted;
    expect(textOf(card)).toContain('Your note:* Led the &lt;!channel&gt; checkout migration');
    expect(textOf(card)).toContain('1 of 8');

    // On through the run from that card: the summary shows the note beside its rating.
    let step: Posted = card;
    for (const r of [4, 5, 2, 4, 3, 2, 3, 1]) step = await h.press(step, LABELS[r] ?? '', { userId: ALICE });
    expect(textOf(step)).toContain('Your self-assessment');
    expect(textOf(step)).toContain(':memo: Led the &lt;!channel&gt; checkout migration');

    const { json, csv } = await exportOf(h, ALICE);
    expect(JSON.parse(json).history[0].competencies[0].note).toBe('Led the <!channel> checkout migration');
    expect(csv).toContain('Led the <!channel> checkout migration');
  });
});

describe('a deletion is not undone by a form opened before it', () => {
  it('a note form opened before /competency forget saves nothing after it, and says why', async ({
    harness: h,
  }) => {
    const answer = (await h.command('solutions-architect senior', { userId: ALICE })).json;
    const first = await h.press(answer, 'Rate yourself', { userId: ALICE });
    const form = await openNoteForm(h, first, ALICE, h.slack.newResponseUrl());
    const confirm = (await h.command('forget', { userId: ALICE })).json;
    await h.press(confirm, 'Delete my data', { userId: ALICE });
    const refused = await submitNote(h, form, ALICE, 'Written after the deletion');
    expect(refused).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(refused)).toContain('Your data was deleted after this form was opened');
    await h.idle();
    expect((await onDisk(h))[`${TEAM}:${ALICE}`]).toBeUndefined();
  });
});

describe('a reviewer’s notes', () => {
  it('reach the person reviewed only once the review is finished', async ({ harness: h }) => {
    await finishSeniorAssessment(h, ALICE, [4, 4, 4, 4, 3, 4, 3, 3]);
    await h.followUp(await h.command(`ask <@${BOB}|bob>`, { userId: ALICE }));
    const request = h.slack.calls
      .filter((c) => c.method === 'chat.postMessage' && c.args.channel === BOB)
      .at(-1)?.args as Posted;
    const press = (message: unknown, label: string) =>
      h.press(message, label, { userId: BOB, inChannel: true, responseUrl: h.slack.newResponseUrl() });
    let step = await press(request, 'Start');

    const cardUrl = h.slack.newResponseUrl();
    const form = await openNoteForm(h, step, BOB, cardUrl);
    expect(textOf(form)).toContain('once you finish the review');
    expect(await submitNote(h, form, BOB, 'Her designs are the clearest on the team')).toBeUndefined();
    step = (await h.slack.waitForResponseTo(cardUrl)).body as Posted;
    expect(textOf(step)).toContain('Your note:* Her designs are the clearest on the team');

    // Not finished: nothing of it reaches Alice, not even in her export.
    expect(JSON.stringify(h.slack.calls.filter((c) => c.args.channel === ALICE))).not.toContain('clearest');
    expect((await exportOf(h, ALICE)).json).not.toContain('clearest');

    for (const r of [4, 4, 4, 4, 4, 4, 4, 4]) step = await press(step, LABELS[r] ?? '');
    const comparison = h.slack.calls
      .filter((c) => c.method === 'chat.postMessage' && c.args.channel === ALICE)
      .at(-1);
    expect(textOf(comparison?.args)).toContain(`:memo: <@${BOB}>: Her designs are the clearest on the team`);
    const { json, csv } = await exportOf(h, ALICE);
    expect(json).toContain('Her designs are the clearest on the team');
    expect(csv).toContain('Her designs are the clearest on the team');
    // Bob's export of the reviews he gave has what he wrote.
    expect((await exportOf(h, BOB)).json).toContain('Her designs are the clearest on the team');
  });
});

describe('Add as evidence, the message shortcut', () => {
  /** Runs the shortcut on a message as `userId`; returns the form it opened and the shortcut's response_url. */
  async function runShortcut(
    h: Harness,
    userId: string,
    ts: string,
  ): Promise<{ form: View; responseUrl: string }> {
    const before = opened(h);
    const responseUrl = h.slack.newResponseUrl();
    const res = await sendInteraction(
      h.eventsUrl,
      SIGNING_SECRET,
      messageShortcutPayload({
        callbackId: ShortcutId.evidence,
        user: { id: userId },
        channel: CHANNEL,
        message: { ts, user: BOB, text: 'Shipped the search rewrite today, thanks all' },
        responseUrl,
      }),
    );
    expect(res.status).toBe(200);
    return { form: await openedForm(h, before + 1), responseUrl };
  }

  async function submitEvidence(h: Harness, form: View, competencyId: string | undefined, note = '') {
    const res = await sendInteraction(
      h.eventsUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        callbackId: form.callback_id ?? '',
        privateMetadata: form.private_metadata ?? '',
        viewId: form.id,
        user: { id: ALICE },
        values: {
          [EVIDENCE_COMPETENCY_BLOCK]: {
            [EVIDENCE_COMPETENCY]: {
              type: 'static_select',
              selected_option: competencyId
                ? { text: { type: 'plain_text', text: competencyId }, value: competencyId }
                : null,
            },
          },
          [EVIDENCE_NOTE_BLOCK]: { [EVIDENCE_NOTE]: { type: 'plain_text_input', value: note } },
        },
      }),
    );
    expect(res.status).toBe(200);
    return res.json;
  }

  it('keeps a link to the message, never its words; shows it in the summary and export; forget deletes it', async ({
    harness: h,
  }) => {
    await finishSeniorAssessment(h, ALICE, [4, 4, 4, 4, 3, 4, 3, 3]);
    const ts = h.slack.addMessage({
      channel: CHANNEL.id,
      userId: BOB,
      text: 'Shipped the search rewrite today, thanks all',
    });
    const { form, responseUrl } = await runShortcut(h, ALICE, ts);
    expect(form.callback_id).toBe(CallbackId.evidence);
    expect(textOf(form)).toContain('Solutions Architect · Senior');
    const firstCompetency = (form.blocks as { element?: { options?: { value: string }[] } }[]).find(
      (b) => b.element?.options,
    )?.element?.options?.[0]?.value;
    expect(firstCompetency).toBeDefined();

    expect(await submitEvidence(h, form, undefined)).toMatchObject({ response_action: 'errors' });
    expect(await submitEvidence(h, form, firstCompetency, 'The rollout I planned')).toBeUndefined();
    const told = (await h.slack.waitForResponseTo(responseUrl)).body as Posted;
    expect(told).toMatchObject({ response_type: 'ephemeral' });
    expect(textOf(told)).toContain('Added <http://127.0.0.1:');
    expect(textOf(told)).toContain('as evidence for *');

    const kept = (await onDisk(h))[`${TEAM}:${ALICE}`];
    expect(kept?.evidence).toEqual([
      expect.objectContaining({
        competencyId: firstCompetency,
        permalink: expect.stringContaining(`/archives/${CHANNEL.id}/p${ts.replace('.', '')}`),
        channelId: CHANNEL.id,
        messageTs: ts,
        addedBy: ALICE,
        note: 'The rollout I planned',
      }),
    ]);
    expect(await readFile(path.join(h.dataDir, FILE), 'utf8')).not.toContain('search rewrite');

    // In the summary (opened from the history), as a link that opens the message.
    const history = (await h.command('history', { userId: ALICE })).json;
    const summary = await h.press(history, 'Open', { userId: ALICE });
    expect(textOf(summary)).toContain(`:link: Evidence: <${kept?.evidence?.[0]?.permalink}|`);

    const { json, csv } = await exportOf(h, ALICE);
    expect(JSON.parse(json).evidence).toHaveLength(1);
    expect(csv).toContain(kept?.evidence?.[0]?.permalink);
    expect(json).not.toContain('search rewrite');

    const confirm = (await h.command('forget', { userId: ALICE })).json;
    await h.press(confirm, 'Delete my data', { userId: ALICE });
    expect((await onDisk(h))[`${TEAM}:${ALICE}`]).toBeUndefined();
  });

  it('every redrawn summary keeps its evidence; an older assessment shows only what was added by the time it was finished', async ({
    harness: h,
  }) => {
    await finishSeniorAssessment(h, ALICE, [4, 4, 4, 4, 3, 4, 3, 3]);
    const ts = h.slack.addMessage({ channel: CHANNEL.id, userId: BOB, text: 'Ran the incident review' });
    const { form, responseUrl } = await runShortcut(h, ALICE, ts);
    const competency = (form.blocks as { element?: { options?: { value: string }[] } }[]).find(
      (b) => b.element?.options,
    )?.element?.options?.[0]?.value;
    expect(await submitEvidence(h, form, competency)).toBeUndefined();
    expect(textOf((await h.slack.waitForResponseTo(responseUrl)).body)).toContain('as evidence for *');
    const permalink = (await onDisk(h))[`${TEAM}:${ALICE}`]?.evidence?.[0]?.permalink ?? '';
    expect(permalink).not.toBe('');

    // Share to channel, then Cancel: the summary comes back with its evidence.
    const history = (await h.command('history', { userId: ALICE })).json;
    const summary = await h.press(history, 'Open', { userId: ALICE });
    expect(textOf(summary)).toContain(`<${permalink}|`);
    const preview = await h.press(summary, 'Share to channel', { userId: ALICE });
    const cancelled = await h.press(preview, 'Cancel', { userId: ALICE });
    expect(textOf(cancelled)).toContain('Not shared. Nothing was posted.');
    expect(textOf(cancelled)).toContain(`<${permalink}|`);

    // A second assessment: the evidence counts towards it, and the first reads as it was.
    await finishSeniorAssessment(h, ALICE, [4, 4, 4, 4, 4, 4, 4, 4]);
    const again = (await h.command('history', { userId: ALICE })).json;
    const newest = await h.press(again, 'Open', { userId: ALICE });
    expect(textOf(newest)).toContain(`<${permalink}|`);
    // The history lists the latest first: the second Open is the first assessment's.
    const opens: string[] = [];
    JSON.stringify(again, (_key, value: { text?: { text?: string }; value?: string }) => {
      if (value?.text?.text === 'Open' && typeof value.value === 'string') opens.push(value.value);
      return value;
    });
    const olderValue = opens[1];
    expect(opens).toHaveLength(2);
    const older = await h.press(again, 'Open', { userId: ALICE, value: olderValue ?? '' });
    expect(textOf(older)).toContain('Your self-assessment');
    expect(textOf(older)).not.toContain(permalink);
  });

  it('a form opened before /competency forget adds nothing after it, and says why', async ({
    harness: h,
  }) => {
    await finishSeniorAssessment(h, ALICE, [4, 4, 4, 4, 3, 4, 3, 3]);
    const ts = h.slack.addMessage({ channel: CHANNEL.id, userId: BOB, text: 'A message' });
    const { form, responseUrl } = await runShortcut(h, ALICE, ts);
    const competency = (form.blocks as { element?: { options?: { value: string }[] } }[]).find(
      (b) => b.element?.options,
    )?.element?.options?.[0]?.value;
    const confirm = (await h.command('forget', { userId: ALICE })).json;
    await h.press(confirm, 'Delete my data', { userId: ALICE });
    expect(await submitEvidence(h, form, competency)).toBeUndefined();
    expect(textOf((await h.slack.waitForResponseTo(responseUrl)).body)).toContain('deleted');
    expect((await onDisk(h))[`${TEAM}:${ALICE}`]).toBeUndefined();
  });

  it('says kindly when Slack has no such message, and keeps nothing', async ({ harness: h }) => {
    await finishSeniorAssessment(h, ALICE, [3, 3, 3, 3, 3, 3, 3, 3]);
    const { form, responseUrl } = await runShortcut(h, ALICE, '1700000000.999999');
    const competency = (form.blocks as { element?: { options?: { value: string }[] } }[]).find(
      (b) => b.element?.options,
    )?.element?.options?.[0]?.value;
    expect(await submitEvidence(h, form, competency)).toBeUndefined();
    const told = (await h.slack.waitForResponseTo(responseUrl)).body as Posted;
    expect(textOf(told)).toContain('could not find that message');
    expect(textOf(told)).toContain('nothing was added');
    expect((await onDisk(h))[`${TEAM}:${ALICE}`]?.evidence).toBeUndefined();
  });

  it('tells someone with no framework yet how to start', async ({ harness: h }) => {
    const ts = h.slack.addMessage({ channel: CHANNEL.id, userId: BOB, text: 'hello' });
    const { form } = await runShortcut(h, ALICE, ts);
    expect(form.callback_id).toBeUndefined();
    expect(textOf(form)).toContain('/competency &lt;role&gt; &lt;level&gt;');
  });
});
