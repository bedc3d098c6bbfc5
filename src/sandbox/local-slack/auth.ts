import type { Actor, SlackState } from './state.js';
import type { ApiResult, Method } from './web-api.js';

/**
 * Tokens and scopes: which installation a token acts for (or why Slack refuses it), auth.test,
 * auth.revoke, the app-level token of Socket Mode (apps.connections.open), and the `missing_scope`
 * answer of methods that need a scope.
 */

/** The bot user's name, as auth.test answers it. */
export const BOT_NAME = 'competency-bot';

/**
 * The installation a bot token acts for, or why the token is refused: `invalid_auth` for a token
 * this local Slack never issued (or a refresh token), `token_revoked` after an uninstall or
 * auth.revoke, `token_expired` for a rotating token past its lifetime.
 */
export function authenticate(state: SlackState, token: string): Actor | { error: string } {
  const record = state.tokens.get(token);
  if (record === undefined || record.kind !== 'access') return { error: 'invalid_auth' };
  if (record.state !== 'live') return { error: 'token_revoked' };
  if (record.expiresAt !== undefined && state.now() >= record.expiresAt) return { error: 'token_expired' };
  const installation = state.installs.get(record.target);
  if (installation === undefined) return { error: 'invalid_auth' };
  return {
    installation,
    recordedTeam: record.original ? undefined : record.target,
    expiresAt: record.expiresAt,
  };
}

function authTest(state: SlackState, actor: Actor): ApiResult {
  const { place, botUserId, botId } = actor.installation;
  const expiry =
    actor.expiresAt === undefined
      ? {}
      : { expires_in: Math.max(0, Math.floor((actor.expiresAt - state.now()) / 1000)) };
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
function authRevoke(state: SlackState, token: string, args: Record<string, unknown>): ApiResult {
  const test = args.test === true || args.test === 'true' || args.test === '1';
  const record = state.tokens.get(token);
  if (!test && record !== undefined) record.state = 'revoked';
  return { ok: true, revoked: !test };
}

/** Socket Mode: the WebSocket URL to connect to, for the app-level token only. */
export function connectionsOpen(state: SlackState, token: string): ApiResult {
  if (state.tokens.has(token)) return { ok: false, error: 'not_allowed_token_type' };
  if (token !== state.appToken) return { ok: false, error: 'invalid_auth' };
  if (state.socketModeUrl === undefined) return { ok: false, error: 'socket_mode_not_enabled' };
  return { ok: true, url: state.socketModeUrl };
}

/**
 * Slack's answer when an installation made through OAuth lacks every one of these scopes; undefined
 * when it has one, or for the default workspace's original token (which predates scopes here).
 */
export function missingScope(actor: Actor, anyOf: readonly string[]): ApiResult | undefined {
  const granted = actor.installation.scopes;
  if (granted.length === 0 || anyOf.some((scope) => granted.includes(scope))) return undefined;
  return { ok: false, error: 'missing_scope', needed: anyOf.join(','), provided: granted.join(',') };
}

export const authMethods: Record<string, Method> = {
  'auth.test': (state, { actor }) => ({ result: authTest(state, actor) }),
  'auth.revoke': (state, { token, args }) => ({ result: authRevoke(state, token, args) }),
};
