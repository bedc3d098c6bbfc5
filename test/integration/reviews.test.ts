import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import type { PersonData } from '../../src/model/records.js';
import { viewSubmissionPayload } from '../../src/sandbox/interaction-payloads.js';
import { sendInteraction } from '../../src/sandbox/signing.js';
import { it } from '../support/fixtures.js';
import { since } from '../support/waiting.js';
import {
  buttons,
  finishSeniorAssessment,
  type Harness,
  type Posted,
  SIGNING_SECRET,
  textOf,
} from './harness.js';

/**
 * Ask a colleague to rate you: Alice asks Bob with `/competency ask @bob`; Bob gets the request in
 * his direct messages, rates Alice one competency at a time without ever seeing her self-ratings,
 * and when he finishes both see the two side by side. Carol, a third person, can do nothing with
 * Bob's buttons.
 */

const TEAM = 'T0LOCAL0001';
const ALICE = 'U0ALICE0001';
const BOB = 'U0BOB000001';
const CAROL = 'U0CAROL0001';
const FILE = 'competency-data.json';
const LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];

/** Alice's self-ratings, and Bob's of her: same ×5, one apart ×1, two apart ×2. */
const ALICE_SELF = [4, 5, 2, 4, 3, 2, 3, 1];
const BOB_OF_ALICE = [4, 4, 4, 4, 3, 2, 1, 1];

const onDisk = async (harness: Harness): Promise<Record<string, PersonData>> =>
  JSON.parse(await readFile(path.join(harness.dataDir, FILE), 'utf8')).people;
const key = (userId: string) => `${TEAM}:${userId}`;

/** What the app sent to a user with chat.postMessage (their direct messages), oldest first. */
const directMessagesTo = (harness: Harness, userId: string) =>
  harness.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.channel === userId);

/** Every payload the app sent to `userId`: chat calls naming them, and posts to their clicks' response_urls. */
function everythingSentTo(harness: Harness, userId: string, responseUrls: Set<string>): unknown[] {
  return [
    ...harness.slack.calls
      .filter((c) => c.method.startsWith('chat.') && (c.args.channel === userId || c.args.user === userId))
      .map((c) => c.args),
    ...harness.slack.responses.filter((r) => responseUrls.has(r.url)).map((r) => r.body),
  ];
}

/**
 * Alice asks `who`: "Asking…" at once, then the request goes out; returns the confirmation posted in
 * place of "Asking…" once the request is sent.
 */
async function ask(harness: Harness, asker: string, mention: string): Promise<Posted> {
  const ack = await harness.command(`ask ${mention}`, { userId: asker });
  expect(textOf(ack.json)).toContain('Asking');
  return harness.followUp(ack);
}

/** The latest request the app sent to `reviewer`'s direct messages. */
function requestFor(harness: Harness, reviewer: string): Posted {
  const request = directMessagesTo(harness, reviewer).at(-1)?.args;
  if (!request) throw new Error(`no request sent to ${reviewer}`);
  return request as Posted;
}

/** Presses a button of a review request (a message in the reviewer's DMs), as `userId`, noting the response_url. */
async function pressOnRequest(
  harness: Harness,
  message: Posted,
  label: string,
  userId: string,
  urls?: Set<string>,
): Promise<Posted> {
  const responseUrl = harness.slack.newResponseUrl();
  urls?.add(responseUrl);
  return harness.press(message, label, { userId, responseUrl, inChannel: true });
}

/** The reviewer presses Start and rates every competency; returns the last step's answer. */
async function review(
  harness: Harness,
  reviewer: string,
  ratings: number[],
  urls?: Set<string>,
): Promise<Posted> {
  let step = await pressOnRequest(harness, requestFor(harness, reviewer), 'Start', reviewer, urls);
  for (const r of ratings) step = await pressOnRequest(harness, step, LABELS[r] ?? '', reviewer, urls);
  return step;
}

