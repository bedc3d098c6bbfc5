import type { AddressInfo } from 'node:net';
import type { Logger } from '@slack/bolt';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateView } from '../../src/sandbox/block-kit.js';
import { type LocalSlack, type SlackFileObject, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { createPageServer, listen } from '../../src/sandbox/page-server.js';
import { SANDBOX_TEAM } from '../../src/sandbox/teams.js';
import { SandboxWorkspace } from '../../src/sandbox/workspace.js';
import {
  ACME,
  CLIENT_ID,
  CLIENT_SECRET,
  errorOf,
  exchange,
  GRID,
  GRID_SALES,
  REDIRECT,
  webClient,
} from './oauth-fixtures.js';

/**
 * What the admin flow needs of the local Slack: who is an admin (users.info, `setAdmin`), files
 * people share (`addFile`, as a modal's file_input gives them), files.info, and downloading a file
 * from its url_private_download with a token, as Slack serves it (a sign-in page with status 200
 * for a missing or wrong token). And the sandbox page's end of it: the file the page attaches.
 */

const ADMIN = 'U0ADMIN0001';
const PERSON = 'U0PERSON001';
const CSV = 'role,level,competency\nData Steward,Senior,"Lineage, quality"\nNaïve résumé ✓,Junior,x\n';

/** A bot token of a new installation into `target`, with these bot scopes. */
async function install(slack: LocalSlack, target: string, scopes: string[]): Promise<string> {
  const answer = await exchange(slack, slack.issueCode({ target, scopes }));
  return String(answer.access_token);
}

/** GET a shared file's URL with this token (or none), as the app does. */
function download(url: string, token?: string): Promise<Response> {
  return fetch(url, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
}

describe('local Slack: admins, and files people share', () => {
  let slack: LocalSlack;
  /** Tokens of installations into the default workspace, another one, a Grid workspace and the Grid org. */
  let here: string;
  /** Of a workspace whose installation may not read files. */
  let noFiles: string;
  let acme: string;
  let gridSales: string;
  let gridOrg: string;

  beforeAll(async () => {
    slack = await startLocalSlack({
      workspaces: [ACME, GRID_SALES, { id: 'T0NOFILES01', domain: 'nofiles', name: 'No Files' }],
      orgs: [GRID],
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUri: REDIRECT },
    });
    // The default workspace's original token (bot.token) stands for an installation with every scope.
    here = slack.bot.token;
    noFiles = await install(slack, 'T0NOFILES01', ['users:read']);
    acme = await install(slack, ACME.id, ['users:read', 'files:read']);
    gridSales = await install(slack, GRID_SALES.id, ['users:read', 'files:read']);
    gridOrg = await install(slack, GRID.id, ['users:read', 'files:read']);
  });
  afterAll(async () => {
    await slack.close();
  });
  beforeEach(() => {
    slack.reset();
    for (const user of [ADMIN, PERSON]) slack.setAdmin(user, undefined);
  });

  describe('users.info says who is an admin', () => {
    const userOf = async (token: string, user: string) =>
      (await webClient(slack, token).users.info({ user })).user as Record<string, unknown>;

    it('everyone is an ordinary member until set, with no enterprise_user outside a Grid org', async () => {
      const user = await userOf(here, PERSON);
      expect(user).toMatchObject({ id: PERSON, is_admin: false, is_owner: false, is_primary_owner: false });
      expect(user.enterprise_user).toBeUndefined();
    });

    it('admins, owners (admins too, as in Slack) and the primary owner, and back to a member', async () => {
      slack.setAdmin(ADMIN, 'admin');
      expect(await userOf(here, ADMIN)).toMatchObject({
        is_admin: true,
        is_owner: false,
        is_primary_owner: false,
      });
      expect(await userOf(here, PERSON)).toMatchObject({ is_admin: false });
      slack.setAdmin(ADMIN, 'owner');
      expect(await userOf(here, ADMIN)).toMatchObject({
        is_admin: true,
        is_owner: true,
        is_primary_owner: false,
      });
      slack.setAdmin(ADMIN, 'primary-owner');
      expect(await userOf(here, ADMIN)).toMatchObject({
        is_admin: true,
        is_owner: true,
        is_primary_owner: true,
      });
      slack.setAdmin(ADMIN, undefined);
      expect(await userOf(here, ADMIN)).toMatchObject({
        is_admin: false,
        is_owner: false,
        is_primary_owner: false,
      });
    });

    it('in a Grid workspace, enterprise_user; the org roles are only there', async () => {
      expect((await userOf(gridSales, PERSON)).enterprise_user).toEqual({
        id: PERSON,
        enterprise_id: GRID.id,
        enterprise_name: GRID.name,
        is_admin: false,
        is_owner: false,
        is_primary_owner: false,
        teams: [GRID_SALES.id],
      });
      slack.setAdmin(ADMIN, 'org-admin');
      const orgAdmin = await userOf(gridSales, ADMIN);
      expect(orgAdmin).toMatchObject({ is_admin: false, is_owner: false, is_primary_owner: false });
      expect(orgAdmin.enterprise_user).toMatchObject({ is_admin: true, is_owner: false });
      slack.setAdmin(ADMIN, 'org-owner');
      expect((await userOf(gridSales, ADMIN)).enterprise_user).toMatchObject({
        is_admin: true,
        is_owner: true,
      });
      // An org-wide install asks about the same person.
      const orgWide = await webClient(slack, gridOrg).apiCall('users.info', {
        user: ADMIN,
        team_id: GRID_SALES.id,
      });
      expect((orgWide as { user?: unknown }).user).toMatchObject({
        team_id: GRID_SALES.id,
        is_admin: false,
        enterprise_user: { enterprise_id: GRID.id, is_admin: true, is_owner: true },
      });
    });

    it('an org role shows nothing in a workspace of no org', async () => {
      slack.setAdmin(ADMIN, 'org-owner');
      const user = await userOf(acme, ADMIN);
      expect(user).toMatchObject({ is_admin: false, is_owner: false, is_primary_owner: false });
      expect(user.enterprise_user).toBeUndefined();
    });

    it('refuses a malformed user id or an unknown role', () => {
      expect(() => slack.setAdmin('alice', 'admin')).toThrow(/U0123ABCD/);
      expect(() => slack.setAdmin(ADMIN, 'boss' as never)).toThrow(/admin, owner, primary-owner/);
    });
  });

  describe('addFile and downloading the file', () => {
    it('gives the file object a file_input gives, with URLs the local Slack serves', () => {
      const file = slack.addFile({ userId: ADMIN, name: 'steward.csv', content: CSV });
      const size = Buffer.byteLength(CSV, 'utf8');
      expect(file).toMatchObject({
        id: expect.stringMatching(/^F[A-Z0-9]+$/),
        name: 'steward.csv',
        title: 'steward.csv',
        mimetype: 'text/csv',
        filetype: 'csv',
        pretty_type: 'CSV',
        user: ADMIN,
        user_team: slack.team.id,
        size,
        mode: 'hosted',
        is_external: false,
        is_public: false,
        created: expect.any(Number),
      });
      expect(file.url_private).toBe(`${slack.url}/files-pri/${slack.team.id}-${file.id}/steward.csv`);
      expect(file.url_private_download).toBe(
        `${slack.url}/files-pri/${slack.team.id}-${file.id}/download/steward.csv`,
      );
      // Each file is new; its name is encoded in its URLs.
      const other = slack.addFile({
        userId: ADMIN,
        teamId: ACME.id,
        name: 'my frameworks #2.yml',
        content: 'a: 1',
      });
      expect(other.id).not.toBe(file.id);
      expect(other).toMatchObject({ filetype: 'yaml', user_team: ACME.id });
      expect(other.url_private_download).toBe(
        `${slack.url}/files-pri/${ACME.id}-${other.id}/download/my%20frameworks%20%232.yml`,
      );
      expect(slack.addFile({ userId: ADMIN, name: 'page', content: '<html>' }).filetype).toBe('text');
      expect(
        slack.addFile({ userId: ADMIN, name: 'blob', content: new Uint8Array([0, 255, 1]) }),
      ).toMatchObject({
        filetype: 'binary',
        mimetype: 'application/octet-stream',
      });
      expect(slack.addFile({ userId: ADMIN, name: 'x.txt', content: 'x', filetype: 'html' })).toMatchObject({
        filetype: 'html',
        mimetype: 'text/html',
      });
    });

    it('refuses a file without a name, of a malformed user, or of an unknown workspace', () => {
      expect(() => slack.addFile({ userId: ADMIN, name: '', content: 'x' })).toThrow(/name/);
      expect(() => slack.addFile({ userId: 'admin', name: 'a.csv', content: 'x' })).toThrow(/U0123ABCD/);
      expect(() =>
        slack.addFile({ userId: ADMIN, teamId: 'T0NOWHERE01', name: 'a.csv', content: 'x' }),
      ).toThrow(/not a workspace/);
      expect(() => slack.addFile({ userId: ADMIN, teamId: GRID.id, name: 'a.csv', content: 'x' })).toThrow(
        /not a workspace/,
      );
    });

    it('serves the bytes to a token of the workspace with files:read, from both URLs', async () => {
      const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(CSV, 'utf8'), 0x00, 0xff]);
      const file = slack.addFile({ userId: ADMIN, name: 'steward.csv', content: bytes });
      const res = await download(file.url_private_download, here);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="steward.csv"/);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
      const inline = await download(file.url_private, here);
      expect(inline.status).toBe(200);
      expect(new Uint8Array(await inline.arrayBuffer())).toEqual(bytes);
      expect(slack.downloads).toEqual([
        { fileId: file.id, token: here, status: 200, answer: 'file' },
        { fileId: file.id, token: here, status: 200, answer: 'file' },
      ]);
    });

    it('answers a missing or wrong token as Slack does: its sign-in page, with status 200', async () => {
      const file = slack.addFile({ userId: ADMIN, name: 'steward.csv', content: CSV });
      for (const token of [undefined, 'xoxb-not-a-token', slack.appToken]) {
        const res = await download(file.url_private_download, token);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        const page = await res.text();
        expect(page).toContain('Sign in to Slack');
        expect(page).not.toContain('Data Steward');
      }
      expect(slack.downloads.map((d) => [d.token, d.status, d.answer])).toEqual([
        [undefined, 200, 'sign-in page'],
        ['xoxb-not-a-token', 200, 'sign-in page'],
        [slack.appToken, 200, 'sign-in page'],
      ]);
    });

    it('refuses a token of another workspace (404), and one without files:read (403)', async () => {
      const file = slack.addFile({ userId: ADMIN, name: 'steward.csv', content: CSV });
      const elsewhere = await download(file.url_private_download, acme);
      expect(elsewhere.status).toBe(404);
      expect(await elsewhere.text()).not.toContain('Data Steward');
      const noScope = slack.addFile({
        userId: ADMIN,
        teamId: 'T0NOFILES01',
        name: 'steward.csv',
        content: CSV,
      });
      const refused = await download(noScope.url_private_download, noFiles);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toBe('missing_scope: files:read');
      // Not a file, or not this file's URL: not found.
      for (const url of [
        file.url_private_download.replace(file.id, 'F0NOSUCHFL1'),
        file.url_private_download.replace('steward.csv', 'other.csv'),
        file.url_private_download.replace(slack.team.id, ACME.id),
        `${slack.url}/files-pri/${slack.team.id}-${file.id}/download/steward.csv/more`,
      ]) {
        expect((await download(url, here)).status).toBe(404);
      }
      expect(slack.downloads.slice(0, 2).map((d) => [d.status, d.answer])).toEqual([
        [404, 'refused'],
        [403, 'refused'],
      ]);
    });

    it('serves a Grid workspace’s file to its installation and to the org-wide one', async () => {
      const file = slack.addFile({ userId: ADMIN, teamId: GRID_SALES.id, name: 'steward.csv', content: CSV });
      for (const token of [gridSales, gridOrg]) {
        const res = await download(file.url_private_download, token);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe(CSV);
      }
      expect((await download(file.url_private_download, acme)).status).toBe(404);
    });

    it('gives a revoked token the sign-in page, as any token Slack does not take', async () => {
      const revocable = await install(slack, ACME.id, ['files:read']);
      const file = slack.addFile({ userId: ADMIN, teamId: ACME.id, name: 'steward.csv', content: CSV });
      expect((await download(file.url_private_download, revocable)).status).toBe(200);
      await webClient(slack, revocable).auth.revoke();
      const res = await download(file.url_private_download, revocable);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Sign in to Slack');
    });

    it('keeps shared files and admin roles across reset, and forgets the downloads', async () => {
      slack.setAdmin(ADMIN, 'admin');
      const file = slack.addFile({ userId: ADMIN, name: 'steward.csv', content: CSV });
      await download(file.url_private_download, here);
      slack.reset();
      expect(slack.downloads).toEqual([]);
      expect((await download(file.url_private_download, here)).status).toBe(200);
      expect((await webClient(slack, here).users.info({ user: ADMIN })).user).toMatchObject({
        is_admin: true,
      });
    });
  });

  describe('files.info', () => {
    it('answers the file for a token of its workspace, as addFile gave it', async () => {
      const file = slack.addFile({ userId: ADMIN, name: 'steward.csv', content: CSV });
      const info = await webClient(slack, here).files.info({ file: file.id });
      expect(info.ok).toBe(true);
      expect(info.file).toEqual(file);
      const [call] = slack.calls.filter((c) => c.method === 'files.info');
      expect(call).toMatchObject({ ok: true, args: { file: file.id } });
    });

    it('file_not_found for a file of another workspace or no file, missing_scope without files:read', async () => {
      const file = slack.addFile({ userId: ADMIN, name: 'steward.csv', content: CSV });
      expect(await errorOf(webClient(slack, acme).files.info({ file: file.id }))).toBe('file_not_found');
      expect(await errorOf(webClient(slack, here).files.info({ file: 'F0NOSUCHFL1' }))).toBe(
        'file_not_found',
      );
      const noScope = await webClient(slack, noFiles)
        .files.info({ file: file.id })
        .catch((e: { data: Record<string, unknown> }) => e.data);
      expect(noScope).toMatchObject({
        ok: false,
        error: 'missing_scope',
        needed: 'files:read',
        provided: 'users:read',
      });
      expect(await errorOf(webClient(slack, here).apiCall('files.info', {}))).toBe('invalid_arguments');
    });

    it('answers a Grid workspace’s file to the org-wide installation', async () => {
      const file = slack.addFile({ userId: ADMIN, teamId: GRID_SALES.id, name: 'steward.csv', content: CSV });
      expect((await webClient(slack, gridOrg).files.info({ file: file.id })).file).toEqual(file);
      expect((await webClient(slack, gridSales).files.info({ file: file.id })).file).toEqual(file);
    });
  });
});

