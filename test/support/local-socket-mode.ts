import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { isRecord, LOCAL_APP_ID } from '../../src/sandbox/defaults.js';

/**
 * A local stand-in for Slack's Socket Mode side, on 127.0.0.1. Register its `url` with the local
 * Slack (`slack.useSocketMode(server.url)`): the app's SocketModeClient gets it from
 * `apps.connections.open` and connects to it. Only tests run the app in Socket Mode (the sandbox runs
 * it over HTTP), so this lives with them, as does `ws`, a dev dependency.
 *
 * What @slack/socket-mode 3 expects, and what this server does:
 * - On each new connection Slack sends `{ type: 'hello', num_connections, debug_info, connection_info }`;
 *   the client's `start()` (so Bolt's `app.start()`) resolves only when the hello arrives.
 * - Each delivery is an envelope `{ envelope_id, type, payload, accepts_response_payload }` with `type`
 *   `slash_commands`, `interactive` or `events_api` (the last also has `retry_attempt`, `retry_reason`).
 *   The payload is what Slack would POST over HTTP: a slash command's form fields as a JSON object of
 *   strings, an interaction's parsed `payload`, an Events API envelope (`type: 'event_callback'`).
 * - The app acknowledges with `{ envelope_id, payload }` (`payload` is `{}` for a bare `ack()`); Slack
 *   gives up after 3 seconds and tells the user `operation_timeout`. `send` rejects then too.
 * - `{ type: 'disconnect', reason }` asks the client to close and reconnect (it calls
 *   `apps.connections.open` again after a delay of `clientPingTimeout`, 5 s by default).
 * - The client pings every `clientPingTimeout / 3` ms and disconnects when pongs stop coming; `ws`
 *   answers pings by itself. Once the server has pinged, the client also expects a ping every 30 s.
 */

type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** What the app sends back for an envelope. */
export type SocketAck = { envelope_id: string; payload?: Record<string, unknown> };

/**
 * One envelope sent, to which connection (numbered from 1 in the order they were accepted), the
 * response_url it carried (a command's or a click's), and whether the app has acknowledged it yet:
 * a test can tell whether an answer on that response_url came after the acknowledgement.
 */
type Delivery = {
  envelopeId: string;
  type: EnvelopeType;
  connection: number;
  responseUrl: string | undefined;
  acked: boolean;
};

type SendOptions = {
  /** Defaults to true except for `events_api` (Slack's rule: only commands and interactions can answer in the ack). */
  acceptsResponsePayload?: boolean;
  /** For `events_api`: set when Slack retries an event (`retry_attempt`, `retry_reason`). */
  retryAttempt?: number;
  retryReason?: string;
  /** How long to wait for the ack; Slack's 3 seconds unless told. */
  timeoutMs?: number;
};

export type LocalSocketModeOptions = {
  appId?: string;
  /**
   * Which open connection gets each envelope: the newest (the default), or each in turn, as Slack
   * spreads deliveries over the up to 10 connections of one app (several instances, say).
   */
  deliver?: 'newest' | 'round-robin';
  /** 0 (the default) picks a free port. */
  port?: number;
};

export interface LocalSocketMode {
  /** `ws://127.0.0.1:PORT/link/?ticket=…&app_id=…`: what `apps.connections.open` should answer with. */
  readonly url: string;
  /** Every envelope sent so far, in order. */
  readonly deliveries: readonly Delivery[];
  /** How many connections are open now. */
  connections(): number;
  /** How many connections were accepted (and greeted with hello) since the start, reconnections included. */
  accepted(): number;
  /** Resolves once `n` connections in all have been accepted since the start (a reconnection is the second). */
  waitForConnections(n?: number, timeoutMs?: number): Promise<void>;
  /**
   * Sends an envelope to a connected app (see `deliver`) and resolves with its ack; rejects when
   * no app is connected, or no ack came within 3 seconds (Slack's limit).
   */
  send(type: EnvelopeType, payload: Record<string, unknown>, opts?: SendOptions): Promise<SocketAck>;
  /** Asks every connected app to reconnect, the way Slack does before it recycles a server. */
  disconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  /** Closes every connection (waiting briefly for a clean close handshake) and stops listening. */
  close(): Promise<void>;
}

const ACK_TIMEOUT_MS = 3000;
/** How long close() waits for a connection's close handshake before dropping it. */
const CLOSE_GRACE_MS = 1000;

