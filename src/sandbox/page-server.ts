import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@slack/bolt';
import { isRecord, ownLoopbackHost, SANDBOX_HOST } from './defaults.js';
import type { ClickInput, Outcome, SandboxWorkspace } from './workspace.js';

/**
 * The server of the sandbox page: the page's own files (page/), and the JSON API the page calls
 * (`/sandbox/api/…`: what one person sees, what they do, the files they attach to a form, removing
 * the app, sending due check-ins), with a stream of change events. Each workspace turns what the
 * page does into signed Slack requests.
 */

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const CSS = 'text/css; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
/** The page's files, and their types: nothing else under page/ is served. */
const PAGE_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'sandbox.css': CSS,
  'messages.css': CSS,
  'controls.css': CSS,
  'dialogs.css': CSS,
  // the page's scripts: sandbox.js starts the others
  'sandbox.js': JS,
  'page-state.js': JS,
  'server.js': JS,
  'view.js': JS,
  'actions.js': JS,
  'dialogs.js': JS,
  'modal.js': JS,
  'shortcuts.js': JS,
  'external-select.js': JS,
  'composer.js': JS,
  'mentions.js': JS,
  'checkins.js': JS,
  // what they render with: render.js gathers the others
  'render.js': JS,
  'emoji.js': JS,
  'mrkdwn.js': JS,
  'rich-text.js': JS,
  'blocks.js': JS,
};
const MAX_BODY = 256 * 1024;
/**
 * The largest file the page may attach to a form: more than the app takes (10 MB), so that the app,
 * not the sandbox, says a file is too big, as it would in Slack.
 */
const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** A file arrives as base64 in JSON: 4 characters for every 3 bytes, and its name. */
const MAX_FILE_BODY = Math.ceil(MAX_FILE_BYTES / 3) * 4 + 64 * 1024;
const FILE_TOO_LARGE = `Too large for the sandbox: a file may be at most ${MAX_FILE_BYTES / 1024 / 1024} MB.`;
/** What readJson answers for a body larger than it takes. */
const TOO_LARGE = Symbol('too large');
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** What the page server needs besides the workspaces: whether the app is installed where, and removing it. */
export type Sandbox = {
  workspaces: readonly SandboxWorkspace[];
  installUrl: string;
  installed: (teamId: string) => Promise<boolean>;
  /** Workspaces the app was removed from in this session (the page says their data was deleted). */
  removed: Set<string>;
  removeApp: (workspace: SandboxWorkspace) => Promise<Outcome>;
  /** "Send due check-ins now": the person's next check-in reminder, as if its time had come. */
  sendDueCheckIns: (workspace: SandboxWorkspace, userId: string) => Promise<Outcome>;
};

/** The page's server; `listen` starts it. */
export function createPageServer(sandbox: Sandbox, logger: Logger): Server {
  return createServer((req, res) => {
    handle(sandbox, req, res).catch((error: unknown) => {
      logger.error('Sandbox page request failed', error);
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: 'Something went wrong in the sandbox; see the terminal.' });
    });
  });
}

export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, SANDBOX_HOST, () => {
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
      message: `Refused: this sandbox answers only at its own address. Open http://${SANDBOX_HOST}:${req.socket.localPort} instead.`,
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
  const attaching = url.pathname === '/sandbox/api/files';
  const body = await readJson(req, attaching ? MAX_FILE_BODY : MAX_BODY);
  if (body === TOO_LARGE) {
    return sendJson(res, 413, {
      ok: false,
      error: attaching ? FILE_TOO_LARGE : `Too large: the sandbox takes at most ${MAX_BODY / 1024} KB.`,
    });
  }
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
    case '/sandbox/api/say':
      // A message of the person's own in the channel (not a command): the app is not told, as in Slack.
      return sendJson(
        res,
        200,
        workspace.say(user, typeof body.text === 'string' ? body.text.slice(0, 4000) : ''),
      );
    case '/sandbox/api/message-shortcut':
      // A message shortcut from a message's ⋯ menu: a signed message_action with that message.
      return sendJson(
        res,
        200,
        await workspace.messageShortcut(user, String(body.callbackId ?? ''), String(body.messageId ?? '')),
      );
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
    case '/sandbox/api/files': {
      // A file chosen in a modal's file input: `name`, and its bytes as base64 (`content`).
      const name = typeof body.name === 'string' ? body.name.replace(/^.*[\\/]/, '').slice(0, 255) : '';
      if (name === '' || typeof body.content !== 'string' || !BASE64.test(body.content)) {
        return sendJson(res, 400, { ok: false, error: 'Send the file as { name, content: base64 }.' });
      }
      const bytes = Buffer.from(body.content, 'base64');
      if (bytes.length > MAX_FILE_BYTES) return sendJson(res, 413, { ok: false, error: FILE_TOO_LARGE });
      return sendJson(res, 200, workspace.attachFile(user, name, bytes));
    }
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

/** The body as JSON: undefined when it is not JSON, TOO_LARGE when it is longer than `limit` bytes. */
async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return TOO_LARGE;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return undefined;
  }
}
