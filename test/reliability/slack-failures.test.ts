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
    await h.command('export', { userId: ALICE });
    expect(textOf(h.slack.responses.at(-1)?.body)).toContain(
      "couldn't send your export (Slack said: `channel_not_found`)",
    );
    await stillServing(h);
  });

  it('HTTP 500 from the Web API: the person is told, and the app serves on', async ({ harness: h }) => {
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    h.slack.failNextHttp('views.open', { status: 500, body: 'internal error' });
    const told = await h.press(answer, 'Rate all at once', { userId: ALICE });
    expect(textOf(told)).toContain('Something went wrong on our side');
    h.slack.failNextHttp('files.getUploadURLExternal', { status: 500 });
    await h.command('export', { userId: ALICE });
    expect(textOf(h.slack.responses.at(-1)?.body)).toContain("couldn't send your export");
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
    expect(h.logs.join('\n')).toContain('Could not publish the Home tab');
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
    const res = await h.click(step, LABELS[3] ?? '', { userId: ALICE, responseUrl: dead });
    expect(res.status).toBe(200);
    expect(await ratingsOnDisk(h)).toEqual([3]);
    const fallback = h.slack.calls.filter((c) => c.method === 'chat.postEphemeral').at(-1);
    expect(fallback?.ok).toBe(true);
    expect(fallback?.args.user).toBe(ALICE);
    expect(JSON.stringify(fallback?.args.blocks)).toContain('2 of 8');
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
    await h.click(step, LABELS[5] ?? '', { userId: ALICE, responseUrl: dead });
    expect(await ratingsOnDisk(h)).toEqual([5]);
    const dm = h.slack.calls.find((c) => c.method === 'chat.postMessage' && c.args.channel === ALICE);
    expect(dm?.ok).toBe(true);
    expect(textOf(dm?.args)).toContain('2 of 8');
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
    expect(await ratingsOnDisk(h)).toEqual([5]);
    expect(h.logs.join('\n')).toContain('Could not reach the person privately either');
    await stillServing(h);
  });
});

describe('Slack asking the app to slow down (HTTP 429) holds up only the work it concerns', () => {
  const BOB = 'U0BOB000001';

  it('a 429 on one person’s export does not delay another person’s click', async ({ harness: h }) => {
    const bobsAnswer = (await h.command('sa senior', { userId: BOB })).json;
    // Alice's export meets a 429 that asks for 30 seconds of patience.
    h.slack.failNextHttp('files.getUploadURLExternal', { status: 429, headers: { 'retry-after': '30' } });
    // (The request is let go after 3 seconds, so the harness can close; the export keeps waiting.)
    void h.command('export', { userId: ALICE, timeoutMs: 3000 }).catch(() => {});
    await h.slack.waitForCalls('files.getUploadURLExternal', 1);
    // Meanwhile Bob opens the Rate all form: it opens now, not after Alice's 30 seconds (a trigger_id
    // lives 3 seconds). Sending gives up after 15 seconds, half the pause it must not wait for.
    const res = await h.click(bobsAnswer, 'Rate all at once', { userId: BOB });
    expect(res.status).toBe(200);
    const opened = h.slack.calls.filter((c) => c.method === 'views.open');
    expect(opened.map((c) => c.ok)).toEqual([true]);
    // Alice's export is still waiting for its turn: its first try (one upload URL per file) failed,
    // and it has not tried again yet.
    expect(h.slack.calls.filter((c) => c.method === 'files.getUploadURLExternal').length).toBeLessThanOrEqual(
      2,
    );
    expect(h.slack.calls.filter((c) => c.method === 'files.completeUploadExternal')).toEqual([]);
  });

  it('an export that meets a 429 waits as asked, tries again, and delivers', async ({ harness: h }) => {
    h.slack.failNextHttp('files.getUploadURLExternal', { status: 429, headers: { 'retry-after': '1' } });
    await h.command('export', { userId: ALICE });
    const files = await h.slack.waitForFiles(2);
    expect(files.map((f) => f.filename).sort()).toEqual([
      expect.stringMatching(/\.csv$/),
      expect.stringMatching(/\.json$/),
    ]);
    const told = h.slack.responses.at(-1);
    expect(textOf(told?.body)).toContain("I've sent your data");
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
    const res = await submitSameChoice(h, opened?.args.view as OpenedForm, '4', { user: { id: ALICE } });
    expect(res.status).toBe(200);
    expect(res.text).toBe(''); // the form closes
    expect(await ratingsOnDisk(h)).toEqual([4, 4, 4, 4, 4, 4, 4, 4]);
    const told = h.slack.calls.find((c) => c.method === 'chat.postEphemeral');
    expect(told?.ok).toBe(true);
    expect(told?.args.user).toBe(ALICE);
    expect(textOf(told?.args)).toContain('Your self-assessment');
  });

  it('an export delivered whose confirmation failed never tells the person it failed', async ({
    harness: h,
  }) => {
    const responseUrl = h.slack.newResponseUrl();
    // The first post to the command's response_url (the confirmation) fails; later ones would work.
    h.slack.failResponseUrl(responseUrl, { status: 500, times: 1 });
    await h.command('export', { userId: ALICE, responseUrl });
    expect(await h.slack.waitForFiles(2)).toHaveLength(2);
    const said = [
      ...h.slack.responses.filter((r) => r.url === responseUrl && r.ok).map((r) => textOf(r.body)),
      ...h.slack.calls.filter((c) => c.method.startsWith('chat.post') && c.ok).map((c) => textOf(c.args)),
    ].join('\n');
    expect(said).not.toContain("couldn't send your export");
    expect(said).toContain("I've sent your data");
  });
});
