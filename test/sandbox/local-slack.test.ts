import { request } from 'node:http';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type ApiCall,
  type LocalSlack,
  type ResponsePost,
  startLocalSlack,
} from '../../src/sandbox/local-slack.js';

const { WebClient, WebAPIPlatformError, ErrorCode, LogLevel } = webApi;

/** web-api logs the `[ERROR] …` lines of `response_metadata`; these tests provoke them on purpose. */
const silent = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

const blocks = [
  { type: 'header', text: { type: 'plain_text', text: 'Solutions Architect — Senior' } },
  {
    type: 'actions',
    block_id: 'rate',
    elements: [
      { type: 'button', action_id: 'rate-start', text: { type: 'plain_text', text: 'Rate yourself' } },
    ],
  },
];

/** The error a WebClient call rejects with, narrowed to a platform error. */
async function platformError(call: Promise<unknown>): Promise<InstanceType<typeof WebAPIPlatformError>> {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WebAPIPlatformError))
    throw new Error(`expected a platform error, got ${String(error)}`);
  expect(error.code).toBe(ErrorCode.PlatformError);
  return error;
}

/** The `errors` list Slack adds to an invalid_blocks answer. */
function errorsOf(error: InstanceType<typeof WebAPIPlatformError>): unknown {
  return 'errors' in error.data ? error.data.errors : undefined;
}

