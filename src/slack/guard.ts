import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import {
  type AnyMiddlewareArgs,
  App,
  type AppOptions,
  AuthorizationError,
  type Logger,
  type Middleware,
  type ReceiverEvent,
} from '@slack/bolt';
import { z } from 'zod';
import type { Outcome, RequestObserver, Surface } from '../metrics.js';
import type { RequestsInFlight } from './in-flight.js';
import { HTTP_RESPONSE, preparedJson } from './prepared.js';
import { notInstalledMessage } from './views/error.js';

/**
 * What stands between Slack's requests and the listeners:
 * - every request is checked for the fields the app relies on before Bolt reads it; a signed
 *   request Slack would never send (no `user` on a click, an empty `actions` list, no `view` on a
 *   form) is acknowledged and logged, and goes no further;
 * - every request is answered within Slack's 3 seconds: whatever no listener acknowledged (a button
 *   from an older version, a form this version does not know) is acknowledged by one fallback, after
 *   every listener has had its turn, through Bolt's own matching;
 * - what became of each request, and how long its acknowledgement took, is told to an observer (the
 *   app's metrics).
 */

const id = z.string().min(1).max(255);
const user = z.object({ id });

/**
 * The fields each kind of request must have, as far as this app (and Bolt) reads them. Only these
 * are checked, and the check keeps nothing (plain objects: other fields are not even looked at).
 */
const Command = z.object({ command: z.string().startsWith('/'), user_id: id, team_id: id, text: z.string() });
const ByType: Readonly<Record<string, z.ZodType>> = {
  event_callback: z.object({ event: z.object({ type: id }) }),
  block_actions: z.object({
    user,
    actions: z.array(z.object({ type: id, action_id: id })).min(1),
    response_url: z.string().optional(),
  }),
  view_submission: z.object({ user, view: z.object({ id, callback_id: z.string().max(255) }) }),
  view_closed: z.object({ user, view: z.object({ id, callback_id: z.string().max(255) }) }),
  shortcut: z.object({ user, callback_id: id }),
  message_action: z.object({ user, callback_id: id }),
  block_suggestion: z.object({ user, action_id: id }),
};

/** What kind of request a body is: `command` for a slash command, else its `type` (`''` when it has none). */
export function requestKind(body: unknown): string {
  if (body === null || typeof body !== 'object') return '';
  if ('command' in body) return 'command';
  return 'type' in body && typeof body.type === 'string' ? body.type : '';
}

/** A field Slack fills with an id: `id` above, checked without zod on the common path. */
const isId = (value: unknown): boolean =>
  typeof value === 'string' && value.length >= 1 && value.length <= 255;

/** `Command` above, checked by hand: the path every command takes, so it costs next to nothing. */
function wellFormedCommand(body: object): boolean {
  const { command, user_id, team_id, text } = body as Record<string, unknown>;
  return (
    typeof command === 'string' &&
    command.startsWith('/') &&
    isId(user_id) &&
    isId(team_id) &&
    typeof text === 'string'
  );
}

/** Why Slack would never send this body, in a few words for the log; undefined when it is well formed. */
export function malformation(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return 'request that is not an object';
  const type = requestKind(body);
  // A well-formed command passes without zod; anything else is told apart (and described) by zod.
  if (type === 'command' && wellFormedCommand(body)) return undefined;
  const schema = type === 'command' ? Command : Object.hasOwn(ByType, type) ? ByType[type] : undefined;
  const kind = JSON.stringify(type.slice(0, 40));
  if (schema === undefined) return `request of a type this app does not handle (${kind})`;
  const issue = schema.safeParse(body).error?.issues[0];
  if (issue === undefined) return undefined;
  return `${kind} request with a missing or malformed ${issue.path.length > 0 ? issue.path.join('.') : 'body'}`;
}

/** Which surface of Slack a request comes from, in the metrics' words. */
function surfaceOf(body: unknown): Surface {
  const kind = requestKind(body);
  if (kind === 'command' || kind === 'block_actions' || kind === 'view_submission') return kind;
  return kind === 'event_callback' ? 'event' : 'other';
}

/**
 * What happened to a request so far, kept in `context.delivery`: whether anything acknowledged it
 * (read by the fallback once every listener has run), whether it reached the listeners at all, and
 * whether the fallback answered it or something failed on it.
 */
type Delivery = { acknowledged: boolean; dispatched: boolean; unclaimed: boolean; failed: boolean };

/**
 * A listener or Bolt failed on it, or Bolt never let it reach the fallback (authorization failed; Bolt's
 * ignoreSelf also drops the bot's own events there, which this app does not subscribe to); else the
 * fallback answered it; else a listener did. The fallback must be the app's first middleware, as
 * createSlackApp makes it.
 */
