import { randomBytes, randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@slack/bolt';
import { loadConfig } from '../config.js';
import { createLogger, type LogLevel } from '../log.js';
import { personKey } from '../model/person.js';
import type { Clock } from '../reminders/scheduler.js';
import { type Running, StartError, start } from '../start.js';
import { freePort } from '../util/free-port.js';
import { escapeHtml, unescapeHtml } from '../util/html.js';
import { isRecord, ownLoopbackHost } from './defaults.js';
import { type ApiCall, type LocalSlack, startLocalSlack } from './local-slack.js';
import { appUninstalledEnvelope, sendEvent } from './signing.js';
import {
  type ClickInput,
  type Outcome,
  SANDBOX_TEAM,
  type SandboxTeam,
  SandboxWorkspace,
  SECOND_TEAM,
} from './workspace.js';

/**
 * `npm start` without Slack credentials: the real app, in HTTP mode on 127.0.0.1, pointed at a local
 * stand-in for Slack, and a web page that plays the part of the Slack client. The app is started
 * exactly as with real Slack (same code, same configuration checks); only the URLs differ.
 *
 * It runs the way an app installed into many workspaces runs (distributed mode: Slack's OAuth flow,
 * one installation per workspace), with made-up OAuth credentials for the session. The local Slack
 * has two workspaces. At start the app is installed into the sandbox's own workspace through the
 * real install flow (install page → Slack's authorize page → back to the app), so the page works at
 * once; the second workspace starts without the app, and the page shows how to add it (the app's own
 * install page, in a new tab) and how to remove it again (Slack tells the app, which deletes that
 * workspace's data). A workspace that had the app when the sandbox last stopped has it again.
 */

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const PAGE_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'sandbox.js': 'text/javascript; charset=utf-8',
  'render.js': 'text/javascript; charset=utf-8',
  'mentions.js': 'text/javascript; charset=utf-8',
  'sandbox.css': 'text/css; charset=utf-8',
};
const HOST = '127.0.0.1';
/** The smallest K allowed: the sandbox has three sample people per workspace. */
const SANDBOX_TEAM_MIN_PEOPLE = '3';
const MAX_BODY = 256 * 1024;
/** The workspaces of the sandbox; the page opens on the first. */
const TEAMS: readonly SandboxTeam[] = [SANDBOX_TEAM, SECOND_TEAM];
/** How long an install or a removal may take the app before the sandbox gives up waiting. */
const SETTLE_MS = 10_000;

export type SandboxRunning = {
  url: string;
  stop: () => Promise<void>;
  /** The workspace the page opens on, where the app is installed at start. */
  workspace: SandboxWorkspace;
  /** Every workspace of the sandbox, the default one first. */
  workspaces: readonly SandboxWorkspace[];
  /** The app's own install page (GET /slack/install), which a browser opens to add it to a workspace. */
  installUrl: string;
};

/** What the page server needs besides the workspaces: whether the app is installed where, and removing it. */
type Sandbox = {
  workspaces: readonly SandboxWorkspace[];
  installUrl: string;
  installed: (teamId: string) => Promise<boolean>;
  /** Workspaces the app was removed from in this session (the page says their data was deleted). */
  removed: Set<string>;
  removeApp: (workspace: SandboxWorkspace) => Promise<Outcome>;
  /** "Send due check-ins now": the person's next check-in reminder, as if its time had come. */
  sendDueCheckIns: (workspace: SandboxWorkspace, userId: string) => Promise<Outcome>;
};

/**
 * The clock check-in reminders go by in the sandbox: the system's, moved forward while "Send due
 * check-ins now" runs, so a newcomer sees a reminder without waiting a quarter.
 */
class SandboxClock implements Clock {
  offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
  }
}

