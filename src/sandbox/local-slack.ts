import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateMessage, validateView } from './block-kit.js';
import {
  isRecord,
  LOCAL_APP_ID,
  LOCAL_BOT,
  LOCAL_TEAM,
  newTs,
  ownLoopbackHost,
  slackId,
} from './defaults.js';

/**
 * A local stand-in for Slack's side of an app: the Web API (`POST /api/<method>`), the
 * response_url sink (`POST /response/<id>`) and the file upload URLs that
 * `files.getUploadURLExternal` hands out (`POST /upload/<file id>`), on 127.0.0.1. It records every
 * call, checks every payload with the Block Kit validator, and answers the way Slack does (HTTP 200
 * with `{ ok: false, error }` for Web API errors). It never logs: tokens and response_urls stay out of logs.
 *
 * Files: `files.uploadV2` in @slack/web-api is three steps, all supported here —
 * `files.getUploadURLExternal` (per file: `filename`, `length`) → a POST of the bytes to the
 * returned `upload_url` (web-api sends multipart/form-data with one part named `body`; a raw body
 * works too) → `files.completeUploadExternal` (`files` = JSON `[{ id, title }]`, `channel_id`,
 * `initial_comment`, `thread_ts`). Only completed uploads appear in `files`.
 *
 * Socket Mode: `apps.connections.open` takes only the app-level token (`xapp-…`; any other method
 * refuses it with `not_allowed_token_type`, as Slack does) and answers with the WebSocket URL
 * given to `useSocketMode` (see `socket-mode.ts`).
 */

export type ApiCall = {
  method: string;
  /** The arguments, with JSON fields (blocks, view, …) parsed and `token` removed. */
  args: Record<string, unknown>;
  token: string | undefined;
  ok: boolean;
  error?: string;
  problems?: string[];
  /** The id of the view that views.open, views.update or views.publish stored. */
  viewId?: string;
};

export type HttpFailure = { status: number; headers?: Record<string, string>; body?: string };

export type ResponsePost = { url: string; body: Record<string, unknown>; ok: boolean; problems?: string[] };

/** A file whose upload was completed with files.completeUploadExternal. */
export type UploadedFile = {
  id: string;
  filename: string;
  /** The title given to files.completeUploadExternal (web-api's uploadV2 defaults it to the filename). */
  title: string | undefined;
  /** Where it was shared; undefined means private to the app (no `channel_id`). */
  channelId: string | undefined;
  threadTs: string | undefined;
  initialComment: string | undefined;
  /** The bytes posted to the upload URL. */
  content: Buffer;
  /** `content` decoded as UTF-8. */
  text(): string;
};

export type LocalSlackOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  team?: { id?: string; domain?: string };
  bot?: { userId?: string; botId?: string; token?: string };
  /** The app-level token (`xapp-…`) that `apps.connections.open` takes; LOCAL_APP_TOKEN unless given. */
  appToken?: string;
  /** How many times one response_url may be used; Slack allows 5. */
  responseUrlUses?: number;
};

