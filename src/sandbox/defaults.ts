import { randomBytes } from 'node:crypto';

/**
 * The made-up workspace the local Slack pretends to be. The signed-request helpers and the
 * local Web API use the same values, so a request built with the defaults matches what
 * `auth.test` answers.
 */
export const LOCAL_TEAM = { id: 'T0LOCAL0001', domain: 'local-sandbox' } as const;
export const LOCAL_BOT = {
  userId: 'U0LOCALBOT1',
  botId: 'B0LOCALBOT1',
  token: 'xoxb-local-sandbox-token',
} as const;
export const LOCAL_USER = { id: 'U0LOCALUSR1', username: 'sam.sandbox', name: 'sam.sandbox' } as const;
export const LOCAL_CHANNEL = { id: 'C0LOCALCHN1', name: 'general' } as const;
export const LOCAL_APP_ID = 'A0LOCALAPP1';
/** The app-level token of the local app, what `apps.connections.open` takes unless told otherwise. */
export const LOCAL_APP_TOKEN = 'xapp-local-sandbox-token';
/** The old "verification token" Slack still puts in payloads; Bolt ignores it. */
export const LOCAL_VERIFICATION_TOKEN = 'local-verification-token';

/** Where the sandbox's servers (the app, the local Slack, the page) listen: this machine only. */
export const SANDBOX_HOST = '127.0.0.1';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A Slack-looking id: a prefix letter and upper-case letters and digits, e.g. `V0A1B2C3D4E`. */
export function slackId(prefix: string, length = 10): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ID_ALPHABET[byte % ID_ALPHABET.length];
  return id;
}

let lastTsMicros = 0;

/** A message timestamp like Slack's (`1712345678.123456`), unique and increasing within this process. */
export function newTs(): string {
  const micros = Math.max(Date.now() * 1000, lastTsMicros + 1);
  lastTsMicros = micros;
  const seconds = Math.floor(micros / 1_000_000);
  const fraction = String(micros % 1_000_000).padStart(6, '0');
  return `${seconds}.${fraction}`;
}

/** A trigger id shaped like Slack's (`1234567890.1234567890.0123456789abcdef…`). */
export function newTriggerId(): string {
  const a = String(Math.floor(Math.random() * 1e10)).padStart(10, '0');
  const b = String(Math.floor(Math.random() * 1e10)).padStart(10, '0');
  return `${a}.${b}.${randomBytes(16).toString('hex')}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `Host` a request names, when it is this local server's own (127.0.0.1, localhost or [::1] with
 * the port it arrived on); undefined otherwise. A site whose name points at 127.0.0.1 (DNS rebinding)
 * names itself, and gets no answer from the sandbox's servers.
 */
export function ownLoopbackHost(req: {
  headers: { host?: string | undefined };
  socket: { localPort?: number | undefined };
}): string | undefined {
  const port = req.socket.localPort;
  const host = (req.headers.host ?? '').toLowerCase();
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host) ? host : undefined;
}
