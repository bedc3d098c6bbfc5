import { describe, expect } from 'vitest';
import { type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { sendSlashCommand } from '../../src/sandbox/signing.js';
import { BOT_SCOPES } from '../../src/slack/app.js';
import { it } from '../support/fixtures.js';
import { textOf } from './harness.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  type Instance,
  newTokenKey,
  SIGNING_SECRET,
  startDistributed,
} from './oauth-deployment.js';

/**
 * SLACK_DIRECT_INSTALL=true, for an "Add to Slack" link kept elsewhere (a website, a wiki): the
 * app's /slack/install shows no page of its own and sends the browser straight to Slack's authorize
 * page, with the state the redirect back must bring, in the link and in a cookie. A person who
 * approves there is back at the app, and the app is installed.
 */

const ACME = { id: 'T0ACME00001', domain: 'acme', name: 'Acme' };

describe('SLACK_DIRECT_INSTALL=true', () => {
  it('/slack/install goes straight to Slack; approving there installs the app, which then answers in that workspace', async ({
    tempDir,
    onTestFinished,
  }) => {
    const slack: LocalSlack = await startLocalSlack({
      workspaces: [ACME],
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    onTestFinished(() => slack.close());
    const app: Instance = await startDistributed(slack, { DATA_DIR: tempDir }, newTokenKey(), {
      SLACK_DIRECT_INSTALL: 'true',
    });
    onTestFinished(() => app.running.stop());

    const start = await fetch(`${app.url}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    expect(await start.text()).not.toContain('Add to Slack');
    const to = new URL(start.headers.get('location') ?? '');
    expect(`${to.origin}${to.pathname}`).toBe(slack.authorizeUrl);
    expect(to.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(to.searchParams.get('scope')?.split(',')).toEqual(BOT_SCOPES);
    expect(to.searchParams.get('redirect_uri')).toBe(`${app.url}/slack/oauth_redirect`);
    const state = to.searchParams.get('state');
    expect(state).toBeTruthy();
    const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toBe(`slack-app-oauth-state=${state}`);

    // Slack's authorize page, as the browser shows it: approve for Acme.
    const page = await (await fetch(to)).text();
    const action =
      /<form method="post" action="([^"]+)"><button type="submit">Install into Acme<\/button>/.exec(
        page,
      )?.[1];
    if (!action) throw new Error(`no "Install into Acme" on the authorize page:\n${page}`);
    const approved = await fetch(new URL(action.replaceAll('&amp;', '&'), slack.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { origin: slack.url, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const back = new URL(approved.headers.get('location') ?? '');
    expect(back.searchParams.get('state')).toBe(state);
    const finished = await fetch(back, { headers: { cookie } });
    expect(finished.status).toBe(200);
    expect(await finished.text()).toContain('Competency is installed');
    expect((await app.running.store.installations()).map((record) => record.id)).toEqual([ACME.id]);

    const answer = await sendSlashCommand(app.eventsUrl, SIGNING_SECRET, {
      command: '/competency',
      text: 'solutions-architect senior',
      team_id: ACME.id,
      team_domain: ACME.domain,
      user_id: 'U0ACME00001',
      response_url: slack.newResponseUrl(),
    });
    expect(textOf(answer.json)).toContain('Expected at Senior');
  });

  it('without it, /slack/install shows the page that explains what the app keeps, with its Add to Slack link', async ({
    tempDir,
    onTestFinished,
  }) => {
    const slack = await startLocalSlack({
      workspaces: [ACME],
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    });
    onTestFinished(() => slack.close());
    const app = await startDistributed(slack, { DATA_DIR: tempDir }, newTokenKey());
    onTestFinished(() => app.running.stop());
    const page = await fetch(`${app.url}/slack/install`, { redirect: 'manual' });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Add to Slack');
    expect(html).toContain(slack.authorizeUrl);
  });
});
