import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appHomeOpenedEnvelope, sendEvent } from '../../src/sandbox/signing.js';
import { type Harness, SIGNING_SECRET, startHarness, textOf } from '../integration/harness.js';

/**
 * Slack misbehaving, as the local Slack can make it: `ok: false` answers, HTTP 429 with Retry-After,
 * HTTP 500, and response_urls that answer 404. In each case the person hears what happened, no
 * rating is lost, and the app goes on serving the next request.
 */

const ALICE = 'U0ALICE0001';
const LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

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
  it.each(['invalid_blocks', 'channel_not_found', 'not_in_channel'])(
    'views.open answering ok:false (%s): the person is told, and the app serves on',
    async (error) => {
      h = await startHarness();
      const answer = (await h.command('sa senior', { userId: ALICE })).json;
      h.slack.failNext('views.open', error);
      const told = await h.clickFor(answer, 'Rate all at once', { userId: ALICE });
      expect(textOf(told)).toContain('Something went wrong on our side');
      await stillServing(h);
    },
  );

  it('/competency export with conversations.open answering channel_not_found explains it', async () => {
    h = await startHarness();
    h.slack.failNext('conversations.open', 'channel_not_found');
    await h.command('export', { userId: ALICE });
    expect(textOf(h.slack.responses.at(-1)?.body)).toContain(
      "couldn't send your export (Slack said: `channel_not_found`)",
    );
    await stillServing(h);
  });

  it('HTTP 500 from the Web API: the person is told, and the app serves on', async () => {
    h = await startHarness();
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    h.slack.failNextHttp('views.open', { status: 500, body: 'internal error' });
    const told = await h.clickFor(answer, 'Rate all at once', { userId: ALICE });
    expect(textOf(told)).toContain('Something went wrong on our side');
    h.slack.failNextHttp('files.getUploadURLExternal', { status: 500 });
    await h.command('export', { userId: ALICE });
    expect(textOf(h.slack.responses.at(-1)?.body)).toContain("couldn't send your export");
    await stillServing(h);
  });

  it('HTTP 429 with Retry-After: the call waits and goes through', async () => {
    h = await startHarness({ retryConfig: { retries: 2, minTimeout: 50, maxTimeout: 200 } });
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    h.slack.failNextHttp('views.open', { status: 429, headers: { 'retry-after': '1' } });
    const started = Date.now();
    await h.click(answer, 'Rate all at once', { userId: ALICE });
    const opens = h.slack.calls.filter((c) => c.method === 'views.open');
    expect(opens.at(-1)?.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await stillServing(h);
  });

  it('the Home tab failing to publish (HTTP 500) leaves the app serving', async () => {
    h = await startHarness();
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
  it('a rating is still saved, and the next step reaches the person as a private message', async () => {
    h = await startHarness();
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    const step = await h.clickFor(answer, 'Rate yourself', { userId: ALICE });
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

  it('when the private message fails too (not_in_channel), the rating is kept and the app serves on', async () => {
    h = await startHarness();
    const answer = (await h.command('sa senior', { userId: ALICE })).json;
    const step = await h.clickFor(answer, 'Rate yourself', { userId: ALICE });
    const dead = h.slack.newResponseUrl();
    h.slack.failResponseUrl(dead, { status: 404, body: 'expired_url' });
    h.slack.failNext('chat.postEphemeral', 'not_in_channel');
    await h.click(step, LABELS[5] ?? '', { userId: ALICE, responseUrl: dead });
    expect(await ratingsOnDisk(h)).toEqual([5]);
    expect(h.logs.join('\n')).toContain('Could not answer a click with a private message either');
    await stillServing(h);
  });
});
