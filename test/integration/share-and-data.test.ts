import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { viewSubmissionPayload } from '../../src/sandbox/interaction-payloads.js';
import { sendInteraction } from '../../src/sandbox/signing.js';
import { it } from '../support/fixtures.js';
import { postsTo, since } from '../support/waiting.js';
import {
  buttons,
  finishSeniorAssessment,
  type Harness,
  type Posted,
  SIGNING_SECRET,
  textOf,
} from './harness.js';

const ALICE = 'U0ALICE0001';
const BOB = 'U0BOB000001';
const FILE = 'competency-data.json';

/** Rates all 8 competencies with the given ratings and returns the summary message. */
const finishAssessment = (harness: Harness, userId: string, ratings: number[]): Promise<Posted> =>
  finishSeniorAssessment(harness, userId, ratings) as Promise<Posted>;

const inChannel = (harness: Harness) =>
  harness.slack.responses.filter((r) => r.body.response_type === 'in_channel');

describe('sharing a summary in a channel', () => {
  it('shows a private preview first, then posts in the channel through the response_url', async ({
    harness: h,
  }) => {
    const summary = await finishAssessment(h, ALICE, [4, 5, 2, 4, 3, 2, 3, 1]);
    const preview = (await h.press(summary, 'Share to channel', { userId: ALICE })) as Posted;
    expect(preview.response_type).toBe('ephemeral');
    expect(textOf(preview)).toContain('*Preview* — only you can see this');
    expect(buttons(preview).map((b) => b.text)).toEqual(['Post it', 'Cancel']);
    expect(inChannel(h)).toHaveLength(0);

    // Post it: the summary goes to the channel through the click's response_url, then the preview
    // is replaced with a confirmation through the same response_url.
    const responseUrl = h.slack.newResponseUrl();
    await h.click(preview, 'Post it', { userId: ALICE, responseUrl });
    const [shared, confirmed] = await postsTo(h.slack, responseUrl, 2);
    const confirmation = confirmed?.body;
    expect(confirmation?.replace_original).toBe(true);
    const posted = inChannel(h);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toBe(shared);
    const post = posted[0]?.body as Posted;
    expect(post.replace_original).toBe(false);
    const text = textOf(post);
    expect(text).toContain(`<@${ALICE}> shared their self-assessment`);
    expect(text).toContain('*Solutions Architect* · E-commerce · Senior');
    expect(text).toContain(
      '*5 of 8 at or above Senior expectations*: 1 above, 4 meet, 3 focus areas (two or more below). 1 already at or above Lead-Principal expectations.',
    );
    expect(text).toContain(
      '*Focus areas* · two or more below\n1. *Global Commerce Platform Scaling* (primary)',
    );
    expect(text).toContain('<!date^');
    expect(text).toContain('*Supply Chain Integration Architecture*  ·  :red_circle: 2 below · focus area');
    // The only thing anyone else can do with it is look at the framework.
    expect(buttons(post).map((b) => b.text)).toEqual(['View this framework']);
    expect(textOf(confirmation)).toContain(
      'Posted your Solutions Architect · Senior self-assessment to the channel',
    );
  });

  it('Cancel posts nothing and brings the summary back', async ({ harness: h }) => {
    const summary = await finishAssessment(h, ALICE, [4, 4, 4, 4, 3, 4, 3, 3]);
    const preview = await h.press(summary, 'Share to channel', { userId: ALICE });
    const back = await h.press(preview, 'Cancel', { userId: ALICE });
    expect(textOf(back)).toContain('Not shared. Nothing was posted.');
    expect(textOf(back)).toContain('*8 of 8 at or above Senior expectations*: 8 meet.');
    expect(inChannel(h)).toHaveLength(0);
  });

  it('/competency share previews the latest assessment; with none it says how to make one', async ({
    harness: h,
  }) => {
    expect(textOf((await h.command('share', { userId: ALICE })).json)).toContain(
      'no finished self-assessment to share yet',
    );
    await finishAssessment(h, ALICE, [1, 1, 1, 1, 1, 1, 1, 1]);
    await finishAssessment(h, ALICE, [5, 5, 5, 5, 5, 5, 5, 5]);
    const preview = (await h.command('share', { userId: ALICE })).json;
    expect(textOf(preview)).toContain(
      '*8 of 8 at or above Senior expectations*: 8 above. 8 already at or above Lead-Principal expectations.',
    );
    await h.press(preview, 'Post it', { userId: ALICE });
    expect(inChannel(h)).toHaveLength(1);
  });

  it('when Slack refuses the post, the person is told privately what happened and what to do', async ({
    harness: h,
  }) => {
    const summary = await finishAssessment(h, ALICE, [4, 4, 4, 4, 3, 4, 3, 3]);
    const preview = await h.press(summary, 'Share to channel', { userId: ALICE });
    const responseUrl = h.slack.newResponseUrl();
    h.slack.failResponseUrl(responseUrl, { status: 404, body: '{"ok":false,"error":"expired_url"}' });
    const clicked = since(h.slack);
    const res = await h.click(preview, 'Post it', { userId: ALICE, responseUrl });
    expect(res.status).toBe(200);
    const told = await clicked.call('chat.postEphemeral');
    expect(inChannel(h).filter((r) => r.ok)).toHaveLength(0);
    expect(told.ok).toBe(true);
    expect(told.args.user).toBe(ALICE);
    const text = JSON.stringify(told.args);
    expect(text).toContain('expired_url');
    expect(text).toContain('/competency share');
    expect(text).toContain('invite the app');
  });

  it('View this framework shows it privately to whoever presses it, and changes nothing of the sharer', async ({
    harness: h,
  }) => {
    const summary = await finishAssessment(h, ALICE, [4, 4, 4, 4, 3, 4, 3, 3]);
    const preview = await h.press(summary, 'Share to channel', { userId: ALICE });
    await h.press(preview, 'Post it', { userId: ALICE });
    const post = inChannel(h)[0]?.body;
    const before = await readFile(path.join(h.dataDir, FILE), 'utf8');

    const seen = (await h.press(post, 'View this framework', {
      userId: BOB,
      inChannel: true,
    })) as Posted;
    expect(seen.response_type).toBe('ephemeral');
    expect(seen.replace_original).toBe(false); // a new private message: the shared post stays as it was
    expect(textOf(seen)).toContain('Expected at Senior: *Advanced (4/5)*');
    expect(buttons(seen).map((b) => b.text)).toContain('Rate yourself');
    expect(await readFile(path.join(h.dataDir, FILE), 'utf8')).toBe(before);
  });
});

