import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createLogger, LogLevel } from '../../src/log.js';
import type { LocalSlack } from '../../src/sandbox/local-slack.js';
import { type Running, start } from '../../src/start.js';
import { freePort } from '../../src/util/free-port.js';

/**
 * The app in distributed mode (installed through Slack's OAuth flow), started as `npm start` starts
 * it, in this process, on the local Slack: what the tests of token rotation, of an Enterprise Grid
 * org's removal and of SLACK_DIRECT_INSTALL share.
 */

export const CLIENT_ID = '1111111111.2222222222';
export const CLIENT_SECRET = 'localclientsecret0123';
export const SIGNING_SECRET = 'oauthdeploymentsigningsecret';

/** One copy of the app, and what it logged. */
export type Instance = {
  running: Running;
  url: string;
  eventsUrl: string;
  logs: string[];
};

/** A new random key for SLACK_TOKEN_ENCRYPTION_KEY, as `openssl rand -base64 32` makes one. */
export function newTokenKey(): string {
  return randomBytes(32).toString('base64');
}

/**
 * Starts a copy of the app in distributed mode on `slack`, with `store` (DATABASE_URL or DATA_DIR)
 * and `key`, on a port of its own; `extra` adds or overrides variables.
 */
export async function startDistributed(
  slack: LocalSlack,
  store: Record<string, string>,
  key: string,
  extra: Record<string, string> = {},
): Promise<Instance> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logs: string[] = [];
  const running = await start(
    {
      SLACK_CLIENT_ID: CLIENT_ID,
      SLACK_CLIENT_SECRET: CLIENT_SECRET,
      SLACK_STATE_SECRET: 'oauth-deployment-state-secret',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_TOKEN_ENCRYPTION_KEY: key,
      SLACK_API_URL: slack.apiUrl,
      SLACK_AUTHORIZE_URL: slack.authorizeUrl,
      SLACK_REDIRECT_URI: `${url}/slack/oauth_redirect`,
      PORT: String(port),
      HOST: '127.0.0.1',
      FRAMEWORKS_CACHE_DIR: 'off',
      REMINDERS: 'off',
      ...store,
      ...extra,
    },
    createLogger(LogLevel.INFO, (line) => logs.push(line)),
  );
  return { running, url, eventsUrl: `${url}/slack/events`, logs };
}

/**
 * Installs the app into `target` (a workspace or an org of the local Slack) as a person does: the
 * install page of `app` sets its state cookie and links to Slack's authorize page with that state;
 * Slack sends the browser back with a code, and the cookie goes along. Answers the page the app
 * showed at the end.
 */
export async function install(
  app: Instance,
  slack: LocalSlack,
  target: string,
): Promise<{ status: number; html: string }> {
  const page = await fetch(`${app.url}/slack/install`);
  expect(page.status).toBe(200);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const link = /href="([^"]+)"/.exec(await page.text())?.[1]?.replaceAll('&amp;', '&');
  if (link === undefined) throw new Error('the install page has no link to Slack');
  const state = new URL(link).searchParams.get('state') ?? undefined;
  const back = slack.approve({ target, state, redirectUri: `${app.url}/slack/oauth_redirect` });
  const finished = await fetch(back, { headers: { cookie } });
  return { status: finished.status, html: await finished.text() };
}
