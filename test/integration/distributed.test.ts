// biome-ignore-all lint/correctness/noEmptyPattern: vitest reads from a fixture's first parameter, which must be a destructuring pattern, the fixtures it needs
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { webApi } from '@slack/bolt';
import { describe, expect } from 'vitest';
import { createLogger, LogLevel } from '../../src/log.js';
import { appHomeOpenedEnvelope, appUninstalledEnvelope } from '../../src/sandbox/event-envelopes.js';
import { type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { sendEvent, sendSlashCommand } from '../../src/sandbox/signing.js';
import { SealedInstallationStore } from '../../src/slack/installations.js';
import { type Running, start } from '../../src/start.js';
import { freePort } from '../../src/util/free-port.js';
import { TokenCipher } from '../../src/util/token-cipher.js';
import { createTestDatabase, makeTempDir, type TestDatabase, withClient } from '../store/helpers.js';
import { tokensRevokedEnvelope } from '../support/event-envelopes.js';
import { test } from '../support/fixtures.js';
import { press } from './harness.js';

/**
 * Distributed mode end to end: the real app (start(), as `npm start` runs it) installed through
 * Slack's OAuth flow into two workspaces and an Enterprise Grid org of the local Slack, on the file
 * store and on PostgreSQL. Every request is signed as Slack signs it; every install goes through the
 * install page, the authorize page and the redirect, with the browser's state cookie.
 */

const CLIENT_ID = '1111111111.2222222222';
const CLIENT_SECRET = 'localclientsecret0123';
const SIGNING_SECRET = 'distributedsigningsecret';
const KEY = randomBytes(32).toString('base64');

const ACME = { id: 'T0ACME00001', domain: 'acme', name: 'Acme' };
const BETA = { id: 'T0BETA00001', domain: 'beta', name: 'Beta' };
const NEVER = { id: 'T0NEVER0001', domain: 'never', name: 'Never Installed' };
const GRID = { id: 'E0GRID00001', name: 'Grid Corp', domain: 'gridcorp' };
const GRID_SALES = { id: 'T0GRIDSALES', domain: 'grid-sales', name: 'Grid Sales', enterpriseId: GRID.id };
const GRID_OPS = { id: 'T0GRIDOPS01', domain: 'grid-ops', name: 'Grid Ops', enterpriseId: GRID.id };

/** Where a request comes from; in a Grid org, through the org-wide install unless `ownInstall`. */
type Workspace = { id: string; domain: string; enterpriseId?: string; ownInstall?: boolean };

type StoreSetUp = {
  kind: 'lowdb' | 'postgres';
  env: () => Promise<Record<string, string>>;
  /** Everything the store holds, as text, to look for tokens in clear. */
  raw: () => Promise<string>;
  tearDown: () => Promise<void>;
};

function lowdbSetUp(): StoreSetUp {
  let dir: { dir: string; remove: () => Promise<void> } | undefined;
  return {
    kind: 'lowdb',
    env: async () => {
      dir ??= await makeTempDir();
      return { DATA_DIR: dir.dir };
    },
    raw: async () => readFile(path.join(dir?.dir ?? '', 'competency-data.json'), 'utf8'),
    tearDown: async () => dir?.remove(),
  };
}

function postgresSetUp(): StoreSetUp {
  let database: TestDatabase | undefined;
  return {
    kind: 'postgres',
    env: async () => {
      database ??= await createTestDatabase('distributed');
      return { DATABASE_URL: database.url };
    },
    raw: async () =>
      withClient(database?.url ?? '', async (client) => {
        const { rows } = await client.query('SELECT data::text AS text FROM installations');
        return rows.map((row) => String(row.text)).join('\n');
      }),
    tearDown: async () => database?.drop(),
  };
}

/** The app in distributed mode on one store, and the local Slack it is installed in. */
type Deployment = {
  slack: LocalSlack;
  port: number;
  appUrl: string;
  eventsUrl: string;
  logs: string[];
  /** Every token the app sent to the local Slack (calls are recorded until a test resets them). */
  usedTokens: Set<string>;
  /** The app now; undefined once stopped. */
  running: Running | undefined;
  /** Starts the app (again) on the same port and store. */
  start: () => Promise<void>;
  /** Moves the local Slack's clock (code and token expiry) forward; the app keeps the real time. */
  advanceSlackClock: (ms: number) => void;
};

/** Deploys the app on `setUp`'s store, as `npm start` starts it with OAuth credentials. */
async function deploy(setUp: StoreSetUp, onStop: (stop: () => Promise<void>) => void): Promise<Deployment> {
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  let slackClockAhead = 0;
  const slack = await startLocalSlack({
    now: () => Date.now() + slackClockAhead,
    workspaces: [ACME, BETA, NEVER, GRID_SALES, GRID_OPS],
    orgs: [GRID],
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  });
  const deployment: Deployment = {
    slack,
    port,
    appUrl,
    eventsUrl: `${appUrl}/slack/events`,
    logs: [],
    usedTokens: new Set<string>(),
    running: undefined,
    advanceSlackClock: (ms) => {
      slackClockAhead += ms;
    },
    start: async () => {
      deployment.running = await start(
        {
          SLACK_CLIENT_ID: CLIENT_ID,
          SLACK_CLIENT_SECRET: CLIENT_SECRET,
          SLACK_STATE_SECRET: 'distributed-test-state-secret',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_TOKEN_ENCRYPTION_KEY: KEY,
          SLACK_API_URL: slack.apiUrl,
          SLACK_AUTHORIZE_URL: slack.authorizeUrl,
          SLACK_REDIRECT_URI: `${appUrl}/slack/oauth_redirect`,
          PORT: String(port),
          HOST: '127.0.0.1',
          FRAMEWORKS_CACHE_DIR: 'off',
          LOG_LEVEL: 'debug',
          ...(await setUp.env()),
        },
        createLogger(LogLevel.DEBUG, (line) => deployment.logs.push(line)),
      );
    },
  };
  onStop(async () => {
    await deployment.running?.stop();
    await slack.close();
    await setUp.tearDown();
  });
  slack.on('api', (call: { token?: string }) => {
    if (call.token) deployment.usedTokens.add(call.token);
  });
  await deployment.start();
  return deployment;
}

/** Deploys the app on a store (each a deployment of its own); all stopped, and their stores removed, after the file. */
const it = test.extend('deploy', { scope: 'file' }, async ({}, { onCleanup }) => {
  const stops: (() => Promise<void>)[] = [];
  onCleanup(async () => {
    for (const stop of stops) await stop();
  });
  return (setUp: StoreSetUp) => deploy(setUp, (stop) => stops.push(stop));
});

describe.each([lowdbSetUp(), postgresSetUp()])('distributed mode on $kind', (setUp) => {
  let d: Deployment;
  let slack: LocalSlack;
  let appUrl: string;
  let eventsUrl: string;
  let logs: string[];
  let usedTokens: Set<string>;
  it.beforeAll(async ({ deploy }) => {
    d = await deploy(setUp);
    ({ slack, appUrl, eventsUrl, logs, usedTokens } = d);
  });

  /** The install page → Add to Slack → the authorize page's button → back to the app with the cookie. */
  async function install(
    label: string,
  ): Promise<{ status: number; html: string; callback: URL; cookie: string }> {
    const page = await fetch(`${appUrl}/slack/install`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Add to Slack');
    const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const authorize = /href="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&') ?? '';
    const authorizePage = await (await fetch(authorize)).text();
    const action = new RegExp(
      `<form method="post" action="([^"]+)"><button type="submit">${label}</button>`,
    ).exec(authorizePage)?.[1];
    if (!action) throw new Error(`no "${label}" on the authorize page`);
    const approved = await fetch(new URL(action.replaceAll('&amp;', '&'), slack.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: slack.url, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const callback = new URL(approved.headers.get('location') ?? '');
    const finished = await fetch(callback, { headers: { cookie } });
    return { status: finished.status, html: await finished.text(), callback, cookie };
  }

  function command(where: Workspace, text: string, userId = 'U0PERSON001') {
    return sendSlashCommand(eventsUrl, SIGNING_SECRET, {
      command: '/competency',
      text,
      team_id: where.id,
      team_domain: where.domain,
      user_id: userId,
      response_url: slack.newResponseUrl(),
      ...(where.enterpriseId
        ? {
            enterprise_id: where.enterpriseId,
            enterprise_name: GRID.name,
            is_enterprise_install: where.ownInstall !== true,
          }
        : {}),
    });
  }

  /** Presses a button of `message` as `userId` in `where`; answers what the app posted back. */
  function pressIn(where: Workspace, message: unknown, label: string, userId = 'U0PERSON001') {
    return press({ slack, eventsUrl, signingSecret: SIGNING_SECRET }, message, label, {
      payload: {
        user: { id: userId, team_id: where.id },
        team: {
          id: where.id,
          domain: where.domain,
          ...(where.enterpriseId ? { enterprise_id: where.enterpriseId } : {}),
        },
        ...(where.enterpriseId
          ? { enterprise: { id: GRID.id, name: GRID.name }, isEnterpriseInstall: where.ownInstall !== true }
          : {}),
      },
    });
  }

  /** Starts a run at Senior and rates the first competency 4, as the person would. */
  async function rateFirst(where: Workspace, userId = 'U0PERSON001') {
    const shown = await command(where, 'solutions-architect senior', userId);
    const step = await pressIn(where, shown.json, 'Rate yourself', userId);
    await pressIn(where, step, 'assessment_answer:4', userId);
  }

  /** Beta's installation as the app reads it, its tokens in clear. */
  async function betaInstallation() {
    const store = d.running?.store;
    if (!store) throw new Error('not running');
    const installations = new SealedInstallationStore(store, new TokenCipher(Buffer.from(KEY, 'base64')), {
      info: () => {},
      warn: () => {},
    });
    return installations.fetchInstallation({
      teamId: BETA.id,
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
  }

  async function progressOf(where: Workspace, userId = 'U0PERSON001'): Promise<string> {
    const shown = await command(where, 'solutions-architect senior', userId);
    expect(shown.status).toBe(200);
    const text = JSON.stringify(shown.json);
    return (
      /Continue rating \(\d+ of \d+\)/.exec(text)?.[0] ??
      (text.includes('Rate yourself') ? 'not started' : text)
    );
  }

  it('installs into two workspaces and an org through the install page, keeping no token in clear', async () => {
    for (const label of ['Install into Acme', 'Install into Beta', 'Install into Grid Corp']) {
      const done = await install(label);
      expect(done.status).toBe(200);
      expect(done.html).toContain('Competency is installed');
    }
    const kept = await d.running?.store.installations();
    expect(kept?.map((record) => record.id).sort()).toEqual([ACME.id, BETA.id, GRID.id].sort());
    const raw = await setUp.raw();
    expect(raw).toContain(ACME.id);
    expect(raw).not.toMatch(/xox[a-z]-/);
    expect(logs.filter((line) => line.includes('Installed in'))).toHaveLength(3);
  });

  it('each workspace has its own people; in the org, a person is the same in every workspace', async () => {
    await rateFirst(ACME);
    expect(await progressOf(ACME)).toMatch(/^Continue rating \(2 of/);
    // The same user id in another workspace is another person.
    expect(await progressOf(BETA)).toBe('not started');
    // Across the org's workspaces (installed org-wide), the same person.
    await rateFirst(GRID_SALES);
    expect(await progressOf(GRID_OPS)).toMatch(/^Continue rating \(2 of/);
    // The Home tab goes out with the org's token, to the workspace it was opened in.
    slack.reset();
    const opened = await sendEvent(
      eventsUrl,
      SIGNING_SECRET,
      appHomeOpenedEnvelope({
        user: 'U0PERSON001',
        team: GRID_OPS.id,
        enterpriseId: GRID.id,
        isEnterpriseInstall: true,
      }),
    );
    expect(opened.status).toBe(200);
    const [publish] = await slack.waitForCalls('views.publish', 1);
    expect(publish).toMatchObject({ ok: true, team: GRID.id });
  });

  it('a workspace that never installed the app is refused, and told so, without a crash', async () => {
    const answer = await command(NEVER, 'solutions-architect senior');
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.json)).toContain('Competency is not installed in this workspace');
    expect(logs.some((line) => line.includes('Refused a request'))).toBe(true);
    expect(await progressOf(ACME)).toMatch(/^Continue rating/);
  });

  it('a token past its expiry is refreshed before the request, which succeeds', async () => {
    slack.setTokenLifetime(1);
    expect((await install('Install into Beta')).status).toBe(200);
    const sealedBefore = (await d.running?.store.installation(BETA.id))?.installation;
    const expiring = (await betaInstallation()).bot?.token;
    // A second later for Slack: the token has expired there, and Slack refuses it.
    d.advanceSlackClock(1_000);
    const client = new webApi.WebClient(expiring, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    await expect(client.auth.test()).rejects.toMatchObject({ data: { error: 'token_expired' } });
    slack.reset();
    slack.setTokenLifetime(undefined);
    const opened = await sendEvent(
      eventsUrl,
      SIGNING_SECRET,
      appHomeOpenedEnvelope({ user: 'U0PERSON001', team: BETA.id }),
    );
    expect(opened.status).toBe(200);
    const [publish] = await slack.waitForCalls('views.publish', 1);
    expect(publish).toMatchObject({ ok: true, team: BETA.id });
    expect(
      slack.calls.filter((c) => c.method === 'oauth.v2.access' && c.args.grant_type === 'refresh_token'),
    ).toHaveLength(1);
    expect((await d.running?.store.installation(BETA.id))?.installation).not.toEqual(sealedBefore);
  });

  it('a forged state, or a redirect used twice, installs nothing', async () => {
    const forged = new URL(
      slack.approve({ target: NEVER.id, state: 'forged', redirectUri: `${appUrl}/slack/oauth_redirect` }),
    );
    const refused = await fetch(forged, { headers: { cookie: 'slack-app-oauth-state=forged' } });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('This install link cannot be used');
    expect(await d.running?.store.installation(NEVER.id)).toBeUndefined();

    // An install approved in Slack's admin pages comes back without a state: sent to the install page.
    const stateless = new URL(
      slack.approve({ target: NEVER.id, redirectUri: `${appUrl}/slack/oauth_redirect` }),
    );
    expect(stateless.searchParams.has('state')).toBe(false);
    const sentBack = await fetch(stateless);
    expect(sentBack.status).toBe(400);
    const page = await sentBack.text();
    expect(page).toContain("Slack's admin pages");
    expect(page).toContain('href="/slack/install"');
    expect(await d.running?.store.installation(NEVER.id)).toBeUndefined();

    const done = await install('Install into Beta');
    expect(done.status).toBe(200);
    const again = await fetch(done.callback, { headers: { cookie: done.cookie } });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This install link cannot be used');
  });

  it('uninstalling one workspace deletes its installation and its people, leaves the others, and lasts after a restart', async () => {
    await rateFirst(BETA);
    const removed = slack.uninstall(ACME.id);
    // Slack sends both events, in either order, and may send one again.
    for (const envelope of [
      tokensRevokedEnvelope(removed),
      appUninstalledEnvelope(removed),
      appUninstalledEnvelope(removed),
    ]) {
      expect((await sendEvent(eventsUrl, SIGNING_SECRET, envelope)).status).toBe(200);
    }
    await expect.poll(async () => d.running?.store.installation(ACME.id)).toBeUndefined();
    // Each event is acknowledged first and handled after: wait for all three to be handled.
    await expect
      .poll(() => logs.filter((line) => /Removed from the workspace T0ACME00001/.test(line)).length)
      .toBe(3);
    expect(
      logs.some((line) => /deleted its installation, and the data of 1 person \(\d+ records\)/.test(line)),
    ).toBe(true);
    expect(JSON.stringify((await command(ACME, 'solutions-architect senior')).json)).toContain(
      'not installed',
    );

    await d.running?.stop();
    await d.start();
    expect(await d.running?.store.get(`${ACME.id}:U0PERSON001`)).toEqual({
      ratings: {},
      drafts: {},
      history: [],
    });
    expect(await progressOf(BETA)).toMatch(/^Continue rating \(2 of/);
    expect(await progressOf(GRID_SALES)).toMatch(/^Continue rating \(2 of/);

    // The org, installed org-wide: its people go with it.
    const org = slack.uninstall(GRID.id);
    expect((await sendEvent(eventsUrl, SIGNING_SECRET, appUninstalledEnvelope(org))).status).toBe(200);
    await expect
      .poll(async () => d.running?.store.get(`${GRID.id}:U0PERSON001`))
      .toEqual({
        ratings: {},
        drafts: {},
        history: [],
      });
    expect((await d.running?.store.installations())?.map((record) => record.id)).toEqual([BETA.id]);
  });

  it('an org-wide install removed while a workspace of the org keeps its own: who used that workspace keeps their data, the others lose theirs, and the log counts them', async () => {
    for (const label of ['Install into Grid Corp', 'Install into Grid Sales'])
      expect((await install(label)).status).toBe(200);
    const salesOwn: Workspace = { ...GRID_SALES, ownInstall: true };
    // One person through Grid Sales' own installation, one only through the org-wide one, in Grid Ops.
    await rateFirst(salesOwn, 'U0SALES0001');
    await rateFirst(GRID_OPS, 'U0OPS000001');
    const before = logs.length;
    const org = slack.uninstall(GRID.id);
    expect((await sendEvent(eventsUrl, SIGNING_SECRET, appUninstalledEnvelope(org))).status).toBe(200);
    await expect
      .poll(async () => d.running?.store.get(`${GRID.id}:U0OPS000001`))
      .toEqual({ ratings: {}, drafts: {}, history: [] });
    await expect
      .poll(() => logs.slice(before).find((line) => line.includes(`Removed from the org ${GRID.id}`)))
      .toMatch(/deleted its installation, and the data of 1 person \(\d+ records\)/);
    // Still reached through Grid Sales: nothing of theirs went.
    expect(await progressOf(salesOwn, 'U0SALES0001')).toMatch(/^Continue rating \(2 of/);
    // Grid Ops is told it is not installed, and what that means for data, truthfully.
    const refused = JSON.stringify(
      (await command(GRID_OPS, 'solutions-architect senior', 'U0OPS000001')).json,
    );
    expect(refused).toContain('not installed in this workspace');
    expect(refused).not.toContain('keeps no data');

    // Then Grid Sales goes too: nobody of the org is reached any more.
    const sales = slack.uninstall(GRID_SALES.id);
    expect((await sendEvent(eventsUrl, SIGNING_SECRET, appUninstalledEnvelope(sales))).status).toBe(200);
    await expect
      .poll(async () => d.running?.store.get(`${GRID.id}:U0SALES0001`))
      .toEqual({ ratings: {}, drafts: {}, history: [] });
    await expect
      .poll(() =>
        logs.slice(before).find((line) => line.includes(`Removed from the workspace ${GRID_SALES.id}`)),
      )
      .toMatch(/the data of 1 person \(\d+ records\)/);
  });

  it('nothing secret ever reached the log, even at debug level', async () => {
    const tokens = new Set(usedTokens);
    // And the tokens the app holds now, as it reads them.
    const beta = await betaInstallation();
    for (const token of [beta.bot?.token, beta.bot?.refreshToken]) if (token) tokens.add(token);
    expect(tokens.size).toBeGreaterThan(2);
    const everything = logs.join('\n');
    // Slack's client writes each request at debug level: the OAuth exchanges are there, their secrets are not.
    expect(everything).toContain('oauth.v2.access');
    for (const secret of [...tokens, CLIENT_SECRET, SIGNING_SECRET, KEY, 'distributed-test-state-secret'])
      expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/xoxe-1-[A-Za-z0-9]/);
  });
});