type Pending = {
  resolve: (ack: SocketAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
  delivery: Delivery;
};

class LocalSocketModeServer implements LocalSocketMode {
  readonly deliveries: Delivery[] = [];
  url = '';

  private readonly wss: WebSocketServer;
  private readonly appId: string;
  private readonly ticket = randomBytes(12).toString('hex');
  /** Open connections, oldest first. */
  private readonly sockets: WebSocket[] = [];
  /** Each connection's number, in the order they were accepted. */
  private readonly numbers = new WeakMap<WebSocket, number>();
  private readonly deliver: 'newest' | 'round-robin';
  private turn = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly connectionWaiters = new Set<() => void>();
  private acceptedCount = 0;

  constructor(opts: LocalSocketModeOptions, wss: WebSocketServer) {
    this.appId = opts.appId ?? LOCAL_APP_ID;
    this.deliver = opts.deliver ?? 'newest';
    this.wss = wss;
    wss.on('connection', (socket) => this.onConnection(socket));
  }

  setAddress(): void {
    const { port } = this.wss.address() as AddressInfo;
    this.url = `ws://127.0.0.1:${port}/link/?ticket=${this.ticket}&app_id=${this.appId}`;
  }

  connections(): number {
    return this.sockets.length;
  }

  accepted(): number {
    return this.acceptedCount;
  }

  waitForConnections(n = 1, timeoutMs = 5000): Promise<void> {
    if (this.acceptedCount >= n) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const check = () => {
        if (this.acceptedCount < n) return;
        clearTimeout(timer);
        this.connectionWaiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.connectionWaiters.delete(check);
        reject(
          new Error(
            `local Socket Mode: timed out after ${timeoutMs} ms waiting for ${n} connection(s); ${this.acceptedCount} accepted`,
          ),
        );
      }, timeoutMs);
      this.connectionWaiters.add(check);
    });
  }

  send(type: EnvelopeType, payload: Record<string, unknown>, opts: SendOptions = {}): Promise<SocketAck> {
    const socket =
      this.deliver === 'newest'
        ? this.sockets.at(-1)
        : this.sockets[this.turn++ % Math.max(1, this.sockets.length)];
    if (socket === undefined) {
      return Promise.reject(new Error(`local Socket Mode: no app is connected to receive ${type}`));
    }
    const envelopeId = randomUUID();
    const envelope: Record<string, unknown> = {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: opts.acceptsResponsePayload ?? type !== 'events_api',
      ...(type === 'events_api'
        ? { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? '' }
        : {}),
    };
    const delivery: Delivery = {
      envelopeId,
      type,
      connection: this.numbers.get(socket) ?? 0,
      responseUrl: typeof payload.response_url === 'string' ? payload.response_url : undefined,
      acked: false,
    };
    this.deliveries.push(delivery);
    const timeoutMs = opts.timeoutMs ?? ACK_TIMEOUT_MS;
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(
          new Error(`local Socket Mode: no ack for ${type} envelope ${envelopeId} within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.pending.set(envelopeId, { resolve, reject, timer, delivery });
      socket.send(JSON.stringify(envelope), (error) => {
        if (error === undefined || error === null) return;
        this.settle(envelopeId, new Error(`local Socket Mode: sending ${type} failed: ${error.message}`));
      });
    });
  }

  disconnect(reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested'): void {
    const message = JSON.stringify({
      type: 'disconnect',
      reason,
      debug_info: { host: 'applink-local' },
    });
    for (const socket of this.sockets) socket.send(message);
  }

  async close(): Promise<void> {
    for (const id of [...this.pending.keys()]) {
      this.settle(id, new Error('local Socket Mode: closed before the app acknowledged'));
    }
    await Promise.all(
      [...this.wss.clients].map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.readyState === socket.CLOSED) {
              resolve();
              return;
            }
            const timer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
            socket.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            if (socket.readyState === socket.OPEN) socket.close(1001, 'server closing');
          }),
      ),
    );
    await new Promise<void>((resolve, reject) => {
      this.wss.close((error) => (error ? reject(error) : resolve()));
    });
  }

  private onConnection(socket: WebSocket): void {
    this.sockets.push(socket);
    this.acceptedCount += 1;
    this.numbers.set(socket, this.acceptedCount);
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onMessage(data);
    });
    socket.on('close', () => {
      const index = this.sockets.indexOf(socket);
      if (index >= 0) this.sockets.splice(index, 1);
    });
    socket.on('error', () => {
      // A broken connection closes; the client reconnects on its own.
    });
    socket.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.sockets.length,
        debug_info: {
          host: 'applink-local',
          build_number: 1,
          approximate_connection_time: 18060,
        },
        connection_info: { app_id: this.appId },
      }),
    );
    for (const check of [...this.connectionWaiters]) check();
  }

  private onMessage(data: RawData): void {
    let message: unknown;
    try {
      message = JSON.parse(rawText(data));
    } catch {
      return;
    }
    if (!isRecord(message) || typeof message.envelope_id !== 'string') return;
    const ack: SocketAck = { envelope_id: message.envelope_id };
    if (isRecord(message.payload)) ack.payload = message.payload;
    this.settle(message.envelope_id, ack);
  }

  /** Resolves (with the ack) or rejects (with an error) the send waiting for this envelope. */
  private settle(envelopeId: string, outcome: SocketAck | Error): void {
    const waiting = this.pending.get(envelopeId);
    if (waiting === undefined) return;
    this.pending.delete(envelopeId);
    clearTimeout(waiting.timer);
    if (outcome instanceof Error) {
      waiting.reject(outcome);
      return;
    }
    waiting.delivery.acked = true;
    waiting.resolve(outcome);
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

/** Starts a local Socket Mode server on 127.0.0.1 (a free port unless `port` is given). */
export async function startLocalSocketMode(opts: LocalSocketModeOptions = {}): Promise<LocalSocketMode> {
  const wss = await new Promise<WebSocketServer>((resolve, reject) => {
    const server: WebSocketServer = new WebSocketServer({ host: '127.0.0.1', port: opts.port ?? 0 }, () => {
      server.off('error', reject);
      resolve(server);
    });
    server.once('error', reject);
  });
  const socketMode = new LocalSocketModeServer(opts, wss);
  socketMode.setAddress();
  return socketMode;
}
