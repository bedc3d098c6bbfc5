import { validateMessage, validateOptionsResponse, validateView } from '../../src/sandbox/block-kit.js';

/**
 * Assertions over the sandbox's Block Kit validator (src/sandbox/block-kit.ts): each throws an Error
 * listing every problem Slack would refuse the payload for.
 */

function assertNoProblems(kind: string, problems: string[]): void {
  if (problems.length > 0) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    throw new Error(`Invalid Block Kit ${kind} (${count}):\n- ${problems.join('\n- ')}`);
  }
}

export function assertValidMessage(payload: unknown): void {
  assertNoProblems('message', validateMessage(payload));
}

export function assertValidView(view: unknown): void {
  assertNoProblems('view', validateView(view));
}

export function assertValidOptionsResponse(body: unknown): void {
  assertNoProblems('options response', validateOptionsResponse(body));
}