describe('Block Kit: file_input', () => {
  const modal = (element: Record<string, unknown>, type = 'modal') => ({
    type,
    ...(type === 'modal'
      ? {
          title: { type: 'plain_text', text: 'Add a framework' },
          submit: { type: 'plain_text', text: 'Check it' },
        }
      : {}),
    blocks: [{ type: 'input', block_id: 'file', label: { type: 'plain_text', text: 'The file' }, element }],
  });
  const input = { type: 'file_input', action_id: 'framework_file' };

  it('takes a file input in a modal, with filetypes and max_files 1–10', () => {
    expect(validateView(modal(input))).toEqual([]);
    expect(validateView(modal({ ...input, filetypes: ['csv', 'yaml'], max_files: 1 }))).toEqual([]);
    expect(validateView(modal({ ...input, filetypes: [], max_files: 10 }))).toEqual([]);
  });

  it('says what is wrong with its filetypes, max_files or where it is', () => {
    expect(validateView(modal({ ...input, max_files: 0 }))).toEqual([
      'blocks[0] (input) > element (file_input): max_files must be a whole number from 1 to 10, not 0',
    ]);
    expect(validateView(modal({ ...input, max_files: 11 }))[0]).toContain('not 11');
    expect(validateView(modal({ ...input, max_files: '1' }))[0]).toContain('not "1"');
    expect(validateView(modal({ ...input, filetypes: 'csv' }))).toEqual([
      'blocks[0] (input) > element (file_input): filetypes must be an array, not "csv"',
    ]);
    expect(validateView(modal({ ...input, filetypes: ['csv', ''] }))).toEqual([
      'blocks[0] (input) > element (file_input): filetypes[1] must be a file extension (a non-empty string), not ""',
    ]);
    expect(validateView(modal(input, 'home'))).toEqual([
      'blocks[0] (input) > element (file_input): a file_input is only allowed in the input blocks of modals',
    ]);
    const inActions = {
      type: 'modal',
      title: { type: 'plain_text', text: 'Add a framework' },
      blocks: [{ type: 'actions', elements: [input] }],
    };
    expect(validateView(inActions)).toEqual([
      'blocks[0] (actions): elements[0] (file_input) is not allowed in actions blocks',
    ]);
  });
});

