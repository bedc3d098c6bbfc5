import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { appHomeOpenedEnvelope } from '../../src/sandbox/event-envelopes.js';
import { sendEvent } from '../../src/sandbox/signing.js';
import {
  type Harness,
  type OpenedForm,
  SIGNING_SECRET,
  submitSameChoice,
  textOf,
} from '../integration/harness.js';
import { it } from '../support/fixtures.js';
import { eventually, since } from '../support/waiting.js';

/**
 * Slack misbehaving, as the local Slack can make it: `ok: false` answers, HTTP 429 with Retry-After,
 * HTTP 500, and response_urls that answer 404. In each case the person hears what happened, no
 * rating is lost, and the app goes on serving the next request.
 */

const ALICE = 'U0ALICE0001';
const LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];

/** The app still answers a plain command: the process is up and serving. */
async function stillServing(harness: Harness): Promise<void> {
  const res = await harness.command('sa senior', { userId: ALICE });
  expect(res.status).toBe(200);
  expect(textOf(res.json)).toContain('Expected at Senior');
}

async function ratingsOnDisk(harness: Harness): Promise<unknown[]> {
  const data = JSON.parse(await readFile(path.join(harness.dataDir, 'competency-data.json'), 'utf8'));
  const person = data.people[`T0LOCAL0001:${ALICE}`];
  return Object.values(person?.ratings['solutions-architect.e-commerce'] ?? {}).map(
    (r) => (r as { value: unknown }).value,
  );
}

describe('when Slack answers with an error', () => {
  it.for(['invalid_blocks', 'channel_not_found', 'not_in_channel'])(
    'views.open answering ok:false (%s): the person is told, and the app serves on',
    async (error, { harness: h }) => {
      const answer = (await h.command('sa senior', { userId: ALICE })).json;
      h.slack.failNext('views.open', error);
      const told = await h.press(answer, 'Rate all at once', { userId: ALICE });
      expect(textOf(told)).toContain('Something went wrong on our side');
      await stillServing(h);
    },
  );

  it('/competency export with conversations.open answering channel_not_found explains it', async ({
    harness: h,
  }) => {
    h.slack.failNext('conversations.open', 'channel_not_found');
    const told = await h.followUp(await h.command('export', { userId: ALICE }));
    expect(textOf(told)).toContain("couldn't send your export (Slack said: `channel_not_found`)");
    await stillServing(h);
  });

  it('HTTP 500 from the Web API: the person is told, and the app serves on', async ({ harness: h }) => {
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    h.slack.failNextHttp('views.open', { status: 500, body: 'internal error' });
    const told = await h.press(answer, 'Rate all at once', { userId: ALICE });
    expect(textOf(told)).toContain('Something went wrong on our side');
    h.slack.failNextHttp('files.getUploadURLExternal', { status: 500 });
    const exported = await h.followUp(await h.command('export', { userId: ALICE }));
    expect(textOf(exported)).toContain("couldn't send your export");
    await stillServing(h);
  });

  it('HTTP 429 with Retry-After on a click: the person is told to try again then, and nobody waits', async ({
    startHarness,
  }) => {
    const h = await startHarness({ retryConfig: { retries: 2, minTimeout: 50, maxTimeout: 200 } });
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    h.slack.failNextHttp('views.open', { status: 429, headers: { 'retry-after': '30' } });
    const told = await h.press(answer, 'Rate all at once', { userId: ALICE });
    expect(textOf(told)).toContain('Slack asked this app to slow down');
    expect(textOf(told)).toContain('try again in 30 seconds');
    // Not retried: a trigger_id lives 3 seconds, and waiting would hold up everyone else's calls.
    expect(h.slack.calls.filter((c) => c.method === 'views.open')).toHaveLength(1);
    await stillServing(h);
  });

  it('the Home tab failing to publish (HTTP 500) leaves the app serving', async ({ harness: h }) => {
    h.slack.failNextHttp('views.publish', { status: 500 });
    const res = await sendEvent(
      h.eventsUrl,
      SIGNING_SECRET,
      appHomeOpenedEnvelope({ tab: 'home', user: ALICE }),
    );
    expect(res.status).toBe(200);
    // Acknowledged before the app tried; the failure shows in the log.
    await eventually(() => expect(h.logs.join('\n')).toContain('Could not publish the Home tab'));
    await stillServing(h);
  });
});

