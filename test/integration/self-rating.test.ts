import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, vi } from 'vitest';
import { BUNDLED_FRAMEWORKS_DIR } from '../../src/frameworks/loader.js';
import { appHomeOpenedEnvelope } from '../../src/sandbox/event-envelopes.js';
import { blockActionPayload } from '../../src/sandbox/interaction-payloads.js';
import { sendEvent, sendInteraction } from '../../src/sandbox/signing.js';
import type { View } from '../../src/slack/views/types.js';
import { it } from '../support/fixtures.js';
import { postsTo, since } from '../support/waiting.js';
import { buttons, findButton, type Harness, type Posted, SIGNING_SECRET, textOf } from './harness.js';

const FILE = 'competency-data.json';
const ALICE = 'U0ALICE0001';
/** Expected at Senior, in the framework's order. */
const SENIOR = [4, 4, 4, 4, 3, 4, 3, 3];

async function onDisk(harness: Harness): Promise<{
  people: Record<string, { ratings: Record<string, Record<string, { value: unknown }>>; history: unknown[] }>;
}> {
  return JSON.parse(await readFile(path.join(harness.dataDir, FILE), 'utf8'));
}

async function startRating(harness: Harness, userId = ALICE): Promise<Posted> {
  const answer = (await harness.command('solutions-architect senior', { userId })).json;
  return harness.press(answer, 'Rate yourself', { userId });
}

const LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];

