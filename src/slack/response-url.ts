/**
 * Posting to a response_url directly, for the cases Bolt's `respond` does not cover or does not
 * explain: after a modal closes, and when sharing, where the person must be told why a post failed.
 */

export class ResponseUrlError extends Error {
  constructor(
    /** Slack's own word for it when it gave one (`expired_url`, `channel_is_archived`…), else `HTTP <status>`. */
    readonly reason: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(`Slack refused the post to the response_url: ${reason}`, options);
  }
}

export async function postToResponseUrl(url: string, message: object): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new ResponseUrlError('could_not_reach_slack', 0, { cause: error });
  }
  const text = await response.text();
  const reason = reasonOf(text);
  if (!response.ok || reason !== undefined) {
    throw new ResponseUrlError(reason ?? `HTTP ${response.status}`, response.status);
  }
}

/** Slack answers a failed post with `{"ok":false,"error":"…"}` or a bare word such as `expired_url`. */
function reasonOf(body: string): string | undefined {
  const trimmed = body.trim();
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (parsed && typeof parsed === 'object' && 'ok' in parsed && parsed.ok === false) {
      const error = 'error' in parsed ? parsed.error : undefined;
      return typeof error === 'string' ? error.slice(0, 80) : 'unknown_error';
    }
    return undefined;
  } catch {
    return /^[a-z_]{3,60}$/.test(trimmed) && trimmed !== 'ok' ? trimmed : undefined;
  }
}
