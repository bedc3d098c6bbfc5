import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_CHANNEL, LOCAL_TEAM, LOCAL_USER } from '../../src/sandbox/defaults.js';
import { appHomeOpenedEnvelope } from '../../src/sandbox/event-envelopes.js';
import { blockActionPayload, viewSubmissionPayload } from '../../src/sandbox/interaction-payloads.js';
import { type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';
import {
  sendEvent,
  sendInteraction,
  sendSlashCommand,
  slackSignature,
  slashCommandBody,
} from '../../src/sandbox/signing.js';

const SECRET = 'test-signing-secret';

describe('slackSignature', () => {
  it('is v0= and the hex HMAC-SHA256 of v0:timestamp:body', () => {
    const body = 'command=%2Fcompetency&text=solutions-architect+senior';
    const expected = `v0=${createHmac('sha256', SECRET).update(`v0:1700000000:${body}`).digest('hex')}`;
    expect(slackSignature(SECRET, 1700000000, body)).toBe(expected);
  });

  it("matches the example in Slack's documentation", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });
});

describe('sending signed requests', () => {
  type Received = { method: string | undefined; headers: IncomingHttpHeaders; body: string };
  let server: Server;
  let url: string;
  let received: Received[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
      req.on('end', () => {
        received.push({ method: req.method, headers: req.headers, body });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ response_type: 'ephemeral', text: 'got it' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    received = [];
  });

  function only(): Received {
    expect(received).toHaveLength(1);
    const [first] = received;
    if (first === undefined) throw new Error('nothing received');
    return first;
  }

  function expectSignedBy(secret: string, request: Received): void {
    const timestamp = Number(request.headers['x-slack-request-timestamp']);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(5);
    expect(request.headers['x-slack-signature']).toBe(slackSignature(secret, timestamp, request.body));
    // Bolt's own check accepts it.
    expect(() =>
      verifySlackRequest({
        signingSecret: secret,
        body: request.body,
        headers: {
          'x-slack-signature': String(request.headers['x-slack-signature']),
          'x-slack-request-timestamp': timestamp,
        },
      }),
    ).not.toThrow();
  }

  it('sends a slash command as a signed form with exactly the form content-type', async () => {
    const response = await sendSlashCommand(url, SECRET, {
      command: '/competency',
      text: 'solutions-architect senior',
      response_url: 'http://127.0.0.1:1/response/abc',
    });
    expect(response).toEqual({
      status: 200,
      text: '{"response_type":"ephemeral","text":"got it"}',
      json: { response_type: 'ephemeral', text: 'got it' },
    });
    const request = only();
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expectSignedBy(SECRET, request);
    expect(request.body).toContain('command=%2Fcompetency&text=solutions-architect+senior');
    const fields = Object.fromEntries(new URLSearchParams(request.body));
    expect(fields).toMatchObject({
      command: '/competency',
      text: 'solutions-architect senior',
      user_id: LOCAL_USER.id,
      team_id: LOCAL_TEAM.id,
      team_domain: LOCAL_TEAM.domain,
      channel_id: LOCAL_CHANNEL.id,
      channel_name: LOCAL_CHANNEL.name,
      is_enterprise_install: 'false',
      response_url: 'http://127.0.0.1:1/response/abc',
    });
    expect(fields.trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
    expect(fields.api_app_id).toMatch(/^A/);
  });

  it('sends interactions as a form with the JSON in payload', async () => {
    const payload = blockActionPayload({
      actionId: 'rate',
      blockId: 'b1',
      value: '4',
      responseUrl: 'http://x/y',
    });
    await sendInteraction(url, SECRET, payload);
    const request = only();
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.body.startsWith('payload=')).toBe(true);
    expect(JSON.parse(new URLSearchParams(request.body).get('payload') ?? '')).toEqual(payload);
    expectSignedBy(SECRET, request);
  });

  it('sends events as JSON', async () => {
    const envelope = appHomeOpenedEnvelope();
    await sendEvent(url, SECRET, envelope, { retryNum: 1, retryReason: 'http_timeout' });
    const request = only();
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual(envelope);
    expect(request.headers['x-slack-retry-num']).toBe('1');
    expect(request.headers['x-slack-retry-reason']).toBe('http_timeout');
    expectSignedBy(SECRET, request);
  });

  it('uses a given timestamp and signature as they are', async () => {
    await sendEvent(url, SECRET, { type: 'event_callback' }, { timestamp: 1000, signature: 'v0=wrong' });
    const request = only();
    expect(request.headers['x-slack-request-timestamp']).toBe('1000');
    expect(request.headers['x-slack-signature']).toBe('v0=wrong');
  });

  it('signs a given timestamp correctly when only the timestamp is overridden', async () => {
    const stale = Math.floor(Date.now() / 1000) - 600;
    await sendSlashCommand(url, SECRET, { command: '/competency', text: '' }, { timestamp: stale });
    const request = only();
    expect(request.headers['x-slack-signature']).toBe(slackSignature(SECRET, stale, request.body));
  });

  it('builds slash command bodies in the order Slack sends fields', () => {
    const body = slashCommandBody({ command: '/competency', text: 'a b&c', response_url: 'http://r' });
    expect(body.split('&').map((pair) => pair.split('=')[0])).toEqual([
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    expect(body).toContain('text=a+b%26c');
  });
});

describe('payload builders', () => {
  it('builds block_actions for a button on an ephemeral message', () => {
    const payload = blockActionPayload({
      actionId: 'rate-4',
      blockId: 'rating',
      value: 'solution-design:4',
      text: '4',
      responseUrl: 'http://127.0.0.1:1/response/r',
      triggerId: '1.2.3',
    });
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: {
        id: LOCAL_USER.id,
        username: LOCAL_USER.username,
        name: LOCAL_USER.name,
        team_id: LOCAL_TEAM.id,
      },
      team: LOCAL_TEAM,
      channel: LOCAL_CHANNEL,
      container: { type: 'message', channel_id: LOCAL_CHANNEL.id, is_ephemeral: true },
      trigger_id: '1.2.3',
      response_url: 'http://127.0.0.1:1/response/r',
      actions: [
        {
          type: 'button',
          action_id: 'rate-4',
          block_id: 'rating',
          value: 'solution-design:4',
          text: { type: 'plain_text', text: '4', emoji: true },
        },
      ],
    });
    expect(payload).not.toHaveProperty('message');
  });

  it('takes the button text and value from the message it was on', () => {
    const message = {
      ts: '1700000000.000100',
      text: 'fallback',
      blocks: [
        {
          type: 'actions',
          block_id: 'share',
          elements: [
            {
              type: 'button',
              action_id: 'share-confirm',
              text: { type: 'plain_text', text: 'Share' },
              value: 'x',
              style: 'primary',
            },
          ],
        },
      ],
    };
    const payload = blockActionPayload({
      actionId: 'share-confirm',
      blockId: 'share',
      responseUrl: 'u',
      message,
    });
    expect(payload).toMatchObject({
      container: { message_ts: '1700000000.000100', is_ephemeral: false },
      message,
      actions: [{ type: 'button', value: 'x', style: 'primary', text: { text: 'Share' } }],
    });
  });

  it('builds a static_select action', () => {
    const payload = blockActionPayload({
      actionId: 'level',
      blockId: 'b',
      responseUrl: 'u',
      actionType: 'static_select',
      selectedOption: { text: 'Senior', value: 'senior' },
    });
    expect(payload.actions).toEqual([
      {
        type: 'static_select',
        action_id: 'level',
        block_id: 'b',
        selected_option: { text: { type: 'plain_text', text: 'Senior', emoji: true }, value: 'senior' },
        action_ts: expect.any(String),
      },
    ]);
  });

  it('builds view_submission', () => {
    const payload = viewSubmissionPayload({
      callbackId: 'share-preview',
      privateMetadata: '{"a":1}',
      values: { note: { note: { type: 'plain_text_input', value: 'hi' } } },
    });
    expect(payload).toMatchObject({
      type: 'view_submission',
      user: { id: LOCAL_USER.id },
      team: LOCAL_TEAM,
      view: {
        type: 'modal',
        callback_id: 'share-preview',
        private_metadata: '{"a":1}',
        state: { values: { note: { note: { type: 'plain_text_input', value: 'hi' } } } },
      },
    });
    const view = payload.view as { id: string; hash: string; root_view_id: string };
    expect(view.id).toMatch(/^V[A-Z0-9]{10}$/);
    expect(view.root_view_id).toBe(view.id);
    expect(view.hash.length).toBeGreaterThan(0);
  });

  it('builds an app_home_opened envelope', () => {
    expect(appHomeOpenedEnvelope({ user: 'U123', tab: 'messages' })).toMatchObject({
      type: 'event_callback',
      team_id: LOCAL_TEAM.id,
      event: { type: 'app_home_opened', user: 'U123', channel: 'D123', tab: 'messages' },
      authorizations: [{ team_id: LOCAL_TEAM.id, is_bot: true }],
    });
  });
});

describe('a real Bolt app receives the signed requests', () => {
  let slack: LocalSlack;
  let app: App;
  let eventsUrl: string;
  const seen: { kind: string; body: unknown }[] = [];

  beforeAll(async () => {
    slack = await startLocalSlack();
    app = new App({
      token: slack.bot.token,
      signingSecret: SECRET,
      processBeforeResponse: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/competency', async ({ command, ack, respond }) => {
      seen.push({ kind: 'command', body: command });
      await ack({ response_type: 'ephemeral', text: `Looking up ${command.text}` });
      await respond({ response_type: 'ephemeral', text: 'Here it is' });
    });
    app.action({ block_id: 'rating', action_id: 'rate-4' }, async ({ action, body, ack, respond }) => {
      await ack();
      seen.push({ kind: 'action', body: { action, user: body.user.id } });
      await respond({ replace_original: true, text: 'Rated 4' });
    });
    app.view('share-preview', async ({ view, ack }) => {
      seen.push({ kind: 'view', body: view.state.values });
      await ack();
    });
    app.event('app_home_opened', async ({ event, client }) => {
      seen.push({ kind: 'home', body: event.tab });
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [{ type: 'divider' }] },
      });
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    eventsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  afterAll(async () => {
    await app.stop();
    await slack.close();
  });

  beforeEach(() => {
    seen.length = 0;
    slack.reset();
  });

  it('routes a slash command, returns the ack body and lets respond() post to the response_url', async () => {
    const responseUrl = slack.newResponseUrl();
    const response = await sendSlashCommand(eventsUrl, SECRET, {
      command: '/competency',
      text: 'solutions-architect senior',
      response_url: responseUrl,
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      response_type: 'ephemeral',
      text: 'Looking up solutions-architect senior',
    });
    expect(seen).toEqual([
      {
        kind: 'command',
        body: expect.objectContaining({ text: 'solutions-architect senior', user_id: LOCAL_USER.id }),
      },
    ]);
    expect(slack.responses).toEqual([
      { url: responseUrl, ok: true, body: { response_type: 'ephemeral', text: 'Here it is' } },
    ]);
  });

  it('routes a button click by block_id and action_id', async () => {
    const responseUrl = slack.newResponseUrl();
    const payload = blockActionPayload({ actionId: 'rate-4', blockId: 'rating', value: 'v', responseUrl });
    const response = await sendInteraction(eventsUrl, SECRET, payload);
    expect(response.status).toBe(200);
    expect(seen).toEqual([
      { kind: 'action', body: { action: expect.objectContaining({ value: 'v' }), user: LOCAL_USER.id } },
    ]);
    expect((await slack.waitForResponses(1))[0]?.body).toEqual({ replace_original: true, text: 'Rated 4' });
  });

  it('routes a view submission by callback_id', async () => {
    const values = { note: { note: { type: 'plain_text_input', value: 'hello' } } };
    const response = await sendInteraction(
      eventsUrl,
      SECRET,
      viewSubmissionPayload({ callbackId: 'share-preview', values }),
    );
    expect(response.status).toBe(200);
    expect(seen).toEqual([{ kind: 'view', body: values }]);
  });

  it('routes app_home_opened, and the listener publishes the Home tab', async () => {
    const response = await sendEvent(eventsUrl, SECRET, appHomeOpenedEnvelope({ user: LOCAL_USER.id }));
    expect(response.status).toBe(200);
    expect(seen).toEqual([{ kind: 'home', body: 'home' }]);
    const [publish] = await slack.waitForCalls('views.publish', 1);
    expect(publish).toMatchObject({ ok: true, args: { user_id: LOCAL_USER.id, view: { type: 'home' } } });
  });

  it('is refused with 401 when the signature is wrong or stale', async () => {
    const wrong = await sendSlashCommand(eventsUrl, 'another-secret', { command: '/competency', text: '' });
    expect(wrong.status).toBe(401);
    const stale = await sendSlashCommand(
      eventsUrl,
      SECRET,
      { command: '/competency', text: '' },
      { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect(stale.status).toBe(401);
    expect(seen).toEqual([]);
  });
});