describe('asking a colleague to rate you', () => {
  it('goes from the ask to the comparison, both ways, and Bob never sees Alice’s ratings before he finishes', async ({
    harness: h,
  }) => {
    await finishSeniorAssessment(h, ALICE, ALICE_SELF);

    const confirmation = await ask(h, ALICE, `<@${BOB}|bob>`);
    expect(textOf(confirmation)).toContain(
      `Asked <@${BOB}> to rate you against Solutions Architect · Senior`,
    );
    expect(buttons(confirmation).map((b) => b.text)).toEqual(['Withdraw']);

    const request = requestFor(h, BOB);
    expect(request.text).toBe(`<@${ALICE}> asks you to rate them against Solutions Architect · Senior`);
    expect(buttons(request).map((b) => b.text)).toEqual(['Start', 'Not now', 'Decline']);

    const bobUrls = new Set<string>();
    let step = await pressOnRequest(h, request, 'Start', BOB, bobUrls);
    expect(step.replace_original).toBe(true);
    const framework = h.catalog.get('solutions-architect.e-commerce');
    if (!framework) throw new Error('no framework');
    for (const [i, rating] of BOB_OF_ALICE.entries()) {
      const text = textOf(step);
      expect(text).toContain(`${i + 1} of 8`);
      expect(text).toContain(framework.competencies[i]?.name ?? '?');
      expect(text).toContain(`How would you rate <@${ALICE}> on this today?`);
      step = await pressOnRequest(h, step, LABELS[rating] ?? '', BOB, bobUrls);
      if (i < BOB_OF_ALICE.length - 1) {
        // Nothing Bob received so far holds a rating out of 5 or a rating field: Alice's are hers.
        for (const payload of everythingSentTo(h, BOB, bobUrls)) {
          const json = JSON.stringify(payload);
          expect(json).not.toMatch(/\d\/5/);
          expect(json).not.toContain('"rating"');
          expect(json).not.toContain('You ▰');
          expect(json).not.toContain('meets');
        }
      }
    }

    // Bob's last step is replaced by the comparison.
    const bobs = textOf(step);
    expect(step.replace_original).toBe(true);
    expect(bobs).toContain(`Here are your ratings of <@${ALICE}> beside how they rated themselves`);
    expect(bobs).toContain(
      '*5 the same*, *1 one apart* (worth a conversation), *2 two or more apart* (talk about this)',
    );
    expect(bobs).toContain(
      `*Global Commerce Platform Scaling*  ·  :red_circle: 2 apart · talk about this\n<@${ALICE}> ▰▰▱▱▱ 2/5 (2 below)  ·  You ▰▰▰▰▱ 4/5 (meets)  ·  expected 4/5`,
    );

    // Alice gets the same in her direct messages, from her side.
    const alices = directMessagesTo(h, ALICE).at(-1)?.args;
    expect(textOf(alices)).toContain(`<@${BOB}> rated you against Solutions Architect · Senior`);
    expect(textOf(alices)).toContain(
      `*Omnichannel Architecture*  ·  :large_yellow_circle: 1 apart · worth a conversation\nYou ▰▰▰▰▰ 5/5 (1 above)  ·  <@${BOB}> ▰▰▰▰▱ 4/5 (meets)  ·  expected 4/5`,
    );
    expect(textOf(alices)).toContain(
      `*Composable Commerce Strategy*  ·  :white_check_mark: same\nYou ▰▰▰▰▱ 4/5 (meets)  ·  <@${BOB}> ▰▰▰▰▱ 4/5 (meets)  ·  expected 4/5`,
    );

    // Kept in Alice's record; Bob's holds only where to find it.
    const people = await onDisk(h);
    const kept = people[key(ALICE)]?.reviews?.[0];
    expect(kept).toMatchObject({ reviewer: key(BOB), reviewerUserId: BOB, status: 'finished', position: 8 });
    expect(Object.values(kept?.answers ?? {})).toEqual(BOB_OF_ALICE);
    expect(people[key(BOB)]).toEqual({
      ratings: {},
      drafts: {},
      history: [],
      reviewsGiven: [{ of: key(ALICE), id: kept?.id }],
    });

    // The list of requests shows it, with the comparison a click away.
    const list = (await h.command('reviews', { userId: ALICE })).json;
    expect(textOf(list)).toContain(`<@${BOB}> · finished`);
    const shown = await h.press(list, 'See the comparison', { userId: ALICE });
    expect(textOf(shown)).toContain('*5 the same*');

    // Asking Bob again about the same assessment sends nothing new.
    const again = await ask(h, ALICE, `<@${BOB}>`);
    expect(textOf(again)).toContain(
      `<@${BOB}> has already reviewed your Solutions Architect · Senior self-assessment`,
    );
    expect(directMessagesTo(h, BOB)).toHaveLength(1);
  });

  it('lets nobody but the reviewer use the reviewer’s buttons, and writes nothing for them', async ({
    harness: h,
  }) => {
    await finishSeniorAssessment(h, ALICE, ALICE_SELF);
    await ask(h, ALICE, `<@${BOB}>`);
    const request = requestFor(h, BOB);
    const step = await pressOnRequest(h, request, 'Start', BOB);
    const before = await readFile(path.join(h.dataDir, FILE), 'utf8');

    for (const [message, label] of [
      [request, 'Start'],
      [request, 'Not now'],
      [request, 'Decline'],
      [step, '4 · Advanced'],
      [step, 'Skip'],
      [step, 'Not applicable'],
    ] as const) {
      for (const someone of [CAROL, ALICE]) {
        const answer = await pressOnRequest(h, message, label, someone);
        expect(textOf(answer)).toBe('There is no review request for you here.');
        expect(answer.replace_original).toBe(false);
        expect(JSON.stringify(answer)).not.toMatch(/\d\/5/);
      }
    }
    expect(await readFile(path.join(h.dataDir, FILE), 'utf8')).toBe(before);
    // Nobody was told anything in their direct messages either.
    expect(directMessagesTo(h, CAROL)).toHaveLength(0);
    expect(directMessagesTo(h, ALICE)).toHaveLength(0);

    // Carol cannot withdraw Alice's request: Withdraw works on the clicker's own requests only.
    const confirmation = h.slack.responses.find((r) => textOf(r.body).includes('Asked'))?.body;
    const withdrawn = await h.press(confirmation, 'Withdraw', { userId: CAROL });
    expect(textOf(withdrawn)).toContain("I couldn't find that request among yours");
    expect(await readFile(path.join(h.dataDir, FILE), 'utf8')).toBe(before);
  });

  it('Not now keeps the request; Decline closes it and tells the asker once', async ({ harness: h }) => {
    await finishSeniorAssessment(h, ALICE, ALICE_SELF);
    await ask(h, ALICE, `<@${BOB}>`);
    const later = await pressOnRequest(h, requestFor(h, BOB), 'Not now', BOB);
    expect(textOf(later)).toContain(`No rush: <@${ALICE}> is not told`);
    expect(buttons(later).map((b) => b.text)).toEqual(['Start', 'Decline']);
    expect(directMessagesTo(h, ALICE)).toHaveLength(0);

    const declined = await pressOnRequest(h, later, 'Decline', BOB);
    expect(textOf(declined)).toContain(`You declined to rate <@${ALICE}>`);
    const told = directMessagesTo(h, ALICE);
    expect(told).toHaveLength(1);
    expect(told[0]?.args.text).toBe(
      `<@${BOB}> cannot rate you against Solutions Architect · Senior this time.`,
    );
    expect((await onDisk(h))[key(ALICE)]?.reviews?.[0]).toMatchObject({ status: 'declined', answers: {} });

    // Declining again, or starting after declining, changes nothing and tells nobody again.
    await pressOnRequest(h, later, 'Decline', BOB);
    expect(textOf(await pressOnRequest(h, later, 'Start', BOB))).toContain('You declined this request');
    expect(directMessagesTo(h, ALICE)).toHaveLength(1);

    // Alice may ask Bob again: a new request, with new buttons.
    await ask(h, ALICE, `<@${BOB}>`);
    expect(directMessagesTo(h, BOB)).toHaveLength(2);
    const reviews = (await onDisk(h))[key(ALICE)]?.reviews ?? [];
    expect(reviews.map((r) => r.status)).toEqual(['asked']);
  });

  it('Withdraw closes an open request, drops the answers so far, and says so in the reviewer’s messages', async ({
    harness: h,
  }) => {
    await finishSeniorAssessment(h, ALICE, ALICE_SELF);
    const confirmation = await ask(h, ALICE, `<@${BOB}>`);
    let step = await pressOnRequest(h, requestFor(h, BOB), 'Start', BOB);
    step = await pressOnRequest(h, step, '3 · Proficient', BOB);
    expect(Object.keys((await onDisk(h))[key(ALICE)]?.reviews?.[0]?.answers ?? {})).toHaveLength(1);

    const withdrawn = await h.press(confirmation, 'Withdraw', { userId: ALICE });
    expect(textOf(withdrawn)).toContain(`Withdrawn: <@${BOB}> can no longer rate you`);
    expect((await onDisk(h))[key(ALICE)]?.reviews?.[0]).toMatchObject({ status: 'withdrawn', answers: {} });
    const update = h.slack.calls.find((c) => c.method === 'chat.update');
    expect(update?.ok).toBe(true);
    expect(update?.args.channel).toBe(`D${BOB.slice(1)}`);
    expect(update?.args.text).toContain(`<@${ALICE}> withdrew their request`);

    const next = await pressOnRequest(h, step, '4 · Advanced', BOB);
    expect(textOf(next)).toContain(`<@${ALICE}> withdrew this request`);

    // The list shows it withdrawn, with no button; an open one there has Withdraw.
    await finishSeniorAssessment(h, CAROL, ALICE_SELF);
    await ask(h, ALICE, `<@${CAROL}>`);
    const list = (await h.command('reviews', { userId: ALICE })).json;
    expect(textOf(list)).toContain(`<@${BOB}> · withdrawn`);
    expect(textOf(list)).toContain(`<@${CAROL}> · asked, not started`);
    expect(buttons(list).map((b) => b.text)).toEqual(['Withdraw']);
    const after = await h.press(list, 'Withdraw', { userId: ALICE });
    expect(textOf(after)).toContain(`<@${CAROL}> · withdrawn`);
  });

  it('/competency forget deletes the reviews a person gave and the reviews of them, in everyone’s records', async ({
    harness: h,
  }) => {
    await finishSeniorAssessment(h, ALICE, ALICE_SELF);
    await finishSeniorAssessment(h, BOB, BOB_OF_ALICE);
    await finishSeniorAssessment(h, CAROL, ALICE_SELF);
    await ask(h, ALICE, `<@${BOB}>`); // Bob reviews Alice
    await review(h, BOB, BOB_OF_ALICE);
    await ask(h, BOB, `<@${ALICE}>`); // Alice reviews Bob
    await review(h, ALICE, ALICE_SELF);
    await ask(h, CAROL, `<@${BOB}>`); // Bob is asked by Carol, not started

    // Bob forgets: his own record, his review of Alice (in her record), the request from Carol (in
    // hers), and the index entry in Alice's record of the review she gave him.
    const confirm = (await h.command('forget', { userId: BOB })).json;
    // 8 ratings + 1 draft + 1 assessment + 1 review of him + 2 reviews he was asked for
    expect(textOf(confirm)).toContain('13 records');
    expect(textOf(confirm)).toContain('the reviews colleagues gave you and the reviews you gave them');
    const done = await h.press(confirm, 'Delete my data', { userId: BOB });
    expect(textOf(done)).toContain('Deleted 13 records');

    const people = await onDisk(h);
    expect(people[key(BOB)]).toBeUndefined();
    expect(people[key(ALICE)]?.reviews).toBeUndefined();
    expect(people[key(ALICE)]?.reviewsGiven).toBeUndefined();
    expect(people[key(CAROL)]?.reviews).toBeUndefined();
    expect(JSON.stringify(people)).not.toContain(BOB);
  });

  it('/competency forget of the person reviewed removes the reviewer’s index entries too', async ({
    harness: h,
  }) => {
    await finishSeniorAssessment(h, ALICE, ALICE_SELF);
    await ask(h, ALICE, `<@${BOB}>`);
    await review(h, BOB, BOB_OF_ALICE);
    const confirm = (await h.command('forget', { userId: ALICE })).json;
    await h.press(confirm, 'Delete my data', { userId: ALICE });
    const people = await onDisk(h);
    expect(people[key(ALICE)]).toBeUndefined();
    expect(people[key(BOB)]?.reviewsGiven).toBeUndefined();
    expect(JSON.stringify(people)).not.toContain(ALICE);
  });

  it('/competency export includes the reviews of you and the reviews you gave, as data', async ({
    harness: h,
  }) => {
    await finishSeniorAssessment(h, ALICE, ALICE_SELF);
    await ask(h, ALICE, `<@${BOB}>`);
    await review(h, BOB, BOB_OF_ALICE);

    // "Preparing your export…", then the files, then what was sent in its place.
    await h.followUp(await h.command('export', { userId: ALICE }));
    const alices = JSON.parse(h.slack.files.find((f) => f.filename.endsWith('.json'))?.text() ?? '{}');
    expect(alices.reviewsOfYou).toHaveLength(1);
    expect(alices.reviewsOfYou[0]).toMatchObject({ reviewerUserId: BOB, status: 'finished' });
    expect(Object.values(alices.reviewsOfYou[0].answers)).toEqual(BOB_OF_ALICE);
    const alicesCsv = h.slack.files.find((f) => f.filename.endsWith('.csv'))?.text() ?? '';
    expect(alicesCsv.split('\r\n').filter((line) => line.startsWith('review of you,'))).toHaveLength(8);

    h.slack.reset();
    await h.followUp(await h.command('export', { userId: BOB }));
    const bobs = JSON.parse(h.slack.files.find((f) => f.filename.endsWith('.json'))?.text() ?? '{}');
    expect(bobs.reviewsYouGave).toHaveLength(1);
    expect(bobs.reviewsYouGave[0]).toMatchObject({ of: key(ALICE), status: 'finished', levelName: 'Senior' });
    expect(bobs.reviewsYouGave[0].answers.map((a: { rating: unknown }) => a.rating)).toEqual(BOB_OF_ALICE);
    // Alice's own ratings are hers: not in Bob's export.
    expect(bobs.history).toEqual([]);
    expect(JSON.stringify(bobs)).not.toContain('"self"');
    const bobsCsv = h.slack.files.find((f) => f.filename.endsWith('.csv'))?.text() ?? '';
    expect(bobsCsv.split('\r\n').filter((line) => line.startsWith('review you gave,'))).toHaveLength(8);
  });

  it('See it as a chart, after a finished review, draws the reviewer’s ratings too', async ({
    harness: h,
  }) => {
    const summary = await finishSeniorAssessment(h, ALICE, ALICE_SELF);
    await ask(h, ALICE, `<@${BOB}|bob>`);
    await review(h, BOB, BOB_OF_ALICE);
    await h.press(summary, 'See it as a chart', { userId: ALICE });
    const [file] = await h.slack.waitForFiles(1);
    const alt = file?.altText ?? '';
    expect(alt).toContain("against the expected level and bob's review");
    const framework = h.catalog.get('solutions-architect.e-commerce');
    framework?.competencies.forEach((c, i) => {
      expect(alt).toContain(
        `${c.name}: you ${ALICE_SELF[i]}, bob's review ${BOB_OF_ALICE[i]}, expected ${c.expected.senior}`,
      );
    });
  });

  it('Ask for a review, on the summary, opens a person picker; choosing a colleague sends the request', async ({
    harness: h,
  }) => {
    const summary = await finishSeniorAssessment(h, ALICE, ALICE_SELF);
    const responseUrl = h.slack.newResponseUrl();
    const clicked = since(h.slack);
    await h.click(summary, 'review_ask', { userId: ALICE, responseUrl });
    const opened = await clicked.call('views.open');
    expect(opened.ok).toBe(true);
    const view = opened.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { type: string }[];
    };
    expect(view.callback_id).toBe('review_ask');
    expect(JSON.stringify(view.blocks)).toContain('users_select');
    expect(JSON.stringify(view.blocks)).toContain('Solutions Architect · Senior');

    const submit = (user: string | null) =>
      sendInteraction(
        h?.eventsUrl ?? '',
        SIGNING_SECRET,
        viewSubmissionPayload({
          user: { id: ALICE },
          callbackId: 'review_ask',
          privateMetadata: view.private_metadata,
          values: { reviewer: { user: { type: 'users_select', selected_user: user } } },
          viewId: 'V0ASKFORM01',
        }),
      );
    // Herself, or nobody: said next to the picker, and nothing is sent.
    const self = await submit(ALICE);
    expect(self.json).toEqual({
      response_action: 'errors',
      errors: { reviewer: 'Choose someone else: your own view is your self-assessment.' },
    });
    expect((await submit(null)).json).toMatchObject({ response_action: 'errors' });
    await h.idle();
    expect(directMessagesTo(h, BOB)).toHaveLength(0);

    const asked = await submit(BOB);
    expect(asked.status).toBe(200);
    // The form closes at once; the request goes out, and then the summary says so.
    const shown = (await h.slack.waitForResponseTo(responseUrl)).body as { blocks: { block_id?: string }[] };
    expect(textOf(requestFor(h, BOB))).toContain(`<@${ALICE}> asks you to rate them against`);
    // The summary the form was opened from stays as it was, with what happened right below its buttons.
    expect(shown).toMatchObject({ replace_original: true });
    const note = shown.blocks.findIndex((b) => b.block_id === 'click_note');
    expect(shown.blocks[note - 1]?.block_id).toBe('summary_actions');
    expect(textOf({ blocks: [shown.blocks[note]] })).toContain(`Asked <@${BOB}> to rate you against`);
    expect(shown.blocks.filter((b) => b.block_id !== 'click_note')).toEqual(summary.blocks);
  });

  it('the command explains what it cannot use', async ({ harness: h }) => {
    expect(textOf((await h.command('ask @bob', { userId: ALICE })).json)).toContain(
      'Slack sent `@bob` as plain text, so I cannot tell who that is',
    );
    expect(textOf((await h.command(`ask <@${ALICE}>`, { userId: ALICE })).json)).toContain(
      'a review is for a colleague',
    );
    expect(textOf((await h.command('ask', { userId: ALICE })).json)).toContain('`/competency ask @name`');
    // Nobody to review yet: Carol has no finished assessment.
    const none = await ask(h, CAROL, `<@${BOB}>`);
    expect(textOf(none)).toContain('Finish a self-assessment first');
    expect(directMessagesTo(h, BOB)).toHaveLength(0);
  });
});