describe('local Slack', () => {
  let slack: LocalSlack;
  let client: InstanceType<typeof WebClient>;

  beforeAll(async () => {
    slack = await startLocalSlack();
    client = new WebClient(slack.bot.token, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      logger: silent,
    });
  });

  afterAll(async () => {
    await slack.close();
  });

  beforeEach(() => {
    slack.reset();
  });

  it('listens on 127.0.0.1', () => {
    expect(slack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(slack.apiUrl).toBe(`${slack.url}/api/`);
  });

  it('answers auth.test like Slack', async () => {
    const result = await client.auth.test();
    expect(result).toMatchObject({
      ok: true,
      team_id: slack.team.id,
      user_id: slack.bot.userId,
      bot_id: slack.bot.botId,
      is_enterprise_install: false,
    });
    expect(slack.calls).toEqual([{ method: 'auth.test', args: {}, token: slack.bot.token, ok: true }]);
  });

  it('records chat.postMessage with its blocks parsed, and answers with ts and message', async () => {
    const seen: ApiCall[] = [];
    slack.on('api', (call: ApiCall) => seen.push(call));
    const result = await client.chat.postMessage({ channel: 'C123', text: 'fallback', blocks });
    expect(result).toMatchObject({
      ok: true,
      channel: 'C123',
      ts: expect.stringMatching(/^\d+\.\d{6}$/),
      message: { text: 'fallback', blocks, bot_id: slack.bot.botId, user: slack.bot.userId },
    });
    const [call] = await slack.waitForCalls('chat.postMessage', 1);
    expect(call).toEqual({
      method: 'chat.postMessage',
      args: { channel: 'C123', text: 'fallback', blocks },
      token: slack.bot.token,
      ok: true,
      channel: 'C123',
      ts: result.ts,
    });
    expect(seen).toEqual([call]);
  });

  it('accepts JSON bodies too', async () => {
    const response = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json; charset=utf-8',
        authorization: `Bearer ${slack.bot.token}`,
      },
      body: JSON.stringify({ channel: 'C1', text: 'hi', blocks }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, channel: 'C1' });
    expect(slack.calls[0]?.args).toEqual({ channel: 'C1', text: 'hi', blocks });
  });

  it('answers invalid_blocks, as Slack does, when a payload breaks Block Kit limits', async () => {
    const tooLong = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    const error = await platformError(
      client.chat.postMessage({ channel: 'C1', text: 'fallback', blocks: tooLong }),
    );
    expect(error.data.error).toBe('invalid_blocks');
    const expected = ['blocks[0] (section): text is 3001 characters; the limit is 3000'];
    expect(errorsOf(error)).toEqual(expected);
    expect(slack.calls).toEqual([
      {
        method: 'chat.postMessage',
        args: { channel: 'C1', text: 'fallback', blocks: tooLong },
        token: slack.bot.token,
        ok: false,
        error: 'invalid_blocks',
        problems: expected,
      },
    ]);
  });

  it('requires a text fallback on every message', async () => {
    const error = await platformError(client.chat.postMessage({ channel: 'C1', blocks }));
    expect(error.data.error).toBe('invalid_blocks');
  });

  it('answers unknown_method for methods it does not know', async () => {
    const error = await platformError(client.apiCall('conversations.history', { channel: 'C1' }));
    expect(error.data.error).toBe('unknown_method');
    expect(slack.calls[0]).toMatchObject({
      method: 'conversations.history',
      ok: false,
      error: 'unknown_method',
    });
  });

  it('answers not_authed without a token and invalid_auth with a wrong one', async () => {
    const anonymous = new WebClient(undefined, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      logger: silent,
    });
    expect((await platformError(anonymous.auth.test())).data.error).toBe('not_authed');
    const wrong = new WebClient('xoxb-wrong', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      logger: silent,
    });
    expect((await platformError(wrong.auth.test())).data.error).toBe('invalid_auth');
    // A token in the body counts as well.
    expect(await anonymous.auth.test({ token: slack.bot.token })).toMatchObject({ ok: true });
  });

  it('fails the next call of a method when told to, then works again', async () => {
    slack.failNext('chat.postMessage', 'not_in_channel');
    const error = await platformError(client.chat.postMessage({ channel: 'C1', text: 'hi' }));
    expect(error.data.error).toBe('not_in_channel');
    expect(await client.chat.postMessage({ channel: 'C1', text: 'hi' })).toMatchObject({ ok: true });
    expect(slack.calls.map((c) => [c.ok, c.error])).toEqual([
      [false, 'not_in_channel'],
      [true, undefined],
    ]);
  });

  it('posts ephemeral messages, which chat.update cannot change', async () => {
    const ephemeral = await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'only you' });
    expect(ephemeral).toMatchObject({ ok: true, message_ts: expect.any(String) });
    const error = await platformError(
      client.chat.update({ channel: 'C1', ts: String(ephemeral.message_ts), text: 'changed' }),
    );
    expect(error.data.error).toBe('message_not_found');
  });

  it('updates messages posted with chat.postMessage', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'first' });
    const updated = await client.chat.update({
      channel: 'C1',
      ts: String(posted.ts),
      text: 'second',
      blocks,
    });
    expect(updated).toMatchObject({
      ok: true,
      channel: 'C1',
      ts: posted.ts,
      message: { text: 'second', blocks },
    });
  });

  it('updates a DM message by the DM’s id only, and keeps the conversation as it now is', async () => {
    const posted = await client.chat.postMessage({ channel: 'U0SOMEONE01', text: 'first', blocks });
    expect(posted.channel).toBe('D0SOMEONE01');
    const ts = String(posted.ts);
    // Slack wants the DM's id here, not the user id chat.postMessage took.
    const byUser = await platformError(client.chat.update({ channel: 'U0SOMEONE01', ts, text: 'x' }));
    expect(byUser.data.error).toBe('channel_not_found');
    const elsewhere = await platformError(client.chat.update({ channel: 'C1', ts, text: 'x' }));
    expect(elsewhere.data.error).toBe('message_not_found');
    const invalid = await platformError(
      client.chat.update({ channel: 'D0SOMEONE01', ts, text: 'x', blocks: [{ type: 'nope' }] as never }),
    );
    expect(invalid.data.error).toBe('invalid_blocks');
    await client.chat.update({ channel: 'D0SOMEONE01', ts, text: 'second', blocks });
    expect(slack.messagesIn('D0SOMEONE01')).toEqual([{ ts, text: 'second', blocks, edited: true }]);
  });

  it('lets replace_original and delete_original, on the response_url of a click on a message, change it', async () => {
    const posted = await client.chat.postMessage({ channel: 'U0SOMEONE02', text: 'question', blocks });
    const message = { channel: 'D0SOMEONE02', ts: String(posted.ts) };
    const post = (url: string, body: object) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    // A new message through it (replace_original false) leaves the message alone.
    await post(slack.newResponseUrl(message), { text: 'a private note' });
    expect(slack.messagesIn(message.channel)).toMatchObject([{ text: 'question', edited: false }]);
    await post(slack.newResponseUrl(message), { replace_original: true, text: 'answer', blocks });
    expect(slack.messagesIn(message.channel)).toEqual([
      { ts: message.ts, text: 'answer', blocks, edited: true },
    ]);
    await post(slack.newResponseUrl(message), { delete_original: true });
    expect(slack.messagesIn(message.channel)).toEqual([]);
  });

  it('opens, updates and publishes views, validating them', async () => {
    const modal = {
      type: 'modal' as const,
      callback_id: 'share-preview',
      title: { type: 'plain_text' as const, text: 'Share' },
      blocks: [{ type: 'divider' as const }],
    };
    const opened = await client.views.open({ trigger_id: '1.2.3', view: modal });
    expect(opened.view).toMatchObject({
      type: 'modal',
      callback_id: 'share-preview',
      id: expect.stringMatching(/^V/),
    });
    const id = String(opened.view?.id);
    const updated = await client.views.update({ view_id: id, view: { ...modal, private_metadata: 'x' } });
    expect(updated.view).toMatchObject({ id, private_metadata: 'x' });
    expect((await platformError(client.views.update({ view_id: 'VNOPE', view: modal }))).data.error).toBe(
      'not_found',
    );

    const published = await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } });
    const again = await client.views.publish({ user_id: 'U1', view: { type: 'home', blocks: [] } });
    expect(again.view?.id).toBe(published.view?.id);

    const longTitle = { ...modal, title: { type: 'plain_text' as const, text: 'x'.repeat(25) } };
    const error = await platformError(client.views.open({ trigger_id: '1.2.3', view: longTitle }));
    expect(error.data.error).toBe('invalid_blocks');
    expect(errorsOf(error)).toEqual(['view: title is 25 characters; the limit is 24']);
    expect(slack.calls.map((c) => c.method)).toEqual([
      'views.open',
      'views.update',
      'views.update',
      'views.publish',
      'views.publish',
      'views.open',
    ]);
  });

  describe('response_url sink', () => {
    async function post(url: string, body: unknown): Promise<{ status: number; text: string }> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, text: await response.text() };
    }

    it('hands out unique URLs that accept and record posts', async () => {
      const a = slack.newResponseUrl();
      const b = slack.newResponseUrl();
      expect(a).not.toBe(b);
      expect(a.startsWith(`${slack.url}/response/`)).toBe(true);
      const emitted: ResponsePost[] = [];
      slack.on('response', (r: ResponsePost) => emitted.push(r));
      expect(await post(a, { replace_original: true, text: 'Rated 4', blocks })).toEqual({
        status: 200,
        text: 'ok',
      });
      const [response] = await slack.waitForResponses(1);
      expect(response).toEqual({
        url: a,
        ok: true,
        body: { replace_original: true, text: 'Rated 4', blocks },
      });
      expect(emitted).toEqual([response]);
    });

    it('rejects invalid blocks with 400 invalid_blocks and records the problems', async () => {
      const url = slack.newResponseUrl();
      const result = await post(url, { response_type: 'in_channel', blocks });
      expect(result).toEqual({ status: 400, text: 'invalid_blocks' });
      expect(slack.responses).toEqual([
        {
          url,
          ok: false,
          body: { response_type: 'in_channel', blocks },
          problems: [
            'message: text is missing or empty; always give a text fallback (notifications and screen readers use it)',
          ],
        },
      ]);
    });

    it('accepts delete_original without text', async () => {
      expect(await post(slack.newResponseUrl(), { delete_original: true })).toEqual({
        status: 200,
        text: 'ok',
      });
    });

    it('answers 404 for URLs it never handed out', async () => {
      const result = await post(`${slack.url}/response/not-a-real-id`, { text: 'hi' });
      expect(result.status).toBe(404);
      expect(JSON.parse(result.text)).toEqual({ ok: false, error: 'expired_url' });
    });

    it('lets a test make one response_url fail', async () => {
      const failing = slack.newResponseUrl();
      const fine = slack.newResponseUrl();
      slack.failResponseUrl(failing, { status: 404, body: 'expired_url' });
      expect(await post(failing, { text: 'hi' })).toEqual({ status: 404, text: 'expired_url' });
      expect(await post(fine, { text: 'hi' })).toEqual({ status: 200, text: 'ok' });
      expect(slack.responses.map((r) => [r.url, r.ok])).toEqual([
        [failing, false],
        [fine, true],
      ]);
    });

    it('allows five uses of one response_url, as Slack does', async () => {
      const url = slack.newResponseUrl();
      for (let i = 0; i < 5; i++) expect((await post(url, { text: `${i}` })).status).toBe(200);
      const sixth = await post(url, { text: 'again' });
      expect(sixth.status).toBe(404);
      expect(JSON.parse(sixth.text)).toEqual({ ok: false, error: 'used_url' });
    });

    it('times out clearly when the responses never come', async () => {
      await expect(slack.waitForResponses(1, 50)).rejects.toThrow(
        'local Slack: timed out after 50 ms waiting for 1 response_url posts; got 0',
      );
    });
  });

  it('closes cleanly, even with keep-alive connections open', async () => {
    const other = await startLocalSlack();
    const otherClient = new WebClient(other.bot.token, {
      slackApiUrl: other.apiUrl,
      retryConfig: { retries: 0 },
    });
    await otherClient.auth.test();
    await expect(other.close()).resolves.toBeUndefined();
    await expect(fetch(`${other.apiUrl}auth.test`, { method: 'POST' })).rejects.toThrow();
  });
});

