import type { App, Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { own } from '../../util/own.js';
import type { Deps } from '../deps.js';
import { anyRoute, CallbackId } from '../ids.js';
import { lookupSubmission } from '../shortcuts/lookup.js';
import { askReviewSubmission } from './ask-review.js';
import { rateAllSubmission } from './rate-all.js';

type SubmissionListener = Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>>;

/**
 * Form submissions, by exact callback_id, through one registration whose pattern is exactly their
 * union (Bolt runs the matching of every registered listener on every request: see actions/index.ts).
 * A form this version does not know (opened before an upgrade) is closed by the app's one fallback
 * rather than left to Slack's error.
 */
export function registerViewSubmissions(app: Pick<App, 'view'>, deps: Deps): void {
  const listeners: Record<string, SubmissionListener> = {
    [CallbackId.rateAll]: rateAllSubmission(deps),
    [CallbackId.askReview]: askReviewSubmission(deps),
    [CallbackId.lookup]: lookupSubmission(deps),
  };
  app.view<ViewSubmitAction>(
    { type: 'view_submission', callback_id: anyRoute(Object.keys(listeners)) },
    async (args) => {
      await own(listeners, args.view.callback_id)?.(args);
    },
  );
}