/** The sandbox's people are where the person trying it is: their computer's time zone. */
const LOCAL_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export async function startSandbox(
  env: Record<string, string | undefined>,
  options: { print?: (line: string) => void } = {},
): Promise<SandboxRunning> {
  const loaded = loadConfig(env);
  if (!loaded.ok)
    throw new StartError(['The sandbox cannot start; please fix:', ...loaded.problems.map((p) => `  ${p}`)]);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logger = createLogger(loaded.config.logLevel as LogLevel);

  // Made up for this session, like a Slack app's credentials; never printed or kept.
  const secrets = {
    clientId: `${randomInt(1e9, 1e10)}.${randomInt(1e9, 1e10)}${randomInt(100, 1000)}`,
    clientSecret: randomBytes(16).toString('hex'),
    stateSecret: randomBytes(24).toString('hex'),
    signingSecret: randomBytes(24).toString('hex'),
    tokenKey: randomBytes(32).toString('base64'),
  };
  const slack = await startLocalSlack({
    team: { id: SANDBOX_TEAM.id, domain: SANDBOX_TEAM.domain, name: SANDBOX_TEAM.name },
    workspaces: TEAMS.map((t) => ({ id: t.id, domain: t.domain, name: t.name })),
    oauth: { clientId: secrets.clientId, clientSecret: secrets.clientSecret, appName: 'Competency' },
  });
  for (const team of TEAMS) {
    for (const user of team.users) slack.setUserTimeZone(user.id, LOCAL_TIME_ZONE);
    // Each workspace's user group of its sample people, for /competency team @group.
    for (const group of team.userGroups) {
      slack.setUserGroup(group.id, group.users, { handle: group.handle, name: group.name, teamId: team.id });
    }
  }
  const reminderClock = new SandboxClock();
  let running: Running;
  let appUrl: string;
  try {
    ({ running, appUrl } = await startApp(env, slack, secrets, logger, reminderClock));
  } catch (error) {
    await slack.close();
    throw error;
  }
  const eventsUrl = `${appUrl}/slack/events`;
  const installUrl = `${appUrl}/slack/install`;
  const workspaces = TEAMS.map(
    (team) => new SandboxWorkspace(slack, { eventsUrl, signingSecret: secrets.signingSecret }, team),
  );
  const [workspace] = workspaces;
  if (!workspace) throw new Error('the sandbox has no workspace');

  try {
    await installAtStart(running, slack, installUrl);
  } catch (error) {
    await running.stop();
    await slack.close();
    throw error;
  }

  const inStore = async (teamId: string) => (await running.store.installation(teamId)) !== undefined;
  const sandbox: Sandbox = {
    workspaces,
    installUrl,
    removed: new Set(),
    installed: async (teamId) => {
      if (slack.installation(teamId)?.installed !== true) return false;
      try {
        return await inStore(teamId);
      } catch {
        return true; // the store cannot answer now; the local Slack's word will do for the page
      }
    },
    removeApp: async (ws) => {
      const teamId = ws.team.id;
      if (!(await sandbox.installed(teamId)))
        return { ok: false, error: `Competency is not installed in ${ws.team.name}.` };
      // As when an admin removes the app in Slack: every token of the installation stops working,
      // and Slack tells the app, which deletes the installation and the data of the workspace's people.
      const installation = slack.uninstall(teamId);
      const told = await sendEvent(eventsUrl, secrets.signingSecret, appUninstalledEnvelope(installation));
      if (told.status !== 200) {
        return {
          ok: false,
          error: `The app answered HTTP ${told.status} to app_uninstalled. Check the terminal running npm start.`,
        };
      }
      if (!(await until(async () => !(await inStore(teamId)), SETTLE_MS))) {
        return {
          ok: false,
          error: 'The app has not deleted its installation yet. Check the terminal running npm start.',
        };
      }
      sandbox.removed.add(teamId);
      ws.appRemoved();
      return { ok: true };
    },
    sendDueCheckIns: async (ws, userId) => {
      const person = personKey({ userId, teamId: ws.team.id });
      const reminder = (await running.store.get(person)).reminder;
      if (!reminder) {
        return {
          ok: false,
          error:
            'You have no check-in reminder yet. Finish a self-assessment, then choose Monthly or Quarterly on its summary or in the Home tab.',
        };
      }
      // As if the time had come: the scheduler runs with its clock at the reminder's due time.
      reminderClock.offsetMs = Math.max(0, Date.parse(reminder.dueAt) - Date.now());
      try {
        const result = await running.reminders.runOnce();
        if (result.sent > 0) return { ok: true };
        return { ok: false, error: 'The check-in was not sent. Check the terminal running npm start.' };
      } finally {
        reminderClock.offsetMs = 0;
      }
    },
  };
  // An install finished in the browser (oauth.v2.access): once the app has kept it, the page shows it.
  slack.on('api', (call: ApiCall) => {
    if (call.method !== 'oauth.v2.access' || !call.ok || call.team === undefined) return;
    const teamId = call.team;
    const ws = workspaces.find((w) => w.team.id === teamId);
    if (!ws) return;
    void until(() => inStore(teamId).catch(() => false), SETTLE_MS).then(() => {
      sandbox.removed.delete(teamId);
      ws.touch();
    });
  });

  const server = createServer((req, res) => {
    handle(sandbox, req, res).catch((error: unknown) => {
      logger.error('Sandbox page request failed', error);
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: 'Something went wrong in the sandbox; see the terminal.' });
    });
  });
  const port = Number(env.PORT ?? 3000);
  try {
    await listen(server, port);
  } catch (error) {
    await running.stop();
    await slack.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new StartError([
      code === 'EADDRINUSE'
        ? `Port ${port} is already in use. Stop what is using it, or choose another: PORT=3001 npm start`
        : `The sandbox page could not listen on ${HOST}:${port}: ${(error as Error).message}`,
    ]);
  }
  const url = `http://${HOST}:${(server.address() as AddressInfo).port}`;
  print(
    [
      '',
      '  Competency sandbox — the whole app, no Slack workspace needed',
      '',
      `  Open ${url} and type /competency help`,
      `  To try installing it into another workspace, choose "${SECOND_TEAM.name}" on the page.`,
      `  Team views (/competency team) show totals once ${env.TEAM_MIN_PEOPLE ?? SANDBOX_TEAM_MIN_PEOPLE} people have shared (TEAM_MIN_PEOPLE).`,
      `  Type @ in the message box to pick a person (/competency ask @…) or the user group @${SANDBOX_TEAM.userGroups[0]?.handle ?? 'sample-team'} (/competency team @…).`,
      `  Ratings are kept in ${path.join(loaded.config.dataDir, 'competency-data.json')}`,
      '  To connect a real Slack workspace instead, see "Connect it to Slack" in README.md.',
      '  Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );

  let stopping: Promise<void> | undefined;
  return {
    url,
    workspace,
    workspaces,
    installUrl,
    stop: () => {
      stopping ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await running.stop();
        await slack.close();
      })();
      return stopping;
    },
  };
}

