import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from '@slack/bolt';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { type LocalSlack, type SlackFileObject, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { createPageServer, listen } from '../../src/sandbox/page-server.js';
import { slackSignature } from '../../src/sandbox/signing.js';
import { SANDBOX_TEAM } from '../../src/sandbox/teams.js';
import { SandboxWorkspace } from '../../src/sandbox/workspace.js';
import { haveBrowser } from './chromium.js';
import { ARTIFACTS, it } from './sandbox-page.js';

/**
 * A modal with a file input in the sandbox page, in Chromium: the page shows a file picker that takes
 * the input's `filetypes` and `max_files`, checks the chosen file as Slack's picker does, shares it
 * through the sandbox server (the local Slack keeps it) and submits the form with Slack's
 * `{ type: 'file_input', files: [file] }` in `view.state.values`.
 *
 * The app here is a small stand-in (the real app's admin command comes with its own tests): on a
 * slash command it opens the form with views.open, as the admin flow does; on the submission it keeps
 * the payload and downloads the file from its url_private_download with the bot token, as the app
 * does. The page, its server and the local Slack are the sandbox's own.
 */

const SIGNING_SECRET = 'file-input-test-secret';
const CSV = 'role,level,competency\nData Steward,Senior,"Lineage, quality"\nNaïve résumé ✓,Junior,x\n';
const SAM = SANDBOX_TEAM.users[0]?.id ?? '';

/** The form the admin flow opens (src/slack/views/admin.ts), in short. */
const UPLOAD_VIEW = {
  type: 'modal',
  callback_id: 'framework_upload',
  title: { type: 'plain_text', text: 'Add a framework' },
  submit: { type: 'plain_text', text: 'Check it' },
  close: { type: 'plain_text', text: 'Cancel' },
  blocks: [
    {
      type: 'input',
      block_id: 'framework_file_block',
      label: { type: 'plain_text', text: 'The file' },
      element: {
        type: 'file_input',
        action_id: 'framework_file',
        filetypes: ['csv', 'tsv', 'yaml', 'yml', 'txt', 'html', 'htm'],
        max_files: 1,
      },
    },
  ],
};

type Submission = {
  type: string;
  user: { id: string };
  view: { callback_id: string; state: { values: Record<string, Record<string, unknown>> } };
};

/** The stand-in app: what it was sent, what it downloaded, and what it answers the next submission. */
type FakeApp = {
  url: string;
  submissions: Submission[];
  downloads: { status: number; type: string | null; text: string }[];
  answers: Record<string, unknown>[];
  server: Server;
};

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function startFakeApp(slack: LocalSlack): Promise<FakeApp> {
  const app: Omit<FakeApp, 'url'> & { url: string } = {
    url: '',
    submissions: [],
    downloads: [],
    answers: [],
    server: createServer((req, res) => {
      void (async () => {
        const body = await bodyOf(req);
        const timestamp = Number(req.headers['x-slack-request-timestamp']);
        if (req.headers['x-slack-signature'] !== slackSignature(SIGNING_SECRET, timestamp, body)) {
          res.writeHead(401).end();
          return;
        }
        const form = new URLSearchParams(body);
        if (form.get('command') === '/competency') {
          await fetch(`${slack.apiUrl}views.open`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${slack.bot.token}` },
            body: JSON.stringify({ trigger_id: form.get('trigger_id'), view: UPLOAD_VIEW }),
          });
          res.writeHead(200).end();
          return;
        }
        const payload = JSON.parse(form.get('payload') ?? '{}') as Submission;
        if (payload.type !== 'view_submission') {
          res.writeHead(200).end();
          return;
        }
        app.submissions.push(payload);
        const input = payload.view.state.values.framework_file_block?.framework_file as
          | { files?: SlackFileObject[] }
          | undefined;
        for (const file of input?.files ?? []) {
          const got = await fetch(file.url_private_download, {
            headers: { authorization: `Bearer ${slack.bot.token}` },
          });
          app.downloads.push({
            status: got.status,
            type: got.headers.get('content-type'),
            text: await got.text(),
          });
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(app.answers.shift() ?? {}));
      })();
    }),
  };
  await new Promise<void>((resolve) => app.server.listen(0, '127.0.0.1', resolve));
  app.url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/slack/events`;
  return app;
}

describe.skipIf(!haveBrowser)('a file input in a sandbox modal, in Chromium', () => {
  let slack: LocalSlack;
  let app: FakeApp;
  let pageServer: Server;
  let pageUrl: string;
  let context: BrowserContext;
  let page: Page;

  it.beforeAll(async ({ chromium }) => {
    slack = await startLocalSlack();
    app = await startFakeApp(slack);
    const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} } as unknown as Logger;
    pageServer = createPageServer(
      {
        workspaces: [new SandboxWorkspace(slack, { eventsUrl: app.url, signingSecret: SIGNING_SECRET })],
        installUrl: `${app.url}/install`,
        installed: async () => true,
        removed: new Set(),
        removeApp: async () => ({ ok: false, error: 'not in this test' }),
        sendDueCheckIns: async () => ({ ok: false, error: 'not in this test' }),
      },
      quiet,
    );
    await listen(pageServer, 0);
    pageUrl = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
    context = await chromium.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 60_000);

  it.afterAll(async () => {
    await context?.close();
    pageServer?.closeAllConnections();
    await new Promise<void>((resolve) => (pageServer ? pageServer.close(() => resolve()) : resolve()));
    app?.server.closeAllConnections();
    await new Promise<void>((resolve) => (app ? app.server.close(() => resolve()) : resolve()));
    await slack?.close();
  });

  const modal = (): Locator => page.getByTestId('modal');
  const fileInput = (): Locator => modal().getByLabel('The file');
  const errorUnder = (): Locator => modal().locator('[data-error-for="framework_file_block"]');

  it('checks the chosen file, shares it and submits it in view.state.values, as Slack does', async () => {
    await page.goto(`${pageUrl}/?user=${SAM}`);
    const composer = page.getByTestId('composer');
    await composer.fill('/competency admin');
    await composer.press('Enter');
    await expect.poll(() => modal().isVisible()).toBe(true);
    expect(await modal().locator('#modal-title').innerText()).toBe('Add a framework');

    // A picker of one file, of the input's types; the form says which.
    expect(await fileInput().getAttribute('type')).toBe('file');
    expect(await fileInput().getAttribute('accept')).toBe('.csv,.tsv,.yaml,.yml,.txt,.html,.htm');
    expect(await fileInput().getAttribute('multiple')).toBeNull();
    expect(await modal().innerText()).toContain('One file: .csv, .tsv, .yaml, .yml, .txt, .html, .htm');

    // Nothing chosen, or a file of another type: Slack's picker would not submit it; nor does the page.
    await page.getByTestId('modal-submit').click();
    await expect.poll(() => errorUnder().innerText()).toBe('Please complete this required field.');
    await fileInput().setInputFiles({
      name: 'chart.png',
      mimeType: 'image/png',
      buffer: Buffer.from([137, 80]),
    });
    await page.getByTestId('modal-submit').click();
    await expect.poll(() => errorUnder().innerText()).toContain('chart.png is not a file this form takes');
    expect(app.submissions).toEqual([]);
    expect(slack.downloads).toEqual([]);

    // The file: the app is sent what Slack says of it, and can download it with its token.
    app.answers.push({
      response_action: 'errors',
      errors: { framework_file_block: 'line 3: a level the framework does not have' },
    });
    await fileInput().setInputFiles({
      name: 'steward.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV, 'utf8'),
    });
    // Choosing another file takes back what was said of the one before.
    expect(await errorUnder().isVisible()).toBe(false);
    await page.screenshot({ path: path.join(ARTIFACTS, 'sandbox-file-input.png') });
    await page.getByTestId('modal-submit').click();
    await expect.poll(() => app.submissions.length).toBe(1);
    const [first] = app.submissions;
    expect(first?.user.id).toBe(SAM);
    expect(first?.view.callback_id).toBe('framework_upload');
    const state = first?.view.state.values.framework_file_block?.framework_file as {
      type: string;
      files: SlackFileObject[];
    };
    expect(state.type).toBe('file_input');
    expect(state.files).toHaveLength(1);
    const [file] = state.files;
    expect(file).toMatchObject({
      id: expect.stringMatching(/^F[A-Z0-9]+$/),
      name: 'steward.csv',
      filetype: 'csv',
      mimetype: 'text/csv',
      size: Buffer.byteLength(CSV, 'utf8'),
      user: SAM,
      user_team: SANDBOX_TEAM.id,
      url_private_download: `${slack.url}/files-pri/${SANDBOX_TEAM.id}-${file?.id}/download/steward.csv`,
    });
    await expect.poll(() => app.downloads.length).toBe(1);
    expect(app.downloads[0]).toEqual({ status: 200, type: 'text/csv', text: CSV });

    // The app's answer shows under the file; submitting again sends the same file, not a copy.
    await expect.poll(() => errorUnder().innerText()).toBe('line 3: a level the framework does not have');
    await page.getByTestId('modal-submit').click();
    await expect.poll(() => app.submissions.length).toBe(2);
    const again = app.submissions[1]?.view.state.values.framework_file_block?.framework_file as {
      files: SlackFileObject[];
    };
    expect(again.files.map((f) => f.id)).toEqual([file?.id]);
    await expect.poll(() => modal().count()).toBe(0);
    expect(slack.downloads.map((d) => [d.fileId, d.status, d.answer])).toEqual([
      [file?.id, 200, 'file'],
      [file?.id, 200, 'file'],
    ]);
  }, 60_000);
});
