import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Where the apps post their answers to clicks during a burst: response_urls on a server of the
 * bench's own, as light as it can be, so that the harness measures the app rather than itself.
 * The local Slack (src/sandbox/local-slack.ts) checks every message's Block Kit, which costs the bench
 * process CPU on the same two cores, and listens with Node's default accept queue (511): when a
 * thousand answers arrive at once, the kernel drops some connections and the app's post is retried
 * a second later, a delay that belongs to the harness. This sink takes 4,096 waiting connections
 * (the kernel's somaxconn here), records each post and answers `{"ok":true}` as Slack does; the
 * answers' Block Kit is checked by the test suite, which sends the same clicks through the local Slack.
 */

export type SinkPost = { url: string; body: Record<string, unknown>; ok: boolean };

export class ResponseSink extends EventEmitter<{ response: [SinkPost] }> {
  private readonly ids = new Set<string>();
  /**
   * Connections are kept open between bursts: with Node's default of 5 s, the sink closed idle ones
   * just as the next burst reused them, and Node's fetch (Bolt's `respond` in the baselines) does not
   * send a POST again on a connection closed under it: that click was never answered.
   */
  private readonly server = createServer({ keepAliveTimeout: 300_000 }, (req, res) => this.handle(req, res));
  private base = '';

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  newResponseUrl(): string {
    const id = randomBytes(12).toString('hex');
    this.ids.add(id);
    return `${this.base}/response/${id}`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const id = /^\/response\/([0-9a-f]{24})$/.exec(req.url ?? '')?.[1];
      const url = `${this.base}${req.url ?? ''}`;
      let body: Record<string, unknown> = {};
      let ok = req.method === 'POST' && id !== undefined && this.ids.has(id);
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
          body = parsed as Record<string, unknown>;
        } else ok = false;
      } catch {
        ok = false;
      }
      res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
      res.end(ok ? '{"ok":true}' : '{"ok":false,"error":"expired_url"}');
      this.emit('response', { url, body, ok });
    });
  }

  /** Forgets the response_urls handed out so far. */
  reset(): void {
    this.ids.clear();
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export async function startResponseSink(): Promise<ResponseSink> {
  const sink = new ResponseSink();
  await sink.listen();
  return sink;
}
