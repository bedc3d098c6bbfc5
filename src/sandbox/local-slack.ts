import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml } from '../util/html.js';
import { validateMessage, validateView } from './block-kit.js';
import {
  isRecord,
  LOCAL_APP_ID,
  LOCAL_BOT,
  LOCAL_CHANNEL,
  LOCAL_TEAM,
  LOCAL_USER,
  newTs,
  ownLoopbackHost,
  slackId,
} from './defaults.js';
import { SANDBOX_TEAM, SECOND_TEAM } from './workspace.js';

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
 *
 * Workspaces, orgs and OAuth: besides the default workspace (`team`, where the app is installed from
 * the start with `bot.token`), there can be more workspaces and Enterprise Grid orgs. With the `oauth`
 * option, the app can be installed into any of them the way @slack/oauth's InstallProvider does it:
 * `GET /oauth/v2/authorize` (a plain page listing every workspace and org, each with an "Install into"
 * button, and Cancel) → a redirect to the app's `redirect_uri` with a one-time `code` (10 minutes) →
 * `oauth.v2.access` exchanges the code for a bot token of that installation → `auth.test` with it.
 * Installing into an org makes an org-wide install. With `tokenLifetimeSeconds` (or setTokenLifetime),
 * token rotation is on: access tokens expire (`token_expired`) and come with a refresh token that
 * `oauth.v2.access` with `grant_type=refresh_token` exchanges, once, for new ones. `uninstall` revokes
 * every token of an installation. Every Web API call is checked against the token it carries and
 * acts for that token's installation; `ApiCall.team` records which one.
 *
 * Members, for team views: `conversations.members` lists a channel's members page by page, as Slack
 * does (`limit` 1–1000, 100 by default; `response_metadata.next_cursor`, empty on the last page;
 * `channel_not_found`, `invalid_cursor`, `invalid_limit`), from `setChannelMembers` — the sandbox's
 * channels have its sample people (the local channel the local user too) unless told otherwise.
 * `usergroups.users.list` (all members at once, as Slack answers it; `no_such_subteam`) and
 * `usergroups.list` answer from `setUserGroup`. An installation made through OAuth gets `missing_scope`
 * (with `needed` and `provided`) from these methods unless it was granted `channels:read` or
 * `groups:read` (channels) or `usergroups:read` (user groups); the default workspace's original token
 * may call them.
 *
 * People: `users.info` answers a person's time zone (`tz`, `tz_label`, `tz_offset` in seconds east of
 * UTC) from `setUserTimeZone`, UTC unless set; like Slack it needs `users:read` (`missing_scope` for an
 * OAuth installation without it); an id that is not a user id is `user_not_found`.
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
  /** Where chat.postMessage posted: the conversation (a DM's `D…` id for a user id) and the message's ts. */
  channel?: string;
  ts?: string;
  /**
   * The installation the call acted for — the workspace id, or the org id for an org-wide install —
   * when its token was issued through OAuth; for oauth.v2.access, the installation it issued tokens
   * for. Undefined for calls with the original `bot.token` (the default workspace, as before OAuth
   * existed here) and for calls refused before a token was accepted.
   */
  team?: string;
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
  /** The description of an image given to files.getUploadURLExternal (web-api sends it as `alt_text`). */
  altText: string | undefined;
};

/** A workspace. `enterpriseId` names the Enterprise Grid org it belongs to, if it belongs to one. */
export type LocalWorkspace = { id: string; domain: string; name: string; enterpriseId?: string };

/** An Enterprise Grid org: the app can be installed into it org-wide. */
export type LocalOrg = { id: string; name: string; domain: string };

/** The app's OAuth credentials, as its Slack app configuration page would show them. */
export type LocalOAuthApp = {
  clientId: string;
  clientSecret: string;
  /** When set, token rotation is on: issued access tokens expire after this many seconds. */
  tokenLifetimeSeconds?: number;
  /** Where the authorize page sends the browser back when the request names no `redirect_uri`. */
  redirectUri?: string;
  /** The app's name on the authorize page; `competency-bot` unless given. */
  appName?: string;
};

/**
 * One installation of the app: into a workspace, or org-wide into an Enterprise Grid org. The field
 * names match the installation input of the event builders in `signing.ts`, so one can be passed to
 * `appUninstalledEnvelope` or `tokensRevokedEnvelope` as it is.
 */
export type LocalInstallation = {
  /** The workspace id, or the org id for an org-wide install. */
  target: string;
  /** The workspace; null for an org-wide install. */
  teamId: string | null;
  /** The org: of the org-wide install, or the org the workspace belongs to; null otherwise. */
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  /** The bot user and bot of this installation; the same after a reinstall. */
  botUserId: string;
  botId: string;
  /** Who approved the (last) install. */
  installerUserId: string;
  /** The bot scopes granted through OAuth; empty for the default workspace until it is installed again. */
  scopes: string[];
  /** False after `uninstall`, until the app is installed there again. */
  installed: boolean;
};

/** What `approve` and `issueCode` grant, as if someone pressed "Install into …" on the authorize page. */
export type ApproveOptions = {
  /** A workspace id (`T…`) or an org id (`E…`, an org-wide install). */
  target: string;
  /** Passed back unchanged in the redirect, as InstallProvider's state. */
  state?: string;
  /**
   * Where to send the code; the `oauth.redirectUri` default unless given. When given, oauth.v2.access
   * must be called with the same `redirect_uri`, as when it is part of the authorize request.
   */
  redirectUri?: string;
  /** The bot scopes, as a list or comma separated; `commands,chat:write` unless given. */
  scopes?: string | string[];
  /** Who approves; LOCAL_USER unless given. oauth.v2.access answers with it as `authed_user.id`. */
  userId?: string;
};