describe('the sandbox page attaches a file to a form', () => {
  const quiet = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} } as unknown as Logger;
  let slack: LocalSlack;
  let workspace: SandboxWorkspace;
  let pageUrl: string;
  let close: () => Promise<void>;
  const sam = SANDBOX_TEAM.users[0]?.id ?? '';

  beforeAll(async () => {
    slack = await startLocalSlack();
    // No app: attaching a file asks only the local Slack.
    workspace = new SandboxWorkspace(slack, {
      eventsUrl: 'http://127.0.0.1:9/slack/events',
      signingSecret: 'x',
    });
    const server = createPageServer(
      {
        workspaces: [workspace],
        installUrl: 'http://127.0.0.1:9/slack/install',
        installed: async () => true,
        removed: new Set(),
        removeApp: async () => ({ ok: false, error: 'not here' }),
        sendDueCheckIns: async () => ({ ok: false, error: 'not here' }),
      },
      quiet,
    );
    await listen(server, 0);
    pageUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await slack.close();
    };
  });
  afterAll(async () => {
    await close();
  });

  const attach = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${pageUrl}/sandbox/api/files`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('shares the file for the person in their workspace, and answers what Slack says of it', async () => {
    const bytes = Buffer.from(CSV, 'utf8');
    const res = await attach({
      user: sam,
      name: 'C:\\fakepath\\steward.csv',
      content: bytes.toString('base64'),
    });
    expect(res.status).toBe(200);
    const { ok, file } = (await res.json()) as { ok: boolean; file: SlackFileObject };
    expect(ok).toBe(true);
    expect(file).toMatchObject({
      name: 'steward.csv',
      user: sam,
      user_team: SANDBOX_TEAM.id,
      size: bytes.length,
    });
    const got = await download(file.url_private_download, slack.bot.token);
    expect(Buffer.from(await got.arrayBuffer())).toEqual(bytes);
    expect((await webClient(slack, slack.bot.token).files.info({ file: file.id })).file).toEqual(file);
  });

  it('refuses an unknown person, a file without a name or content, and another web page', async () => {
    expect((await attach({ user: 'U0NOBODY001', name: 'a.csv', content: '' })).status).toBe(400);
    expect((await attach({ user: sam, name: '', content: 'YQ==' })).status).toBe(400);
    expect((await attach({ user: sam, name: 'a.csv', content: 'not base64!' })).status).toBe(400);
    const foreign = await attach(
      { user: sam, name: 'a.csv', content: 'YQ==' },
      { origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
  });

  it('refuses a file larger than the sandbox takes, saying how large it may be', async () => {
    const content = Buffer.alloc(20 * 1024 * 1024 + 1).toString('base64');
    const res = await attach({ user: sam, name: 'big.csv', content });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ ok: false, error: expect.stringContaining('at most 20 MB') });
  });
});
