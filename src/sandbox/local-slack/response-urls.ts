import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateMessage } from '../block-kit.js';
import { isRecord, newTs } from '../defaults.js';
import { mediaType, readBody, sendJson, sendText } from './http.js';
import type { SlackState } from './state.js';
import type { ResponsePost } from './types.js';

/**
 * The response_url sink (`POST /response/<id>`): each URL handed out takes a few posts (Slack allows
 * 5), every message posted to it is checked against Slack's Block Kit limits, and on a message the
 * app posted, `replace_original` edits it (same ts) and `delete_original` deletes it.
 */

/** A new, unique response_url (see `LocalSlack.newResponseUrl`). */
export function newResponseUrl(state: SlackState, message?: { channel: string; ts: string }): string {
  const id = randomBytes(12).toString('hex');
  state.responseUrls.set(id, 0);
  if (message !== undefined) state.responseUrlMessages.set(id, `${message.channel}/${message.ts}`);
  return `${state.url}/response/${id}`;
}

/** Makes one response_url fail (see `LocalSlack.failResponseUrl`). */
export function failResponseUrl(
  state: SlackState,
  url: string,
  failure: { status: number; body?: string; times?: number },
): void {
  state.failingResponseUrls.set(responseIdOf(url), failure);
}

export async function handleResponse(
  state: SlackState,
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
): Promise<void> {
  const text = await readBody(req);
  const url = `${state.url}/response/${id}`;
  const failure = state.failingResponseUrls.get(id);
  const uses = state.responseUrls.get(id);

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
    state.responses.push(post);
    state.emit('response', post);
  };

  if (failure !== undefined) {
    if (failure.times !== undefined && --failure.times <= 0) state.failingResponseUrls.delete(id);
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
  if (uses >= state.responseUrlUses) {
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
  state.responseUrls.set(id, uses + 1);
  // On a message the app posted, replace_original edits it (same ts) and delete_original deletes it.
  const original = state.responseUrlMessages.get(id);
  const stored = original === undefined ? undefined : state.messages.get(original);
  if (original !== undefined && stored !== undefined) {
    if (body.delete_original === true) state.messages.delete(original);
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
