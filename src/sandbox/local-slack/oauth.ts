import { randomBytes } from 'node:crypto';
import { LOCAL_APP_ID, LOCAL_USER, slackId } from '../defaults.js';
import type { CodeRecord, InstallationRecord, SlackState } from './state.js';
import type { ApproveOptions, LocalInstallation } from './types.js';
import { type ApiResult, str } from './web-api.js';

/**
 * OAuth, as @slack/oauth's InstallProvider uses it: authorization codes (issued by the authorize page,
 * authorize-page.ts, or by `approve` / `issueCode` for tests that do not click through it), the
 * oauth.v2.access exchange of a code or a refresh token for tokens, installations into workspaces and
 * orgs, token rotation, and uninstalling.
 */

/** How long an authorization code can be exchanged with oauth.v2.access: 10 minutes, as on Slack. */
export const CODE_LIFETIME_MS = 10 * 60 * 1000;
/** The lifetime of tokens from a refresh while token rotation is set off: Slack's 12 hours. */
const DEFAULT_TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;
/** The bot scopes `approve` and `issueCode` grant unless told otherwise. */
const DEFAULT_SCOPES = ['commands', 'chat:write'];

/** Scopes as Slack takes them: comma separated (spaces are tolerated), or a list. */
export function parseScopes(value: string | string[] | undefined | null): string[] {
  const parts = Array.isArray(value) ? value : (value ?? '').split(/[\s,]+/);
  return [...new Set(parts.map((scope) => scope.trim()).filter((scope) => scope.length > 0))];
}

