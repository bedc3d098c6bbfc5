import { App, type AuthorizeSourceData, LogLevel, MemoryInstallationStore } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LOCAL_APP_ID } from '../../src/sandbox/defaults.js';
import { appUninstalledEnvelope } from '../../src/sandbox/event-envelopes.js';
import { blockActionPayload } from '../../src/sandbox/interaction-payloads.js';
import { type LocalSlack, type LocalSlackOptions, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { sendSlashCommand, slashCommandBody } from '../../src/sandbox/signing.js';
import { freePort } from '../../src/util/free-port.js';
import { tokensRevokedEnvelope } from '../support/event-envelopes.js';
import {
  ACME,
  CLIENT_ID,
  CLIENT_SECRET,
  exchange,
  GRID,
  GRID_SALES,
  press,
  REDIRECT,
} from './oauth-fixtures.js';

/** The local Slack's clock, which stands still here. */
const now = () => Date.parse('2030-01-01T00:00:00Z');

function options(extra: Partial<LocalSlackOptions> = {}): LocalSlackOptions {
  return {
    workspaces: [ACME, GRID_SALES],
    orgs: [GRID],
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT },
    now,
    ...extra,
  };
}

describe('uninstall and revocation events', () => {
  type Seen = {
    type: string;
    teamId?: string;
    enterpriseId?: string;
    isEnterpriseInstall?: boolean;
    bot?: string[];
  };
  let app: App;
  const seen: Seen[] = [];

  beforeAll(() => {
    // Bolt answers these two events without authorizing: the installation is already gone.
    app = new App({
      signingSecret: 'secret',
      authorize: async () => {
        throw new Error('no installation');
      },
      logLevel: LogLevel.ERROR,
    });
    app.event('app_uninstalled', async ({ context }) => {
      seen.push({
        type: 'app_uninstalled',
        teamId: context.teamId,
        enterpriseId: context.enterpriseId,
        isEnterpriseInstall: context.isEnterpriseInstall,
      });
    });
    app.event('tokens_revoked', async ({ event, context }) => {
      seen.push({
        type: 'tokens_revoked',
        teamId: context.teamId,
        enterpriseId: context.enterpriseId,
        isEnterpriseInstall: context.isEnterpriseInstall,
        bot: event.tokens.bot,
      });
    });
  });
  beforeEach(() => {
    seen.length = 0;
  });

  async function deliver(body: Record<string, unknown>): Promise<void> {
    await app.processEvent({ body, ack: async () => {} });
  }

  it('builds app_uninstalled for a workspace', async () => {
    const envelope = appUninstalledEnvelope({ teamId: ACME.id, botUserId: 'U0ACMEBOT01' });
    expect(envelope).toMatchObject({
      type: 'event_callback',
      team_id: ACME.id,
      api_app_id: LOCAL_APP_ID,
      event: { type: 'app_uninstalled' },
      event_id: expect.stringMatching(/^Ev/),
      event_time: expect.any(Number),
      is_ext_shared_channel: false,
      authorizations: [
        {
          team_id: ACME.id,
          enterprise_id: null,
          user_id: 'U0ACMEBOT01',
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
    });
    expect(envelope).not.toHaveProperty('enterprise_id');
    await deliver(envelope);
    expect(seen).toEqual([
      { type: 'app_uninstalled', teamId: ACME.id, enterpriseId: undefined, isEnterpriseInstall: false },
    ]);
  });

  it('builds app_uninstalled and tokens_revoked for a workspace of an org', async () => {
    const installation = { teamId: GRID_SALES.id, enterpriseId: GRID.id, botUserId: 'W0SALESBOT1' };
    expect(appUninstalledEnvelope(installation)).toMatchObject({
      team_id: GRID_SALES.id,
      enterprise_id: GRID.id,
      authorizations: [{ team_id: GRID_SALES.id, enterprise_id: GRID.id, is_enterprise_install: false }],
    });
    await deliver(appUninstalledEnvelope(installation));
    await deliver(tokensRevokedEnvelope(installation));
    expect(seen).toEqual([
      { type: 'app_uninstalled', teamId: GRID_SALES.id, enterpriseId: GRID.id, isEnterpriseInstall: false },
      {
        type: 'tokens_revoked',
        teamId: GRID_SALES.id,
        enterpriseId: GRID.id,
        isEnterpriseInstall: false,
        bot: ['W0SALESBOT1'],
      },
    ]);
  });

  it('builds both for an org-wide install, straight from what LocalSlack.uninstall returns', async () => {
    const slack = await startLocalSlack(options());
    try {
      await exchange(slack, slack.issueCode({ target: GRID.id }));
      const removed = slack.uninstall(GRID.id);
      const uninstalled = appUninstalledEnvelope(removed);
      const revoked = tokensRevokedEnvelope(removed);
      expect(uninstalled).toMatchObject({
        team_id: GRID.id,
        enterprise_id: GRID.id,
        authorizations: [
          {
            team_id: null,
            enterprise_id: GRID.id,
            user_id: removed.botUserId,
            is_bot: true,
            is_enterprise_install: true,
          },
        ],
      });
      expect(revoked).toMatchObject({
        event: { type: 'tokens_revoked', tokens: { oauth: [], bot: [removed.botUserId] } },
        authorizations: [{ team_id: null, enterprise_id: GRID.id, is_enterprise_install: true }],
      });
      await deliver(uninstalled);
      await deliver(revoked);
      expect(seen).toEqual([
        { type: 'app_uninstalled', teamId: GRID.id, enterpriseId: GRID.id, isEnterpriseInstall: true },
        {
          type: 'tokens_revoked',
          teamId: GRID.id,
          enterpriseId: GRID.id,
          isEnterpriseInstall: true,
          bot: [removed.botUserId],
        },
      ]);
    } finally {
      await slack.close();
    }
  });
});

describe('commands and button clicks from any installation, as Bolt reads them', () => {
  const sources: AuthorizeSourceData<boolean>[] = [];
  let app: App;

  beforeAll(() => {
    app = new App({
      signingSecret: 'secret',
      authorize: async (source) => {
        sources.push(source);
        return { botToken: 'xoxb-unused', botId: 'B1', botUserId: 'U1' };
      },
      logLevel: LogLevel.ERROR,
    });
    app.command('/competency', async ({ ack }) => {
      await ack();
    });
    app.action('rate', async ({ ack }) => {
      await ack();
    });
  });
  beforeEach(() => {
    sources.length = 0;
  });

  it('a slash command in a workspace of an org with an org-wide install', async () => {
    const body = Object.fromEntries(
      new URLSearchParams(
        slashCommandBody({
          command: '/competency',
          text: '',
          team_id: GRID_SALES.id,
          team_domain: GRID_SALES.domain,
          enterprise_id: GRID.id,
          enterprise_name: GRID.name,
          is_enterprise_install: true,
        }),
      ),
    );
    expect(body).toMatchObject({
      enterprise_id: GRID.id,
      enterprise_name: GRID.name,
      is_enterprise_install: 'true',
    });
    await app.processEvent({ body, ack: async () => {} });
    expect(sources).toEqual([
      expect.objectContaining({ teamId: GRID_SALES.id, enterpriseId: GRID.id, isEnterpriseInstall: true }),
    ]);
  });

  it('a button click in a workspace of an org (workspace install and org-wide install)', async () => {
    const team = {
      id: GRID_SALES.id,
      domain: GRID_SALES.domain,
      enterprise_id: GRID.id,
      enterprise_name: GRID.name,
    };
    for (const isEnterpriseInstall of [false, true]) {
      const payload = blockActionPayload({
        actionId: 'rate',
        blockId: 'b',
        team,
        enterprise: { id: GRID.id, name: GRID.name },
        isEnterpriseInstall,
      });
      await app.processEvent({ body: payload, ack: async () => {} });
    }
    expect(sources).toEqual([
      expect.objectContaining({ teamId: GRID_SALES.id, enterpriseId: GRID.id, isEnterpriseInstall: false }),
      expect.objectContaining({ teamId: GRID_SALES.id, enterpriseId: GRID.id, isEnterpriseInstall: true }),
    ]);
  });
});

describe('a Bolt app with its built-in OAuth, installed through the local Slack', () => {
  const SECRET = 'bolt-signing-secret';
  let slack: LocalSlack;
  let app: App;
  let appUrl: string;
  const store = new MemoryInstallationStore();

  beforeAll(async () => {
    slack = await startLocalSlack(
      options({
        now: Date.now,
        oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenLifetimeSeconds: 60 },
      }),
    );
    const port = await freePort();
    appUrl = `http://127.0.0.1:${port}`;
    app = new App({
      signingSecret: SECRET,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      stateSecret: 'local-state-secret',
      scopes: ['commands', 'chat:write'],
      redirectUri: `${appUrl}/slack/oauth_redirect`,
      installationStore: store,
      installerOptions: {
        authorizationUrl: slack.authorizeUrl,
        directInstall: true,
        redirectUriPath: '/slack/oauth_redirect',
      },
      clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } },
      processBeforeResponse: true,
      logLevel: LogLevel.ERROR,
    });
    app.command('/competency', async ({ ack, client, command }) => {
      await ack();
      await client.chat.postMessage({ channel: command.channel_id, text: `Hello ${command.team_id}` });
    });
    await app.start({ port, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.stop();
    await slack.close();
  });

  /** /slack/install → the authorize page → a button → /slack/oauth_redirect with the state cookie. */
  async function installThroughTheBrowser(label: string): Promise<void> {
    const install = await fetch(`${appUrl}/slack/install`, { redirect: 'manual' });
    expect(install.status).toBe(302);
    const cookie = (install.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const back = await press(slack, install.headers.get('location') ?? '', label);
    expect(`${back.origin}${back.pathname}`).toBe(`${appUrl}/slack/oauth_redirect`);
    const callback = await fetch(back, { headers: { cookie }, redirect: 'manual' });
    expect(callback.status).toBe(200);
  }

  it('installs into a workspace, then answers a command there with the stored, refreshed token', async () => {
    await installThroughTheBrowser('Install into Acme & Sons <R&D>');
    const installation = await store.fetchInstallation({
      teamId: ACME.id,
      isEnterpriseInstall: false,
      enterpriseId: undefined,
    });
    expect(installation).toMatchObject({
      team: { id: ACME.id, name: ACME.name },
      isEnterpriseInstall: false,
      bot: {
        token: expect.stringMatching(/^xoxe\.xoxb-1-/),
        refreshToken: expect.stringMatching(/^xoxe-1-/),
      },
    });
    expect(installation.bot?.id).toBe(slack.installation(ACME.id)?.botId);
    const installedToken = installation.bot?.token;

    const response = await sendSlashCommand(`${appUrl}/slack/events`, SECRET, {
      command: '/competency',
      text: '',
      team_id: ACME.id,
      team_domain: ACME.domain,
      channel_id: 'C0ACMEGEN01',
      response_url: slack.newResponseUrl(),
    });
    expect(response.status).toBe(200);
    const [post] = await slack.waitForCalls('chat.postMessage', 1);
    expect(post).toMatchObject({ ok: true, team: ACME.id, args: { text: `Hello ${ACME.id}` } });
    // The token expires within Bolt's two-hour window, so Bolt refreshed it before the command.
    const refreshes = slack.calls.filter(
      (c) => c.method === 'oauth.v2.access' && c.args.grant_type === 'refresh_token',
    );
    expect(refreshes).toHaveLength(1);
    expect(post?.token).not.toBe(installedToken);
    expect(post?.token).toBe(installation.bot?.token);
  });

  it('installs org-wide, then answers a command from a workspace of the org', async () => {
    await installThroughTheBrowser('Install into Grid Corp');
    const installation = await store.fetchInstallation({
      enterpriseId: GRID.id,
      isEnterpriseInstall: true,
      teamId: undefined,
    });
    expect(installation).toMatchObject({
      enterprise: { id: GRID.id, name: GRID.name },
      isEnterpriseInstall: true,
      enterpriseUrl: 'https://gridcorp.enterprise.slack.com/',
    });
    slack.reset();
    await sendSlashCommand(`${appUrl}/slack/events`, SECRET, {
      command: '/competency',
      text: '',
      team_id: GRID_SALES.id,
      team_domain: GRID_SALES.domain,
      enterprise_id: GRID.id,
      enterprise_name: GRID.name,
      is_enterprise_install: true,
      channel_id: 'C0GRIDGEN01',
      response_url: slack.newResponseUrl(),
    });
    const [post] = await slack.waitForCalls('chat.postMessage', 1);
    expect(post).toMatchObject({ ok: true, team: GRID.id, args: { team_id: GRID_SALES.id } });
  });
});