describe('rating yourself, over signed HTTP against the local Slack', () => {
  it('goes through all 8 competencies one at a time and ends with the gap summary', async ({
    harness: h,
  }) => {
    let step = await startRating(h);
    const mine = [4, 5, 2, 4, 3, 2, 3, 1];
    for (const [i, rating] of mine.entries()) {
      const text = textOf(step);
      expect(text).toContain(`${i + 1} of 8`);
      expect(text).not.toContain('Expected'); // the expectation is revealed only in the summary
      expect(buttons(step).map((b) => b.text)).toEqual(
        expect.arrayContaining([...LABELS.slice(1), 'Skip', 'Not applicable']),
      );
      step = await h.press(step, LABELS[rating] ?? '', { userId: ALICE });
    }
    const summary = textOf(step);
    // 4=4, 5>4 (above), 2<4 (2 below), 4=4, 3=3, 2<4 (2 below), 3=3, 1<3 (2 below)
    // Lead-Principal expects 5 everywhere: only the 5 reaches it.
    expect(summary).toContain(
      '*5 of 8 at or above Senior expectations*: 1 above, 4 meet, 3 focus areas (two or more below). 1 already at or above Lead-Principal expectations.',
    );
    // Every focus area, largest gap first, primary before supporting; nothing one below, so no such list.
    expect(summary).toContain(
      [
        '*Focus areas* · two or more below',
        '1. *Global Commerce Platform Scaling* (primary): rated 2/5, expected 4/5',
        '2. *Commerce Analytics and Experimentation* (supporting): rated 2/5, expected 4/5',
        '3. *Supply Chain Integration Architecture* (supporting): rated 1/5, expected 3/5',
      ].join('\n'),
    );
    expect(summary).not.toContain('Worth a conversation');
    expect(summary).toContain(
      '*Omnichannel Architecture*  ·  :large_blue_circle: 1 above\nYou ▰▰▰▰▰ 5/5  ·  Expected ▰▰▰▰▱ 4/5',
    );
    expect(summary).toContain(
      '*Composable Commerce Strategy*  ·  :white_check_mark: meets\nYou ▰▰▰▰▱ 4/5  ·  Expected ▰▰▰▰▱ 4/5',
    );
    expect(summary).toContain(
      '*Supply Chain Integration Architecture*  ·  :red_circle: 2 below · focus area',
    );
    expect(buttons(step).map((b) => b.text)).toEqual([
      'Share to channel',
      'Rate again',
      'History',
      'Include in team views',
      'See it as a chart',
      'Ask for a review',
      // From a rating to growth (summary_growth): a plan for the gaps, and sharing with one person.
      'Make a plan',
      'Share with…',
      // Check-in reminders: off until the person chooses.
      '✓ Off',
      'Monthly',
      'Quarterly',
    ]);

    // Everything is on disk, and the finished assessment is in the history with its expectations.
    const data = await onDisk(h);
    const person = Object.entries(data.people).find(([key]) => key.endsWith(`:${ALICE}`))?.[1];
    expect(
      Object.values(person?.ratings['solutions-architect.e-commerce'] ?? {}).map((r) => r.value),
    ).toEqual(mine);
    expect(person?.history).toHaveLength(1);
    expect(JSON.stringify(person?.history[0])).toContain('"expected":4');
  });

  it('shows the current rating when coming back to a rated competency, and Back goes back', async ({
    harness: h,
  }) => {
    let step = await startRating(h);
    expect(buttons(step).map((b) => b.text)).not.toContain('← Back'); // nothing before the first
    step = await h.press(step, LABELS[3] ?? '', { userId: ALICE });
    expect(textOf(step)).toContain('2 of 8');
    step = await h.press(step, '← Back', { userId: ALICE });
    expect(textOf(step)).toContain('1 of 8');
    expect(textOf(step)).toContain('Your current rating: *Proficient (3/5)*');
  });

  it('Skip leaves a competency unrated and Not applicable keeps it out of the counts', async ({
    harness: h,
  }) => {
    let step = await startRating(h);
    step = await h.press(step, 'Skip', { userId: ALICE });
    step = await h.press(step, 'Not applicable', { userId: ALICE });
    for (let i = 2; i < 8; i++) step = await h.press(step, LABELS[SENIOR[i] ?? 1] ?? '', { userId: ALICE });
    const summary = textOf(step);
    expect(summary).toContain(
      '*6 of 6 at or above Senior expectations* (1 not applicable, 1 skipped): 6 meet.',
    );
    expect(summary).toContain('*Composable Commerce Strategy*  ·  :grey_question: skipped');
    expect(summary).toContain('*Omnichannel Architecture*  ·  :heavy_minus_sign: not applicable');
    expect(summary).toContain('*Focus areas* · two or more below\nNone. No gaps at this level. :tada:');
  });

  it('resumes where the person stopped, even after the app restarts', async ({ harness: h }) => {
    let step = await startRating(h);
    step = await h.press(step, LABELS[2] ?? '', { userId: ALICE });
    step = await h.press(step, LABELS[3] ?? '', { userId: ALICE });
    expect(textOf(step)).toContain('3 of 8');

    await h.restart();
    const answer = (await h.command('solutions-architect senior', { userId: ALICE })).json;
    expect(buttons(answer).map((b) => b.text)).toContain('Continue rating (3 of 8)');
    step = await h.press(answer, 'Continue rating (3 of 8)', { userId: ALICE });
    expect(textOf(step)).toContain('3 of 8');
    expect(textOf(step)).toContain('Global Commerce Platform Scaling');
  });

  it('acknowledges a rating click before saving it, and answers once it is saved', async ({
    harness: h,
    onTestFinished,
  }) => {
    const step = await startRating(h);
    // The save is held back until the click's acknowledgement has come: Slack allows 3 seconds for
    // it, whatever the store is doing. (An app that saved before acknowledging would never
    // acknowledge here, and the test would fail on its timeout.)
    let letSaveThrough = () => {};
    const saveHeld = new Promise<void>((resolve) => {
      letSaveThrough = resolve;
    });
    const answer = h.deps.assessments.answer.bind(h.deps.assessments);
    const held = vi.spyOn(h.deps.assessments, 'answer').mockImplementationOnce(async (...args) => {
      await saveHeld;
      return answer(...args);
    });
    onTestFinished(() => held.mockRestore());
    const responseUrl = h.slack.newResponseUrl();
    const res = await h.click(step, LABELS[4] ?? '', { userId: ALICE, responseUrl });
    expect([res.status, res.text]).toEqual([200, '']);
    const onDiskNow = (await onDisk(h)).people;
    expect(Object.values(onDiskNow).flatMap((p) => Object.keys(p.ratings))).toEqual([]);

    letSaveThrough();
    const next = await h.slack.waitForResponseTo(responseUrl);
    expect(textOf(next.body)).toContain('2 of 8');
    const person = Object.values((await onDisk(h)).people)[0];
    expect(
      Object.values(person?.ratings['solutions-architect.e-commerce'] ?? {}).map((r) => r.value),
    ).toEqual([4]);
  });

  it('counts the same click delivered twice (a Slack retry) once', async ({ harness: h }) => {
    let step = await startRating(h);
    for (let i = 0; i < 7; i++) step = await h.press(step, LABELS[4] ?? '', { userId: ALICE });
    // The last click, delivered twice, with the same payload.
    const last = findButton(step, LABELS[4] ?? '');
    const payload = {
      type: 'block_actions',
      user: { id: ALICE, username: 'alice', name: 'alice', team_id: 'T0LOCAL0001' },
      team: { id: 'T0LOCAL0001', domain: 'local-sandbox' },
      api_app_id: 'A0LOCALAPP1',
      token: 'x',
      container: { type: 'message', message_ts: '1.2', channel_id: 'C0LOCALCHN1', is_ephemeral: true },
      trigger_id: '1.2.3',
      channel: { id: 'C0LOCALCHN1', name: 'general' },
      response_url: h.slack.newResponseUrl(),
      actions: [
        {
          type: 'button',
          action_id: last.action_id,
          block_id: last.block_id,
          value: last.value,
          text: { type: 'plain_text', text: last.text },
          action_ts: '1.3',
        },
      ],
    };
    const first = await sendInteraction(h.eventsUrl, SIGNING_SECRET, payload);
    const again = await sendInteraction(h.eventsUrl, SIGNING_SECRET, payload, {
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect([first.status, again.status]).toEqual([200, 200]);
    // Each delivery is answered, through the same response_url.
    const posts = (await postsTo(h.slack, payload.response_url, 2)).map((r) => textOf(r.body));
    expect(posts[0]).toContain('at or above Senior expectations');
    expect(posts[1]).toEqual(posts[0]);
    const person = Object.values((await onDisk(h)).people)[0];
    expect(person?.history).toHaveLength(1);
  });

  it('refuses a tampered click with a kind explanation and writes nothing', async ({ harness: h }) => {
    const step = await startRating(h);
    const file = path.join(h.dataDir, FILE);
    const before = await readFile(file, 'utf8');
    const good = JSON.parse(findButton(step, LABELS[3] ?? '').value) as Record<string, unknown>;
    const tampered = [
      JSON.stringify({ ...good, a: 7 }),
      JSON.stringify({ ...good, a: 0 }),
      JSON.stringify({ ...good, c: 'no-such-competency' }),
      JSON.stringify({ ...good, f: 'no-such.framework' }),
      JSON.stringify({ ...good, user: 'U0SOMEONE', a: 'x' }),
      'not json at all',
    ];
    for (const value of tampered) {
      const text = textOf(await h.press(step, LABELS[3] ?? '', { userId: ALICE, value }));
      expect(text).toMatch(/Nothing was saved|nothing was saved/);
      expect(text).not.toMatch(/Error|stack|undefined/);
    }
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('refuses a click for a competency that no longer exists, and one from an older framework version', async ({
    tempDir: dir,
    startHarness,
  }) => {
    await cp(BUNDLED_FRAMEWORKS_DIR, dir, { recursive: true });
    const file = path.join(dir, 'solutions-architect.e-commerce.yml');
    const original = await readFile(file, 'utf8');
    const h = await startHarness({ frameworkDirs: [dir] });
    const step = await startRating(h);

    // An admin removes the first competency without changing the version.
    const start = original.indexOf('  - id: composable-commerce-strategy');
    const end = original.indexOf('  - id: omnichannel-architecture');
    await writeFile(file, original.slice(0, start) + original.slice(end));
    await h.restart();
    const before = await readFile(path.join(h.dataDir, FILE), 'utf8');
    expect(textOf(await h.press(step, LABELS[4] ?? '', { userId: ALICE }))).toContain(
      'the competency is no longer in it. Nothing was saved',
    );

    // Then bumps the version: clicks from before the change are refused, with a way to start again.
    await writeFile(file, original.replace(/^version: .*$/m, 'version: "2026-11-27.1"'));
    await h.restart();
    const refusal = await h.press(step, LABELS[4] ?? '', { userId: ALICE });
    expect(textOf(refusal)).toContain('has been updated since you started rating. Nothing was saved');
    expect(await readFile(path.join(h.dataDir, FILE), 'utf8')).toBe(before);
    expect(textOf(await h.press(refusal, 'Start again', { userId: ALICE }))).toContain('1 of 8');
  });

  it('rates the person who clicked, never someone named by the button', async ({ harness: h }) => {
    const alicesStep = await startRating(h, ALICE);
    const answer = await h.press(alicesStep, LABELS[5] ?? '', { userId: 'U0BOB000001' });
    expect(textOf(answer)).toContain(
      'You have no rating in progress for *Solutions Architect*. Nothing was saved',
    );
    const people = (await onDisk(h)).people;
    const bob = Object.entries(people).find(([key]) => key.endsWith(':U0BOB000001'))?.[1];
    const alice = Object.entries(people).find(([key]) => key.endsWith(`:${ALICE}`))?.[1];
    expect(Object.keys(alice?.ratings ?? {})).toHaveLength(0);
    // Bob has no run of his own, so his click is refused rather than applied to Alice's.
    expect(Object.keys(bob?.ratings ?? {})).toHaveLength(0);
  });

  it('50 people rating at once: every rating is on disk afterwards', async ({ harness: h }) => {
    const harness = h;
    const users = Array.from({ length: 50 }, (_, i) => `U0LOAD${String(i).padStart(5, '0')}`);
    await Promise.all(
      users.map(async (userId, u) => {
        const answer = (await harness.command('sa senior', { userId })).json;
        let step = await harness.press(answer, 'Rate yourself', { userId });
        for (let i = 0; i < 8; i++) {
          step = await harness.press(step, LABELS[((u + i) % 5) + 1] ?? '', { userId });
        }
        expect(textOf(step)).toContain('at or above Senior expectations');
      }),
    );
    const people = (await onDisk(harness)).people;
    for (const [u, userId] of users.entries()) {
      const person = Object.entries(people).find(([key]) => key.endsWith(`:${userId}`))?.[1];
      const values = Object.values(person?.ratings['solutions-architect.e-commerce'] ?? {}).map(
        (r) => r.value,
      );
      expect(values).toHaveLength(8);
      expect(person?.history).toHaveLength(1);
      expect(values).toEqual(Array.from({ length: 8 }, (_, i) => ((u + i) % 5) + 1));
    }
  });

  it('/competency history and the Home tab list finished assessments with what changed', async ({
    harness: h,
  }) => {
    let step = await startRating(h);
    for (let i = 0; i < 8; i++) step = await h.press(step, LABELS[3] ?? '', { userId: ALICE });
    step = await h.press(step, 'Rate again', { userId: ALICE });
    expect(textOf(step)).toContain('Your current rating: *Proficient (3/5)*');
    step = await h.press(step, LABELS[5] ?? '', { userId: ALICE });
    for (let i = 1; i < 8; i++) step = await h.press(step, LABELS[3] ?? '', { userId: ALICE });

    const history = textOf((await h.command('history', { userId: ALICE })).json);
    expect(history).toContain('Changed: Composable Commerce Strategy 3 → 5');
    expect(history).toContain('First assessment of this framework');
    expect(history.indexOf('Changed:')).toBeLessThan(history.indexOf('First assessment'));

    // Someone else's history is their own (empty).
    expect(textOf((await h.command('history', { userId: 'U0BOB000001' })).json)).toContain(
      'No finished assessments yet',
    );

    const opened = since(h.slack);
    await sendEvent(h.eventsUrl, SIGNING_SECRET, appHomeOpenedEnvelope({ tab: 'home', user: ALICE }));
    const published = await opened.call('views.publish');
    expect(published.ok).toBe(true);
    expect(JSON.stringify(published.args)).toContain('Composable Commerce Strategy 3 → 5');
  });

  it('the Home tab offers to continue an unfinished assessment, and rating continues there', async ({
    harness: h,
  }) => {
    let step = await startRating(h);
    step = await h.press(step, LABELS[2] ?? '', { userId: ALICE });
    const opened = since(h.slack);
    await sendEvent(h.eventsUrl, SIGNING_SECRET, appHomeOpenedEnvelope({ tab: 'home', user: ALICE }));
    const home = (await opened.call('views.publish')).args.view as View;
    expect(textOf(home)).toContain('*Your role: Solutions Architect · Senior* (E-commerce)');
    const resume = findButton(home, 'Continue rating (2 of 8)');

    // A click in the Home tab has no response_url: the answer is published to the Home tab.
    const payload: Record<string, unknown> = blockActionPayload({
      user: { id: ALICE },
      actionId: resume.action_id,
      blockId: resume.block_id,
      value: resume.value,
      responseUrl: '',
    });
    delete payload.response_url;
    payload.container = { type: 'view', view_id: 'V0HOME00001' };
    payload.view = { id: 'V0HOME00001', type: 'home', blocks: home.blocks, hash: '1' };
    h.slack.reset();
    const clicked = since(h.slack);
    const res = await sendInteraction(h.eventsUrl, SIGNING_SECRET, payload);
    expect(res.status).toBe(200);
    const view = (await clicked.call('views.publish')).args.view;
    expect(textOf(view)).toContain('2 of 8');
    expect(textOf(view)).toContain('Omnichannel Architecture');
    expect(buttons(view).map((b) => b.text)).toContain('← Home');
    // Once the app is done with the click: it published the Home tab once, and posted nothing else.
    await h.idle();
    expect(h.slack.calls.filter((c) => c.method === 'views.publish')).toHaveLength(1);
    expect(h.slack.responses).toHaveLength(0);
  });
});