export interface LocalSlack extends EventEmitter {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `${url}/api/` — what a WebClient's `slackApiUrl` is set to. */
  readonly apiUrl: string;
  readonly calls: ApiCall[];
  readonly responses: ResponsePost[];
  /** Completed file uploads, in the order they were completed. */
  readonly files: UploadedFile[];
  readonly team: { id: string; domain: string };
  readonly bot: { userId: string; botId: string; token: string };
  /** The app-level token `apps.connections.open` takes. */
  readonly appToken: string;
  /**
   * From now on `apps.connections.open` answers with this WebSocket URL (a local Socket Mode
   * server's); `undefined` turns Socket Mode off again (the call then fails with `socket_mode_not_enabled`).
   */
  useSocketMode(url: string | undefined): void;
  /** A new, unique `${url}/response/<id>` that accepts POSTs. */
  newResponseUrl(): string;
  /**
   * Make one response_url answer with this failure from now on (e.g. `{ status: 404, body: 'expired_url' }`),
   * or only for its next `times` posts.
   */
  failResponseUrl(url: string, failure: { status: number; body?: string; times?: number }): void;
  /** The next call of this Web API method answers `{ ok: false, error }`. */
  failNext(method: string, error: string): void;
  /**
   * The next call of this Web API method fails at the HTTP level, as an overloaded or rate-limiting
   * Slack does: e.g. `{ status: 500 }`, or `{ status: 429, headers: { 'retry-after': '1' } }`.
   */
  failNextHttp(method: string, failure: HttpFailure): void;
  /** Resolves with the first `n` response_url posts once there are that many. */
  waitForResponses(n: number, timeoutMs?: number): Promise<ResponsePost[]>;
  /** Resolves with the first post to this response_url once it has arrived. */
  waitForResponseTo(url: string, timeoutMs?: number): Promise<ResponsePost>;
  /** Resolves with the first `n` calls of `method` once there are that many. */
  waitForCalls(method: string, n: number, timeoutMs?: number): Promise<ApiCall[]>;
  /** Resolves with the first `n` completed file uploads once there are that many. */
  waitForFiles(n: number, timeoutMs?: number): Promise<UploadedFile[]>;
  /**
   * Forgets recorded calls, responses and files, uploads not yet completed, which DMs were
   * opened, and any failures set up with failNext / failResponseUrl.
   */
  reset(): void;
  close(): Promise<void>;
}

/** The app-level token of the local app, what `apps.connections.open` takes unless told otherwise. */
export const LOCAL_APP_TOKEN = 'xapp-local-sandbox-token';

/** Form fields that carry JSON, which web-api sends as strings. */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'metadata',
  'unfurls',
  'user_auth_blocks',
  'files',
]);
const BODY_LIMIT = 5 * 1024 * 1024;
/** The most bytes one upload URL takes (Slack allows far more; tests never need it). */
const UPLOAD_LIMIT = 50 * 1024 * 1024;
/** conversations.open takes at most 8 users besides the caller. */
const MAX_CONVERSATION_USERS = 8;

type ApiResult = { ok: true; [key: string]: unknown } | { ok: false; error: string; [key: string]: unknown };
type StoredMessage = { channel: string; ts: string; message: Record<string, unknown> };
type StoredView = { id: string; hash: string; view: Record<string, unknown> };
/** A file id handed out by files.getUploadURLExternal; `content` is set once its bytes arrive. */
type PendingUpload = { id: string; filename: string; length: number; content: Buffer | undefined };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(body);
  }
}

async function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limit) throw new HttpError(413, 'request_too_large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRawBody(req, BODY_LIMIT)).toString('utf8');
}

/** The media type of a request, lower case and without parameters (`multipart/form-data`). */
function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function parseForm(text: string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (JSON_FIELDS.has(key)) {
      try {
        args[key] = JSON.parse(value);
        continue;
      } catch {
        // keep the raw string; the validator reports it
      }
    }
    args[key] = value;
  }
  return args;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Slack's answer for a missing argument. */
function missing(field: string): ApiResult {
  return {
    ok: false,
    error: 'invalid_arguments',
    response_metadata: { messages: [`[ERROR] missing required field: ${field}`] },
  };
}

/** Slack's answer for arguments that are there but wrong. */
function invalidArguments(message: string): ApiResult {
  return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [`[ERROR] ${message}`] } };
}

/** A conversation id: a public/private channel, a DM or a group DM (`C…`, `G…`, `D…`). */
const CONVERSATION_ID = /^[CDG][A-Z0-9]+$/;
const USER_ID = /^[UW][A-Z0-9]+$/;

/** Slack's answer for blocks it rejects: the problems in `errors` and in `response_metadata.messages`. */
function invalidBlocks(problems: string[]): ApiResult {
  return {
    ok: false,
    error: 'invalid_blocks',
    errors: problems,
    response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) },
  };
}

class LocalSlackServer extends EventEmitter implements LocalSlack {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  readonly files: UploadedFile[] = [];
  readonly team: { id: string; domain: string };
  readonly bot: { userId: string; botId: string; token: string };
  readonly appToken: string;
  url = '';
  /** What `apps.connections.open` answers with; undefined while Socket Mode is off. */
  private socketModeUrl: string | undefined;

