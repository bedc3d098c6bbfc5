import { LOCAL_APP_TOKEN, LOCAL_BOT, LOCAL_CHANNEL, LOCAL_TEAM, LOCAL_USER } from '../defaults.js';
import { SANDBOX_TEAM, SECOND_TEAM } from '../teams.js';
import { str } from './args.js';
import { RateLimiter } from './rate-limits.js';
import type {
  AdminRole,
  ApiCall,
  FileDownload,
  HttpFailure,
  LocalCanvas,
  LocalOAuthApp,
  LocalOrg,
  LocalSlackOptions,
  LocalWorkspace,
  ResponsePost,
  SlackFileObject,
  UploadedFile,
} from './types.js';

/**
 * Everything the local Slack keeps: what it recorded, the workspaces, orgs, installations and tokens,
 * and what each family of Web API methods stores (messages, views, uploads, members, user groups,
 * time zones, admin roles, files people shared). The families read and change it; the server
 * (server.ts) owns it.
 */

/** Where an installation is: in one workspace (which may belong to an org), or org-wide in an org. */
export type InstallPlace =
  | { kind: 'workspace'; workspace: LocalWorkspace; org: LocalOrg | undefined }
  | { kind: 'org'; org: LocalOrg };
export type InstallationRecord = {
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
export type TokenRecord = {
  kind: 'access' | 'refresh';
  target: string;
  expiresAt: number | undefined;
  state: 'live' | 'used' | 'revoked';
  original: boolean;
};
export type CodeRecord = {
  target: string;
  scopes: string[];
  /** The redirect_uri of the authorize request, which oauth.v2.access must repeat; undefined when none was given. */
  redirectUri: string | undefined;
  userId: string;
  expiresAt: number;
};
/** The installation a Web API call acts for, and what `ApiCall.team` records for it. */
export type Actor = {
  installation: InstallationRecord;
  recordedTeam: string | undefined;
  expiresAt: number | undefined;
};
export type StoredMessage = { channel: string; ts: string; message: Record<string, unknown> };
export type UserGroup = { id: string; teamId: string; handle: string; name: string; users: string[] };
export type StoredView = { id: string; hash: string; view: Record<string, unknown> };
/** A file id handed out by files.getUploadURLExternal; `content` is set once its bytes arrive. */
export type PendingUpload = {
  id: string;
  filename: string;
  length: number;
  content: Buffer | undefined;
  altText: string | undefined;
};

/** A file a person shared (`LocalSlack.addFile`): what Slack says of it, where, and its bytes. */
export type SharedFile = { file: SlackFileObject; teamId: string; content: Buffer };

/** What the local Slack tells its listeners about: a Web API call, a response_url post, a completed upload. */
export type SlackEvent = 'api' | 'response' | 'file';

const WORKSPACE_ID = /^T[A-Z0-9]+$/;
const ORG_ID = /^E[A-Z0-9]+$/;

export class SlackState {
  readonly calls: ApiCall[] = [];
  readonly responses: ResponsePost[] = [];
  readonly files: UploadedFile[] = [];
  readonly downloads: FileDownload[] = [];
  readonly team: { id: string; domain: string };
  readonly bot: { userId: string; botId: string; token: string };
  readonly appToken: string;
  /** `http://127.0.0.1:PORT`, once the server listens. */
  url = '';
  /** What `apps.connections.open` answers with; undefined while Socket Mode is off. */
  socketModeUrl: string | undefined;

  readonly responseUrlUses: number;
  /** response_url id → how many times it has been used */
  readonly responseUrls = new Map<string, number>();
  /** response_url id → the stored message whose click it came with (`${channel}/${ts}`) */
  readonly responseUrlMessages = new Map<string, string>();
  readonly failingResponseUrls = new Map<string, { status: number; body?: string; times?: number }>();
  readonly pendingFailures = new Map<string, string[]>();
  readonly pendingHttpFailures = new Map<string, HttpFailure[]>();
  /** `${channel}/${ts}` → a message posted with chat.postMessage (ephemeral ones are not kept: they cannot be updated) */
  readonly messages = new Map<string, StoredMessage>();
  readonly views = new Map<string, StoredView>();
  readonly homeViewIds = new Map<string, string>();
  /** file id → an upload started with files.getUploadURLExternal and not yet completed */
  readonly uploads = new Map<string, PendingUpload>();
  /** conversation ids opened with conversations.open (a second open answers `already_open`) */
  readonly openConversations = new Set<string>();
  /**
   * channel id → its members, for conversations.members (kept by reset, like installations). The
   * sandbox's channels start with their sample people (and the local channel with the local user).
   */
  readonly channelMembers = new Map<string, string[]>([
    [LOCAL_CHANNEL.id, [LOCAL_USER.id, ...SANDBOX_TEAM.users.map((user) => user.id)]],
    [SECOND_TEAM.channel.id, SECOND_TEAM.users.map((user) => user.id)],
  ]);
  /** user group id → the group, for usergroups.users.list and usergroups.list */
  readonly userGroups = new Map<string, UserGroup>();
  /** user id → IANA time zone, for users.info and users.list (kept by reset) */
  readonly timeZones = new Map<string, string>();
  /** workspace id → its people in the order they joined, for users.list (kept by reset) */
  readonly members = new Map<string, Set<string>>();
  /** Slack's rate limits (rate-limits.ts), when the `rateLimits` option turned them on. */
  readonly rateLimiter: RateLimiter | undefined;
  /** canvas id → a canvas made with canvases.create, with its markdown as last written */
  readonly canvases = new Map<string, LocalCanvas>();
  /** The error every canvas call answers while the workspace does not allow canvases (refuseCanvases). */
  canvasRefusal: string | undefined;
  /**
   * user id → their account, where it is not an ordinary member of the calling workspace: another
   * workspace's (`teamId`) or a bot's, for users.info (kept by reset)
   */
  readonly accounts = new Map<string, { teamId?: string; bot?: boolean }>();
  /** user id → their role in their workspace or its org, for users.info (kept by reset) */
  readonly adminRoles = new Map<string, AdminRole>();
  /** file id → a file a person shared, for files.info and its download URLs (kept by reset) */
  readonly sharedFiles = new Map<string, SharedFile>();

  readonly workspaces: LocalWorkspace[];
  readonly orgs: LocalOrg[];
  readonly oauthApp: LocalOAuthApp | undefined;
  tokenLifetimeSeconds: number | undefined;
  readonly now: () => number;
  /** workspace or org id → the app's installation there */
  readonly installs = new Map<string, InstallationRecord>();
  /** token → what it is; tokens stay here after they stop working, so a refusal can say why */
  readonly tokens = new Map<string, TokenRecord>();
  /** authorization code → what approving granted; deleted when exchanged */
  readonly codes = new Map<string, CodeRecord>();
  /** Web API method → calls held until `count` of them have arrived (see `LocalSlack.holdCalls`). */
  readonly holds = new Map<string, { count: number; waiting: (() => void)[] }>();

  constructor(
    opts: LocalSlackOptions,
    /** Tells the server's listeners (waitFor…, the sandbox's workspaces). */
    readonly emit: (event: SlackEvent, value: unknown) => void,
  ) {
    this.team = { id: opts.team?.id ?? LOCAL_TEAM.id, domain: opts.team?.domain ?? LOCAL_TEAM.domain };
    this.bot = {
      userId: opts.bot?.userId ?? LOCAL_BOT.userId,
      botId: opts.bot?.botId ?? LOCAL_BOT.botId,
      token: opts.bot?.token ?? LOCAL_BOT.token,
    };
    this.appToken = opts.appToken ?? LOCAL_APP_TOKEN;
    this.responseUrlUses = opts.responseUrlUses ?? 5;
    this.now = opts.now ?? Date.now;
    this.rateLimiter = opts.rateLimits === true ? new RateLimiter(() => this.now()) : undefined;
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
  }

  setTokenLifetime(seconds: number | undefined): void {
    if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0)) {
      throw new Error(`local Slack: a token lifetime is a positive number of seconds, not ${seconds}`);
    }
    this.tokenLifetimeSeconds = seconds;
  }

  /**
   * Resolves when this call of `method` may be answered: at once, unless calls of it are held; then
   * when the last of the held calls has arrived, all of them in the order they came.
   */
  passHold(method: string): Promise<void> | undefined {
    const hold = this.holds.get(method);
    if (hold === undefined) return undefined;
    return new Promise((resolve) => {
      hold.waiting.push(resolve);
      if (hold.waiting.length >= hold.count) this.releaseHold(method);
    });
  }

  /** Lets every call held for `method` through, in the order they came. */
  releaseHold(method: string): void {
    const hold = this.holds.get(method);
    this.holds.delete(method);
    for (const resolve of hold?.waiting ?? []) resolve();
  }

  /** Where a workspace or org id points, or undefined when it names neither. */
  placeOf(target: string): InstallPlace | undefined {
    const workspace = this.workspaces.find((w) => w.id === target);
    if (workspace !== undefined) {
      const org = this.orgs.find((o) => o.id === workspace.enterpriseId);
      return { kind: 'workspace', workspace, org };
    }
    const org = this.orgs.find((o) => o.id === target);
    return org === undefined ? undefined : { kind: 'org', org };
  }

  /**
   * The workspace a call made in: the installation's workspace; for an org-wide install, the
   * `team_id` argument, else the org's first workspace, else the org itself.
   */
  workspaceOf(actor: Actor, args: Record<string, unknown>): string {
    const { place } = actor.installation;
    if (place.kind === 'workspace') return place.workspace.id;
    return (
      str(args.team_id) ?? this.workspaces.find((w) => w.enterpriseId === place.org.id)?.id ?? place.org.id
    );
  }
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