describe('comparing levels', () => {
  it('/competency compare shows every level side by side and what changes', async ({ harness: h }) => {
    const text = textOf((await h.command('compare sa', { userId: ALICE })).json);
    expect(text).toMatch(/Marketplace Architecture.*\n.*Mid-Level 1 · Senior 3 · Lead-Principal 5/);
    expect(text).toContain('What changes from Senior to Lead-Principal');
    expect(text).toContain('What changes from Mid-Level to Senior');
  });

  it('the Compare levels button on a framework answer compares from that level', async ({ harness: h }) => {
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    const compared = await h.press(answer, 'Compare levels', { userId: ALICE });
    const text = textOf(compared);
    expect(text).toContain('What changes from Senior to Lead-Principal');
    expect(text).not.toContain('What changes from Mid-Level to Senior');
    expect(buttons(compared).map((b) => b.text)).toEqual([
      'See Mid-Level',
      'See Senior',
      'See Lead-Principal',
    ]);
  });
});

describe('rating everything in one form', () => {
  async function openForm(harness: Harness) {
    const answer = (await harness.command('sa senior', { userId: ALICE })).json;
    const responseUrl = harness.slack.newResponseUrl();
    const clicked = since(harness.slack);
    await harness.click(answer, 'Rate all at once', { userId: ALICE, responseUrl });
    const opened = await clicked.call('views.open');
    expect(opened.ok).toBe(true);
    return {
      view: opened.args.view as {
        blocks: { block_id: string; element?: { initial_option?: { value: string } } }[];
        private_metadata: string;
      },
      responseUrl,
    };
  }

  function submit(
    harness: Harness,
    view: { private_metadata: string },
    values: Record<string, string | null>,
  ) {
    const state = Object.fromEntries(
      Object.entries(values).map(([competency, value]) => [
        `competency:${competency}`,
        {
          rating: {
            type: 'static_select',
            selected_option: value === null ? null : { text: { type: 'plain_text', text: value }, value },
          },
        },
      ]),
    );
    return sendInteraction(
      harness.eventsUrl,
      SIGNING_SECRET,
      viewSubmissionPayload({
        user: { id: ALICE },
        callbackId: 'rate_all',
        privateMetadata: view.private_metadata,
        values: state,
        viewId: 'V0FORM00001',
        view: { blocks: (view as unknown as { blocks: unknown[] }).blocks },
      }),
    );
  }

  const ALL = [
    'composable-commerce-strategy',
    'omnichannel-architecture',
    'global-commerce-platform-scaling',
    'customer-data-and-personalization-platform',
    'marketplace-architecture',
    'commerce-analytics-and-experimentation',
    'technical-team-leadership',
    'supply-chain-integration-architecture',
  ];

  it('opens filled in with the current ratings, saves all of them at once, and shows the summary', async ({
    harness: h,
  }) => {
    // One rating given the usual way first.
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    const step = await h.press(answer, 'Rate yourself', { userId: ALICE });
    await h.press(step, '2 · Developing', { userId: ALICE });

    const { view, responseUrl } = await openForm(h);
    const inputs = view.blocks.filter((b) => b.block_id?.startsWith('competency:'));
    expect(inputs).toHaveLength(8);
    expect(inputs[0]?.element?.initial_option?.value).toBe('2');
    expect(inputs[1]?.element?.initial_option).toBeUndefined();

    const res = await submit(h, view, Object.fromEntries(ALL.map((id, i) => [id, i === 1 ? 'na' : '4'])));
    expect(res.status).toBe(200);
    expect(res.text).toBe(''); // the form closes
    // The summary replaces the message the form was opened from.
    const summary = await h.slack.waitForResponseTo(responseUrl);
    expect(summary.body.replace_original).toBe(true);
    expect(textOf(summary.body)).toContain(
      '*7 of 7 at or above Senior expectations* (1 not applicable): 3 above, 4 meet.',
    );

    const data = JSON.parse(await readFile(path.join(h.dataDir, FILE), 'utf8'));
    const person = Object.values(data.people)[0] as {
      ratings: Record<string, Record<string, { value: unknown }>>;
    };
    expect(Object.values(person.ratings['solutions-architect.e-commerce'] ?? {}).map((r) => r.value)).toEqual(
      [4, 'na', 4, 4, 4, 4, 4, 4],
    );
  });

  it('rejects bad input next to the field, and an empty form, saving nothing', async ({ harness: h }) => {
    const { view } = await openForm(h);
    const before = await readFile(path.join(h.dataDir, FILE), 'utf8').catch(() => '');

    const forged = await submit(h, view, {
      'marketplace-architecture': '7',
      'omnichannel-architecture': '3',
    });
    expect(forged.json).toEqual({
      response_action: 'errors',
      errors: { 'competency:marketplace-architecture': 'Choose a rating from 1 to 5, or Not applicable.' },
    });
    const empty = await submit(h, view, Object.fromEntries(ALL.map((id) => [id, null])));
    expect((empty.json as { errors: Record<string, string> }).errors).toEqual({
      'competency:composable-commerce-strategy': 'Choose at least one rating, or press Cancel.',
    });
    const unknown = await submit(h, view, { 'no-such-competency': '3' });
    expect(JSON.stringify(unknown.json)).toContain('updated while the form was open');
    await h.idle();
    expect(await readFile(path.join(h.dataDir, FILE), 'utf8').catch(() => '')).toBe(before);
  });
});

