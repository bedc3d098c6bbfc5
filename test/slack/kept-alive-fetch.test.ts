import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keptAliveFetch, postToResponseUrl, ResponseUrlError } from '../../src/slack/response-url.js';

/**
 * The fetch the app gives Bolt: Web API calls and response_url posts go on kept-alive connections of
 * the app's own, and the Web API client must read their answers as it reads Node fetch's.
 */

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

let server: http.Server;
let base: string;
let seen: Seen[];
let connections: number;
let answer: (req: Seen, res: http.ServerResponse) => void;

beforeEach(async () => {
  seen = [];
  connections = 0;
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(request);
      answer(request, res);
    });
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('keptAliveFetch', () => {
  it("carries a Web API client's calls and gives it Slack's answer, scopes and all, on one connection", async () => {
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-oauth-scopes': 'chat:write, users:read' });
      res.end(JSON.stringify({ ok: true, channel: 'D1', ts: '1.2' }));
    };
    const client = new webApi.WebClient('xoxb-test', {
      slackApiUrl: `${base}/api/`,
      fetch: keptAliveFetch(() => Promise.reject(new Error('the fallback is not for this'))),
    });
    const first = await client.chat.postMessage({
      channel: 'U1',
      text: 'Time for a check-in · 4 ✓',
      blocks: [],
    });
    const second = await client.chat.postMessage({ channel: 'U2', text: 'Time for a check-in' });
    expect(first.ok).toBe(true);
    expect(first.channel).toBe('D1');
    expect(first.response_metadata?.scopes).toEqual(['chat:write', 'users:read']);
    expect(second.ts).toBe('1.2');
    expect(seen.map((s) => [s.method, s.url])).toEqual([
      ['POST', '/api/chat.postMessage'],
      ['POST', '/api/chat.postMessage'],
    ]);
    expect(seen[0]?.headers.authorization).toBe('Bearer xoxb-test');
    // Sent whole, text beyond ASCII included: the length sent is that of the bytes.
    expect(new URLSearchParams(seen[0]?.body).get('text')).toBe('Time for a check-in · 4 ✓');
    expect(connections).toBe(1);
  });

  it('passes on a 429 with its Retry-After, which the client turns into a rate-limited error', async () => {
    answer = (_req, res) => {
      res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
    };
    const client = new webApi.WebClient('xoxb-test', {
      slackApiUrl: `${base}/api/`,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      fetch: keptAliveFetch(),
    });
    await expect(client.users.list({ limit: 200 })).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
  });

  it("gives an answer's bytes as they came (a gzip answer stays binary)", async () => {
    const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x80]);
    answer = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip' });
      res.end(bytes);
    };
    const response = await keptAliveFetch()(`${base}/api/admin.analytics.getFile`, {
      method: 'POST',
      body: 'type=member',
      headers: {},
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/gzip');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
  });

  it('leaves what is not a POST of text (a file upload, a GET) to the fetch it falls back on', async () => {
    const fallen: string[] = [];
    const fetch = keptAliveFetch(async (url) => {
      fallen.push(String(url));
      return new Response('{"ok":true}') as unknown as Awaited<ReturnType<webApi.FetchFunction>>;
    });
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'chart.png');
    await fetch(`${base}/upload`, { method: 'POST', body: form as never, headers: {} });
    await fetch(`${base}/page`, { method: 'GET', headers: {} } as never);
    expect(fallen).toEqual([`${base}/upload`, `${base}/page`]);
    expect(seen).toEqual([]);
  });
});

describe('postToResponseUrl', () => {
  it("says Slack's reason when it refuses the post", async () => {
    answer = (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('expired_url');
    };
    const error = await postToResponseUrl(`${base}/hooks/1`, { text: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseUrlError);
    expect((error as ResponseUrlError).reason).toBe('expired_url');
  });
});
