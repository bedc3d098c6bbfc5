// biome-ignore-all lint/correctness/noEmptyPattern: vitest reads from a fixture's first parameter, which must be a destructuring pattern, the fixtures it needs
import type { Installation } from '@slack/bolt';
import { describe, expect } from 'vitest';
import { appHomeOpenedEnvelope } from '../../src/sandbox/event-envelopes.js';
import { type ApiCall, type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { sendEvent } from '../../src/sandbox/signing.js';
import { SealedInstallationStore } from '../../src/slack/installations.js';
import { TokenCipher } from '../../src/util/token-cipher.js';
import { test } from '../support/fixtures.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  type Instance,
  install,
  newTokenKey,
  SIGNING_SECRET,
  startDistributed,
} from './oauth-deployment.js';

/**
 * Token rotation with two copies of the app on one PostgreSQL database, as an organisation runs it
 * behind a load balancer. Bolt refreshes a token that expires within two hours before the request
 * that needs it; two copies that get a request at the same moment both try, with the same refresh
 * token, and Slack honours a refresh token once. Whatever the order, every request is served and
 * the installation keeps working. The local Slack holds both refreshes until both have arrived, so
 * the two copies really do race, every run.
 */

const HOUR = 3600;
const ACME = { id: 'T0ACME00001', domain: 'acme', name: 'Acme' };
const BETA = { id: 'T0BETA00001', domain: 'beta', name: 'Beta' };
const GAMMA = { id: 'T0GAMMA0001', domain: 'gamma', name: 'Gamma' };
const KEY = newTokenKey();

/** The local Slack's clock: this machine's, unless a test stops or moves it. */
let slackNow: () => number = Date.now;

const it = test.extend('deployment', { scope: 'file' }, async ({ sharedDatabase }, { onCleanup }) => {
  const slack = await startLocalSlack({
    now: () => slackNow(),
    workspaces: [ACME, BETA, GAMMA],
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
  });
  const started: Instance[] = [];
  onCleanup(async () => {
    for (const instance of started) await instance.running.stop();
    await slack.close();
  });
  const store = { DATABASE_URL: sharedDatabase.url };
  for (let i = 0; i < 2; i++) started.push(await startDistributed(slack, store, KEY));
  const [a, b] = started as [Instance, Instance];
  return { slack, a, b };
});

let slack: LocalSlack;
let a: Instance;
let b: Instance;
it.beforeAll(({ deployment }) => {
  ({ slack, a, b } = deployment);
});

/** The installation as the app keeps it, its tokens opened. */
async function kept(team: string): Promise<Installation> {
  const installations = new SealedInstallationStore(
    a.running.store,
    new TokenCipher(Buffer.from(KEY, 'base64')),
    {
      info: () => {},
      warn: () => {},
    },
  );
  return installations.fetchInstallation({
    teamId: team,
    enterpriseId: undefined,
    isEnterpriseInstall: false,
  });
}

/** Someone opens the app's Home tab in `team`, and Slack tells `app`. */
async function openHome(app: Instance, team: string, user: string): Promise<void> {
  const answer = await sendEvent(app.eventsUrl, SIGNING_SECRET, appHomeOpenedEnvelope({ user, team }));
  expect(answer.status).toBe(200);
}

/** The refreshes the app asked Slack for (oauth.v2.access with a refresh token). */
const refreshes = (): ApiCall[] =>
  slack.calls.filter((call) => call.method === 'oauth.v2.access' && call.args.grant_type === 'refresh_token');

/** Installs into `team` with tokens that live `lifetime` seconds, and refreshes that live 12 hours. */
async function installWithLifetime(team: string, lifetime: number): Promise<Installation> {
  slack.setTokenLifetime(lifetime);
  expect((await install(a, slack, team)).status).toBe(200);
  slack.setTokenLifetime(12 * HOUR);
  slack.reset();
  return kept(team);
}

/**
 * Two people open the Home tab at once, one through each copy; both Home tabs are published, each
 * answer names which token it went out with.
 */
async function bothOpenHome(team: string): Promise<ApiCall[]> {
  await Promise.all([openHome(a, team, 'U0PERSONA01'), openHome(b, team, 'U0PERSONB01')]);
  const published = await slack.waitForCalls('views.publish', 2);
  return published;
}

describe('token rotation with two copies of the app', () => {
  it('a token with more than two hours left is used as it is: no refresh, from either copy', async () => {
    const installed = await installWithLifetime(ACME.id, 2 * HOUR + 10 * 60);
    const published = await bothOpenHome(ACME.id);
    expect(published.map((call) => [call.ok, call.token])).toEqual([
      [true, installed.bot?.token],
      [true, installed.bot?.token],
    ]);
    expect(refreshes()).toEqual([]);
  });

  it('a token that expires within two hours: both copies refresh it at once, Slack honours one, both people are served, and the new token is kept and used by both', async () => {
    const installed = await installWithLifetime(BETA.id, 2 * HOUR - 10 * 60);
    slack.holdCalls('oauth.v2.access', 2);
    const published = await bothOpenHome(BETA.id);
    expect(published.map((call) => call.ok)).toEqual([true, true]);
    // Both tried the same refresh token; Slack took it once.
    const tried = refreshes();
    expect(tried.map((call) => call.args.refresh_token)).toEqual([
      installed.bot?.refreshToken,
      installed.bot?.refreshToken,
    ]);
    expect(tried.map((call) => call.error ?? 'ok')).toEqual(['ok', 'invalid_refresh_token']);

    // The winner's tokens are what the app keeps: good for 12 hours, and they work from both copies
    // without another refresh.
    const now = await kept(BETA.id);
    expect(now.bot?.token).not.toBe(installed.bot?.token);
    expect(now.bot?.refreshToken).not.toBe(installed.bot?.refreshToken);
    expect(now.bot?.expiresAt).toBeGreaterThan(Date.now() / 1000 + 11 * HOUR);
    slack.reset();
    const later = await bothOpenHome(BETA.id);
    expect(later.map((call) => [call.ok, call.token])).toEqual([
      [true, now.bot?.token],
      [true, now.bot?.token],
    ]);
    expect(refreshes()).toEqual([]);
  });

  it('a token already expired: both copies refresh it at once, Slack honours one, and still both people are served', async () => {
    // A token that lives a second, issued while Slack's clock stands still (so the install itself
    // finds it good), then two seconds later on Slack's clock: expired, for Slack and for the app.
    const issuedAt = Date.now();
    slackNow = () => issuedAt;
    const installed = await installWithLifetime(GAMMA.id, 1);
    slackNow = () => Date.now() + 2000;
    slack.holdCalls('oauth.v2.access', 2);
    const published = await bothOpenHome(GAMMA.id);
    expect(
      published.map((call) => call.error ?? 'ok'),
      'the copy whose refresh Slack refused must not go on with the expired token',
    ).toEqual(['ok', 'ok']);
    expect(refreshes().map((call) => call.error ?? 'ok')).toEqual(['ok', 'invalid_refresh_token']);
    const now = await kept(GAMMA.id);
    expect(now.bot?.token).not.toBe(installed.bot?.token);
    expect(published.map((call) => call.token)).toEqual([now.bot?.token, now.bot?.token]);
  });
});
