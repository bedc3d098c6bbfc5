import { LocalSlackServer } from './local-slack/server.js';
import type { LocalSlack, LocalSlackOptions } from './local-slack/types.js';

export type {
  ApiCall,
  LocalSlack,
  LocalSlackOptions,
  ResponsePost,
  SlackFileObject,
  UploadedFile,
} from './local-slack/types.js';

/**
 * A local stand-in for Slack's side of an app: the Web API (`POST /api/<method>`), the
 * response_url sink (`POST /response/<id>`) and the file upload URLs that
 * `files.getUploadURLExternal` hands out (`POST /upload/<file id>`), on 127.0.0.1. It records every
 * call, checks every payload with the Block Kit validator, and answers the way Slack does (HTTP 200
 * with `{ ok: false, error }` for Web API errors). It never logs: tokens and response_urls stay out of logs.
 *
 * The parts, in local-slack/: the server and its setup methods (server.ts), the routes (router.ts),
 * what it keeps (state.ts), and one file per family of Web API methods:
 * - auth.ts: auth.test, auth.revoke; which installation a token acts for; `missing_scope`.
 *   Socket Mode: `apps.connections.open` takes only the app-level token (`xapp-…`; any other method
 *   refuses it with `not_allowed_token_type`, as Slack does) and answers with the WebSocket URL given
 *   to `useSocketMode`.
 * - chat.ts, views.ts: messages and views, each checked against Slack's Block Kit limits.
 * - conversations.ts: DMs, and channel members page by page, as Slack does (`limit` 1–1000, 100 by
 *   default; `response_metadata.next_cursor`, empty on the last page), from `setChannelMembers` — the
 *   sandbox's channels have its sample people (the local channel the local user too) unless told otherwise.
 * - usergroups.ts: `usergroups.users.list` and `usergroups.list`, from `setUserGroup`.
 * - rate-limits.ts: with the `rateLimits` option, Slack's rate limits per workspace and method
 *   (chat.postMessage per conversation), one table; past them HTTP 429 with `Retry-After`.
 * - users.ts: `users.list` (the workspace's people page by page, from `addMembers`) and
 *   `users.info` with a person's time zone, from `setUserTimeZone` (UTC unless set), and
 *   their role, from `setAdmin` (`is_admin`, `is_owner`, `is_primary_owner`; `enterprise_user` in a
 *   workspace of an Enterprise Grid org).
 * - files.ts: the three steps of web-api's `files.uploadV2`; only completed uploads appear in `files`.
 * - shared-files.ts: files people share (`addFile`, as a modal's `file_input` gives them): files.info,
 *   and `GET` of their url_private and url_private_download (`/files-pri/<team>-<file id>/…`) with a
 *   bearer token; a missing or wrong token gets Slack's sign-in page with status 200, as from Slack.
 *   Every such request is recorded in `downloads`.
 * - oauth.ts and authorize-page.ts: workspaces, orgs and OAuth. Besides the default workspace (`team`,
 *   where the app is installed from the start with `bot.token`), there can be more workspaces and
 *   Enterprise Grid orgs. With the `oauth` option, the app can be installed into any of them the way
 *   @slack/oauth's InstallProvider does it: the authorize page → a redirect to the app's `redirect_uri`
 *   with a one-time `code` (10 minutes) → `oauth.v2.access` exchanges the code for a bot token of that
 *   installation. Installing into an org makes an org-wide install. With `tokenLifetimeSeconds` (or
 *   setTokenLifetime), token rotation is on: access tokens expire (`token_expired`) and come with a
 *   refresh token that `oauth.v2.access` with `grant_type=refresh_token` exchanges, once, for new ones.
 *   `uninstall` revokes every token of an installation.
 * - canvases.ts: canvases.create / edit / delete / access.set, each canvas kept with its markdown
 *   (`canvases`); `refuseCanvases` makes them answer as a workspace that does not allow canvases.
 * - response-urls.ts: the response_url sink.
 *
 * Every Web API call is checked against the token it carries and acts for that token's installation;
 * `ApiCall.team` records which one. An installation made through OAuth gets `missing_scope` (with
 * `needed` and `provided`) from conversations.members without `channels:read` or `groups:read`, from
 * the usergroups methods without `usergroups:read`, from users.info without `users:read`, and from
 * files.info (and a shared file's URLs answer 403) without `files:read`; the default workspace's
 * original token may call them.
 */

/** Starts the local Slack on 127.0.0.1 (a free port unless `port` is given). */
export async function startLocalSlack(opts: LocalSlackOptions = {}): Promise<LocalSlack> {
  const slack = new LocalSlackServer(opts);
  await slack.listen(opts.port ?? 0);
  return slack;
}