  private readonly server: Server;
  private readonly responseUrlUses: number;
  /** response_url id → how many times it has been used */
  private readonly responseUrls = new Map<string, number>();
  private readonly failingResponseUrls = new Map<string, { status: number; body?: string; times?: number }>();
  private readonly pendingFailures = new Map<string, string[]>();
  private readonly pendingHttpFailures = new Map<string, HttpFailure[]>();
  /** `${channel}/${ts}` → a message posted with chat.postMessage (ephemeral ones are not kept: they cannot be updated) */
  private readonly messages = new Map<string, StoredMessage>();
  private readonly views = new Map<string, StoredView>();
  private readonly homeViewIds = new Map<string, string>();
  /** file id → an upload started with files.getUploadURLExternal and not yet completed */
  private readonly uploads = new Map<string, PendingUpload>();
  /** conversation ids opened with conversations.open (a second open answers `already_open`) */
  private readonly openConversations = new Set<string>();

  constructor(opts: LocalSlackOptions) {
    super();
    this.team = { id: opts.team?.id ?? LOCAL_TEAM.id, domain: opts.team?.domain ?? LOCAL_TEAM.domain };
    this.bot = {
      userId: opts.bot?.userId ?? LOCAL_BOT.userId,
      botId: opts.bot?.botId ?? LOCAL_BOT.botId,
      token: opts.bot?.token ?? LOCAL_BOT.token,
    };
    this.appToken = opts.appToken ?? LOCAL_APP_TOKEN;
    this.responseUrlUses = opts.responseUrlUses ?? 5;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (error instanceof HttpError) sendText(res, error.status, error.body);
        else sendText(res, 500, 'internal_error');
      });
    });
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${address.port}`;
  }

  useSocketMode(url: string | undefined): void {
    this.socketModeUrl = url;
  }

  newResponseUrl(): string {
    const id = randomBytes(12).toString('hex');
    this.responseUrls.set(id, 0);
    return `${this.url}/response/${id}`;
  }

  failResponseUrl(url: string, failure: { status: number; body?: string; times?: number }): void {
    this.failingResponseUrls.set(responseIdOf(url), failure);
  }

  failNext(method: string, error: string): void {
    const queue = this.pendingFailures.get(method) ?? [];
    queue.push(error);
    this.pendingFailures.set(method, queue);
  }

  failNextHttp(method: string, failure: HttpFailure): void {
    const queue = this.pendingHttpFailures.get(method) ?? [];
    queue.push(failure);
    this.pendingHttpFailures.set(method, queue);
  }

  waitForResponses(n: number, timeoutMs = 5000): Promise<ResponsePost[]> {
    return this.waitFor(
      'response',
      () => (this.responses.length >= n ? this.responses.slice(0, n) : undefined),
      timeoutMs,
      () => `${n} response_url posts; got ${this.responses.length}`,
    );
  }

  waitForResponseTo(url: string, timeoutMs = 5000): Promise<ResponsePost> {
    return this.waitFor(
      'response',
      () => this.responses.find((post) => post.url === url),
      timeoutMs,
      () => 'a post to one response_url',
    );
  }

  waitForCalls(method: string, n: number, timeoutMs = 5000): Promise<ApiCall[]> {
    const matching = () => this.calls.filter((call) => call.method === method);
    return this.waitFor(
      'api',
      () => {
        const found = matching();
        return found.length >= n ? found.slice(0, n) : undefined;
      },
      timeoutMs,
      () =>
        `${n} ${method} calls; got ${matching().length} (calls so far: ${this.calls.map((c) => c.method).join(', ') || 'none'})`,
    );
  }

  waitForFiles(n: number, timeoutMs = 5000): Promise<UploadedFile[]> {
    return this.waitFor(
      'file',
      () => (this.files.length >= n ? this.files.slice(0, n) : undefined),
      timeoutMs,
      () =>
        `${n} completed file uploads; got ${this.files.length} (${this.uploads.size} started, not completed)`,
    );
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.files.length = 0;
    this.uploads.clear();
    this.openConversations.clear();
    this.pendingFailures.clear();
    this.pendingHttpFailures.clear();
    this.failingResponseUrls.clear();
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private waitFor<T>(
    event: 'api' | 'response' | 'file',
    check: () => T | undefined,
    timeoutMs: number,
    describeWait: () => string,
  ): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const onEvent = () => {
        const found = check();
        if (found === undefined) return;
        clearTimeout(timer);
        this.off(event, onEvent);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.off(event, onEvent);
        reject(new Error(`local Slack: timed out after ${timeoutMs} ms waiting for ${describeWait()}`));
      }, timeoutMs);
      this.on(event, onEvent);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only the app talks to this local Slack, never a web page: a request that names another host (a
    // site whose name points at 127.0.0.1) or that a browser marked with its page's Origin is refused
    // unread, so no page the person has open can post as the bot with its well-known local token.
    if (ownLoopbackHost(req) === undefined) {
      sendText(res, 421, 'misdirected_request');
      return;
    }
    if (req.headers.origin !== undefined) {
      sendText(res, 403, 'not_allowed_from_a_web_page');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path.startsWith('/api/')) {
      await this.handleApi(req, res, decodeURIComponent(path.slice('/api/'.length)));
      return;
    }
    if (path.startsWith('/response/') && req.method === 'POST') {
      await this.handleResponse(req, res, path.slice('/response/'.length));
      return;
    }
    if (path.startsWith('/upload/') && req.method === 'POST') {
      await this.handleUpload(req, res, decodeURIComponent(path.slice('/upload/'.length)));
      return;
    }
    sendText(res, 404, 'not_found');
  }

  // -------------------------------------------------------------------------------------------
  // Web API

  private async handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const text = await readBody(req);
    const contentType = mediaType(req);
    let args: Record<string, unknown> = parseForm(
      new URL(req.url ?? '/', 'http://127.0.0.1').search.slice(1),
    );
    let result: ApiResult | undefined;
    if (text.length > 0) {
      if (contentType === 'application/json') {
        try {
          const parsed: unknown = JSON.parse(text);
          if (isRecord(parsed)) args = { ...args, ...parsed };
          else result = { ok: false, error: 'invalid_json' };
        } catch {
          result = { ok: false, error: 'invalid_json' };
        }
      } else if (contentType === 'application/x-www-form-urlencoded') {
        args = { ...args, ...parseForm(text) };
      } else {
        result = { ok: false, error: 'invalid_form_data' };
      }
    }

    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? str(args.token);
    const { token: _ignored, ...argsWithoutToken } = args;

    const httpFailure = this.pendingHttpFailures.get(method)?.shift();
    if (httpFailure !== undefined) {
      const { token: _t, ...recorded } = args;
      const call: ApiCall = { method, args: recorded, token, ok: false, error: `http_${httpFailure.status}` };
      this.calls.push(call);
      this.emit('api', call);
      res.writeHead(httpFailure.status, { 'content-type': 'text/plain', ...httpFailure.headers });
      res.end(httpFailure.body ?? '');
      return;
    }

    let problems: string[] | undefined;
    if (result === undefined) {
      const failure = this.pendingFailures.get(method)?.shift();
      if (failure !== undefined) result = { ok: false, error: failure };
      else if (token === undefined) result = { ok: false, error: 'not_authed' };
      else if (method === 'apps.connections.open') result = this.connectionsOpen(token);
      // Slack refuses the app-level token for every other method.
      else if (token === this.appToken) result = { ok: false, error: 'not_allowed_token_type' };
      else if (token !== this.bot.token) result = { ok: false, error: 'invalid_auth' };
      else {
        const answer = this.callMethod(method, argsWithoutToken);
        result = answer.result;
        problems = answer.problems;
      }
    }

    const call: ApiCall = { method, args: argsWithoutToken, token, ok: result.ok };
    const viewId = isRecord(result.view) ? str(result.view.id) : undefined;
    if (method.startsWith('views.') && viewId !== undefined) call.viewId = viewId;
    if (!result.ok) call.error = result.error;
    if (problems !== undefined && problems.length > 0) call.problems = problems;
    this.calls.push(call);
    this.emit('api', call);
    // Slack answers 200 even for errors; web-api treats anything else as an HTTP failure.
    sendJson(res, 200, result);
  }

  private callMethod(
    method: string,
    args: Record<string, unknown>,
  ): { result: ApiResult; problems?: string[] } {
    switch (method) {
      case 'auth.test':
        return {
          result: {
            ok: true,
            url: `https://${this.team.domain}.slack.com/`,
            team: this.team.domain,
            user: 'competency-bot',
            team_id: this.team.id,
            user_id: this.bot.userId,
            bot_id: this.bot.botId,
            is_enterprise_install: false,
          },
        };
      case 'chat.postMessage':
      case 'chat.postEphemeral':
      case 'chat.update':
        return this.chat(method, args);
      case 'views.open':
      case 'views.update':
      case 'views.publish':
        return this.viewsMethod(method, args);
      case 'conversations.open':
        return { result: this.conversationsOpen(args) };
      case 'files.getUploadURLExternal':
        return { result: this.getUploadUrl(args) };
      case 'files.completeUploadExternal':
        return this.completeUpload(args);
      default:
        return { result: { ok: false, error: 'unknown_method' } };
    }
  }

  /** Socket Mode: the WebSocket URL to connect to, for the app-level token only. */
  private connectionsOpen(token: string): ApiResult {
    if (token === this.bot.token) return { ok: false, error: 'not_allowed_token_type' };
    if (token !== this.appToken) return { ok: false, error: 'invalid_auth' };
    if (this.socketModeUrl === undefined) return { ok: false, error: 'socket_mode_not_enabled' };
    return { ok: true, url: this.socketModeUrl };
  }

  private chat(method: string, args: Record<string, unknown>): { result: ApiResult; problems?: string[] } {
    const channelArg = str(args.channel);
    if (channelArg === undefined) return { result: { ok: false, error: 'channel_not_found' } };
    if (method === 'chat.postEphemeral' && str(args.user) === undefined) return { result: missing('user') };
    if (method === 'chat.update' && str(args.ts) === undefined) return { result: missing('ts') };
    if (args.text === undefined && args.blocks === undefined && args.attachments === undefined) {
      return { result: { ok: false, error: 'no_text' } };
    }
    const problems = validateMessage(args);
    if (problems.length > 0) return { result: invalidBlocks(problems), problems };

    // Posting to a user id opens a DM with them; Slack answers with the DM's channel id.
    const channel = /^[UW]/.test(channelArg) ? `D${channelArg.slice(1)}` : channelArg;
    const content: Record<string, unknown> = {
      user: this.bot.userId,
      type: 'message',
      bot_id: this.bot.botId,
      app_id: LOCAL_APP_ID,
      text: args.text ?? '',
      team: this.team.id,
      ...(args.blocks !== undefined ? { blocks: args.blocks } : {}),
      ...(args.attachments !== undefined ? { attachments: args.attachments } : {}),
    };

    if (method === 'chat.postEphemeral') return { result: { ok: true, message_ts: newTs() } };
    if (method === 'chat.postMessage') {
      const ts = newTs();
      const message = { ...content, ts };
      this.messages.set(`${channel}/${ts}`, { channel, ts, message });
      return { result: { ok: true, channel, ts, message } };
    }
    // chat.update: only messages posted with chat.postMessage can be changed (never ephemeral ones).
    const ts = str(args.ts) ?? '';
    const stored = this.messages.get(`${channel}/${ts}`);
    if (stored === undefined) return { result: { ok: false, error: 'message_not_found' } };
    const message = { ...content, ts, edited: { user: this.bot.userId, ts: newTs() } };
    stored.message = message;
    return { result: { ok: true, channel, ts, text: content.text, message } };
  }

  private viewsMethod(
    method: string,
    args: Record<string, unknown>,
  ): { result: ApiResult; problems?: string[] } {
    if (args.view === undefined) return { result: missing('view') };
    const problems = validateView(args.view);
    if (problems.length > 0) return { result: invalidBlocks(problems), problems };
    const view = args.view;
    if (!isRecord(view)) return { result: missing('view') };

    if (method === 'views.open') {
      if (str(args.trigger_id) === undefined) return { result: missing('trigger_id') };
      if (view.type !== 'modal') return { result: { ok: false, error: 'invalid_arguments' } };
      return { result: { ok: true, view: this.storeView(slackId('V'), view) } };
    }
    if (method === 'views.update') {
      if (view.type !== 'modal') return { result: { ok: false, error: 'invalid_arguments' } };
      const viewId = str(args.view_id);
      const externalId = str(args.external_id);
      if (viewId === undefined && externalId === undefined) return { result: missing('view_id') };
      const existing =
        viewId !== undefined
          ? this.views.get(viewId)
          : [...this.views.values()].find((v) => v.view.external_id === externalId);
      if (existing === undefined) return { result: { ok: false, error: 'not_found' } };
      if (str(args.hash) !== undefined && args.hash !== existing.hash) {
        return { result: { ok: false, error: 'hash_conflict' } };
      }
      return { result: { ok: true, view: this.storeView(existing.id, view) } };
    }
    // views.publish: the Home tab of one user, same view id each time
    const userId = str(args.user_id);
    if (userId === undefined) return { result: missing('user_id') };
    if (view.type !== 'home') return { result: { ok: false, error: 'invalid_arguments' } };
    const id = this.homeViewIds.get(userId) ?? slackId('V');
    this.homeViewIds.set(userId, id);
    return { result: { ok: true, view: this.storeView(id, view) } };
  }

  /**
   * A DM with one user (`D` + the user id without its `U`, the id chat.postMessage to a user id
   * answers with) or a group DM with several (`G…`, the same for the same set of users).
   */
  private conversationsOpen(args: Record<string, unknown>): ApiResult {
    const usersArg = str(args.users);
    if (usersArg === undefined) {
      // Resuming a DM by its id.
      const channel = str(args.channel);
      if (channel === undefined) return { ok: false, error: 'users_list_not_supplied' };
      if (!CONVERSATION_ID.test(channel)) return { ok: false, error: 'channel_not_found' };
      if (!/^[DG]/.test(channel)) return { ok: false, error: 'method_not_supported_for_channel_type' };
      return { ok: true, no_op: true, already_open: true, channel: { id: channel } };
    }
    const users = [...new Set(usersArg.split(',').map((user) => user.trim()))].filter((u) => u.length > 0);
    if (users.length === 0) return { ok: false, error: 'users_list_not_supplied' };
    if (users.length > MAX_CONVERSATION_USERS) return { ok: false, error: 'too_many_users' };
    if (users.some((user) => !USER_ID.test(user))) return { ok: false, error: 'user_not_found' };
    const [only] = users;
    if (users.length === 1 && only === this.bot.userId) return { ok: false, error: 'cannot_dm_bot' };
    const id =
      users.length === 1 && only !== undefined
        ? `D${only.slice(1)}`
        : `G${createHash('sha256')
            .update([...users].sort().join(','))
            .digest('hex')
            .slice(0, 10)
            .toUpperCase()}`;
    const alreadyOpen = this.openConversations.has(id);
    this.openConversations.add(id);
    return alreadyOpen
      ? { ok: true, no_op: true, already_open: true, channel: { id } }
      : { ok: true, channel: { id } };
  }

  private getUploadUrl(args: Record<string, unknown>): ApiResult {
    const filename = str(args.filename);
    if (filename === undefined) return missing('filename');
    if (args.length === undefined || args.length === '') return missing('length');
    // Form-encoded, `length` arrives as a string.
    const length = typeof args.length === 'number' ? args.length : Number(String(args.length));
    if (!Number.isSafeInteger(length) || length < 0) {
      return invalidArguments(`length must be a whole number of bytes, not ${JSON.stringify(args.length)}`);
    }
    if (length > UPLOAD_LIMIT) return { ok: false, error: 'file_too_large' };
    const id = slackId('F');
    this.uploads.set(id, { id, filename, length, content: undefined });
    return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
  }

  private completeUpload(args: Record<string, unknown>): { result: ApiResult; problems?: string[] } {
    if (args.files === undefined) return { result: missing('files') };
    const entries = args.files;
    if (!Array.isArray(entries) || entries.length === 0) {
      return { result: invalidArguments('files must be a non-empty JSON array of { id, title }') };
    }
    const wanted: { upload: PendingUpload; title: string | undefined }[] = [];
    for (const entry of entries) {
      const id = isRecord(entry) ? str(entry.id) : undefined;
      if (!isRecord(entry) || id === undefined) {
        return { result: invalidArguments(`every entry of files needs an id; got ${JSON.stringify(entry)}`) };
      }
      const upload = this.uploads.get(id);
      if (upload === undefined || upload.content === undefined) {
        const why =
          upload === undefined
            ? `${id} is not a file id from files.getUploadURLExternal (or it was completed already)`
            : `nothing was uploaded to the upload_url of ${id}`;
        return {
          result: { ok: false, error: 'file_not_found', response_metadata: { messages: [`[ERROR] ${why}`] } },
        };
      }
      if (wanted.some((w) => w.upload.id === id)) {
        return { result: invalidArguments(`file ${id} is listed twice`) };
      }
      wanted.push({ upload, title: str(entry.title) });
    }

    const channelId = str(args.channel_id) ?? str(args.channels);
    const threadTs = str(args.thread_ts);
    const initialComment = str(args.initial_comment);
    // A user id is not a channel: a DM has to be opened with conversations.open first.
    if (channelId !== undefined && !CONVERSATION_ID.test(channelId)) {
      return { result: { ok: false, error: 'channel_not_found' } };
    }
    if (threadTs !== undefined && channelId === undefined) return { result: missing('channel_id') };
    // Slack ignores blocks when there is an initial_comment; the files stand in for a text fallback.
    if (args.blocks !== undefined && initialComment === undefined) {
      const problems = validateMessage({ text: 'files', blocks: args.blocks });
      if (problems.length > 0) return { result: invalidBlocks(problems), problems };
    }

    const created = Math.floor(Date.now() / 1000);
    const answer: Record<string, unknown>[] = [];
    for (const { upload, title } of wanted) {
      const content = upload.content ?? Buffer.alloc(0);
      this.uploads.delete(upload.id);
      const file: UploadedFile = {
        id: upload.id,
        filename: upload.filename,
        title,
        channelId,
        threadTs,
        initialComment,
        content,
        text: () => content.toString('utf8'),
      };
      this.files.push(file);
      answer.push({
        id: upload.id,
        created,
        timestamp: created,
        name: upload.filename,
        title: title ?? upload.filename,
        user: this.bot.userId,
        size: content.length,
      });
    }
    for (const file of this.files.slice(-wanted.length)) this.emit('file', file);
    return { result: { ok: true, files: answer } };
  }

  /** Keeps a view and returns it the way Slack does, with ids, hash and an empty state. */
  private storeView(id: string, view: Record<string, unknown>): Record<string, unknown> {
    const hash = `${newTs()}.${randomBytes(4).toString('hex')}`;
    const full: Record<string, unknown> = {
      id,
      team_id: this.team.id,
      type: view.type,
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      state: { values: {} },
      hash,
      title: view.title ?? null,
      clear_on_close: view.clear_on_close ?? false,
      notify_on_close: view.notify_on_close ?? false,
      close: view.close ?? null,
      submit: view.submit ?? null,
      previous_view_id: null,
      root_view_id: id,
      app_id: LOCAL_APP_ID,
      external_id: view.external_id ?? '',
      app_installed_team_id: this.team.id,
      bot_id: this.bot.botId,
    };
    this.views.set(id, { id, hash, view: full });
    return full;
  }

  // -------------------------------------------------------------------------------------------
  // Upload URLs (what files.getUploadURLExternal hands out)

  /**
   * Takes the bytes of one file: multipart/form-data (web-api posts one part named `body`; the
   * first file part is taken) or, with any other content type, the raw body. Answers as Slack
   * does, `200 OK - <bytes>`; 404 for an id it never handed out (or one already completed), 400
   * when the byte count differs from the `length` given to files.getUploadURLExternal.
   */
  private async handleUpload(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const raw = await readRawBody(req, UPLOAD_LIMIT);
    const upload = this.uploads.get(id);
    if (upload === undefined) {
      sendText(res, 404, 'file_not_found');
      return;
    }
    let content = raw;
    const contentType = req.headers['content-type'];
    if (mediaType(req) === 'multipart/form-data' && contentType !== undefined) {
      let form: FormData;
      try {
        form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      } catch {
        sendText(res, 400, 'invalid_multipart_body');
        return;
      }
      const part = [...form.values()].find((value) => typeof value !== 'string');
      if (part === undefined || typeof part === 'string') {
        sendText(res, 400, 'no_file_data');
        return;
      }
      content = Buffer.from(await part.arrayBuffer());
    }
    if (content.length !== upload.length) {
      sendText(res, 400, `length_mismatch: expected ${upload.length} bytes, got ${content.length}`);
      return;
    }
    upload.content = content;
    sendText(res, 200, `OK - ${content.length}`);
  }

  // -------------------------------------------------------------------------------------------
  // response_url sink

  private async handleResponse(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const text = await readBody(req);
    const url = `${this.url}/response/${id}`;
    const failure = this.failingResponseUrls.get(id);
    const uses = this.responseUrls.get(id);

    let body: Record<string, unknown> = {};
    let parseError = false;
    try {
      const parsed: unknown = JSON.parse(parseResponseBody(req, text));
      if (isRecord(parsed)) body = parsed;
      else parseError = true;
    } catch {
      parseError = true;
    }

    const record = (ok: boolean, problems?: string[]) => {
      const post: ResponsePost = { url, body, ok };
      if (problems !== undefined && problems.length > 0) post.problems = problems;
      this.responses.push(post);
      this.emit('response', post);
    };

    if (failure !== undefined) {
      if (failure.times !== undefined && --failure.times <= 0) this.failingResponseUrls.delete(id);
      record(false);
      sendText(res, failure.status, failure.body ?? '');
      return;
    }
    if (uses === undefined) {
      // Not a URL this local Slack handed out (or one from before a restart): Slack says it expired.
      record(false);
      sendJson(res, 404, { ok: false, error: 'expired_url' });
      return;
    }
    if (uses >= this.responseUrlUses) {
      record(false);
      sendJson(res, 404, { ok: false, error: 'used_url' });
      return;
    }
    if (parseError) {
      record(false, ['body is not a JSON object']);
      sendText(res, 400, 'invalid_payload');
      return;
    }
    // `delete_original` carries no message, so there is nothing to validate.
    const problems = body.delete_original === true ? [] : validateMessage(body);
    if (problems.length > 0) {
      record(false, problems);
      sendText(res, 400, 'invalid_blocks');
      return;
    }
    this.responseUrls.set(id, uses + 1);
    record(true);
    sendText(res, 200, 'ok');
  }
}

/** Slack takes a JSON body, or a form with the JSON in `payload` (as incoming webhooks do). */
function parseResponseBody(req: IncomingMessage, text: string): string {
  if (mediaType(req) === 'application/x-www-form-urlencoded') {
    return new URLSearchParams(text).get('payload') ?? '';
  }
  return text;
}

function responseIdOf(url: string): string {
  const path = new URL(url, 'http://127.0.0.1').pathname;
  return path.startsWith('/response/') ? path.slice('/response/'.length) : path;
}

/** Starts the local Slack on 127.0.0.1 (a free port unless `port` is given). */
export async function startLocalSlack(opts: LocalSlackOptions = {}): Promise<LocalSlack> {
  const slack = new LocalSlackServer(opts);
  await slack.listen(opts.port ?? 0);
  return slack;
}