export type LocalSlackOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The default workspace, where the app is installed from the start with `bot.token`. */
  team?: { id?: string; domain?: string; name?: string };
  bot?: { userId?: string; botId?: string; token?: string };
  /** The app-level token (`xapp-…`) that `apps.connections.open` takes; LOCAL_APP_TOKEN unless given. */
  appToken?: string;
  /** How many times one response_url may be used; Slack allows 5. */
  responseUrlUses?: number;
  /**
   * More workspaces (ids `T…`). An entry with the default team's id gives the default workspace its
   * name and org. `enterpriseId` must name one of `orgs`.
   */
  workspaces?: LocalWorkspace[];
  /** Enterprise Grid orgs (ids `E…`). */
  orgs?: LocalOrg[];
  /** The app's OAuth credentials; without them the authorize page and oauth.v2.access refuse every client. */
  oauth?: LocalOAuthApp;
  /**
   * The clock, in milliseconds since the epoch, for code and token expiry; `Date.now` unless given.
   * A test can pass a function of its own and move time forward.
   */
  now?: () => number;
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
  /** The default workspace, where `bot.token` acts. */
  readonly team: { id: string; domain: string };
  readonly bot: { userId: string; botId: string; token: string };
  /** The app-level token `apps.connections.open` takes. */
  readonly appToken: string;
  /** Every workspace, the default one first. */
  readonly workspaces: readonly LocalWorkspace[];
  readonly orgs: readonly LocalOrg[];
  /** The OAuth app's credentials, when the `oauth` option was given. */
  readonly oauth: { clientId: string; clientSecret: string; redirectUri: string | undefined } | undefined;
  /** `${url}/oauth/v2/authorize` — what InstallProvider's `authorizationUrl` is set to. */
  readonly authorizeUrl: string;
  /**
   * Tokens issued from now on expire after this many seconds and come with a refresh token (token
   * rotation on); `undefined` issues tokens that never expire. Tokens already issued keep their expiry.
   */
  setTokenLifetime(seconds: number | undefined): void;
  /**
   * A one-time authorization code for oauth.v2.access (valid 10 minutes), as the authorize page issues
   * when someone approves. Throws without the `oauth` option or for an unknown target.
   */
  issueCode(opts: ApproveOptions): string;
  /**
   * The URL the authorize page would redirect to after approving: the redirect URI with a fresh `code`
   * and the given `state`. For tests that do not click through the page.
   */
  approve(opts: ApproveOptions): string;
  /** The installation into this workspace or org (`T…`/`E…`), if the app was ever installed there. */
  installation(target: string): LocalInstallation | undefined;
  /**
   * Uninstalls the app from this workspace or org: every token of the installation (the original
   * `bot.token` too, for the default workspace) is revoked, and unused codes for it stop working.
   * Returns the installation, e.g. for `appUninstalledEnvelope`. Throws if it was never installed there.
   */
  uninstall(target: string): LocalInstallation;
  /**
   * From now on `apps.connections.open` answers with this WebSocket URL (a local Socket Mode
   * server's); `undefined` turns Socket Mode off again (the call then fails with `socket_mode_not_enabled`).
   */
  useSocketMode(url: string | undefined): void;
  /**
   * A new, unique `${url}/response/<id>` that accepts POSTs. `message`: the message (posted with
   * chat.postMessage) whose button click this response_url came with; `replace_original` and
   * `delete_original` posted to it then change or delete that message, as in Slack (same ts).
   */
  newResponseUrl(message?: { channel: string; ts: string }): string;
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
  /**
   * Who is in a channel, for conversations.members, in this order (a copy is kept). The local channel
   * (`LOCAL_CHANNEL`) has the local user and the sample people, and the channel of the sandbox's second
   * workspace its people, until this is called for them; any other channel is `channel_not_found`
   * until it is.
   */
  setChannelMembers(channelId: string, userIds: readonly string[]): void;
  /**
   * A user group (an id like `S0123ABCD`) and its members, for usergroups.users.list and
   * usergroups.list; its handle is the id in lower case unless given. It belongs to the default
   * workspace unless `teamId` says otherwise. Calling it again replaces the group.
   */
  setUserGroup(
    id: string,
    userIds: readonly string[],
    options?: { handle?: string; name?: string; teamId?: string },
  ): void;
  /**
   * A person's time zone (IANA, e.g. `Europe/Berlin`), as `users.info` answers it (`user.tz`,
   * `tz_label`, `tz_offset` in seconds east of UTC). People not set this way are in `UTC`.
   */
  setUserTimeZone(userId: string, timeZone: string): void;
  /**
   * The messages the app posted in a conversation with chat.postMessage (a DM by its `D…` id), oldest
   * first, as they are now: after chat.update and replace_original, without those deleted. Ephemeral
   * messages are not among them (Slack keeps none), nor posts made through a response_url.
   */
  messagesIn(channel: string): { ts: string; text: string; blocks: unknown[]; edited: boolean }[];
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
   * opened, and any failures set up with failNext / failResponseUrl. Installations, tokens and
   * authorization codes are kept.
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
/** conversations.members: how many members a page has unless `limit` says, and the most it may say. */
const DEFAULT_MEMBERS_LIMIT = 100;
const MAX_MEMBERS_LIMIT = 1000;
const USER_GROUP_ID = /^S[A-Z0-9]+$/;

/** How long an authorization code can be exchanged with oauth.v2.access: 10 minutes, as on Slack. */
const CODE_LIFETIME_MS = 10 * 60 * 1000;
/** The lifetime of tokens from a refresh while token rotation is set off: Slack's 12 hours. */
const DEFAULT_TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;
/** The bot scopes `approve` and `issueCode` grant unless told otherwise. */
const DEFAULT_SCOPES = ['commands', 'chat:write'];
/** The bot user's name, as auth.test answers it. */
const BOT_NAME = 'competency-bot';
const WORKSPACE_ID = /^T[A-Z0-9]+$/;
const ORG_ID = /^E[A-Z0-9]+$/;

type ApiResult = { ok: true; [key: string]: unknown } | { ok: false; error: string; [key: string]: unknown };

/** Where an installation is: in one workspace (which may belong to an org), or org-wide in an org. */
type InstallPlace =
  | { kind: 'workspace'; workspace: LocalWorkspace; org: LocalOrg | undefined }
  | { kind: 'org'; org: LocalOrg };
type InstallationRecord = {
  target: string;
  place: InstallPlace;
  botUserId: string;
  botId: string;
  installerUserId: string;
  scopes: string[];
  installed: boolean;
};
/**
 * A token this local Slack accepts or once accepted. `original` marks `bot.token`. A refresh token
 * becomes `used` when exchanged; every token of an installation becomes `revoked` when it is uninstalled.
 */
type TokenRecord = {
  kind: 'access' | 'refresh';
  target: string;
  expiresAt: number | undefined;
  state: 'live' | 'used' | 'revoked';
  original: boolean;
};
type CodeRecord = {
  target: string;
  scopes: string[];
  /** The redirect_uri of the authorize request, which oauth.v2.access must repeat; undefined when none was given. */
  redirectUri: string | undefined;
  userId: string;
  expiresAt: number;
};
/** The installation a Web API call acts for, and what `ApiCall.team` records for it. */
type Actor = {
  installation: InstallationRecord;
  recordedTeam: string | undefined;
  expiresAt: number | undefined;
};
type AuthorizeRequest = {
  scopes: string[];
  state: string | undefined;
  /** The redirect_uri parameter, when there was one. */
  redirectUri: string | undefined;
  /** Where the browser goes back to: `redirectUri` or the configured default. */
  redirectTo: string;
};
type StoredMessage = { channel: string; ts: string; message: Record<string, unknown> };
type UserGroup = { id: string; teamId: string; handle: string; name: string; users: string[] };
type StoredView = { id: string; hash: string; view: Record<string, unknown> };
/** A file id handed out by files.getUploadURLExternal; `content` is set once its bytes arrive. */
type PendingUpload = {
  id: string;
  filename: string;
  length: number;
  content: Buffer | undefined;
  altText: string | undefined;
};

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