export function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** `url` with these query parameters added (those left undefined are left out). */
export function withQuery(url: string, params: Record<string, string | undefined>): string {
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

/** A one-time authorization code (see `LocalSlack.issueCode`). */
export function issueCode(state: SlackState, opts: ApproveOptions): string {
  if (state.oauthApp === undefined) {
    throw new Error('local Slack: issuing a code needs the oauth option (client id and secret)');
  }
  if (state.placeOf(opts.target) === undefined) {
    throw new Error(`local Slack: ${opts.target} is neither a workspace nor an org of this local Slack`);
  }
  if (opts.redirectUri !== undefined && !isHttpUrl(opts.redirectUri)) {
    throw new Error(`local Slack: the redirect URI ${opts.redirectUri} is not an http(s) URL`);
  }
  const scopes = opts.scopes === undefined ? DEFAULT_SCOPES : parseScopes(opts.scopes);
  return newCode(state, {
    target: opts.target,
    scopes,
    redirectUri: opts.redirectUri,
    userId: opts.userId ?? LOCAL_USER.id,
    expiresAt: state.now() + CODE_LIFETIME_MS,
  });
}

/** The redirect with a fresh code (see `LocalSlack.approve`). */
export function approve(state: SlackState, opts: ApproveOptions): string {
  const redirectTo = opts.redirectUri ?? state.oauthApp?.redirectUri;
  if (redirectTo === undefined) {
    throw new Error(
      'local Slack: approve needs a redirectUri, or the oauth option with a default redirectUri',
    );
  }
  const code = issueCode(state, opts);
  return withQuery(redirectTo, { code, state: opts.state });
}

export function installation(state: SlackState, target: string): LocalInstallation | undefined {
  const record = state.installs.get(target);
  return record && snapshot(record);
}

/** Revokes every token of an installation, and its unused codes (see `LocalSlack.uninstall`). */
export function uninstall(state: SlackState, target: string): LocalInstallation {
  const record = state.installs.get(target);
  if (record === undefined) throw new Error(`local Slack: the app was never installed in ${target}`);
  record.installed = false;
  for (const token of state.tokens.values()) {
    if (token.target === target && token.state === 'live') token.state = 'revoked';
  }
  for (const [code, grant] of state.codes) {
    if (grant.target === target) state.codes.delete(code);
  }
  return snapshot(record);
}

/**
 * oauth.v2.access: the client id and secret (form fields or HTTP Basic), then either a `code` from
 * the authorize page (grant_type `authorization_code`, the default) or a `refresh_token`.
 */
export function oauthAccess(
  state: SlackState,
  args: Record<string, unknown>,
  authorization: string | undefined,
): { result: ApiResult; team?: string } {
  const app = state.oauthApp;
  const basic = basicCredentials(authorization);
  const clientId = basic?.id ?? str(args.client_id);
  const clientSecret = basic?.secret ?? str(args.client_secret);
  if (app === undefined || clientId !== app.clientId)
    return { result: { ok: false, error: 'invalid_client_id' } };
  if (clientSecret !== app.clientSecret) return { result: { ok: false, error: 'bad_client_secret' } };
  const grantType = str(args.grant_type) ?? 'authorization_code';
  if (grantType === 'refresh_token') return refreshGrant(state, args);
  if (grantType !== 'authorization_code') return { result: { ok: false, error: 'invalid_grant_type' } };

  const code = str(args.code);
  const grant = code === undefined ? undefined : state.codes.get(code);
  if (code === undefined || grant === undefined) return { result: { ok: false, error: 'invalid_code' } };
  if (state.now() >= grant.expiresAt) {
    state.codes.delete(code);
    return { result: { ok: false, error: 'invalid_code' } };
  }
  if (grant.redirectUri !== undefined && str(args.redirect_uri) !== grant.redirectUri) {
    return { result: { ok: false, error: 'bad_redirect_uri' } };
  }
  state.codes.delete(code);
  const installation = install(state, grant);
  const tokens = issueTokens(state, installation.target, state.tokenLifetimeSeconds);
  return {
    result: tokenAnswer(installation, tokens, grant.userId),
    team: installation.target,
  };
}

/** A refresh token, once: new access and refresh tokens; the old access token lives until it expires. */
function refreshGrant(
  state: SlackState,
  args: Record<string, unknown>,
): { result: ApiResult; team?: string } {
  const token = str(args.refresh_token);
  const record = token === undefined ? undefined : state.tokens.get(token);
  const installation = record === undefined ? undefined : state.installs.get(record.target);
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
  const lifetime = state.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  const tokens = issueTokens(state, installation.target, lifetime);
  return { result: tokenAnswer(installation, tokens, undefined), team: installation.target };
}

/** Installs the app where a code says (again, if it was there before: same bot user, more scopes). */
function install(state: SlackState, grant: CodeRecord): InstallationRecord {
  const existing = state.installs.get(grant.target);
  if (existing !== undefined) {
    existing.installed = true;
    existing.installerUserId = grant.userId;
    existing.scopes = [...new Set([...existing.scopes, ...grant.scopes])];
    return existing;
  }
  const place = state.placeOf(grant.target);
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
  state.installs.set(grant.target, record);
  return record;
}

/**
 * A new bot token for an installation; with a lifetime (token rotation on), an expiring
 * `xoxe.xoxb-1-…` token and a `xoxe-1-…` refresh token, as Slack issues them.
 */
function issueTokens(
  state: SlackState,
  target: string,
  lifetimeSeconds: number | undefined,
): { accessToken: string; refreshToken?: string; expiresIn?: number } {
  if (lifetimeSeconds === undefined) {
    const accessToken = `xoxb-${randomDigits(11)}-${randomDigits(13)}-${randomToken(24)}`;
    state.tokens.set(accessToken, {
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
  const expiresAt = state.now() + lifetimeSeconds * 1000;
  state.tokens.set(accessToken, { kind: 'access', target, expiresAt, state: 'live', original: false });
  state.tokens.set(refreshToken, {
    kind: 'refresh',
    target,
    expiresAt: undefined,
    state: 'live',
    original: false,
  });
  return { accessToken, refreshToken, expiresIn: Math.floor(lifetimeSeconds) };
}

/** oauth.v2.access's answer; `authed_user` only for a code (who approved), not for a refresh. */
function tokenAnswer(
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

/** Keeps a grant under a new authorization code, shaped like Slack's. */
export function newCode(state: SlackState, grant: CodeRecord): string {
  const code = `${randomDigits(10)}.${randomDigits(13)}.${randomBytes(32).toString('hex')}`;
  state.codes.set(code, grant);
  return code;
}

/** What `installation` and `uninstall` return: a copy, in the shape of `LocalInstallation`. */
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
