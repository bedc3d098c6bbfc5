import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord, ownLoopbackHost } from '../defaults.js';
import { authenticate, authMethods, connectionsOpen } from './auth.js';
import { handleAuthorize } from './authorize-page.js';
import { canvasesMethods } from './canvases.js';
import { chatMethods } from './chat.js';
import { conversationsMethods } from './conversations.js';
import { filesMethods, handleUpload } from './files.js';
import { mediaType, parseForm, readBody, sendJson, sendText } from './http.js';
import { oauthAccess } from './oauth.js';
import { permalinkMethods } from './permalinks.js';
import { handleResponse } from './response-urls.js';
import { handleFileDownload, isFilePath, sharedFilesMethods } from './shared-files.js';
import type { SlackState } from './state.js';
import type { ApiCall } from './types.js';
import { usergroupsMethods } from './usergroups.js';
import { usersMethods } from './users.js';
import { viewsMethods } from './views.js';
import { type ApiResult, type Method, type MethodAnswer, str } from './web-api.js';

/**
 * Where each request to the local Slack goes: the Web API (`POST /api/<method>`, by method family),
 * the response_url sink (`POST /response/<id>`), the upload URLs (`POST /upload/<file id>`), the
 * URLs of files people shared (`GET /files-pri/…`) and the OAuth authorize page (`/oauth/v2/authorize…`). The Web API part reads the arguments (query, form or
 * JSON) and the token, applies failures set up by tests, authenticates, applies Slack's rate limits
 * when they are on (rate-limits.ts), calls the method and records the call; oauth.v2.access (client id and secret) and apps.connections.open (the app-level token) take
 * no bot token.
 */

/** Every Web API method the local Slack knows, by name; any other is `unknown_method`. */
const METHODS = new Map<string, Method>(
  Object.entries({
    ...authMethods,
    ...chatMethods,
    ...viewsMethods,
    ...conversationsMethods,
    ...usergroupsMethods,
    ...usersMethods,
    ...filesMethods,
    ...sharedFilesMethods,
    ...permalinkMethods,
    ...canvasesMethods,
  }),
);

export async function handleRequest(
  state: SlackState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
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
    await handleAuthorize(state, req, res, path);
    return;
  }
  if (req.headers.origin !== undefined) {
    sendText(res, 403, 'not_allowed_from_a_web_page');
    return;
  }
  if (path.startsWith('/api/')) {
    await handleApi(state, req, res, decodeURIComponent(path.slice('/api/'.length)));
    return;
  }
  if (path.startsWith('/response/') && req.method === 'POST') {
    await handleResponse(state, req, res, path.slice('/response/'.length));
    return;
  }
  if (path.startsWith('/upload/') && req.method === 'POST') {
    await handleUpload(state, req, res, decodeURIComponent(path.slice('/upload/'.length)));
    return;
  }
  if (path.startsWith('/archives/') && req.method === 'GET') {
    // A permalink (permalinks.ts): in Slack it opens the message; here, a line that says which.
    sendText(res, 200, `A link to the message ${path.slice('/archives/'.length)} of the local Slack.`);
    return;
  }
  if (isFilePath(path) && (req.method === 'GET' || req.method === 'HEAD')) {
    handleFileDownload(state, req, res, path);
    return;
  }
  sendText(res, 404, 'not_found');
}

async function handleApi(
  state: SlackState,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
): Promise<void> {
  const text = await readBody(req);
  const contentType = mediaType(req);
  let args: Record<string, unknown> = parseForm(new URL(req.url ?? '/', 'http://127.0.0.1').search.slice(1));
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

  // Held calls (holdCalls) wait here, before anything is decided, and go on in the order they came.
  await state.passHold(method);

  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const token = bearer ?? str(args.token);
  const { token: _ignored, ...argsWithoutToken } = args;

  const httpFailure = state.pendingHttpFailures.get(method)?.shift();
  if (httpFailure !== undefined) {
    const { token: _t, ...recorded } = args;
    const call: ApiCall = { method, args: recorded, token, ok: false, error: `http_${httpFailure.status}` };
    state.calls.push(call);
    state.emit('api', call);
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
    const failure = state.pendingFailures.get(method)?.shift();
    if (failure !== undefined) result = { ok: false, error: failure };
    // oauth.v2.access takes the app's client id and secret instead of a token.
    else if (method === 'oauth.v2.access') {
      const answer = oauthAccess(state, argsWithoutToken, req.headers.authorization);
      result = answer.result;
      team = answer.team;
    } else if (token === undefined) result = { ok: false, error: 'not_authed' };
    else if (method === 'apps.connections.open') result = connectionsOpen(state, token);
    // Slack refuses the app-level token for every other method.
    else if (token === state.appToken) result = { ok: false, error: 'not_allowed_token_type' };
    else {
      const actor = authenticate(state, token);
      if ('error' in actor) result = { ok: false, error: actor.error };
      else {
        team = actor.recordedTeam;
        // Past Slack's rate limit (when enforced): HTTP 429 with Retry-After, and nothing done.
        const retryAfter = state.rateLimiter?.take(method, state.workspaceOf(actor, argsWithoutToken), args);
        if (retryAfter !== undefined) {
          const call: ApiCall = { method, args: recordedArgs, token, ok: false, error: 'ratelimited' };
          if (team !== undefined) call.team = team;
          state.calls.push(call);
          state.emit('api', call);
          res.writeHead(429, {
            'content-type': 'application/json; charset=utf-8',
            'retry-after': String(retryAfter),
          });
          res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
          return;
        }
        const handler = METHODS.get(method);
        const answer: MethodAnswer = handler
          ? handler(state, { method, args: argsWithoutToken, actor, token })
          : { result: { ok: false, error: 'unknown_method' } };
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
  state.calls.push(call);
  state.emit('api', call);
  // Slack answers 200 even for errors; web-api treats anything else as an HTTP failure.
  sendJson(res, 200, result);
}