/** A page of the local Slack's own: not cached, not framed, no scripts. */
function sendHtml(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  });
  res.end(
    `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>\n` +
      '<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}' +
      'li{margin:.5rem 0}button{font:inherit;padding:.25rem .75rem}small{color:#555}</style>\n' +
      `</head>\n<body>\n${body}\n</body>\n</html>\n`,
  );
}

/** Scopes as Slack takes them: comma separated (spaces are tolerated), or a list. */
function parseScopes(value: string | string[] | undefined | null): string[] {
  const parts = Array.isArray(value) ? value : (value ?? '').split(/[\s,]+/);
  return [...new Set(parts.map((scope) => scope.trim()).filter((scope) => scope.length > 0))];
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** `url` with these query parameters added (those left undefined are left out). */
function withQuery(url: string, params: Record<string, string | undefined>): string {
  const result = new URL(url);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) result.searchParams.set(key, value);
  }
  return result.toString();
}

/** The client id and secret of an HTTP Basic `authorization` header, as Slack prefers them for oauth.v2.access. */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (encoded === undefined) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const part = (text: string) => {
    try {
      return decodeURIComponent(text.replaceAll('+', ' '));
    } catch {
      return text;
    }
  };
  return { id: part(decoded.slice(0, colon)), secret: part(decoded.slice(colon + 1)) };
}

function randomDigits(n: number): string {
  let digits = '';
  for (const byte of randomBytes(n)) digits += String(byte % 10);
  return digits.replace(/^0/, '1');
}

