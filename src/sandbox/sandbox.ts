import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.js';
import { createLogger, type LogLevel } from '../log.js';
import { StartError, start } from '../start.js';
import { isRecord, ownLoopbackHost } from './defaults.js';
import { startLocalSlack } from './local-slack.js';
import { type ClickInput, SandboxWorkspace } from './workspace.js';

/**
 * `npm start` without Slack credentials: the real app, in HTTP mode on 127.0.0.1, pointed at a local
 * stand-in for Slack, and a web page that plays the part of the Slack client. The app is started
 * exactly as with a real workspace (same code, same configuration checks); only the URLs differ.
 */

const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const PAGE_FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'sandbox.js': 'text/javascript; charset=utf-8',
  'render.js': 'text/javascript; charset=utf-8',
  'sandbox.css': 'text/css; charset=utf-8',
};
const HOST = '127.0.0.1';
const MAX_BODY = 256 * 1024;

export type SandboxRunning = { url: string; stop: () => Promise<void>; workspace: SandboxWorkspace };

export async function startSandbox(
  env: Record<string, string | undefined>,
  options: { print?: (line: string) => void } = {},
): Promise<SandboxRunning> {
  const loaded = loadConfig(env);
  if (!loaded.ok)
    throw new StartError(['The sandbox cannot start; please fix:', ...loaded.problems.map((p) => `  ${p}`)]);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logger = createLogger(loaded.config.logLevel as LogLevel);

  const slack = await startLocalSlack();
  const signingSecret = randomBytes(24).toString('hex');
  let running: Awaited<ReturnType<typeof start>>;
  try {
    running = await start(
      {
        ...env,
        SLACK_BOT_TOKEN: slack.bot.token,
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: slack.apiUrl,
        SLACK_APP_TOKEN: undefined,
        HOST,
        PORT: '0',
      },
      logger,
    );
  } catch (error) {
    await slack.close();
    throw error;
  }
  const workspace = new SandboxWorkspace(slack, {
    eventsUrl: `http://${HOST}:${running.port}/slack/events`,
    signingSecret,
  });

  const server = createServer((req, res) => {
    handle(workspace, req, res).catch((error: unknown) => {
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

async function handle(workspace: SandboxWorkspace, req: IncomingMessage, res: ServerResponse): Promise<void> {
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

  if (route === 'GET /' || route === 'GET /index.html') return sendPageFile(res, 'index.html');
  if (req.method === 'GET' && url.pathname.startsWith('/sandbox/page/')) {
    return sendPageFile(res, url.pathname.slice('/sandbox/page/'.length));
  }
  if (route === 'GET /sandbox/api/state') {
    const user = url.searchParams.get('user') ?? workspace.users[0]?.id;
    if (!workspace.isUser(user)) return sendJson(res, 400, { ok: false, error: 'Unknown user' });
    return sendJson(res, 200, workspace.stateFor(user));
  }
  if (route === 'GET /sandbox/api/events') return streamChanges(workspace, req, res);
  if (req.method === 'GET' && url.pathname.startsWith('/sandbox/files/')) {
    const user = url.searchParams.get('user') ?? '';
    const file = workspace.fileFor(user, decodeURIComponent(url.pathname.slice('/sandbox/files/'.length)));
    if (!file) return sendJson(res, 404, { ok: false, error: 'No such file for this user' });
    res.writeHead(200, {
      'content-type': file.filename.endsWith('.json') ? 'application/json' : 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${file.filename.replaceAll('"', '')}"`,
    });
    res.end(file.content);
    return;
  }

  if (req.method !== 'POST' || !url.pathname.startsWith('/sandbox/api/')) {
    return sendJson(res, 404, { ok: false, error: 'Not found' });
  }
  const body = await readJson(req);
  if (!isRecord(body) || !workspace.isUser(body.user))
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
    default:
      return sendJson(res, 404, { ok: false, error: 'Not found' });
  }
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
  }
  return input;
}

/** Server-Sent Events: one `change` event whenever something the page shows may have changed. */
function streamChanges(workspace: SandboxWorkspace, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write('retry: 1000\n\n');
  const onChange = (version: number) => res.write(`event: change\ndata: ${version}\n\n`);
  workspace.on('change', onChange);
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(keepAlive);
    workspace.off('change', onChange);
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
