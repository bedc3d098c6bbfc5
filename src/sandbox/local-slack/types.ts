import type { EventEmitter } from 'node:events';

/**
 * What tests and the sandbox see of the local Slack: the calls and posts it recorded, the
 * installations it knows, and the `LocalSlack` interface the server implements (local-slack/server.ts).
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

/** A canvas the app made (canvases.create): its markdown as last written, and who may read or change it. */
export type LocalCanvas = {
  id: string;
  teamId: string;
  title: string;
  markdown: string;
  access: Record<string, 'read' | 'write'>;
};

/**
 * What a person may do in a workspace or its Enterprise Grid org, as users.info tells it (see
 * `LocalSlack.setAdmin`): `admin`, `owner` and `primary-owner` are roles in the workspace; `org-admin`
 * and `org-owner` are roles in the Grid org the workspace belongs to (`user.enterprise_user`).
 */
export type AdminRole = 'admin' | 'owner' | 'primary-owner' | 'org-admin' | 'org-owner';

/**
 * A file a person shared, as Slack describes it: in a `file_input`'s state
 * (`view.state.values[block_id][action_id].files`) and from files.info. `url_private` and
 * `url_private_download` are served by the local Slack (`GET`, with a bearer token of the app, scope
 * `files:read`); `permalink` and `permalink_public` point at slack.com and are not served.
 */
export type SlackFileObject = {
  id: string;
  /** Seconds since the epoch. */
  created: number;
  timestamp: number;
  name: string;
  title: string;
  mimetype: string;
  /** Slack's file type: `csv`, `tsv`, `yaml`, `text`, `html`, `json`, `markdown`, … or `binary`. */
  filetype: string;
  pretty_type: string;
  /** Who shared it, and their workspace. */
  user: string;
  user_team: string;
  editable: boolean;
  /** In bytes. */
  size: number;
  mode: 'hosted';
  is_external: boolean;
  external_type: string;
  is_public: boolean;
  public_url_shared: boolean;
  display_as_bot: boolean;
  username: string;
  /** `${url}/files-pri/<team>-<file id>/<name>` */
  url_private: string;
  /** `${url}/files-pri/<team>-<file id>/download/<name>` */
  url_private_download: string;
  media_display_type: string;
  permalink: string;
  permalink_public: string;
  is_starred: boolean;
  has_rich_preview: boolean;
  file_access: string;
};

/** What `LocalSlack.addMessage` takes: a message a person wrote in a conversation. */
export type AddMessageOptions = {
  channel: string;
  userId: string;
  text: string;
  /** Its timestamp; a new one unless given. */
  ts?: string;
  /** The workspace it is in; the default workspace unless given. */
  teamId?: string;
};

/** What `LocalSlack.addFile` takes: a file one person shares, in one workspace. */
export type AddFileOptions = {
  userId: string;
  /** The workspace it is shared in; the default workspace unless given. */
  teamId?: string;
  name: string;
  /** Its bytes; a string is taken as UTF-8. */
  content: string | Uint8Array;
  /** Slack's file type; worked out from the name (and, for an unknown extension, the bytes) unless given. */
  filetype?: string;
};

/**
 * One request for a shared file's url_private or url_private_download, and what the local Slack
 * answered: the file (200), Slack's sign-in page (200 too: a missing, unknown, revoked or expired
 * token), or a refusal (403 without `files:read`, 404 for a file the token's installation cannot see
 * or that does not exist).
 */