/**
 * The app in distributed mode against the local Slack. Its install flow needs its own address up
 * front (the redirect URI), so a free port is chosen first; if something takes it in between, another.
 */
async function startApp(
  env: Record<string, string | undefined>,
  slack: LocalSlack,
  secrets: {
    clientId: string;
    clientSecret: string;
    stateSecret: string;
    signingSecret: string;
    tokenKey: string;
  },
  logger: Logger,
  reminderClock: Clock,
): Promise<{ running: Running; appUrl: string }> {
  for (let attempt = 1; ; attempt++) {
    const appUrl = `http://${HOST}:${await freePort()}`;
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
          HOST,
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
async function installAtStart(running: Running, slack: LocalSlack, installUrl: string): Promise<void> {
  const kept = new Set((await running.store.installations()).map((record) => record.id));
  for (const team of TEAMS) {
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

/** Resolves true as soon as `check` does, or false after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Only the sandbox's own page may use the sandbox, although any web page the person has open can send
 * requests to 127.0.0.1:
 * - every request must name a loopback host with this port (`Host`), so a site that points its own
 *   name at 127.0.0.1 (DNS rebinding) gets no answer to read — no state, no private message, no export;
 * - every request that changes something must be JSON and, when the browser says where it comes from
 *   (`Origin`, always sent on a cross-origin POST and on the page's own), come from this sandbox. A page
 *   elsewhere can send a form or a `text/plain` POST without asking first, but not JSON: for JSON the
 *   browser asks first (a CORS preflight), and this server never says yes.
 * Tools on this machine (curl, tests) send no `Origin` and are let in.
 */
function refusal(req: IncomingMessage): { status: number; message: string } | undefined {
  const host = ownLoopbackHost(req);
  if (host === undefined) {
    return {
      status: 421,
      message: `Refused: this sandbox answers only at its own address. Open http://${HOST}:${req.socket.localPort} instead.`,
    };
  }
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
    return {
      status: 403,
      message: `Refused: only the sandbox page itself (http://${host}) can do this, not another web page.`,
    };
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    return { status: 415, message: 'Refused: send the request as JSON (content-type: application/json).' };
  }
  return undefined;
}

async function handle(sandbox: Sandbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const refused = refusal(req);
  if (refused) {
    // Whatever was sent is dropped unread; the connection closes with the answer.
    res.writeHead(refused.status, {
      'content-type': 'text/plain; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'close',
    });
    res.end(`${refused.message}\n`);
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const route = `${req.method} ${url.pathname}`;
  const workspaceOf = (user: unknown) => sandbox.workspaces.find((w) => w.isUser(user));

  if (route === 'GET /' || route === 'GET /index.html') return sendPageFile(res, 'index.html');
  if (req.method === 'GET' && url.pathname.startsWith('/sandbox/page/')) {
    return sendPageFile(res, url.pathname.slice('/sandbox/page/'.length));
  }
  if (route === 'GET /sandbox/api/state') {
    const user = url.searchParams.get('user') ?? sandbox.workspaces[0]?.users[0]?.id;
    const workspace = workspaceOf(user);
    if (!workspace || typeof user !== 'string')
      return sendJson(res, 400, { ok: false, error: 'Unknown user' });
    return sendJson(res, 200, await stateFor(sandbox, workspace, user));
  }
  if (route === 'GET /sandbox/install') {
    // The page's "Add Competency to this workspace" link: the app's own install page.
    res.writeHead(302, { location: sandbox.installUrl, 'cache-control': 'no-store' });
    res.end();
    return;
  }
  if (route === 'GET /sandbox/api/events') return streamChanges(sandbox.workspaces, req, res);
  if (req.method === 'GET' && url.pathname.startsWith('/sandbox/files/')) {
    const user = url.searchParams.get('user') ?? '';
    const file = workspaceOf(user)?.fileFor(
      user,
      decodeURIComponent(url.pathname.slice('/sandbox/files/'.length)),
    );
    if (!file) return sendJson(res, 404, { ok: false, error: 'No such file for this user' });
    res.writeHead(200, {
      'content-type': file.filename.endsWith('.json')
        ? 'application/json'
        : file.filename.endsWith('.png')
          ? 'image/png'
          : 'text/csv; charset=utf-8',
      'content-disposition': `${file.filename.endsWith('.png') ? 'inline' : 'attachment'}; filename="${file.filename.replaceAll('"', '')}"`,
    });
    res.end(file.content);
    return;
  }

  if (req.method !== 'POST' || !url.pathname.startsWith('/sandbox/api/')) {
    return sendJson(res, 404, { ok: false, error: 'Not found' });
  }
  const body = await readJson(req);
  if (url.pathname === '/sandbox/api/uninstall') {
    const workspace = sandbox.workspaces.find((w) => isRecord(body) && w.team.id === body.workspace);
    if (!workspace) return sendJson(res, 400, { ok: false, error: 'Unknown workspace' });
    return sendJson(res, 200, await sandbox.removeApp(workspace));
  }
  const workspace = isRecord(body) ? workspaceOf(body.user) : undefined;
  if (!isRecord(body) || !workspace || typeof body.user !== 'string')
    return sendJson(res, 400, { ok: false, error: 'Unknown user' });
  const user = body.user;
  switch (url.pathname) {
    case '/sandbox/api/command':
      return sendJson(
        res,
        200,
        await workspace.command(user, typeof body.text === 'string' ? body.text.slice(0, 4000) : ''),
      );
    case '/sandbox/api/click':
      return sendJson(res, 200, await workspace.click(clickInput(user, body)));
    case '/sandbox/api/shortcut':
      return sendJson(res, 200, await workspace.shortcut(user, String(body.callbackId ?? '')));
    case '/sandbox/api/options':
      // Typing in a menu the app fills: the app's options, through a signed block_suggestion.
      return sendJson(
        res,
        200,
        await workspace.options({
          user,
          viewId: String(body.viewId ?? ''),
          actionId: String(body.actionId ?? ''),
          blockId: String(body.blockId ?? ''),
          value: typeof body.value === 'string' ? body.value.slice(0, 200) : '',
        }),
      );
    case '/sandbox/api/submit':
      return sendJson(
        res,
        200,
        await workspace.submit(
          user,
          String(body.viewId ?? ''),
          isRecord(body.values) ? (body.values as never) : {},
        ),
      );
    case '/sandbox/api/close':
      workspace.closeModal(user);
      return sendJson(res, 200, { ok: true });
    case '/sandbox/api/home':
      return sendJson(res, 200, await workspace.openHome(user));
    case '/sandbox/api/checkins':
      return sendJson(res, 200, await sandbox.sendDueCheckIns(workspace, user));
    default:
      return sendJson(res, 404, { ok: false, error: 'Not found' });
  }
}

/** What one person sees, with the workspace they are in and the other workspaces of the sandbox. */
async function stateFor(sandbox: Sandbox, workspace: SandboxWorkspace, user: string) {
  const workspaces = await Promise.all(
    sandbox.workspaces.map(async (w) => ({
      id: w.team.id,
      name: w.team.name,
      installed: await sandbox.installed(w.team.id),
      users: w.users,
    })),
  );
  const here = workspaces.find((w) => w.id === workspace.team.id);
  return {
    ...workspace.stateFor(user),
    workspace: {
      id: workspace.team.id,
      name: workspace.team.name,
      installed: here?.installed ?? false,
      /** The app was removed from this workspace in this session, which deleted its people's data. */
      removed: here?.installed !== true && sandbox.removed.has(workspace.team.id),
      installUrl: sandbox.installUrl,
    },
    workspaces,
  };
}

function clickInput(user: string, body: Record<string, unknown>): ClickInput {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const surface = body.surface === 'home' || body.surface === 'modal' ? body.surface : 'message';
  const selected = isRecord(body.selectedOption) ? body.selectedOption : undefined;
  const input: ClickInput = {
    user,
    surface,
    actionId: text(body.actionId) ?? '',
    blockId: text(body.blockId) ?? '',
  };
  const messageId = text(body.messageId);
  const viewId = text(body.viewId);
  const value = text(body.value);
  if (messageId !== undefined) input.messageId = messageId;
  if (viewId !== undefined) input.viewId = viewId;
  if (value !== undefined) input.value = value;
  if (selected && typeof selected.value === 'string') {
    input.selectedOption = { value: selected.value, text: text(selected.text) ?? selected.value };
    if (body.actionType === 'external_select') input.actionType = 'external_select';
  }
  return input;
}

/** Server-Sent Events: one `change` event whenever something the page shows may have changed. */
function streamChanges(
  workspaces: readonly SandboxWorkspace[],
  req: IncomingMessage,
  res: ServerResponse,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write('retry: 1000\n\n');
  const onChange = (version: number) => res.write(`event: change\ndata: ${version}\n\n`);
  for (const workspace of workspaces) workspace.on('change', onChange);
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(keepAlive);
    for (const workspace of workspaces) workspace.off('change', onChange);
  });
}

async function sendPageFile(res: ServerResponse, name: string): Promise<void> {
  const type = PAGE_FILES[name];
  if (!type) return sendJson(res, 404, { ok: false, error: 'Not found' });
  const content = await readFile(path.join(PAGE_DIR, name));
  res.writeHead(200, {
    'content-type': type,
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
  });
  res.end(content);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