function randomToken(length: number): string {
  return randomBytes(length).toString('base64url').replace(/[-_]/g, 'x').slice(0, length);
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
  /** response_url id → the stored message whose click it came with (`${channel}/${ts}`) */
  private readonly responseUrlMessages = new Map<string, string>();
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
  /**
   * channel id → its members, for conversations.members (kept by reset, like installations). The
   * sandbox's channels start with their sample people (and the local channel with the local user).
   */
  private readonly channelMembers = new Map<string, string[]>([
    [LOCAL_CHANNEL.id, [LOCAL_USER.id, ...SANDBOX_TEAM.users.map((user) => user.id)]],
    [SECOND_TEAM.channel.id, SECOND_TEAM.users.map((user) => user.id)],
  ]);
  /** user group id → the group, for usergroups.users.list and usergroups.list */
  private readonly userGroups = new Map<string, UserGroup>();
  /** user id → IANA time zone, for users.info (kept by reset) */
  private readonly timeZones = new Map<string, string>();

  readonly workspaces: LocalWorkspace[];
  readonly orgs: LocalOrg[];
  private readonly oauthApp: LocalOAuthApp | undefined;
  private tokenLifetimeSeconds: number | undefined;
  private readonly now: () => number;
  /** workspace or org id → the app's installation there */
  private readonly installs = new Map<string, InstallationRecord>();
  /** token → what it is; tokens stay here after they stop working, so a refusal can say why */
  private readonly tokens = new Map<string, TokenRecord>();
  /** authorization code → what approving granted; deleted when exchanged */
  private readonly codes = new Map<string, CodeRecord>();

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
    this.now = opts.now ?? Date.now;
    this.orgs = (opts.orgs ?? []).map((org) => ({ id: org.id, name: org.name, domain: org.domain }));
    this.workspaces = workspaceList(this.team, opts.team?.name, opts.workspaces ?? [], this.orgs);
    if (opts.oauth !== undefined) {
      this.oauthApp = { ...opts.oauth };
      this.setTokenLifetime(opts.oauth.tokenLifetimeSeconds);
    }
    // The default workspace has the app installed from the start, with bot.token.
    const home = this.placeOf(this.team.id);
    if (home === undefined) throw new Error('local Slack: the default workspace is missing');
    this.installs.set(this.team.id, {
      target: this.team.id,
      place: home,
      botUserId: this.bot.userId,
      botId: this.bot.botId,
      installerUserId: LOCAL_USER.id,
      scopes: [],
      installed: true,
    });
    this.tokens.set(this.bot.token, {
      kind: 'access',
      target: this.team.id,
      expiresAt: undefined,
      state: 'live',
      original: true,
    });
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

  get authorizeUrl(): string {
    return `${this.url}/oauth/v2/authorize`;
  }

  get oauth(): { clientId: string; clientSecret: string; redirectUri: string | undefined } | undefined {
    const app = this.oauthApp;
    return app && { clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: app.redirectUri };
  }

  setTokenLifetime(seconds: number | undefined): void {
    if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0)) {
      throw new Error(`local Slack: a token lifetime is a positive number of seconds, not ${seconds}`);
    }
    this.tokenLifetimeSeconds = seconds;
  }

  issueCode(opts: ApproveOptions): string {
    if (this.oauthApp === undefined) {
      throw new Error('local Slack: issuing a code needs the oauth option (client id and secret)');
    }
    if (this.placeOf(opts.target) === undefined) {
      throw new Error(`local Slack: ${opts.target} is neither a workspace nor an org of this local Slack`);
    }
    if (opts.redirectUri !== undefined && !isHttpUrl(opts.redirectUri)) {
      throw new Error(`local Slack: the redirect URI ${opts.redirectUri} is not an http(s) URL`);
    }
    const scopes = opts.scopes === undefined ? DEFAULT_SCOPES : parseScopes(opts.scopes);
    return this.newCode({
      target: opts.target,
      scopes,
      redirectUri: opts.redirectUri,
      userId: opts.userId ?? LOCAL_USER.id,
      expiresAt: this.now() + CODE_LIFETIME_MS,
    });
  }

  approve(opts: ApproveOptions): string {
    const redirectTo = opts.redirectUri ?? this.oauthApp?.redirectUri;
    if (redirectTo === undefined) {
      throw new Error(
        'local Slack: approve needs a redirectUri, or the oauth option with a default redirectUri',
      );
    }
    const code = this.issueCode(opts);
    return withQuery(redirectTo, { code, state: opts.state });
  }

  installation(target: string): LocalInstallation | undefined {
    const record = this.installs.get(target);
    return record && snapshot(record);
  }

  uninstall(target: string): LocalInstallation {
    const record = this.installs.get(target);
    if (record === undefined) throw new Error(`local Slack: the app was never installed in ${target}`);
    record.installed = false;
    for (const token of this.tokens.values()) {
      if (token.target === target && token.state === 'live') token.state = 'revoked';
    }
    for (const [code, grant] of this.codes) {
      if (grant.target === target) this.codes.delete(code);
    }
    return snapshot(record);
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

  newResponseUrl(message?: { channel: string; ts: string }): string {
    const id = randomBytes(12).toString('hex');
    this.responseUrls.set(id, 0);
    if (message !== undefined) this.responseUrlMessages.set(id, `${message.channel}/${message.ts}`);
    return `${this.url}/response/${id}`;
  }

  messagesIn(channel: string): { ts: string; text: string; blocks: unknown[]; edited: boolean }[] {
    return [...this.messages.values()]
      .filter((stored) => stored.channel === channel)
      .map(({ ts, message }) => ({
        ts,
        text: typeof message.text === 'string' ? message.text : '',
        blocks: Array.isArray(message.blocks) ? message.blocks : [],
        edited: message.edited !== undefined,
      }))
      .sort((a, b) => Number(a.ts) - Number(b.ts));
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

  setChannelMembers(channelId: string, userIds: readonly string[]): void {
    if (!CONVERSATION_ID.test(channelId)) {
      throw new Error(`local Slack: a channel id looks like C0123ABCD, not ${channelId}`);
    }
    this.channelMembers.set(channelId, [...userIds]);
  }

  setUserTimeZone(userId: string, timeZone: string): void {
    if (!USER_ID.test(userId)) throw new Error(`local Slack: a user id looks like U0123ABCD, not ${userId}`);
    this.timeZones.set(userId, timeZone);
  }

  setUserGroup(
    id: string,
    userIds: readonly string[],
    options: { handle?: string; name?: string; teamId?: string } = {},
  ): void {
    if (!USER_GROUP_ID.test(id))
      throw new Error(`local Slack: a user group id looks like S0123ABCD, not ${id}`);
    const handle = options.handle ?? id.toLowerCase();
    this.userGroups.set(id, {
      id,
      teamId: options.teamId ?? this.team.id,
      handle,
      name: options.name ?? handle,
      users: [...userIds],
    });
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
    const host = ownLoopbackHost(req);
    if (host === undefined) {
      sendText(res, 421, 'misdirected_request');
      return;
    }
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    // The authorize page is for a browser: its own forms (Origin = this server) may post to it.
    if (path.startsWith('/oauth/') && (req.headers.origin ?? `http://${host}`) === `http://${host}`) {
      await this.handleAuthorize(req, res, path);
      return;
    }
    if (req.headers.origin !== undefined) {
      sendText(res, 403, 'not_allowed_from_a_web_page');
      return;
    }
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
    let team: string | undefined;
    let recordedArgs = argsWithoutToken;
    if (method === 'oauth.v2.access') {
      // The client secret is not kept with the recorded call.
      const { client_secret: _secret, ...rest } = argsWithoutToken;
      recordedArgs = rest;
    }
    if (result === undefined) {
      const failure = this.pendingFailures.get(method)?.shift();
      if (failure !== undefined) result = { ok: false, error: failure };
      // oauth.v2.access takes the app's client id and secret instead of a token.
      else if (method === 'oauth.v2.access') {
        const answer = this.oauthAccess(argsWithoutToken, req.headers.authorization);
        result = answer.result;
        team = answer.team;
      } else if (token === undefined) result = { ok: false, error: 'not_authed' };
      else if (method === 'apps.connections.open') result = this.connectionsOpen(token);
      // Slack refuses the app-level token for every other method.
      else if (token === this.appToken) result = { ok: false, error: 'not_allowed_token_type' };
      else {
        const actor = this.authenticate(token);
        if ('error' in actor) result = { ok: false, error: actor.error };
        else {
          team = actor.recordedTeam;
          const answer =
            method === 'auth.revoke'
              ? { result: this.authRevoke(token, argsWithoutToken) }
              : this.callMethod(method, argsWithoutToken, actor);
          result = answer.result;
          problems = answer.problems;
        }
      }
    }

    const call: ApiCall = { method, args: recordedArgs, token, ok: result.ok };
    if (team !== undefined) call.team = team;
    const viewId = isRecord(result.view) ? str(result.view.id) : undefined;
    if (method.startsWith('views.') && viewId !== undefined) call.viewId = viewId;
    if (method === 'chat.postMessage' && result.ok) {
      const channel = str(result.channel);
      const ts = str(result.ts);
      if (channel !== undefined) call.channel = channel;
      if (ts !== undefined) call.ts = ts;
    }
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
    actor: Actor,
  ): { result: ApiResult; problems?: string[] } {
    switch (method) {
      case 'auth.test':
        return { result: this.authTest(actor) };
      case 'chat.postMessage':
      case 'chat.postEphemeral':
      case 'chat.update':
        return this.chat(method, args, actor);
      case 'views.open':
      case 'views.update':
      case 'views.publish':
        return this.viewsMethod(method, args, actor);
      case 'conversations.open':
        return { result: this.conversationsOpen(args, actor) };
      case 'conversations.members':
        return { result: this.conversationsMembers(args, actor) };
      case 'usergroups.users.list':
        return { result: this.userGroupMembers(args, actor) };
      case 'usergroups.list':
        return { result: this.userGroupList(args, actor) };
      case 'users.info':
        return { result: this.usersInfo(args, actor) };
      case 'files.getUploadURLExternal':
        return { result: this.getUploadUrl(args) };
      case 'files.completeUploadExternal':
        return this.completeUpload(args, actor);
      default:
        return { result: { ok: false, error: 'unknown_method' } };
    }
  }

  /**
   * The installation a bot token acts for, or why the token is refused: `invalid_auth` for a token
   * this local Slack never issued (or a refresh token), `token_revoked` after an uninstall or
   * auth.revoke, `token_expired` for a rotating token past its lifetime.
   */
  private authenticate(token: string): Actor | { error: string } {
    const record = this.tokens.get(token);
    if (record === undefined || record.kind !== 'access') return { error: 'invalid_auth' };
    if (record.state !== 'live') return { error: 'token_revoked' };
    if (record.expiresAt !== undefined && this.now() >= record.expiresAt) return { error: 'token_expired' };
    const installation = this.installs.get(record.target);
    if (installation === undefined) return { error: 'invalid_auth' };
    return {
      installation,
      recordedTeam: record.original ? undefined : record.target,
      expiresAt: record.expiresAt,
    };
  }

  private authTest(actor: Actor): ApiResult {
    const { place, botUserId, botId } = actor.installation;
    const expiry =
      actor.expiresAt === undefined
        ? {}
        : { expires_in: Math.max(0, Math.floor((actor.expiresAt - this.now()) / 1000)) };
    if (place.kind === 'org') {
      // An org-wide token names the org, and no workspace.
      return {
        ok: true,
        url: `https://${place.org.domain}.enterprise.slack.com/`,
        team: place.org.name,
        user: BOT_NAME,
        user_id: botUserId,
        bot_id: botId,
        enterprise_id: place.org.id,
        is_enterprise_install: true,
        ...expiry,
      };
    }
    return {
      ok: true,
      url: `https://${place.workspace.domain}.slack.com/`,
      team: place.workspace.name,
      user: BOT_NAME,
      team_id: place.workspace.id,
      user_id: botUserId,
      bot_id: botId,
      ...(place.org !== undefined ? { enterprise_id: place.org.id } : {}),
      is_enterprise_install: false,
      ...expiry,
    };
  }

  /** auth.revoke: the token stops working (with `test`, it only says it would). */
  private authRevoke(token: string, args: Record<string, unknown>): ApiResult {
    const test = args.test === true || args.test === 'true' || args.test === '1';
    const record = this.tokens.get(token);
    if (!test && record !== undefined) record.state = 'revoked';
    return { ok: true, revoked: !test };
  }

  /**
   * The workspace a call made in: the installation's workspace; for an org-wide install, the
   * `team_id` argument, else the org's first workspace, else the org itself.
   */
  private workspaceOf(actor: Actor, args: Record<string, unknown>): string {
    const { place } = actor.installation;
    if (place.kind === 'workspace') return place.workspace.id;
    return (
      str(args.team_id) ?? this.workspaces.find((w) => w.enterpriseId === place.org.id)?.id ?? place.org.id
    );
  }

  /** Socket Mode: the WebSocket URL to connect to, for the app-level token only. */
  private connectionsOpen(token: string): ApiResult {
    if (this.tokens.has(token)) return { ok: false, error: 'not_allowed_token_type' };
    if (token !== this.appToken) return { ok: false, error: 'invalid_auth' };
    if (this.socketModeUrl === undefined) return { ok: false, error: 'socket_mode_not_enabled' };
    return { ok: true, url: this.socketModeUrl };
  }

  private chat(
    method: string,
    args: Record<string, unknown>,
    actor: Actor,
  ): { result: ApiResult; problems?: string[] } {
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
    const { botUserId, botId } = actor.installation;
    const content: Record<string, unknown> = {
      user: botUserId,
      type: 'message',
      bot_id: botId,
      app_id: LOCAL_APP_ID,
      text: args.text ?? '',
      team: this.workspaceOf(actor, args),
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
    // chat.update: only messages posted with chat.postMessage can be changed (never ephemeral ones),
    // named by their conversation's id: a DM's `D…`, not the user id chat.postMessage takes.
    if (channel !== channelArg) return { result: { ok: false, error: 'channel_not_found' } };
    const ts = str(args.ts) ?? '';
    const stored = this.messages.get(`${channel}/${ts}`);
    if (stored === undefined) return { result: { ok: false, error: 'message_not_found' } };
    // A bot can change its own messages only: not another app's, nor another installation's bot's.
    if (stored.message.bot_id !== botId) return { result: { ok: false, error: 'cant_update_message' } };
    const message = { ...content, ts, edited: { user: botUserId, ts: newTs() } };
    stored.message = message;
    return { result: { ok: true, channel, ts, text: content.text, message } };
  }

  private viewsMethod(
    method: string,
    args: Record<string, unknown>,
    actor: Actor,
  ): { result: ApiResult; problems?: string[] } {
    if (args.view === undefined) return { result: missing('view') };
    const problems = validateView(args.view);
    if (problems.length > 0) return { result: invalidBlocks(problems), problems };
    const view = args.view;
    if (!isRecord(view)) return { result: missing('view') };

    if (method === 'views.open') {
      if (str(args.trigger_id) === undefined) return { result: missing('trigger_id') };
      if (view.type !== 'modal') return { result: { ok: false, error: 'invalid_arguments' } };
      return { result: { ok: true, view: this.storeView(slackId('V'), view, actor, args) } };
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
      return { result: { ok: true, view: this.storeView(existing.id, view, actor, args) } };
    }
    // views.publish: the Home tab of one user, same view id each time
    const userId = str(args.user_id);
    if (userId === undefined) return { result: missing('user_id') };
    if (view.type !== 'home') return { result: { ok: false, error: 'invalid_arguments' } };
    const id = this.homeViewIds.get(userId) ?? slackId('V');
    this.homeViewIds.set(userId, id);
    return { result: { ok: true, view: this.storeView(id, view, actor, args) } };
  }

  /**
   * A DM with one user (`D` + the user id without its `U`, the id chat.postMessage to a user id
   * answers with) or a group DM with several (`G…`, the same for the same set of users).
   */
  private conversationsOpen(args: Record<string, unknown>, actor: Actor): ApiResult {
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
    if (users.length === 1 && only === actor.installation.botUserId) {
      return { ok: false, error: 'cannot_dm_bot' };
    }
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

  /**
   * Slack's answer when an installation made through OAuth lacks every one of these scopes; undefined
   * when it has one, or for the default workspace's original token (which predates scopes here).
   */
  private missingScope(actor: Actor, anyOf: readonly string[]): ApiResult | undefined {
    const granted = actor.installation.scopes;
    if (granted.length === 0 || anyOf.some((scope) => granted.includes(scope))) return undefined;
    return { ok: false, error: 'missing_scope', needed: anyOf.join(','), provided: granted.join(',') };
  }

  /** conversations.members: one page of a channel's members, and the cursor of the next page. */
  private conversationsMembers(args: Record<string, unknown>, actor: Actor): ApiResult {
    const denied = this.missingScope(actor, ['channels:read', 'groups:read']);
    if (denied !== undefined) return denied;
    const channel = str(args.channel);
    const members = channel === undefined ? undefined : this.channelMembers.get(channel);
    if (members === undefined) return { ok: false, error: 'channel_not_found' };
    const limitArg = args.limit === undefined || args.limit === '' ? undefined : Number(String(args.limit));
    const limit = limitArg ?? DEFAULT_MEMBERS_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_MEMBERS_LIMIT)
      return { ok: false, error: 'invalid_limit' };
    let offset = 0;
    const cursor = str(args.cursor);
    if (cursor !== undefined) {
      const at = /^member:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'))?.[1];
      offset = at === undefined ? Number.NaN : Number(at);
      if (!Number.isSafeInteger(offset) || offset <= 0 || offset >= members.length) {
        return { ok: false, error: 'invalid_cursor' };
      }
    }
    const end = offset + limit;
    const next = end < members.length ? Buffer.from(`member:${end}`).toString('base64') : '';
    return { ok: true, members: members.slice(offset, end), response_metadata: { next_cursor: next } };
  }

  /**
   * users.info: a person of the workspace the call is made in, with their time zone (`tz`, its
   * label, and `tz_offset`: seconds east of UTC now). Any well-formed user id is someone.
   */
  private usersInfo(args: Record<string, unknown>, actor: Actor): ApiResult {
    const denied = this.missingScope(actor, ['users:read']);
    if (denied !== undefined) return denied;
    const userId = str(args.user);
    if (userId === undefined) return missing('user');
    if (!USER_ID.test(userId)) return { ok: false, error: 'user_not_found' };
    const tz = this.timeZones.get(userId) ?? 'UTC';
    return {
      ok: true,
      user: {
        id: userId,
        team_id: this.workspaceOf(actor, args),
        name: userId.toLowerCase(),
        deleted: false,
        is_bot: userId === actor.installation.botUserId,
        tz,
        tz_label: tz,
        tz_offset: offsetSeconds(tz, this.now()),
      },
    };
  }

  /** usergroups.users.list: every member of a user group of the workspace the call is made in. */
  private userGroupMembers(args: Record<string, unknown>, actor: Actor): ApiResult {
    const denied = this.missingScope(actor, ['usergroups:read']);
    if (denied !== undefined) return denied;
    const id = str(args.usergroup);
    if (id === undefined) return missing('usergroup');
    const group = this.userGroups.get(id);
    if (group === undefined || group.teamId !== this.workspaceOf(actor, args)) {
      return { ok: false, error: 'no_such_subteam' };
    }
    return { ok: true, users: [...group.users] };
  }

  /** usergroups.list: the user groups of the workspace the call is made in (with members if asked). */
  private userGroupList(args: Record<string, unknown>, actor: Actor): ApiResult {
    const denied = this.missingScope(actor, ['usergroups:read']);
    if (denied !== undefined) return denied;
    const workspace = this.workspaceOf(actor, args);
    const withUsers =
      args.include_users === true || args.include_users === 'true' || args.include_users === '1';
    const usergroups = [...this.userGroups.values()]
      .filter((group) => group.teamId === workspace)
      .map((group) => ({
        id: group.id,
        team_id: group.teamId,
        is_usergroup: true,
        name: group.name,
        description: '',
        handle: group.handle,
        is_external: false,
        date_delete: 0,
        user_count: group.users.length,
        ...(withUsers ? { users: [...group.users] } : {}),
      }));
    return { ok: true, usergroups };
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
    const altText = str(args.alt_text) ?? str(args.alt_txt);
    // Slack's limit for an image's description.
    if (altText !== undefined && altText.length > 1000) return { ok: false, error: 'alt_txt_too_large' };
    const id = slackId('F');
    this.uploads.set(id, {
      id,
      filename,
      length,
      content: undefined,
      altText: str(args.alt_text) ?? str(args.alt_txt),
    });
    return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
  }

  private completeUpload(
    args: Record<string, unknown>,
    actor: Actor,
  ): { result: ApiResult; problems?: string[] } {
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
        altText: upload.altText,
      };
      this.files.push(file);
      answer.push({
        id: upload.id,
        created,
        timestamp: created,
        name: upload.filename,
        title: title ?? upload.filename,
        user: actor.installation.botUserId,
        size: content.length,
      });
    }
    for (const file of this.files.slice(-wanted.length)) this.emit('file', file);
    return { result: { ok: true, files: answer } };
  }

  /** Keeps a view and returns it the way Slack does, with ids, hash and an empty state. */
  private storeView(
    id: string,
    view: Record<string, unknown>,
    actor: Actor,
    args: Record<string, unknown>,
  ): Record<string, unknown> {
    const hash = `${newTs()}.${randomBytes(4).toString('hex')}`;
    const full: Record<string, unknown> = {
      id,
      team_id: this.workspaceOf(actor, args),
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
      app_installed_team_id: actor.installation.target,
      bot_id: actor.installation.botId,
    };
    this.views.set(id, { id, hash, view: full });
    return full;
  }

  // -------------------------------------------------------------------------------------------
  // OAuth: oauth.v2.access

  /**
   * oauth.v2.access: the client id and secret (form fields or HTTP Basic), then either a `code` from
   * the authorize page (grant_type `authorization_code`, the default) or a `refresh_token`.
   */
  private oauthAccess(
    args: Record<string, unknown>,
    authorization: string | undefined,
  ): { result: ApiResult; team?: string } {
    const app = this.oauthApp;
    const basic = basicCredentials(authorization);
    const clientId = basic?.id ?? str(args.client_id);
    const clientSecret = basic?.secret ?? str(args.client_secret);
    if (app === undefined || clientId !== app.clientId)
      return { result: { ok: false, error: 'invalid_client_id' } };
    if (clientSecret !== app.clientSecret) return { result: { ok: false, error: 'bad_client_secret' } };
    const grantType = str(args.grant_type) ?? 'authorization_code';
    if (grantType === 'refresh_token') return this.refreshGrant(args);
    if (grantType !== 'authorization_code') return { result: { ok: false, error: 'invalid_grant_type' } };

    const code = str(args.code);
    const grant = code === undefined ? undefined : this.codes.get(code);
    if (code === undefined || grant === undefined) return { result: { ok: false, error: 'invalid_code' } };
    if (this.now() >= grant.expiresAt) {
      this.codes.delete(code);
      return { result: { ok: false, error: 'invalid_code' } };
    }
    if (grant.redirectUri !== undefined && str(args.redirect_uri) !== grant.redirectUri) {
      return { result: { ok: false, error: 'bad_redirect_uri' } };
    }
    this.codes.delete(code);
    const installation = this.install(grant);
    const tokens = this.issueTokens(installation.target, this.tokenLifetimeSeconds);
    return {
      result: this.tokenAnswer(installation, tokens, grant.userId),
      team: installation.target,
    };
  }

  /** A refresh token, once: new access and refresh tokens; the old access token lives until it expires. */
  private refreshGrant(args: Record<string, unknown>): { result: ApiResult; team?: string } {
    const token = str(args.refresh_token);
    const record = token === undefined ? undefined : this.tokens.get(token);
    const installation = record === undefined ? undefined : this.installs.get(record.target);
    if (
      record === undefined ||
      record.kind !== 'refresh' ||
      record.state !== 'live' ||
      installation === undefined ||
      !installation.installed
    ) {
      return { result: { ok: false, error: 'invalid_refresh_token' } };
    }
    record.state = 'used';
    const lifetime = this.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
    const tokens = this.issueTokens(installation.target, lifetime);
    return { result: this.tokenAnswer(installation, tokens, undefined), team: installation.target };
  }

  /** Installs the app where a code says (again, if it was there before: same bot user, more scopes). */
  private install(grant: CodeRecord): InstallationRecord {
    const existing = this.installs.get(grant.target);
    if (existing !== undefined) {
      existing.installed = true;
      existing.installerUserId = grant.userId;
      existing.scopes = [...new Set([...existing.scopes, ...grant.scopes])];
      return existing;
    }
    const place = this.placeOf(grant.target);
    if (place === undefined) throw new Error(`local Slack: ${grant.target} is no longer a known target`);
    // Users of Enterprise Grid orgs have W ids.
    const inGrid = place.kind === 'org' || place.org !== undefined;
    const record: InstallationRecord = {
      target: grant.target,
      place,
      botUserId: slackId(inGrid ? 'W' : 'U'),
      botId: slackId('B'),
      installerUserId: grant.userId,
      scopes: grant.scopes,
      installed: true,
    };
    this.installs.set(grant.target, record);
    return record;
  }

  /**
   * A new bot token for an installation; with a lifetime (token rotation on), an expiring
   * `xoxe.xoxb-1-…` token and a `xoxe-1-…` refresh token, as Slack issues them.
   */
  private issueTokens(
    target: string,
    lifetimeSeconds: number | undefined,
  ): { accessToken: string; refreshToken?: string; expiresIn?: number } {
    if (lifetimeSeconds === undefined) {
      const accessToken = `xoxb-${randomDigits(11)}-${randomDigits(13)}-${randomToken(24)}`;
      this.tokens.set(accessToken, {
        kind: 'access',
        target,
        expiresAt: undefined,
        state: 'live',
        original: false,
      });
      return { accessToken };
    }
    const accessToken = `xoxe.xoxb-1-${randomToken(40)}`;
    const refreshToken = `xoxe-1-${randomToken(40)}`;
    const expiresAt = this.now() + lifetimeSeconds * 1000;
    this.tokens.set(accessToken, { kind: 'access', target, expiresAt, state: 'live', original: false });
    this.tokens.set(refreshToken, {
      kind: 'refresh',
      target,
      expiresAt: undefined,
      state: 'live',
      original: false,
    });
    return { accessToken, refreshToken, expiresIn: Math.floor(lifetimeSeconds) };
  }

  /** oauth.v2.access's answer; `authed_user` only for a code (who approved), not for a refresh. */
  private tokenAnswer(
    installation: InstallationRecord,
    tokens: { accessToken: string; refreshToken?: string; expiresIn?: number },
    authedUserId: string | undefined,
  ): ApiResult {
    const { place } = installation;
    return {
      ok: true,
      app_id: LOCAL_APP_ID,
      ...(authedUserId !== undefined ? { authed_user: { id: authedUserId } } : {}),
      scope: installation.scopes.join(','),
      token_type: 'bot',
      access_token: tokens.accessToken,
      bot_user_id: installation.botUserId,
      team: place.kind === 'org' ? null : { id: place.workspace.id, name: place.workspace.name },
      enterprise: place.org === undefined ? null : { id: place.org.id, name: place.org.name },
      is_enterprise_install: place.kind === 'org',
      ...(tokens.refreshToken !== undefined
        ? { refresh_token: tokens.refreshToken, expires_in: tokens.expiresIn }
        : {}),
    };
  }

  /** Where a workspace or org id points, or undefined when it names neither. */
  private placeOf(target: string): InstallPlace | undefined {
    const workspace = this.workspaces.find((w) => w.id === target);
    if (workspace !== undefined) {
      const org = this.orgs.find((o) => o.id === workspace.enterpriseId);
      return { kind: 'workspace', workspace, org };
    }
    const org = this.orgs.find((o) => o.id === target);
    return org === undefined ? undefined : { kind: 'org', org };
  }

  private newCode(grant: CodeRecord): string {
    const code = `${randomDigits(10)}.${randomDigits(13)}.${randomBytes(32).toString('hex')}`;
    this.codes.set(code, grant);
    return code;
  }

  // -------------------------------------------------------------------------------------------
  // OAuth: the authorize page

  /**
   * `GET /oauth/v2/authorize` shows the page; its buttons POST to `/oauth/v2/authorize/approve` (with
   * `target`) or `/oauth/v2/authorize/cancel`, every parameter in the query string, and get a 302 back
   * to the redirect URI with `code` and `state`, or with `error=access_denied` and `state`.
   */
  private async handleAuthorize(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const params = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams;
    const action =
      path === '/oauth/v2/authorize'
        ? 'page'
        : path === '/oauth/v2/authorize/approve'
          ? 'approve'
          : path === '/oauth/v2/authorize/cancel'
            ? 'cancel'
            : undefined;
    if (action === undefined) {
      sendText(res, 404, 'not_found');
      return;
    }
    const wanted = action === 'page' ? 'GET' : 'POST';
    if (req.method !== wanted && !(wanted === 'GET' && req.method === 'HEAD')) {
      res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8', allow: wanted });
      res.end(`method_not_allowed: use ${wanted}`);
      return;
    }
    if (wanted === 'POST') await readBody(req);

    const request = this.authorizeRequest(params);
    if ('problem' in request) {
      sendHtml(
        res,
        400,
        'Cannot install — local Slack',
        `<h1>This install link does not work</h1>\n<p>${escapeHtml(request.problem)}</p>`,
      );
      return;
    }
    if (action === 'page') {
      sendHtml(res, 200, `Install ${this.appName()} — local Slack`, this.authorizePage(request, params));
      return;
    }
    if (action === 'cancel') {
      redirect(res, withQuery(request.redirectTo, { error: 'access_denied', state: request.state }));
      return;
    }
    const target = params.get('target') ?? '';
    if (this.placeOf(target) === undefined) {
      sendHtml(
        res,
        400,
        'Cannot install — local Slack',
        `<h1>Unknown workspace or org</h1>\n<p>${escapeHtml(target || 'No target')} is neither a workspace nor an org of this local Slack.</p>`,
      );
      return;
    }
    const code = this.newCode({
      target,
      scopes: request.scopes,
      redirectUri: request.redirectUri,
      userId: LOCAL_USER.id,
      expiresAt: this.now() + CODE_LIFETIME_MS,
    });
    redirect(res, withQuery(request.redirectTo, { code, state: request.state }));
  }

  /** Checks the parameters of an authorize request; a problem is said in words for the error page. */
  private authorizeRequest(params: URLSearchParams): AuthorizeRequest | { problem: string } {
    const app = this.oauthApp;
    if (app === undefined) {
      return {
        problem: 'This local Slack has no OAuth app: start it with the oauth option (client id and secret).',
      };
    }
    const clientId = params.get('client_id');
    if (clientId === null || clientId === '') return { problem: 'The request names no client_id.' };
    if (clientId !== app.clientId)
      return { problem: `Unknown client_id: ${clientId}. No app has this client id.` };
    const scopes = parseScopes(params.get('scope'));
    if (scopes.length === 0) {
      return { problem: 'The request asks for no bot scope (scope=…); this local Slack installs bots only.' };
    }
    const given = params.get('redirect_uri') ?? undefined;
    if (given !== undefined && !isHttpUrl(given)) {
      return { problem: `The redirect_uri ${given} is not an http(s) URL.` };
    }
    const redirectTo = given ?? app.redirectUri;
    if (redirectTo === undefined) {
      return { problem: 'The request has no redirect_uri, and the app has no default redirect URI.' };
    }
    return { scopes, state: params.get('state') ?? undefined, redirectUri: given, redirectTo };
  }

  private authorizePage(request: AuthorizeRequest, params: URLSearchParams): string {
    const actionUrl = (path: string, target?: string) => {
      const query = new URLSearchParams(params);
      query.delete('target');
      if (target !== undefined) query.set('target', target);
      return escapeHtml(`${path}?${query.toString()}`);
    };
    const button = (target: string, label: string, detail: string) =>
      `<li><form method="post" action="${actionUrl('/oauth/v2/authorize/approve', target)}">` +
      `<button type="submit">Install into ${escapeHtml(label)}</button> <small>${escapeHtml(detail)}</small></form></li>`;
    const workspaces = this.workspaces.map((w) => {
      const org = this.orgs.find((o) => o.id === w.enterpriseId);
      const detail = `${w.domain}.slack.com · ${w.id}${org !== undefined ? ` · in ${org.name}` : ''}`;
      return button(w.id, w.name, detail);
    });
    const orgs = this.orgs.map((o) =>
      button(
        o.id,
        o.name,
        `org-wide, every workspace of the org · ${o.domain}.enterprise.slack.com · ${o.id}`,
      ),
    );
    const app = escapeHtml(this.appName());
    return [
      `<h1>Install ${app}</h1>`,
      `<p>This is the local stand-in for Slack. ${app} asks for these permissions (bot scopes):</p>`,
      `<ul>${request.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('')}</ul>`,
      `<p>Choose where to install it. Afterwards your browser goes back to <code>${escapeHtml(request.redirectTo)}</code>.</p>`,
      '<h2>Workspaces</h2>',
      `<ul>${workspaces.join('\n')}</ul>`,
      ...(orgs.length > 0 ? ['<h2>Enterprise Grid organizations</h2>', `<ul>${orgs.join('\n')}</ul>`] : []),
      `<form method="post" action="${actionUrl('/oauth/v2/authorize/cancel')}"><button type="submit">Cancel</button></form>`,
    ].join('\n');
  }

  private appName(): string {
    return this.oauthApp?.appName ?? BOT_NAME;
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
    // On a message the app posted, replace_original edits it (same ts) and delete_original deletes it.
    const original = this.responseUrlMessages.get(id);
    const stored = original === undefined ? undefined : this.messages.get(original);
    if (original !== undefined && stored !== undefined) {
      if (body.delete_original === true) this.messages.delete(original);
      else if (body.replace_original === true) {
        stored.message = {
          ...stored.message,
          text: body.text ?? '',
          blocks: body.blocks,
          edited: { user: stored.message.user, ts: newTs() },
        };
      }
    }
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

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
}

/** The workspaces: the default one first (named by an entry with its id, if there is one), then the others. */
function workspaceList(
  team: { id: string; domain: string },
  teamName: string | undefined,
  given: LocalWorkspace[],
  orgs: LocalOrg[],
): LocalWorkspace[] {
  const orgIds = new Set<string>();
  for (const org of orgs) {
    if (!ORG_ID.test(org.id)) throw new Error(`local Slack: an org id looks like E0123ABCD, not ${org.id}`);
    if (orgIds.has(org.id)) throw new Error(`local Slack: the org ${org.id} is listed twice`);
    orgIds.add(org.id);
  }
  const self = given.find((w) => w.id === team.id);
  const home: LocalWorkspace = {
    id: team.id,
    domain: team.domain,
    name: self?.name ?? teamName ?? team.domain,
    ...(self?.enterpriseId !== undefined ? { enterpriseId: self.enterpriseId } : {}),
  };
  const list = [home];
  for (const w of given) {
    if (w.id === team.id) continue;
    if (!WORKSPACE_ID.test(w.id))
      throw new Error(`local Slack: a workspace id looks like T0123ABCD, not ${w.id}`);
    if (list.some((other) => other.id === w.id))
      throw new Error(`local Slack: the workspace ${w.id} is listed twice`);
    list.push({
      id: w.id,
      domain: w.domain,
      name: w.name,
      ...(w.enterpriseId !== undefined ? { enterpriseId: w.enterpriseId } : {}),
    });
  }
  for (const w of list) {
    if (w.enterpriseId !== undefined && !orgIds.has(w.enterpriseId)) {
      throw new Error(
        `local Slack: the workspace ${w.id} belongs to the org ${w.enterpriseId}, which is not in orgs`,
      );
    }
  }
  return list;
}

function snapshot(record: InstallationRecord): LocalInstallation {
  const { place } = record;
  return {
    target: record.target,
    teamId: place.kind === 'workspace' ? place.workspace.id : null,
    enterpriseId: place.org?.id ?? null,
    isEnterpriseInstall: place.kind === 'org',
    botUserId: record.botUserId,
    botId: record.botId,
    installerUserId: record.installerUserId,
    scopes: [...record.scopes],
    installed: record.installed,
  };
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

/** Seconds east of UTC of an IANA zone at a moment, as Slack's `tz_offset` (0 for a zone it does not know). */
function offsetSeconds(timeZone: string, at: number): number {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(at));
    const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    const local = Date.UTC(
      part('year'),
      part('month') - 1,
      part('day'),
      part('hour'),
      part('minute'),
      part('second'),
    );
    return Math.round((local - Math.floor(at / 1000) * 1000) / 1000);
  } catch {
    return 0;
  }
}
