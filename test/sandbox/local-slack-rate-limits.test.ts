import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { RATE_LIMITS } from '../../src/sandbox/local-slack/rate-limits.js';
import { type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';

/**
 * The local Slack's rate limits: off unless asked for; on, per workspace and method (chat.postMessage
 * per conversation) as the table says, a 429 with Retry-After past them, and calls go through again
 * once the clock has moved on by that much. And users.list, page by page, with each person's zone.
 */

const CLIENT = { clientId: '1111111111.2222222222', clientSecret: 'local-client-secret' };
const OTHER = { id: 'T0OTHER0001', domain: 'other', name: 'Other' };

/** A local Slack with a clock the test moves, and a second workspace the app is installed in. */
async function limitedSlack(rateLimits: boolean): Promise<{
  slack: LocalSlack;
  clock: { ms: number };
  otherToken: string;
  [Symbol.asyncDispose]: () => Promise<void>;
}> {
  const clock = { ms: Date.parse('2026-03-02T09:00:00Z') };
  const slack = await startLocalSlack({
    rateLimits,
    now: () => clock.ms,
    oauth: CLIENT,
    workspaces: [OTHER],
  });
  const redirectUri = 'http://127.0.0.1/callback';
  const code = new URL(
    slack.approve({ target: OTHER.id, redirectUri, scopes: 'users:read,chat:write' }),
  ).searchParams.get('code');
  const access = await new webApi.WebClient(undefined, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
  }).oauth.v2.access({
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
    code: code ?? '',
    redirect_uri: redirectUri,
  });
  return {
    slack,
    clock,
    otherToken: access.access_token ?? '',
    [Symbol.asyncDispose]: () => slack.close(),
  };
}

/** One Web API call as Slack's HTTP answer: status, Retry-After and body. */
async function call(
  slack: LocalSlack,
  method: string,
  args: Record<string, string> = {},
  token = slack.bot.token,
): Promise<{ status: number; retryAfter: string | null; body: Record<string, unknown> }> {
  const res = await fetch(`${slack.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` },
    body: new URLSearchParams(args).toString(),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe('local Slack: rate limits', () => {
  it('are off unless asked for', async () => {
    await using s = await limitedSlack(false);
    for (let i = 0; i < 150; i++) expect((await call(s.slack, 'users.list')).status).toBe(200);
  });

  it('past a tier: 429 with Retry-After, nothing done; through again once the window has moved on; other workspaces and methods unaffected', async () => {
    await using s = await limitedSlack(true);
    const { slack, clock } = s;
    // users.list is Tier 2: 20 a minute, a minute's worth at once.
    for (let i = 0; i < 20; i++) expect((await call(slack, 'users.list')).status).toBe(200);
    const refused = await call(slack, 'users.list');
    expect(refused).toEqual({ status: 429, retryAfter: '3', body: { ok: false, error: 'ratelimited' } });
    expect(slack.calls.at(-1)).toMatchObject({ method: 'users.list', ok: false, error: 'ratelimited' });
    // Another method, and another workspace, have buckets of their own.
    expect((await call(slack, 'users.info', { user: 'U0SOMEONE1' })).status).toBe(200);
    expect((await call(slack, 'users.list', {}, s.otherToken)).status).toBe(200);
    // Not yet: 2 s later there is still not a whole call in the bucket.
    clock.ms += 2_000;
    expect(await call(slack, 'users.list')).toMatchObject({ status: 429, retryAfter: '1' });
    clock.ms += 1_000;
    expect((await call(slack, 'users.list')).status).toBe(200);
    expect((await call(slack, 'users.list')).status).toBe(429);
    // After a minute, a minute's worth again.
    clock.ms += 60_000;
    for (let i = 0; i < 20; i++) expect((await call(slack, 'users.list')).status).toBe(200);

    // Through WebClient (rejectRateLimitedCalls, as the app sets it): a rate-limited error with the wait.
    const client = new webApi.WebClient(slack.bot.token, {
      slackApiUrl: slack.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    });
    await expect(client.users.list({})).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 3,
    });
  });

  it('chat.postMessage: about one a second in each conversation, with a short burst; another conversation is not held up', async () => {
    await using s = await limitedSlack(true);
    const { slack, clock } = s;
    const post = (channel: string) => call(slack, 'chat.postMessage', { channel, text: 'hello' });
    for (let i = 0; i < 3; i++) expect((await post('U0PERSON001')).status).toBe(200);
    expect(await post('U0PERSON001')).toMatchObject({ status: 429, retryAfter: '1' });
    expect(slack.messagesIn('D0PERSON001')).toHaveLength(3);
    for (let i = 0; i < 3; i++) expect((await post('U0PERSON002')).status).toBe(200);
    clock.ms += 1_000;
    expect((await post('U0PERSON001')).status).toBe(200);
    expect((await post('U0PERSON001')).status).toBe(429);
  });

  it('the table is what is enforced: for each method, its burst goes through and the next call waits 60 / its rate', async () => {
    await using s = await limitedSlack(true);
    for (const [method, limit] of Object.entries(RATE_LIMITS)) {
      const args: Record<string, string> =
        limit.per === 'conversation' ? { channel: 'C0TABLE0001', text: 'x' } : {};
      for (let i = 0; i < limit.burst; i++) {
        expect((await call(s.slack, method, args)).status, `${method} call ${i + 1}`).toBe(200);
      }
      expect(await call(s.slack, method, args), method).toMatchObject({
        status: 429,
        retryAfter: String(Math.ceil(60 / limit.perMinute)),
      });
    }
    // A method not in the table (auth.test) is not limited.
    for (let i = 0; i < 120; i++) expect((await call(s.slack, 'auth.test')).status).toBe(200);
  });
});

describe('local Slack: users.list', () => {
  it('pages through the workspace’s people with a cursor, each with their zone; other workspaces see their own', async () => {
    await using s = await limitedSlack(false);
    const { slack } = s;
    const people = Array.from({ length: 450 }, (_, i) => ({
      id: `U0P${String(i).padStart(7, '0')}`,
      ...(i % 3 === 0 ? { timeZone: 'Asia/Kolkata' } : {}),
    }));
    slack.addMembers(slack.team.id, people);
    slack.addMembers(OTHER.id, [{ id: 'U0ELSEWHERE', timeZone: 'Asia/Tokyo' }]);
    const seen: { id: string; tz: string; tz_offset: number }[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const page = await call(slack, 'users.list', { limit: '200', ...(cursor ? { cursor } : {}) });
      expect(page.body.ok).toBe(true);
      seen.push(...(page.body.members as typeof seen));
      cursor = (page.body.response_metadata as { next_cursor: string }).next_cursor;
      pages++;
    } while (cursor !== '');
    expect(pages).toBe(3);
    expect(seen.map((m) => m.id)).toEqual(people.map((p) => p.id));
    expect(seen[0]).toMatchObject({ tz: 'Asia/Kolkata', tz_offset: 19_800 });
    expect(seen[1]).toMatchObject({ tz: 'UTC', tz_offset: 0 });
    const other = await call(slack, 'users.list', {}, s.otherToken);
    expect(other.body.members).toEqual([expect.objectContaining({ id: 'U0ELSEWHERE', tz: 'Asia/Tokyo' })]);
    expect((await call(slack, 'users.list', { cursor: 'bm9wZQ==' })).body).toEqual({
      ok: false,
      error: 'invalid_cursor',
    });
  });
});
