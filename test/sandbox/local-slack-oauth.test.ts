import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_APP_ID, LOCAL_BOT, LOCAL_TEAM, LOCAL_USER } from '../../src/sandbox/defaults.js';
import { type LocalSlack, type LocalSlackOptions, startLocalSlack } from '../../src/sandbox/local-slack.js';
import {
  ACME,
  authorizeUrl,
  CLIENT_ID,
  CLIENT_SECRET,
  errorOf,
  exchange,
  formsOf,
  GRID,
  GRID_SALES,
  press,
  REDIRECT,
  silent,
  WebClient,
  webClient,
} from './oauth-fixtures.js';

/** A clock the tests move forward. */
let clock = Date.parse('2030-01-01T00:00:00Z');
const now = () => clock;

function options(extra: Partial<LocalSlackOptions> = {}): LocalSlackOptions {
  return {
    workspaces: [ACME, GRID_SALES],
    orgs: [GRID],
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT },
    now,
    ...extra,
  };
}

describe('OAuth install flow', () => {
  let slack: LocalSlack;

  beforeAll(async () => {
    slack = await startLocalSlack(options());
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(() => {
    slack.reset();
    slack.setTokenLifetime(undefined);
  });

  it('lists the workspaces and orgs', () => {
    expect(slack.workspaces).toEqual([
      { id: LOCAL_TEAM.id, domain: LOCAL_TEAM.domain, name: LOCAL_TEAM.domain },
      ACME,
      GRID_SALES,
    ]);
    expect(slack.orgs).toEqual([GRID]);
    expect(slack.oauth).toEqual({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT });
    expect(slack.authorizeUrl).toBe(`${slack.url}/oauth/v2/authorize`);
  });

  it('shows an authorize page with the scopes, every workspace and org, and Cancel, all escaped', async () => {
    const response = await fetch(
      authorizeUrl(slack, {
        scope: 'commands,chat:write',
        state: '<state>',
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT,
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<code>commands</code>');
    expect(html).toContain('<code>chat:write</code>');
    expect(html).not.toContain('<state>');
    expect(html).not.toContain('<R&D>');
    expect([...formsOf(html, slack.url).keys()]).toEqual([
      `Install into ${LOCAL_TEAM.domain}`,
      'Install into Acme & Sons <R&D>',
      'Install into Grid Sales',
      'Install into Grid Corp',
      'Cancel',
    ]);
  });

  it('lets each installation’s bot change its own messages only (cant_update_message)', async () => {
    const answer = await exchange(slack, slack.issueCode({ target: ACME.id }));
    const acme = webClient(slack, String(answer.access_token));
    const original = webClient(slack, slack.bot.token);
    const posted = await original.chat.postMessage({ channel: 'C0ACMEGEN01', text: 'the first bot’s' });
    const ts = String(posted.ts);
    expect(await errorOf(acme.chat.update({ channel: 'C0ACMEGEN01', ts, text: 'changed' }))).toBe(
      'cant_update_message',
    );
    expect(await original.chat.update({ channel: 'C0ACMEGEN01', ts, text: 'changed' })).toMatchObject({
      ok: true,
    });
  });

  it('installs into a workspace: approve → redirect with code and state → oauth.v2.access → auth.test', async () => {
    const page = authorizeUrl(slack, {
      scope: 'commands,chat:write',
      state: 'state-1',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
    });
    const back = await press(slack, page, 'Install into Acme & Sons <R&D>');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('state-1');
    const code = back.searchParams.get('code') ?? '';
    expect(code).toMatch(/^\d+\.\d+\.[0-9a-f]{64}$/);

    const answer = await exchange(slack, code, { redirect_uri: REDIRECT });
    expect(answer).toMatchObject({
      ok: true,
      app_id: LOCAL_APP_ID,
      authed_user: { id: LOCAL_USER.id },
      scope: 'commands,chat:write',
      token_type: 'bot',
      access_token: expect.stringMatching(/^xoxb-\d+-\d+-\w+$/),
      bot_user_id: expect.stringMatching(/^U[A-Z0-9]{10}$/),
      team: { id: ACME.id, name: ACME.name },
      enterprise: null,
      is_enterprise_install: false,
    });
    expect(answer).not.toHaveProperty('refresh_token');
    expect(answer).not.toHaveProperty('expires_in');
    const installation = slack.installation(ACME.id);
    expect(installation).toMatchObject({
      target: ACME.id,
      teamId: ACME.id,
      enterpriseId: null,
      isEnterpriseInstall: false,
      botUserId: answer.bot_user_id,
      installed: true,
    });

    const token = String(answer.access_token);
    const client = webClient(slack, token);
    expect(await client.auth.test()).toMatchObject({
      ok: true,
      url: 'https://acme.slack.com/',
      team: ACME.name,
      team_id: ACME.id,
      user_id: answer.bot_user_id,
      bot_id: installation?.botId,
      is_enterprise_install: false,
    });
    const posted = await client.chat.postMessage({ channel: 'C0ACMEGEN01', text: 'hello Acme' });
    expect(posted.message).toMatchObject({
      team: ACME.id,
      user: answer.bot_user_id,
      bot_id: installation?.botId,
    });
    expect(slack.calls.map((call) => [call.method, call.team, call.ok])).toEqual([
      ['oauth.v2.access', ACME.id, true],
      ['auth.test', ACME.id, true],
      ['chat.postMessage', ACME.id, true],
    ]);
    // The client secret is not recorded; the call is.
    expect(slack.calls[0]?.args).not.toHaveProperty('client_secret');
    // The original bot token still acts for the default workspace, and its calls carry no team.
    expect(await webClient(slack, slack.bot.token).auth.test()).toMatchObject({ team_id: LOCAL_TEAM.id });
    expect(slack.calls.at(-1)?.team).toBeUndefined();
  });

  it('installs into a workspace of an org, naming the org', async () => {
    const back = new URL(slack.approve({ target: GRID_SALES.id, state: 's' }));
    const answer = await exchange(slack, back.searchParams.get('code') ?? '');
    expect(answer).toMatchObject({
      team: { id: GRID_SALES.id, name: GRID_SALES.name },
      enterprise: { id: GRID.id, name: GRID.name },
      is_enterprise_install: false,
      bot_user_id: expect.stringMatching(/^W/),
    });
    expect(await webClient(slack, String(answer.access_token)).auth.test()).toMatchObject({
      team_id: GRID_SALES.id,
      enterprise_id: GRID.id,
      is_enterprise_install: false,
    });
  });

  it('installs org-wide into an org: team null, and auth.test names the org and no workspace', async () => {
    const page = authorizeUrl(slack, { scope: 'commands', state: 'org-state', client_id: CLIENT_ID });
    const back = await press(slack, page, 'Install into Grid Corp');
    // No redirect_uri in the request: the app's default redirect URI.
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('org-state');
    const answer = await exchange(slack, back.searchParams.get('code') ?? '');
    expect(answer).toMatchObject({
      ok: true,
      team: null,
      enterprise: { id: GRID.id, name: GRID.name },
      is_enterprise_install: true,
      scope: 'commands',
      bot_user_id: expect.stringMatching(/^W/),
    });
    const client = webClient(slack, String(answer.access_token));
    const auth = await client.auth.test();
    expect(auth).toMatchObject({
      ok: true,
      url: 'https://gridcorp.enterprise.slack.com/',
      team: GRID.name,
      enterprise_id: GRID.id,
      is_enterprise_install: true,
      user_id: answer.bot_user_id,
    });
    expect(auth.team_id).toBeUndefined();
    // It acts in the org's workspaces (web-api adds team_id for an org-wide install, as Bolt does).
    const orgClient = new WebClient(String(answer.access_token), {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      logger: silent,
      teamId: GRID_SALES.id,
    });
    const posted = await orgClient.chat.postMessage({ channel: 'C0GRID00001', text: 'hi' });
    expect(posted.message).toMatchObject({ team: GRID_SALES.id });
    expect(slack.calls.at(-1)).toMatchObject({ method: 'chat.postMessage', ok: true, team: GRID.id });
    expect(slack.installation(GRID.id)).toMatchObject({
      teamId: null,
      enterpriseId: GRID.id,
      isEnterpriseInstall: true,
    });
  });

  it('cancels with error=access_denied and the same state', async () => {
    const page = authorizeUrl(slack, {
      scope: 'commands',
      state: 'st',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
    });
    const back = await press(slack, page, 'Cancel');
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(Object.fromEntries(back.searchParams)).toEqual({ error: 'access_denied', state: 'st' });
  });

  it('answers a 400 page for an unknown client_id, and for a request without scope', async () => {
    const unknown = await fetch(authorizeUrl(slack, { scope: 'commands', client_id: '999.999' }));
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('Unknown client_id: 999.999');
    const noScope = await fetch(authorizeUrl(slack, { client_id: CLIENT_ID }));
    expect(noScope.status).toBe(400);
    expect(await noScope.text()).toContain('no bot scope');
    const approveUnknown = await fetch(
      `${slack.url}/oauth/v2/authorize/approve?client_id=999.999&scope=commands&target=${ACME.id}`,
      { method: 'POST', redirect: 'manual' },
    );
    expect(approveUnknown.status).toBe(400);
  });

  it('takes approvals only from its own page: a form of another site is refused', async () => {
    const action = `${slack.url}/oauth/v2/authorize/approve?client_id=${CLIENT_ID}&scope=commands&target=${ACME.id}`;
    const foreign = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const getInstead = await fetch(action, { redirect: 'manual' });
    expect(getInstead.status).toBe(405);
  });

  it('checks the redirect_uri given at authorize', async () => {
    const other = 'http://127.0.0.1:9/elsewhere';
    const page = authorizeUrl(slack, { scope: 'commands', client_id: CLIENT_ID, redirect_uri: other });
    const code = (await press(slack, page, 'Install into Acme & Sons <R&D>')).searchParams.get('code') ?? '';
    expect(await errorOf(exchange(slack, code))).toBe('bad_redirect_uri');
    expect(await errorOf(exchange(slack, code, { redirect_uri: REDIRECT }))).toBe('bad_redirect_uri');
    // A refused attempt does not use the code up.
    expect(await exchange(slack, code, { redirect_uri: other })).toMatchObject({ ok: true });
  });

  it('takes each code once', async () => {
    const code = slack.issueCode({ target: ACME.id });
    expect(await exchange(slack, code)).toMatchObject({ ok: true });
    expect(await errorOf(exchange(slack, code))).toBe('invalid_code');
    expect(await errorOf(exchange(slack, 'made-up-code'))).toBe('invalid_code');
  });

  it('lets a code expire after 10 minutes', async () => {
    const fresh = slack.issueCode({ target: ACME.id });
    const stale = slack.issueCode({ target: ACME.id });
    clock += 10 * 60 * 1000 - 1;
    expect(await exchange(slack, fresh)).toMatchObject({ ok: true });
    clock += 1;
    expect(await errorOf(exchange(slack, stale))).toBe('invalid_code');
  });

  it('checks the client id and secret, from form fields or HTTP Basic', async () => {
    const code = slack.issueCode({ target: ACME.id });
    const anonymous = webClient(slack);
    expect(
      await errorOf(anonymous.oauth.v2.access({ client_id: CLIENT_ID, client_secret: 'wrong', code })),
    ).toBe('bad_client_secret');
    expect(
      await errorOf(anonymous.oauth.v2.access({ client_id: '42.42', client_secret: CLIENT_SECRET, code })),
    ).toBe('invalid_client_id');
    expect(
      await errorOf(
        anonymous.apiCall('oauth.v2.access', {
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          grant_type: 'password',
        }),
      ),
    ).toBe('invalid_grant_type');

    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    const response = await fetch(`${slack.apiUrl}oauth.v2.access`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code }).toString(),
    });
    expect(await response.json()).toMatchObject({ ok: true, team: { id: ACME.id } });
  });

  it('keeps the bot user of an installation when the app is installed again, with a new token', async () => {
    const first = await exchange(slack, slack.issueCode({ target: ACME.id, scopes: 'commands' }));
    const second = await exchange(slack, slack.issueCode({ target: ACME.id, scopes: ['chat:write'] }));
    expect(second.bot_user_id).toBe(first.bot_user_id);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.scope).toBe('commands,chat:write');
    expect(await webClient(slack, String(first.access_token)).auth.test()).toMatchObject({
      team_id: ACME.id,
    });
  });

  it('refuses tokens it never issued, and an OAuth bot token for Socket Mode', async () => {
    expect(await errorOf(webClient(slack, 'xoxb-1-2-nope').auth.test())).toBe('invalid_auth');
    expect(await errorOf(webClient(slack, slack.appToken).auth.test())).toBe('not_allowed_token_type');
    const installed = await exchange(slack, slack.issueCode({ target: ACME.id }));
    expect(
      await errorOf(webClient(slack, String(installed.access_token)).apiCall('apps.connections.open')),
    ).toBe('not_allowed_token_type');
  });

  it('throws from approve and issueCode for an unknown target or without a redirect', () => {
    expect(() => slack.issueCode({ target: 'T0NOWHERE01' })).toThrow('neither a workspace nor an org');
    expect(() => slack.approve({ target: ACME.id, redirectUri: 'javascript:alert(1)' })).toThrow(
      'not an http(s) URL',
    );
  });
});

describe('token rotation', () => {
  let slack: LocalSlack;

  beforeAll(async () => {
    slack = await startLocalSlack(
      options({
        oauth: {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUri: REDIRECT,
          tokenLifetimeSeconds: 3600,
        },
      }),
    );
  });
  afterAll(async () => {
    await slack.close();
  });

  function refresh(refreshToken: string) {
    return webClient(slack).oauth.v2.access({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
  }

  it('issues expiring tokens with a refresh token, which gives new ones once', async () => {
    const installed = await exchange(slack, slack.issueCode({ target: ACME.id }));
    expect(installed).toMatchObject({
      access_token: expect.stringMatching(/^xoxe\.xoxb-1-/),
      refresh_token: expect.stringMatching(/^xoxe-1-/),
      expires_in: 3600,
    });
    const first = String(installed.access_token);
    expect(await webClient(slack, first).auth.test()).toMatchObject({ team_id: ACME.id, expires_in: 3600 });

    clock += 1000 * 1000;
    const refreshed = await refresh(String(installed.refresh_token));
    expect(refreshed).toMatchObject({
      ok: true,
      token_type: 'bot',
      access_token: expect.stringMatching(/^xoxe\.xoxb-1-/),
      refresh_token: expect.stringMatching(/^xoxe-1-/),
      expires_in: 3600,
      bot_user_id: installed.bot_user_id,
      team: { id: ACME.id, name: ACME.name },
      enterprise: null,
      is_enterprise_install: false,
    });
    expect(refreshed).not.toHaveProperty('authed_user');
    expect(refreshed.access_token).not.toBe(first);
    expect(refreshed.refresh_token).not.toBe(installed.refresh_token);
    // A refresh token is no bearer token.
    expect(await errorOf(webClient(slack, String(refreshed.refresh_token)).auth.test())).toBe('invalid_auth');

    // The old refresh token is spent; the old access token works until it expires.
    expect(await errorOf(refresh(String(installed.refresh_token)))).toBe('invalid_refresh_token');
    expect(await webClient(slack, first).auth.test()).toMatchObject({ ok: true, expires_in: 2600 });
    clock += 2600 * 1000;
    expect(await errorOf(webClient(slack, first).auth.test())).toBe('token_expired');
    expect(await webClient(slack, String(refreshed.access_token)).auth.test()).toMatchObject({
      team_id: ACME.id,
    });
    expect(slack.calls.at(-2)).toMatchObject({ method: 'auth.test', ok: false, error: 'token_expired' });
    expect(slack.calls.at(-2)?.team).toBeUndefined();
  });

  it('makes the next tokens expire as setTokenLifetime says', async () => {
    slack.setTokenLifetime(5);
    const short = await exchange(slack, slack.issueCode({ target: GRID.id }));
    expect(short).toMatchObject({ expires_in: 5, is_enterprise_install: true });
    clock += 5000;
    expect(await errorOf(webClient(slack, String(short.access_token)).auth.test())).toBe('token_expired');
    const renewed = await refresh(String(short.refresh_token));
    expect(renewed).toMatchObject({ expires_in: 5, team: null, enterprise: { id: GRID.id } });

    slack.setTokenLifetime(undefined);
    const forever = await exchange(slack, slack.issueCode({ target: GRID.id }));
    expect(forever.access_token).toMatch(/^xoxb-/);
    expect(forever).not.toHaveProperty('refresh_token');
    clock += 365 * 24 * 3600 * 1000;
    expect(await webClient(slack, String(forever.access_token)).auth.test()).toMatchObject({ ok: true });
    expect(() => slack.setTokenLifetime(0)).toThrow('positive number of seconds');
  });
});

describe('uninstall', () => {
  let slack: LocalSlack;

  beforeEach(async () => {
    slack = await startLocalSlack(
      options({
        oauth: {
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          redirectUri: REDIRECT,
          tokenLifetimeSeconds: 600,
        },
      }),
    );
  });
  afterEach(async () => {
    await slack.close();
  });

  it('revokes every token of the installation and nothing else', async () => {
    const acme = await exchange(slack, slack.issueCode({ target: ACME.id }));
    const org = await exchange(slack, slack.issueCode({ target: GRID.id }));
    const pending = slack.issueCode({ target: ACME.id });

    const removed = slack.uninstall(ACME.id);
    expect(removed).toMatchObject({
      target: ACME.id,
      teamId: ACME.id,
      installed: false,
      botUserId: acme.bot_user_id,
    });
    expect(await errorOf(webClient(slack, String(acme.access_token)).auth.test())).toBe('token_revoked');
    expect(
      await errorOf(
        webClient(slack).oauth.v2.access({
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
          grant_type: 'refresh_token',
          refresh_token: String(acme.refresh_token),
        }),
      ),
    ).toBe('invalid_refresh_token');
    expect(await errorOf(exchange(slack, pending))).toBe('invalid_code');
    expect(await webClient(slack, String(org.access_token)).auth.test()).toMatchObject({ ok: true });
    expect(await webClient(slack, slack.bot.token).auth.test()).toMatchObject({ ok: true });

    // Installed again: a new token that works, the same bot user.
    const again = await exchange(slack, slack.issueCode({ target: ACME.id }));
    expect(again.bot_user_id).toBe(acme.bot_user_id);
    expect(await webClient(slack, String(again.access_token)).auth.test()).toMatchObject({
      team_id: ACME.id,
    });
    expect(await errorOf(webClient(slack, String(acme.access_token)).auth.test())).toBe('token_revoked');
  });

  it('revokes the original bot token with the default workspace', async () => {
    expect(slack.installation(LOCAL_TEAM.id)).toMatchObject({
      teamId: LOCAL_TEAM.id,
      botUserId: LOCAL_BOT.userId,
      botId: LOCAL_BOT.botId,
      installed: true,
    });
    slack.uninstall(LOCAL_TEAM.id);
    expect(
      await errorOf(webClient(slack, slack.bot.token).chat.postMessage({ channel: 'C1', text: 'x' })),
    ).toBe('token_revoked');
    expect(() => slack.uninstall(ACME.id)).toThrow('never installed');
  });
});