export type FileDownload = {
  /** The file id in the URL, if the URL named one. */
  fileId: string | undefined;
  /** The bearer token it came with. */
  token: string | undefined;
  status: number;
  answer: 'file' | 'sign-in page' | 'refused';
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
 * names match `EventInstallation` (event-envelopes.ts), so one can be passed to an event envelope
 * builder such as `appUninstalledEnvelope` as it is.
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
  /**
   * Enforce Slack's rate limits (rate-limits.ts: per workspace and method, chat.postMessage per
   * conversation), answering HTTP 429 with `Retry-After` past them, as Slack does; time is `now`'s.
   * Off unless given: the sandbox and most tests make calls faster than Slack would allow.
   */
  rateLimits?: boolean;
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
  /** Requests for the url_private(_download) of files people shared (`addFile`), in order. */
  readonly downloads: FileDownload[];
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
   * The next `count` calls of this Web API method wait until all of them have arrived, and are then
   * answered in the order they came: calls that two copies of an app make at about the same time
   * (two refreshes of one token, say) are made to meet, so a test of what happens then never
   * depends on timing.
   */
  holdCalls(method: string, count: number): void;
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
   * People of a workspace, for users.list (in this order, after those already there), each with
   * their time zone (UTC unless given). Someone given a time zone with setUserTimeZone is a member
   * of the default workspace (or of the one setUserAccount gave them), after those already there.
   */
  addMembers(teamId: string, people: readonly { id: string; timeZone?: string }[]): void;
  /** The canvases the app made and has not deleted, each with its markdown as last written. */
  readonly canvases: readonly LocalCanvas[];
  /**
   * From now on every canvas call answers `{ ok: false, error }` (`not_allowed`, `canvas_disabled`,
   * `missing_scope`…), as a workspace that does not allow the app canvases; `undefined` allows them again.
   */
  refuseCanvases(error: string | undefined): void;
  /** Deletes a canvas, as a person deleting it in Slack: canvases.edit then answers `canvas_not_found`. */
  deleteCanvas(id: string): void;
  /**
   * A person's role from now on, as `users.info` answers it; `undefined` makes them an ordinary
   * member again (everyone is, until this is called). `admin`: `is_admin`; `owner`: `is_owner` and
   * `is_admin` (owners are admins in Slack); `primary-owner`: those and `is_primary_owner`. In a
   * workspace of an Enterprise Grid org, users.info also has `enterprise_user` (`id`,
   * `enterprise_id`, `enterprise_name`, `is_admin`, `is_owner`, `teams`): `org-admin` sets its
   * `is_admin`, `org-owner` its `is_owner` and `is_admin`, and leaves the workspace flags false, so
   * an app must read `enterprise_user` to see them. In a workspace of no org, the org roles show nothing.
   */
  setAdmin(userId: string, role: AdminRole | undefined): void;
  /**
   * Someone who is not an ordinary member of the workspace the app asks from, as `users.info` answers
   * it: a member of another workspace (`teamId`, its `team_id`), or a bot (`is_bot`).
   */
  setUserAccount(userId: string, account: { teamId?: string; bot?: boolean }): void;
  /**
   * A file a person shares (as through a modal's `file_input`, or in a DM with the app), kept with its
   * bytes; returns the file object Slack puts in the `file_input` state. The local Slack then serves:
   * - `GET url_private` and `url_private_download` with `Authorization: Bearer <token>`: the bytes
   *   (200, `content-type` its mimetype) for a token of the app's installation in the file's workspace
   *   or org-wide in its Grid org, with `files:read`; 403 without `files:read`; 404 for a token of
   *   another workspace. Like Slack, a missing, unknown, revoked or expired token gets a sign-in web
   *   page with status 200, so an app must check that what it got is the file (see `downloads`).
   * - `files.info({ file })` (`files:read`): `{ ok: true, file }` for such a token, else `file_not_found`.
   * Throws for a malformed user id, an unknown workspace or an empty name.
   */
  addFile(file: AddFileOptions): SlackFileObject;
  /**
   * A message a person wrote in a conversation (the channel, a DM), kept so that chat.getPermalink
   * answers for it as for the app's own; returns its timestamp (a new one unless given). Throws for a
   * malformed conversation or user id.
   */
  addMessage(message: AddMessageOptions): string;
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
   * Forgets recorded calls, responses, files and downloads, uploads not yet completed, which DMs
   * were opened, any failures set up with failNext / failResponseUrl, and the calls counted against
   * rate limits; lets held calls go on. Installations, tokens, authorization codes, and what was set
   * up (channel members, workspace members, user groups, time zones, admin roles, files people shared
   * with `addFile`) are kept.
   */
  reset(): void;
  close(): Promise<void>;
}
