import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../../util/html.js';
import { LOCAL_USER } from '../defaults.js';
import { BOT_NAME } from './auth.js';
import { readBody, redirect, sendHtml, sendText } from './http.js';
import { CODE_LIFETIME_MS, isHttpUrl, newCode, parseScopes, withQuery } from './oauth.js';
import type { SlackState } from './state.js';

/**
 * Slack's authorize page, where a person chooses where to install the app: `GET /oauth/v2/authorize`
 * lists every workspace and org, each with an "Install into" button, and Cancel.
 */

type AuthorizeRequest = {
  scopes: string[];
  state: string | undefined;
  /** The redirect_uri parameter, when there was one. */
  redirectUri: string | undefined;
  /** Where the browser goes back to: `redirectUri` or the configured default. */
  redirectTo: string;
};

/**
 * `GET /oauth/v2/authorize` shows the page; its buttons POST to `/oauth/v2/authorize/approve` (with
 * `target`) or `/oauth/v2/authorize/cancel`, every parameter in the query string, and get a 302 back
 * to the redirect URI with `code` and `state`, or with `error=access_denied` and `state`.
 */
export async function handleAuthorize(
  state: SlackState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
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

  const request = authorizeRequest(state, params);
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
    sendHtml(res, 200, `Install ${appName(state)} — local Slack`, authorizePage(state, request, params));
    return;
  }
  if (action === 'cancel') {
    redirect(res, withQuery(request.redirectTo, { error: 'access_denied', state: request.state }));
    return;
  }
  const target = params.get('target') ?? '';
  if (state.placeOf(target) === undefined) {
    sendHtml(
      res,
      400,
      'Cannot install — local Slack',
      `<h1>Unknown workspace or org</h1>\n<p>${escapeHtml(target || 'No target')} is neither a workspace nor an org of this local Slack.</p>`,
    );
    return;
  }
  const code = newCode(state, {
    target,
    scopes: request.scopes,
    redirectUri: request.redirectUri,
    userId: LOCAL_USER.id,
    expiresAt: state.now() + CODE_LIFETIME_MS,
  });
  redirect(res, withQuery(request.redirectTo, { code, state: request.state }));
}

/** Checks the parameters of an authorize request; a problem is said in words for the error page. */
function authorizeRequest(
  state: SlackState,
  params: URLSearchParams,
): AuthorizeRequest | { problem: string } {
  const app = state.oauthApp;
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

function authorizePage(state: SlackState, request: AuthorizeRequest, params: URLSearchParams): string {
  const actionUrl = (path: string, target?: string) => {
    const query = new URLSearchParams(params);
    query.delete('target');
    if (target !== undefined) query.set('target', target);
    return escapeHtml(`${path}?${query.toString()}`);
  };
  const button = (target: string, label: string, detail: string) =>
    `<li><form method="post" action="${actionUrl('/oauth/v2/authorize/approve', target)}">` +
    `<button type="submit">Install into ${escapeHtml(label)}</button> <small>${escapeHtml(detail)}</small></form></li>`;
  const workspaces = state.workspaces.map((w) => {
    const org = state.orgs.find((o) => o.id === w.enterpriseId);
    const detail = `${w.domain}.slack.com · ${w.id}${org !== undefined ? ` · in ${org.name}` : ''}`;
    return button(w.id, w.name, detail);
  });
  const orgs = state.orgs.map((o) =>
    button(o.id, o.name, `org-wide, every workspace of the org · ${o.domain}.enterprise.slack.com · ${o.id}`),
  );
  const app = escapeHtml(appName(state));
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

function appName(state: SlackState): string {
  return state.oauthApp?.appName ?? BOT_NAME;
}