function outcomeOf(delivery: Delivery): Outcome {
  if (delivery.failed || !delivery.dispatched) return 'failed';
  return delivery.unclaimed ? 'unclaimed' : 'answered';
}

export type GuardedAppOptions = AppOptions & {
  /** Told how long each acknowledgement took, and what became of each request. */
  observer?: RequestObserver;
  /** Counts each request until every listener (and the fallback) has finished with it, for a clean stop. */
  inFlight?: RequestsInFlight;
  /**
   * Once `inFlight` is closed, a request that reaches the app is neither acknowledged nor handled, so
   * Slack delivers it again: for Socket Mode, where envelopes come straight to the app. Over HTTP the
   * receiver refuses them at its door instead (in-flight.ts), and what reaches the app was let in.
   */
  refuseWhenStopping?: boolean;
};

/**
 * The Bolt app, with additions at the door: a request that is not well formed is acknowledged
 * and dropped before Bolt reads it, each request remembers whether it was acknowledged (in
 * `context.delivery`) for the fallback below, and each is counted as in flight until its listeners
 * have finished, so that a stop can wait for them. Everything else is Bolt's own.
 */
export class GuardedApp extends App {
  private readonly observer: RequestObserver | undefined;
  private readonly inFlight: RequestsInFlight | undefined;
  private readonly refuseWhenStopping: boolean;

  constructor({ observer, inFlight, refuseWhenStopping = false, ...options }: GuardedAppOptions = {}) {
    super(options);
    this.observer = observer;
    this.inFlight = inFlight;
    this.refuseWhenStopping = refuseWhenStopping;
  }

  override processEvent(event: ReceiverEvent): Promise<void> {
    const { inFlight } = this;
    if (inFlight === undefined) return this.handle(event);
    if (this.refuseWhenStopping && inFlight.closed) {
      this.logger.info(
        `Stopping: left a ${requestKind(event.body) || 'request'} unacknowledged, for Slack to deliver again`,
      );
      return Promise.resolve();
    }
    return inFlight.track(this.handle(event));
  }

  private async handle(event: ReceiverEvent): Promise<void> {
    const started = performance.now();
    const { observer } = this;
    const surface = observer === undefined ? 'other' : surfaceOf(event.body);
    const ack = event.ack;
    const problem = malformation(event.body);
    if (problem !== undefined) {
      this.logger.warn(`Ignored a signed request that Slack would not send: ${problem}`);
      observer?.acknowledged(surface, (performance.now() - started) / 1000);
      await ack();
      observer?.finished(surface, 'malformed');
      return;
    }
    const delivery: Delivery = { acknowledged: false, dispatched: false, unclaimed: false, failed: false };
    // Where an HTTP request is answered (prepared.ts): kept here, out of the listeners' context.
    const { [HTTP_RESPONSE]: response, ...customProperties } = (event.customProperties ?? {}) as {
      [HTTP_RESPONSE]?: ServerResponse;
    };
    try {
      await super.processEvent({
        ...event,
        ack: (body?: unknown) => {
          if (!delivery.acknowledged) observer?.acknowledged(surface, (performance.now() - started) / 1000);
          delivery.acknowledged = true;
          // Acknowledged before any listener ran: Bolt refused it, because no installation covers the
          // workspace it came from. A command still gets a word back (no token is needed for that).
          if (body === undefined && !delivery.dispatched && requestKind(event.body) === 'command')
            return ack({ response_type: 'ephemeral', ...notInstalledMessage() });
          // An answer serialised once (prepared.ts): its JSON text, with the content-type Bolt gives an object.
          const json = response === undefined ? undefined : preparedJson(body);
          if (json !== undefined && response !== undefined && !response.headersSent) {
            response.setHeader('content-type', 'application/json');
            return ack(json);
          }
          return ack(body);
        },
        customProperties: { ...customProperties, delivery },
      });
    } catch (error) {
      delivery.failed = true;
      throw error;
    } finally {
      observer?.finished(surface, outcomeOf(delivery));
    }
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
    const delivery = args.context.delivery as Delivery | undefined;
    if (delivery) delivery.dispatched = true;
    try {
      await args.next();
    } catch (error) {
      if (delivery) delivery.failed = true;
      throw error;
    } finally {
      const ack =
        'ack' in args ? (args.ack as ((response?: unknown) => Promise<void>) | undefined) : undefined;
      if (delivery && !delivery.acknowledged && ack) {
        delivery.unclaimed = true;
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