describe('my data', () => {
  it('/competency export sends exactly the person’s own data, privately, as JSON and CSV', async ({
    harness: h,
  }) => {
    await finishAssessment(h, ALICE, [4, 5, 2, 4, 3, 2, 3, 1]);
    await finishAssessment(h, BOB, [1, 1, 1, 1, 1, 1, 1, 1]);
    h.slack.reset();
    const res = await h.command('export', { userId: ALICE });
    expect(res.status).toBe(200);
    expect(textOf(res.json)).toContain('Preparing your export');
    // The files go first; then what was sent replaces "Preparing your export…".
    const told = await h.followUp(res);
    const files = h.slack.files;
    expect(files.map((f) => f.filename).sort()).toEqual([
      expect.stringMatching(/^competency-export-\d{4}-\d\d-\d\d\.csv$/),
      expect.stringMatching(/^competency-export-\d{4}-\d\d-\d\d\.json$/),
    ]);
    const opened = h.slack.calls.find((c) => c.method === 'conversations.open');
    expect(opened?.args.users).toBe(ALICE);
    for (const f of files) {
      expect(f.channelId).toMatch(/^D/);
      expect(f.text()).not.toContain(BOB);
    }
    const json = JSON.parse(files.find((f) => f.filename.endsWith('.json'))?.text() ?? '{}');
    expect(json.person).toContain(ALICE);
    expect(json.history).toHaveLength(1);
    expect(
      Object.values(json.ratings['solutions-architect.e-commerce']).map(
        (r) => (r as { value: number }).value,
      ),
    ).toEqual([4, 5, 2, 4, 3, 2, 3, 1]);
    const csv = files.find((f) => f.filename.endsWith('.csv'))?.text() ?? '';
    expect(csv.split('\r\n').filter((l) => l.startsWith('assessment,'))).toHaveLength(8);
    expect(told.replace_original).toBe(true); // in place of "Preparing your export"
    expect(textOf(told)).toContain("I've sent your data to our direct messages");
  });

  it('/competency export explains a failure in plain words', async ({ harness: h }) => {
    h.slack.failNext('files.completeUploadExternal', 'not_in_channel');
    const told = await h.followUp(await h.command('export', { userId: ALICE }));
    expect(textOf(told)).toContain("couldn't send your export (Slack said: `not_in_channel`)");
  });

  it('/competency forget asks first, then deletes everything of that person durably', async ({
    harness: h,
  }) => {
    await finishAssessment(h, ALICE, [4, 4, 4, 4, 3, 4, 3, 3]);
    await finishAssessment(h, BOB, [3, 3, 3, 3, 3, 3, 3, 3]);
    const confirm = (await h.command('forget', { userId: ALICE })).json;
    // 8 ratings + 1 run + 1 finished assessment
    expect(textOf(confirm)).toContain('10 records');
    expect(buttons(confirm).map((b) => b.text)).toEqual(['Delete my data', 'Cancel']);

    const cancelled = await h.press(confirm, 'Cancel', { userId: ALICE });
    expect(textOf(cancelled)).toContain('Nothing was deleted');
    expect(textOf((await h.command('history', { userId: ALICE })).json)).toContain(
      '*8 of 8 at or above Senior expectations*: 8 meet.',
    );

    const done = await h.press(confirm, 'Delete my data', { userId: ALICE });
    expect(textOf(done)).toContain('Deleted 10 records');
    // Said plainly: what was shared or exported is in Slack, not in the app, and how to remove it.
    expect(textOf(confirm)).toContain('Posts you already shared in channels');
    expect(textOf(done)).toContain('Posts you already shared in channels, and files you already exported');
    expect(textOf(done)).toContain('*Delete message*');
    expect(textOf(done)).toContain('*Delete file*');

    await h.restart();
    expect(textOf((await h.command('history', { userId: ALICE })).json)).toContain(
      'No finished assessments yet',
    );
    expect(textOf((await h.command('history', { userId: BOB })).json)).toContain(
      '*3 of 8 at or above Senior expectations*: 3 meet, 5 worth a conversation (one below).',
    );
    const onDisk = await readFile(path.join(h.dataDir, FILE), 'utf8');
    expect(onDisk).not.toContain(ALICE);
    expect(onDisk).toContain(BOB);
    expect(textOf((await h.command('forget', { userId: ALICE })).json)).toContain(
      'There is nothing stored about you',
    );
  });
});
