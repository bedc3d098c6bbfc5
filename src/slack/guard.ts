import {
  type AnyMiddlewareArgs,
  App,
  AuthorizationError,
  type Logger,
  type Middleware,
  type ReceiverEvent,
} from '@slack/bolt';
import { z } from 'zod';

/**
 * What stands between Slack's requests and the listeners:
 * - every request is checked for the fields the app relies on before Bolt reads it; a signed
 *   request Slack would never send (no `user` on a click, an empty `actions` list, no `view` on a
 *   form) is acknowledged and logged, and goes no further;
 * - every request is answered within Slack's 3 seconds: whatever no listener acknowledged (a button
 *   from an older version, a form this version does not know) is acknowledged by one fallback, after
 *   every listener has had its turn, through Bolt's own matching.
 */

const id = z.string().min(1).max(255);
const user = z.looseObject({ id });

/** The fields each kind of request must have, as far as this app (and Bolt) reads them. */
const WellFormed = z.union([
  z.looseObject({ command: z.string().startsWith('/'), user_id: id, team_id: id, text: z.string() }),
  z.looseObject({ type: z.literal('event_callback'), event: z.looseObject({ type: id }) }),
  z.looseObject({
    type: z.literal('block_actions'),
    user,
    actions: z.array(z.looseObject({ type: id, action_id: id })).min(1),
    response_url: z.string().optional(),
  }),
  z.looseObject({
    type: z.enum(['view_submission', 'view_closed']),
    user,
    view: z.looseObject({ id, callback_id: z.string().max(255) }),
  }),
  z.looseObject({ type: z.enum(['shortcut', 'message_action']), user, callback_id: id }),
  z.looseObject({ type: z.literal('block_suggestion'), user, action_id: id }),
]);

/** Why Slack would never send this body, in a few words for the log; undefined when it is well formed. */
export function malformation(body: unknown): string | undefined {
  const parsed = WellFormed.safeParse(body);
  if (parsed.success) return undefined;
  const kind = body !== null && typeof body === 'object' && 'type' in body ? String(body.type) : 'unknown';
  const first = parsed.error.issues[0];
  // Union issues nest the problems of each branch; the branch of this body's own type says the most.
  const detail =
    first?.code === 'invalid_union'
      ? (first.errors.find(
          (branch) => !branch.some((issue) => issue.path[0] === 'type' || issue.path[0] === 'command'),
        )?.[0] ?? first.errors[0]?.[0])
      : first;
  const where = detail?.path.length ? detail.path.join('.') : 'body';
  return `${kind.slice(0, 40)} request with a missing or malformed ${where}`;
}

/** Whether anything acknowledged a request; read by the fallback once every listener has run. */
type Delivery = { acknowledged: boolean };

/**
 * The Bolt app, with two additions at the door: a request that is not well formed is acknowledged
 * and dropped before Bolt reads it, and each request remembers whether it was acknowledged (in
 * `context.delivery`) for the fallback below. Everything else is Bolt's own.
 */
export class GuardedApp extends App {
  override async processEvent(event: ReceiverEvent): Promise<void> {
    const problem = malformation(event.body);
    if (problem !== undefined) {
      this.logger.warn(`Ignored a signed request that Slack would not send: ${problem}`);
      await event.ack();
      return;
    }
    const delivery: Delivery = { acknowledged: false };
    const ack = event.ack;
    await super.processEvent({
      ...event,
      ack: (response?: unknown) => {
        delivery.acknowledged = true;
        return ack(response);
      },
      customProperties: { ...event.customProperties, delivery },
    });
  }
}

/**
 * The one fallback: runs the listeners (Bolt matches each against the request), and if none of them
 * acknowledged it, acknowledges it and lets `explain` tell the person. Listeners are registered the
 * usual Bolt way, by exact id or anchored pattern, and never compete with a catch-all.
 */
export function unclaimedFallback(
  explain: (args: AnyMiddlewareArgs & { context: Record<string, unknown>; logger: Logger }) => Promise<void>,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    try {
      await args.next();
    } finally {
      const delivery = args.context.delivery as Delivery | undefined;
      const ack =
        'ack' in args ? (args.ack as ((response?: unknown) => Promise<void>) | undefined) : undefined;
      if (delivery && !delivery.acknowledged && ack) {
        await ack();
        await explain(args).catch((error: unknown) =>
          args.logger.error('Could not answer an unclaimed request', error),
        );
      }
    }
  };
}

/**
 * When Bolt itself fails on a request (not a listener: those are caught and logged by the app),
 * Slack still gets an answer: 401 when authorization failed, as Bolt does, else an empty 200, so Slack
 * does not show the person an error or retry. The error is logged without the request's content.
 */
export function answerBoltFailure(args: {
  error: Error;
  logger: Logger;
  response: { headersSent: boolean; writeHead(status: number): unknown; end(): unknown };
}): Promise<boolean> {
  const { error, logger, response } = args;
  if (response.headersSent) {
    logger.error('A request failed after it was acknowledged', error);
    return Promise.resolve(false);
  }
  if (error instanceof AuthorizationError) {
    logger.warn(`Refused a request that could not be authorized: ${error.message}`);
    response.writeHead(401);
    response.end();
    return Promise.resolve(true);
  }
  logger.error('Bolt could not process a request; answered 200 so Slack does not retry it', error);
  response.writeHead(200);
  response.end();
  return Promise.resolve(true);
}
