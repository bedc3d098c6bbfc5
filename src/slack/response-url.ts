import http from 'node:http';
import https from 'node:https';
import type { webApi } from '@slack/bolt';

/**
 * Posting to Slack on kept-alive connections: to a response_url directly (`postToResponseUrl`, for the
 * cases Bolt's `respond` does not cover or does not explain: after a modal closes, and when sharing,
 * where the person must be told why a post failed), and as the `fetch` Bolt is given
 * (`keptAliveFetch`), through which Bolt's `respond` and every Web API call of the app go.
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
  let response: PostResponse;
  try {
    response = await post(url, JSON.stringify(message), { 'content-type': 'application/json' });
  } catch (error) {
    throw new ResponseUrlError('could_not_reach_slack', 0, { cause: error });
  }
  const reason = reasonOf(response.body.toString('utf8'));
  if (response.status < 200 || response.status > 299 || reason !== undefined) {
    throw new ResponseUrlError(reason ?? `HTTP ${response.status}`, response.status);
  }
}

/** How long a post of the app's own to a response_url may wait without a byte from Slack before it fails. */
const POST_TIMEOUT_MS = 10_000;

/**
 * The same for what goes through `keptAliveFetch`: as long as Node's fetch waits (undici's 300 s), which
 * the Web API client's retries were made for. A shorter wait would make it post again what Slack may
 * have taken already (a reminder sent twice).
 */
const FETCH_TIMEOUT_MS = 300_000;

/**
 * One connection pool per protocol, kept open between posts. Node's `fetch` (undici) costs several
 * times the CPU of `http.request` for a post this small (measured in a loop: about 330–460 µs per post
 * against 75–120 µs), which was most of what a burst of clicks cost beyond storing them, and a third of
 * what a check-in reminder cost (docs/performance.md).
 */
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

type PostResponse = { status: number; statusText: string; headers: http.IncomingHttpHeaders; body: Buffer };

/**
 * A POST on a kept-alive connection; resolves with the whole answer. A connection the server closed
 * while it waited in the pool fails at once with ECONNRESET: that post is sent again, once, on a new
 * connection (nothing of it reached the server).
 */
function post(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>,
  signal?: AbortSignal,
  timeoutMs = POST_TIMEOUT_MS,
  retried = false,
): Promise<PostResponse> {
  // Encoded once: measuring a string and then writing it would encode it twice (an answer of 3–6 kB
  // with a "·" in it is two-byte text to V8).
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
    if (!client) {
      reject(new Error(`not an http(s) URL: ${target.protocol}`));
      return;
    }
    const request = client.request(
      target,
      {
        method: 'POST',
        agent: agents[target.protocol as 'http:' | 'https:'],
        headers: { ...headers, 'content-length': String(bytes.length) },
        timeout: timeoutMs,
        ...(signal ? { signal } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? '',
            headers: response.headers,
            body: chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (!retried && request.reusedSocket && error.code === 'ECONNRESET') {
        post(url, bytes, headers, signal, timeoutMs, true).then(resolve, reject);
      } else reject(error);
    });
    request.end(bytes);
  });
}

/**
 * The `fetch` Bolt is given (`clientOptions.fetch`), which every Web API client Bolt makes and Bolt's
 * `respond` use: every POST of a string (a Web API call, form-encoded; a response_url post, JSON) goes
 * through `post` above; anything else (a file upload, whose body is a form with binary parts) goes to
 * `fallback`, Node's fetch. Only what the Web API client and Bolt read of an answer (`ok`, `status`,
 * the headers, and the body as text, JSON or bytes) is given back. No redirect is followed, as the
 * Web API client asks (`redirect: 'error'`): a 3xx comes back as what it is, which the client counts
 * as a failed call.
 */
export function keptAliveFetch(fallback: webApi.FetchFunction = globalThis.fetch): webApi.FetchFunction {
  return async (url, init) => {
    if (init?.method !== 'POST' || typeof init.body !== 'string') return fallback(url, init);
    const href = String(url);
    const answer = await post(href, init.body, init.headers ?? {}, init.signal, FETCH_TIMEOUT_MS);
    const header = (value: string | string[] | undefined) =>
      value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : value;
    const headers: Awaited<ReturnType<webApi.FetchFunction>>['headers'] = {
      get: (name) => header(answer.headers[name.toLowerCase()]) ?? null,
      entries: () =>
        Object.entries(answer.headers).flatMap(([name, value]) => {
          const joined = header(value);
          return joined === undefined ? [] : [[name, joined] as [string, string]];
        }),
    };
    return {
      ok: answer.status >= 200 && answer.status <= 299,
      status: answer.status,
      statusText: answer.statusText,
      url: href,
      headers,
      text: async () => answer.body.toString('utf8'),
      json: async () => JSON.parse(answer.body.toString('utf8')) as unknown,
      arrayBuffer: async () =>
        answer.body.buffer.slice(
          answer.body.byteOffset,
          answer.body.byteOffset + answer.body.byteLength,
        ) as ArrayBuffer,
    };
  };
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