describe('when a response_url no longer works', () => {
  it('a rating is still saved, and the next step reaches the person as a private message', async ({
    harness: h,
  }) => {
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    const step = await h.press(answer, 'Rate yourself', { userId: ALICE });
    const dead = h.slack.newResponseUrl();
    h.slack.failResponseUrl(dead, { status: 404, body: 'expired_url' });
    const clicked = since(h.slack);
    const res = await h.click(step, LABELS[3] ?? '', { userId: ALICE, responseUrl: dead });
    expect(res.status).toBe(200);
    // The rating is saved, then the answer tried at the response_url, then privately.
    const fallback = await clicked.call('chat.postEphemeral');
    expect(await ratingsOnDisk(h)).toEqual([3]);
    expect(fallback.ok).toBe(true);
    expect(fallback.args.user).toBe(ALICE);
    expect(JSON.stringify(fallback.args.blocks)).toContain('2 of 8');
    await stillServing(h);
  });

  it('where the app may not post in the channel (not_in_channel), the next step arrives as a direct message', async ({
    harness: h,
  }) => {
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    const step = await h.press(answer, 'Rate yourself', { userId: ALICE });
    const dead = h.slack.newResponseUrl();
    h.slack.failResponseUrl(dead, { status: 404, body: 'expired_url' });
    h.slack.failNext('chat.postEphemeral', 'not_in_channel');
    const clicked = since(h.slack);
    await h.click(step, LABELS[5] ?? '', { userId: ALICE, responseUrl: dead });
    const dm = await clicked.call('chat.postMessage');
    expect(await ratingsOnDisk(h)).toEqual([5]);
    expect(dm.args.channel).toBe(ALICE);
    expect(dm.ok).toBe(true);
    expect(textOf(dm.args)).toContain('2 of 8');
    await stillServing(h);
  });

  it('when the direct message fails too, the rating is kept, the log says so, and the app serves on', async ({
    harness: h,
  }) => {
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    const step = await h.press(answer, 'Rate yourself', { userId: ALICE });
    const dead = h.slack.newResponseUrl();
    h.slack.failResponseUrl(dead, { status: 404, body: 'expired_url' });
    h.slack.failNext('chat.postEphemeral', 'not_in_channel');
    h.slack.failNext('chat.postMessage', 'channel_not_found');
    await h.click(step, LABELS[5] ?? '', { userId: ALICE, responseUrl: dead });
    await eventually(() =>
      expect(h.logs.join('\n')).toContain('Could not reach the person privately either'),
    );
    expect(await ratingsOnDisk(h)).toEqual([5]);
    await stillServing(h);
  });
});

describe('Slack asking the app to slow down (HTTP 429) holds up only the work it concerns', () => {
  const BOB = 'U0BOB000001';

  it('a 429 on one person’s export does not delay another person’s click', async ({ harness: h }) => {
    const bobsAnswer = (await h.command('sa senior', { userId: BOB })).json;
    // Alice's export meets a 429 that asks for 30 seconds of patience. "Preparing your export…" is
    // the acknowledgement; the export goes on after it, and keeps waiting.
    h.slack.failNextHttp('files.getUploadURLExternal', { status: 429, headers: { 'retry-after': '30' } });
    const exporting = await h.command('export', { userId: ALICE });
    expect(textOf(exporting.json)).toContain('Preparing your export');
    await h.slack.waitForCalls('files.getUploadURLExternal', 1);
    // Meanwhile Bob opens the Rate all form: it opens now, not after Alice's 30 seconds (a trigger_id
    // lives 3 seconds). Waiting for the form gives up after 10 seconds, a third of the pause it must
    // not wait for.
    const clicked = since(h.slack);
    const res = await h.click(bobsAnswer, 'Rate all at once', { userId: BOB });
    expect(res.status).toBe(200);
    expect((await clicked.call('views.open')).ok).toBe(true);
    expect(h.slack.calls.filter((c) => c.method === 'views.open')).toHaveLength(1);
    // Alice's export is still waiting for its turn: its first try (one upload URL per file) failed,
    // and it has not tried again yet.
    expect(h.slack.calls.filter((c) => c.method === 'files.getUploadURLExternal').length).toBeLessThanOrEqual(
      2,
    );
    expect(h.slack.calls.filter((c) => c.method === 'files.completeUploadExternal')).toEqual([]);
  });

  it('an export that meets a 429 waits as asked, tries again, and delivers', async ({ harness: h }) => {
    h.slack.failNextHttp('files.getUploadURLExternal', { status: 429, headers: { 'retry-after': '1' } });
    const told = await h.followUp(await h.command('export', { userId: ALICE }));
    expect(textOf(told)).toContain("I've sent your data");
    expect(h.slack.files.map((f) => f.filename).sort()).toEqual([
      expect.stringMatching(/\.csv$/),
      expect.stringMatching(/\.json$/),
    ]);
  });
});

describe('after a Slack failure, the person hears what really happened', () => {
  it('Rate all with an expired response_url: saved, the form closes, and the summary arrives privately', async ({
    harness: h,
  }) => {
    const dead = h.slack.newResponseUrl();
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    await h.click(answer, 'Rate all at once', { userId: ALICE, responseUrl: dead });
    const [opened] = await h.slack.waitForCalls('views.open', 1);
    h.slack.failResponseUrl(dead, { status: 404, body: 'expired_url' });
    const submitted = since(h.slack);
    const res = await submitSameChoice(h, opened?.args.view as OpenedForm, '4', { user: { id: ALICE } });
    expect(res.status).toBe(200);
    expect(res.text).toBe(''); // the form closes
    const told = await submitted.call('chat.postEphemeral');
    expect(await ratingsOnDisk(h)).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
    expect(told.ok).toBe(true);
    expect(told.args.user).toBe(ALICE);
    expect(textOf(told.args)).toContain('Your self-assessment');
  });

  it('an export delivered whose confirmation failed never tells the person it failed', async ({
    harness: h,
  }) => {
    const responseUrl = h.slack.newResponseUrl();
    // The first post to the command's response_url (the confirmation) fails; later ones would work.
    h.slack.failResponseUrl(responseUrl, { status: 500, times: 1 });
    await h.command('export', { userId: ALICE, responseUrl });
    expect(await h.slack.waitForFiles(2)).toHaveLength(2);
    // Everything the app said about it, once it is done with the export.
    await h.idle();
    const said = [
      ...h.slack.responses.filter((r) => r.url === responseUrl && r.ok).map((r) => textOf(r.body)),
      ...h.slack.calls.filter((c) => c.method.startsWith('chat.post') && c.ok).map((c) => textOf(c.args)),
    ].join('\n');
    expect(said).not.toContain("couldn't send your export");
    expect(said).toContain("I've sent your data");
  });
});
