import type { Actor, SlackState } from './state.js';

/**
 * What a Web API method of the local Slack is given and answers, and the answers Slack gives for
 * arguments that are missing or wrong. Each family of methods (chat.ts, views.ts, …) exports a table
 * of `Method`s; router.ts puts them together.
 */

export type ApiResult =
  | { ok: true; [key: string]: unknown }
  | { ok: false; error: string; [key: string]: unknown };

/** A call the router has accepted: its arguments (without `token`), and the installation it acts for. */
export type MethodCall = {
  method: string;
  args: Record<string, unknown>;
  actor: Actor;
  /** The token it came with, which auth.revoke revokes. */
  token: string;
};

/** The answer, and the Block Kit problems found in what the call sent (recorded with the call). */
export type MethodAnswer = { result: ApiResult; problems?: string[] };

export type Method = (state: SlackState, call: MethodCall) => MethodAnswer;

/** A conversation id: a public/private channel, a DM or a group DM (`C…`, `G…`, `D…`). */
export const CONVERSATION_ID = /^[CDG][A-Z0-9]+$/;
export const USER_ID = /^[UW][A-Z0-9]+$/;

export { str } from './args.js';

/** Slack's answer for a missing argument. */
export function missing(field: string): ApiResult {
  return {
    ok: false,
    error: 'invalid_arguments',
    response_metadata: { messages: [`[ERROR] missing required field: ${field}`] },
  };
}

/** Slack's answer for arguments that are there but wrong. */
export function invalidArguments(message: string): ApiResult {
  return { ok: false, error: 'invalid_arguments', response_metadata: { messages: [`[ERROR] ${message}`] } };
}

/** Slack's answer for blocks it rejects: the problems in `errors` and in `response_metadata.messages`. */
export function invalidBlocks(problems: string[]): ApiResult {
  return {
    ok: false,
    error: 'invalid_blocks',
    errors: problems,
    response_metadata: { messages: problems.map((problem) => `[ERROR] ${problem}`) },
  };
}
