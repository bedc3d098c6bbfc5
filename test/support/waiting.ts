import { vi } from 'vitest';
import type { ApiCall, LocalSlack, ResponsePost } from '../../src/sandbox/local-slack.js';

/**
 * Waiting for what the app does after it has acknowledged a request. The app runs as in production
 * (Bolt's default, `processBeforeResponse: false`): a click, a form or an event is acknowledged first,
 * and its work and its answer follow. So a test that sent one waits for the very thing it asserts —
 * a call the local Slack recorded, a post to a response_url, a line in the log, a record in the
 * store — and never for a fixed time.
 *
 * Each wait gives up after 10 seconds (as `expect.poll` does in vitest.config.ts): long enough for a
 * busy machine, short enough to fail inside the test's own timeout with a message that says what
 * never came.
 */

const PATIENCE_MS = 10_000;

/**
 * Retries `check` until it stops throwing (its `expect`s hold), and resolves with what it returned:
 * for what the local Slack does not record (the store, the data file, the log, a page's state).
 * Fails with the last error `check` threw.
 */
export function eventually<T>(check: () => T | Promise<T>): Promise<T> {
  return vi.waitFor(check, { timeout: PATIENCE_MS, interval: 20 });
}

/**
 * Resolves once `found` returns something other than undefined, checked again each time the local
 * Slack records a Web API call, a response_url post or a file.
 */
function recorded<T>(slack: LocalSlack, found: () => T | undefined, what: () => string): Promise<T> {
  const now = found();
  if (now !== undefined) return Promise.resolve(now);
  const events = ['api', 'response', 'file'] as const;
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      for (const event of events) slack.off(event, onEvent);
    };
    const onEvent = () => {
      const value = found();
      if (value === undefined) return;
      stop();
      resolve(value);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`local Slack: nothing after ${PATIENCE_MS} ms; waited for ${what()}`));
    }, PATIENCE_MS);
    for (const event of events) slack.on(event, onEvent);
  });
}

/** What the local Slack records from the moment `since` was called. */
type SinceMark = {
  /** The first call of `method` made since the mark, once it is made. */
  call: (method: string) => Promise<ApiCall>;
  /** The first `n` calls of `method` made since the mark, once there are that many. */
  calls: (method: string, n: number) => Promise<ApiCall[]>;
};

/**
 * Marks the local Slack's record now, to wait for what the app calls after it: take the mark before
 * sending the request, then wait on it. (Not across `slack.reset()`, which empties the record.)
 */
export function since(slack: LocalSlack): SinceMark {
  const start = slack.calls.length;
  const after = (method: string) => slack.calls.slice(start).filter((c) => c.method === method);
  const calls = (method: string, n: number) =>
    recorded(
      slack,
      () => {
        const made = after(method);
        return made.length >= n ? made.slice(0, n) : undefined;
      },
      () =>
        `${n} ${method} call(s) since the mark; got ${after(method).length} (calls since: ${
          slack.calls
            .slice(start)
            .map((c) => c.method)
            .join(', ') || 'none'
        })`,
    );
  return {
    calls,
    call: async (method) => {
      const [first] = await calls(method, 1);
      if (!first) throw new Error(`no ${method} call`);
      return first;
    },
  };
}

/** The first `n` posts to one response_url, in the order they came, once there are that many. */
export function postsTo(slack: LocalSlack, url: string, n: number): Promise<ResponsePost[]> {
  const posts = () => slack.responses.filter((post) => post.url === url);
  return recorded(
    slack,
    () => (posts().length >= n ? posts().slice(0, n) : undefined),
    () => `${n} post(s) to one response_url; got ${posts().length}`,
  );
}