describe('only the app may talk to the local Slack, never a web page', () => {
  let slack: LocalSlack;
  beforeAll(async () => {
    slack = await startLocalSlack();
  });
  afterAll(async () => {
    await slack.close();
  });

  /** A POST with exactly these headers (fetch cannot set Host), as a browser page or a rebinding site would send it. */
  function rawPost(path: string, headers: Record<string, string>, body: string): Promise<number> {
    const { port } = new URL(slack.url);
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: Number(port), path, method: 'POST', headers, setHost: false },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('refuses a form POST from a web page (it carries an Origin), even with the well-known local token', async () => {
    const host = new URL(slack.url).host;
    const body = new URLSearchParams({
      token: slack.bot.token,
      channel: 'C0LOCALCHN1',
      text: 'hi',
    }).toString();
    const status = await rawPost(
      '/api/chat.postMessage',
      { host, origin: 'https://attacker.example', 'content-type': 'application/x-www-form-urlencoded' },
      body,
    );
    expect(status).toBe(403);
    expect(slack.calls).toEqual([]);
  });

  it('answers no request that names another host (DNS rebinding)', async () => {
    const body = new URLSearchParams({
      token: slack.bot.token,
      channel: 'C0LOCALCHN1',
      text: 'hi',
    }).toString();
    const status = await rawPost(
      '/api/chat.postMessage',
      { host: 'attacker.example', 'content-type': 'application/x-www-form-urlencoded' },
      body,
    );
    expect(status).toBe(421);
    const url = slack.newResponseUrl();
    expect(await rawPost(new URL(url).pathname, { host: 'attacker.example:80' }, '{"text":"x"}')).toBe(421);
    expect(slack.calls).toEqual([]);
    expect(slack.responses).toEqual([]);
  });
});
