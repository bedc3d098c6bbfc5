import type { Logger } from '@slack/bolt';
import type { Clock } from '../reminders/scheduler.js';
import { type Running, StartError, start } from '../start.js';
import { freePort } from '../util/free-port.js';
import { escapeHtml, unescapeHtml } from '../util/html.js';
import { SANDBOX_HOST } from './defaults.js';
import type { LocalSlack } from './local-slack.js';
import { SANDBOX_TEAM, type SandboxTeam } from './teams.js';

/**
 * The app as the sandbox runs it: the real app, started exactly as with real Slack (same code, same
 * configuration checks) in distributed mode, with the local Slack's URLs and made-up credentials, and
 * installed into the sandbox's workspace through its own install flow, as a person's browser does it.
 */

/** The smallest K allowed: the sandbox has three sample people per workspace. */
export const SANDBOX_TEAM_MIN_PEOPLE = '3';

/** The app's credentials for one sandbox session, made up like a Slack app's; never printed or kept. */
export type SandboxSecrets = {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  signingSecret: string;
  tokenKey: string;
};

/**
 * The app in distributed mode against the local Slack. Its install flow needs its own address up
 * front (the redirect URI), so a free port is chosen first; if something takes it in between, another.
 */
export async function startApp(
  env: Record<string, string | undefined>,
  slack: LocalSlack,
  secrets: SandboxSecrets,
  logger: Logger,
  reminderClock: Clock,
): Promise<{ running: Running; appUrl: string }> {
  for (let attempt = 1; ; attempt++) {
    const appUrl = `http://${SANDBOX_HOST}:${await freePort()}`;
    try {
      const running = await start(
        {
          ...env,
          SLACK_BOT_TOKEN: undefined,
          SLACK_APP_TOKEN: undefined,
          SLACK_CLIENT_ID: secrets.clientId,
          SLACK_CLIENT_SECRET: secrets.clientSecret,
          SLACK_STATE_SECRET: secrets.stateSecret,
          SLACK_SIGNING_SECRET: secrets.signingSecret,
          SLACK_TOKEN_ENCRYPTION_KEY: secrets.tokenKey,
          SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS: undefined,
          SLACK_DIRECT_INSTALL: undefined,
          SLACK_API_URL: slack.apiUrl,
          SLACK_AUTHORIZE_URL: slack.authorizeUrl,
          SLACK_REDIRECT_URI: `${appUrl}/slack/oauth_redirect`,
          HOST: SANDBOX_HOST,
          PORT: new URL(appUrl).port,
          // The sandbox has three sample people: team views show totals once all three share, unless set.
          TEAM_MIN_PEOPLE: env.TEAM_MIN_PEOPLE ?? SANDBOX_TEAM_MIN_PEOPLE,
        },
        logger,
        { reminderClock },
      );
      return { running, appUrl };
    } catch (error) {
      const portTaken =
        error instanceof StartError && error.lines.some((line) => line.includes('already in use'));
      if (!portTaken || attempt >= 3) throw error;
    }
  }
}

/**
 * Installs the app into the sandbox's workspace, and again into any other workspace of the sandbox it
 * was installed in when the sandbox last stopped (the app kept its installation, whose token this new
 * local Slack never issued, sealed with the last session's key): each through the install flow.
 */
export async function installAtStart(
  running: Running,
  slack: LocalSlack,
  installUrl: string,
  teams: readonly SandboxTeam[],
): Promise<void> {
  const kept = new Set((await running.store.installations()).map((record) => record.id));
  for (const team of teams) {
    if (team !== SANDBOX_TEAM && !kept.has(team.id)) continue;
    try {
      await installThroughOAuth(installUrl, slack, team.name);
    } catch (error) {
      throw new StartError([
        `The sandbox could not install the app into its workspace ${team.name}:`,
        `  ${error instanceof Error ? error.message : String(error)}`,
      ]);
    }
  }
}

/**
 * What a person's browser does to install the app: the app's install page (which sets the state
 * cookie) → its "Add to Slack" link → the local Slack's authorize page → "Install into <workspace>"
 * → back to the app's redirect URL with the cookie, which finishes the install.
 */
async function installThroughOAuth(
  installUrl: string,
  slack: LocalSlack,
  workspaceName: string,
): Promise<void> {
  const page = await fetch(installUrl);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the install page answered HTTP ${page.status}`);
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => unescapeHtml(m[1] ?? ''));
  const authorize = links.find((link) => link.startsWith(slack.authorizeUrl));
  if (!authorize) throw new Error('the install page has no link to the authorize page');
  const choices = await (await fetch(authorize)).text();
  const button = `<button type="submit">Install into ${escapeHtml(workspaceName)}</button>`;
  const form = [...choices.matchAll(/<form method="post" action="([^"]+)">(.*?)<\/form>/g)].find((m) =>
    (m[2] ?? '').startsWith(button),
  );
  if (!form?.[1]) throw new Error(`the authorize page has no "Install into ${workspaceName}"`);
  const approved = await fetch(new URL(unescapeHtml(form[1]), slack.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { origin: slack.url, 'content-type': 'application/x-www-form-urlencoded' },
  });
  const back = approved.headers.get('location');
  if (approved.status !== 302 || !back)
    throw new Error(`the authorize page answered HTTP ${approved.status}`);
  const finished = await fetch(back, { headers: { cookie } });
  const text = await finished.text();
  if (finished.status !== 200 || !text.includes('Competency is installed')) {
    throw new Error(`the app answered HTTP ${finished.status} at the end of the install`);
  }
}
