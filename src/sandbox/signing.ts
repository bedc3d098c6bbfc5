import { createHmac } from 'node:crypto';
import {
  LOCAL_APP_ID,
  LOCAL_CHANNEL,
  LOCAL_TEAM,
  LOCAL_USER,
  LOCAL_VERIFICATION_TOKEN,
  newTriggerId,
} from './defaults.js';

/**
 * Requests signed and sent the way Slack sends them to an app's request URL: slash commands (with
 * the form body Slack sends), interactivity payloads (interaction-payloads.ts builds them) and Events
 * API envelopes (event-envelopes.ts).
 */

/** `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`, keyed with the signing secret. */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export type SendOptions = {
  /** Seconds since the epoch; defaults to now. Set it in the past to test stale requests. */
  timestamp?: number;
  /** Sent instead of the correct signature, to test a wrong one. */
  signature?: string;
  /** Sent as `x-slack-retry-num` / `x-slack-retry-reason`, as Slack does when it retries an event. */
  retryNum?: number;
  retryReason?: string;
  /** Gives up after this long; 15 seconds unless told. */
  timeoutMs?: number;
};

export type SlackHttpResponse = { status: number; text: string; json: unknown | undefined };

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/**
 * Signs `rawBody` and POSTs it. The body is sent as the exact string that was signed, with exactly
 * the given content-type (Bolt compares `application/x-www-form-urlencoded` with `===`, so a
 * `; charset=…` suffix would make it parse the form as JSON and fail).
 */
export async function sendSigned(
  url: string,
  signingSecret: string,
  rawBody: string,
  contentType: string,
  opts: SendOptions = {},
): Promise<SlackHttpResponse> {
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': opts.signature ?? slackSignature(signingSecret, timestamp, rawBody),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (opts.retryNum !== undefined) headers['x-slack-retry-num'] = String(opts.retryNum);
  if (opts.retryReason !== undefined) headers['x-slack-retry-reason'] = opts.retryReason;
  const response = await fetch(url, {
    method: 'POST',
    headers,
    body: rawBody,
    signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
  });
  const text = await response.text();
  let json: unknown;
  if (text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: response.status, text, json };
}

export type SlashCommandFields = {
  command: string;
  text: string;
  token?: string;
  user_id?: string;
  user_name?: string;
  team_id?: string;
  team_domain?: string;
  channel_id?: string;
  channel_name?: string;
  /**
   * Where the app's `respond()` goes. Pass `localSlack.newResponseUrl()`; the default points at a
   * closed local port, so a forgotten response_url fails fast instead of reaching the internet.
   */
  response_url?: string;
  trigger_id?: string;
  api_app_id?: string;
  /** The Enterprise Grid org of the workspace (Slack sends it, and `enterprise_name`, only then). */
  enterprise_id?: string;
  enterprise_name?: string;
  /** True when the app is installed org-wide in that org. */
  is_enterprise_install?: boolean;
};

/** A response_url that nothing listens on: the default when a test does not give one. */
const UNSET_RESPONSE_URL = 'http://127.0.0.1:9/response/unset';

/**
 * The form body of a slash command, fields in the order Slack sends them. Spaces become `+`, as in
 * Slack's own bodies.
 */
export function slashCommandBody(fields: SlashCommandFields): string {
  const form = new URLSearchParams();
  form.set('token', fields.token ?? LOCAL_VERIFICATION_TOKEN);
  form.set('team_id', fields.team_id ?? LOCAL_TEAM.id);
  form.set('team_domain', fields.team_domain ?? LOCAL_TEAM.domain);
  if (fields.enterprise_id !== undefined) form.set('enterprise_id', fields.enterprise_id);
  if (fields.enterprise_name !== undefined) form.set('enterprise_name', fields.enterprise_name);
  form.set('channel_id', fields.channel_id ?? LOCAL_CHANNEL.id);
  form.set('channel_name', fields.channel_name ?? LOCAL_CHANNEL.name);
  form.set('user_id', fields.user_id ?? LOCAL_USER.id);
  form.set('user_name', fields.user_name ?? LOCAL_USER.username);
  form.set('command', fields.command);
  form.set('text', fields.text);
  form.set('api_app_id', fields.api_app_id ?? LOCAL_APP_ID);
  form.set('is_enterprise_install', String(fields.is_enterprise_install ?? false));
  form.set('response_url', fields.response_url ?? UNSET_RESPONSE_URL);
  form.set('trigger_id', fields.trigger_id ?? newTriggerId());
  return form.toString();
}

export async function sendSlashCommand(
  eventsUrl: string,
  signingSecret: string,
  fields: SlashCommandFields,
  opts?: SendOptions,
): Promise<SlackHttpResponse> {
  return sendSigned(eventsUrl, signingSecret, slashCommandBody(fields), FORM, opts);
}

/** An interactivity payload (block_actions, view_submission, …): form body `payload=<urlencoded JSON>`. */
export async function sendInteraction(
  eventsUrl: string,
  signingSecret: string,
  payload: object,
  opts?: SendOptions,
): Promise<SlackHttpResponse> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return sendSigned(eventsUrl, signingSecret, body, FORM, opts);
}

/** An Events API envelope (`type: 'event_callback'`), sent as JSON. */
export async function sendEvent(
  eventsUrl: string,
  signingSecret: string,
  envelope: object,
  opts?: SendOptions,
): Promise<SlackHttpResponse> {
  return sendSigned(eventsUrl, signingSecret, JSON.stringify(envelope), JSON_TYPE, opts);
}
