import type { App, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { CallbackId } from '../ids.js';
import { askReviewSubmission } from './ask-review.js';
import { rateAllSubmission } from './rate-all.js';

/**
 * Form submissions, each matched by Bolt on its exact callback_id. A form this version does not know
 * (opened before an upgrade) is closed by the app's one fallback rather than left to Slack's error.
 */
export function registerViewSubmissions(app: Pick<App, 'view'>, deps: Deps): void {
  app.view<ViewSubmitAction>(CallbackId.rateAll, rateAllSubmission(deps));
  app.view<ViewSubmitAction>(CallbackId.askReview, askReviewSubmission(deps));
}
