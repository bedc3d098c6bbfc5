import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { CallbackId } from '../ids.js';
import { askReviewSubmission } from './ask-review.js';
import { evidenceSubmission } from './evidence.js';
import { publishSubmission, uploadSubmission } from './framework-upload.js';
import { lookupSubmission } from './lookup.js';
import { noteSubmission } from './note.js';
import { planSubmission } from './plan.js';
import { rateAllSubmission } from './rate-all.js';
import { shareWithSubmission } from './share-with.js';

export type SubmissionListener = Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>>;

/** The handler of every form the app opens, by its exact callback_id. */
export function submissionListeners(
  deps: Deps,
): Record<(typeof CallbackId)[keyof typeof CallbackId], SubmissionListener> {
  return {
    [CallbackId.rateAll]: rateAllSubmission(deps),
    [CallbackId.askReview]: askReviewSubmission(deps),
    [CallbackId.note]: noteSubmission(deps),
    [CallbackId.evidence]: evidenceSubmission(deps),
    [CallbackId.lookup]: lookupSubmission(deps),
    [CallbackId.uploadFramework]: uploadSubmission(deps),
    [CallbackId.publishFramework]: publishSubmission(deps),
    [CallbackId.makePlan]: planSubmission(deps),
    [CallbackId.shareWith]: shareWithSubmission(deps),
  };
}
