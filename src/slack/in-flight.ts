import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HTTPReceiver, Logger } from '@slack/bolt';
import { noteResponse } from './prepared.js';

/**
 * The requests the app has taken from Slack and not finished yet: what a clean stop waits for.
 *
 * Bolt acknowledges a request as soon as a listener calls ack() (processBeforeResponse is off, as
 * Slack wants its answer within 3 seconds), and the listener goes on after that: it saves the rating,
 * then answers the person. So "answered Slack" is not "done": a stop that closed the store once the
 * HTTP server had nothing left to send would cut off work a person was already told was taken.
 *
 * Once closed, the receivers take nothing new (HTTP answers 503, Socket Mode leaves envelopes
 * unacknowledged, so Slack delivers them again), and `settled` waits, bounded, for what was taken.
 */
export class RequestsInFlight {
  /** How many requests are taken and not finished: a count, not a set of promises, as every request passes here. */
  private count = 0;
  /** Told each time the count comes back to 0. */
  private idle: (() => void)[] = [];
  private stopping = false;
  private readonly finished = (): void => {
    this.count -= 1;
    if (this.count > 0 || this.idle.length === 0) return;
    const waiting = this.idle;
    this.idle = [];
    for (const wake of waiting) wake();
  };

  /** True once close() was called: new requests are refused from then on. */
  get closed(): boolean {
    return this.stopping;
  }

  /** How many requests are being worked on. */
  get size(): number {
    return this.count;
  }

  /** Refuse new requests from now on; the ones taken already go on. */
  close(): void {
    this.stopping = true;
  }

  /** Counts `work` until it settles (whether it fails or not), and returns it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.count += 1;
    work.then(this.finished, this.finished);
    return work;
  }

  /** Counts one request until the function returned is called (calling it again does nothing). */
  hold(): () => void {
    this.count += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.finished();
    };
  }

  /**
   * Resolves once nothing is in flight, or after `ms` at the latest: with how many requests were
   * still being worked on then (0 when every one finished). Work taken while it waits (a request
   * whose body was still arriving when the stop began) is waited for too.
   */
  async settled(ms: number): Promise<number> {
    if (this.count === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), ms);
    });
    try {
      while (this.count > 0) {
        const none = new Promise<'idle'>((resolve) => this.idle.push(() => resolve('idle')));
        if ((await Promise.race([none, deadline])) === 'late') return this.count;
      }
      return 0;
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Makes the HTTP receiver count every request from the moment it arrives until its response is
 * sent (by then Bolt has handed it to the app, which counts it until its listeners finish), and
 * refuse every request that arrives once `requests` is closed: 503 with `Retry-After`, so Slack
 * retries an event later (on this copy once it is back, or on another), and the connection is
 * closed rather than kept for more.
 */
export function admitHttpRequests(receiver: HTTPReceiver, requests: RequestsInFlight, logger: Logger): void {
  const handle = receiver.requestListener;
  let refused = 0;
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    if (requests.closed) {
      if (refused++ === 0) logger.info('Stopping: refusing new requests (503)');
      res.writeHead(503, {
        'content-type': 'text/plain; charset=utf-8',
        'retry-after': '1',
        connection: 'close',
      });
      res.end('The app is stopping; try again in a moment.\n');
      return;
    }
    res.once('close', requests.hold());
    noteResponse(req, res);
    handle(req, res);
  };
}
