import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Message } from './views/types.js';

/**
 * Answers serialised once and reused. Most answers of `/competency <role> <level>` are the same
 * frozen message object each time (views/framework.ts keeps them per framework, level and progress),
 * yet Bolt would turn each into JSON again for every acknowledgement (6.4 kB: some 20 µs a command).
 *
 * `ephemeral(message)` gives the acknowledgement's body; for a deeply frozen message it is one frozen
 * object per message, whose JSON is kept beside it (bounded by the messages themselves: a WeakMap).
 * When the app acknowledges that very object over HTTP, guard.ts hands Bolt the JSON text instead of
 * the object, with the same `content-type: application/json` Bolt sets for an object: the same bytes
 * on the wire, without serialising them again. Anywhere else (Socket Mode, a test's own receiver)
 * Bolt gets the object as before.
 */

type Ephemeral = Message & { response_type: 'ephemeral' };

const bodies = new WeakMap<Message, Ephemeral>();
const texts = new WeakMap<object, string>();

/** `{ response_type: 'ephemeral', ...message }`: for a deeply frozen message, the same object (JSON kept) each time. */
export function ephemeral(message: Message): Ephemeral {
  if (!Object.isFrozen(message)) return { response_type: 'ephemeral', ...message };
  let body = bodies.get(message);
  if (body === undefined) {
    body = { response_type: 'ephemeral', ...message };
    if (!deeplyFrozen(message)) return body;
    Object.freeze(body);
    texts.set(body, JSON.stringify(body));
    bodies.set(message, body);
  }
  return body;
}

/** The JSON of an acknowledgement's body prepared by `ephemeral`, if it is one. */
export function preparedJson(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null ? texts.get(body) : undefined;
}

function deeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  return Object.isFrozen(value) && Object.values(value).every(deeplyFrozen);
}

/**
 * Where the HTTP receiver's request is answered, for `preparedJson`: put in each request's
 * `customProperties` (HTTPReceiver's `customPropertiesExtractor`) under a symbol, so it never meets
 * a context key, and read back by guard.ts.
 */
export const HTTP_RESPONSE: unique symbol = Symbol('competency.httpResponse');

/** Where the request is answered, kept on the request itself (a WeakMap costs more per request). */
const RESPONSE: unique symbol = Symbol('competency.response');
type Noted = IncomingMessage & { [RESPONSE]?: ServerResponse };

/** Remembers where `req` is answered (in-flight.ts, as each request arrives). */
export function noteResponse(req: IncomingMessage, res: ServerResponse): void {
  (req as Noted)[RESPONSE] = res;
}

/** HTTPReceiver's `customPropertiesExtractor`: the response of the request, under HTTP_RESPONSE. */
export function responseProperty(req: IncomingMessage): Record<string, unknown> {
  const res = (req as Noted)[RESPONSE];
  return res === undefined ? {} : ({ [HTTP_RESPONSE]: res } as Record<string, unknown>);
}
