import { webApi } from '@slack/bolt';
import { expect } from 'vitest';
import type { LocalSlack } from '../../src/sandbox/local-slack.js';
import { unescapeHtml } from '../../src/util/html.js';

/**
 * What the local Slack's OAuth tests share: an OAuth app, workspaces and an Enterprise Grid org to
 * install it into, a WebClient against the local Slack, and the authorize page pressed as a browser would.
 */

export const { WebClient } = webApi;
const { WebAPIPlatformError, LogLevel: WebLogLevel } = webApi;

/** web-api logs failed calls; these tests provoke them on purpose. */
export const silent = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => WebLogLevel.ERROR,
  setName: () => {},
};

export const CLIENT_ID = '1111111111.2222222222';
export const CLIENT_SECRET = 'local-client-secret';
export const REDIRECT = 'http://127.0.0.1:9/slack/oauth_redirect';
export const ACME = { id: 'T0ACME00001', domain: 'acme', name: 'Acme & Sons <R&D>' };
export const GRID_SALES = {
  id: 'T0GRIDSLS01',
  domain: 'grid-sales',
  name: 'Grid Sales',
  enterpriseId: 'E0GRID00001',
};
export const GRID = { id: 'E0GRID00001', name: 'Grid Corp', domain: 'gridcorp' };

export function webClient(slack: LocalSlack, token?: string): InstanceType<typeof WebClient> {
  return new WebClient(token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: silent });
}

/** The `error` a WebClient call fails with. */
export async function errorOf(call: Promise<unknown>): Promise<string> {
  const error: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WebAPIPlatformError))
    throw new Error(`expected a platform error, got ${String(error)}`);
  return String(error.data.error);
}

/** The authorize URL InstallProvider.generateInstallUrl builds. */
export function authorizeUrl(slack: LocalSlack, params: Record<string, string>): string {
  return `${slack.authorizeUrl}?${new URLSearchParams(params).toString()}`;
}

/** The forms of the authorize page: button label → absolute action URL. */
export function formsOf(html: string, base: string): Map<string, string> {
  const forms = new Map<string, string>();
  for (const match of html.matchAll(
    /<form method="post" action="([^"]+)"><button type="submit">([^<]+)<\/button>/g,
  )) {
    forms.set(unescapeHtml(match[2] ?? ''), new URL(unescapeHtml(match[1] ?? ''), base).toString());
  }
  return forms;
}

/** Opens the authorize page and presses one of its buttons, as a browser would; answers the redirect. */
export async function press(slack: LocalSlack, pageUrl: string, label: string): Promise<URL> {
  const page = await fetch(pageUrl);
  expect(page.status).toBe(200);
  const action = formsOf(await page.text(), slack.url).get(label);
  if (action === undefined) throw new Error(`no "${label}" button on the authorize page`);
  const response = await fetch(action, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: slack.url, 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') ?? '');
}

export async function exchange(slack: LocalSlack, code: string, extra: Record<string, string> = {}) {
  return webClient(slack).oauth.v2.access({
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    code,
    ...extra,
  });
}
