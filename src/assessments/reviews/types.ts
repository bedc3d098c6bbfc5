import type { ScaleStep } from '../../frameworks/schema.js';
import type { PersonKey } from '../../model/person.js';
import type { AssessmentRecord, RatingValue, Review } from '../../model/records.js';

/** The shapes of what the Reviews class (../reviews.ts) answers with, shared by its parts in this folder. */

/** Whom to ask: a Slack user of the subject's workspace (or org), with the name Slack gave, if any. */
export type Reviewer = { userId: string; name?: string };

/** What the reviewer sees of the request: who asks, about which role and level. Nothing rated. */
export type RequestInfo = {
  subject: PersonKey;
  subjectUserId: string;
  reviewId: string;
  reviewerUserId: string;
  status: Review['status'];
  roleName: string;
  domainName: string;
  levelName: string;
  competencies: number;
};

export type AskOutcome =
  | { kind: 'asked'; request: RequestInfo; record: AssessmentRecord }
  | { kind: 'refused'; reason: 'no-assessment' | 'self' }
  | { kind: 'refused'; reason: 'already-asked' | 'already-reviewed'; request: RequestInfo };

/**
 * One competency for the reviewer to rate. Built here, from the assessment's competency names and
 * the framework's descriptions and scale, and the reviewer's own answer: it has no field that could
 * carry the subject's self-rating, so no view can show one by mistake.
 */
export type ReviewStep = {
  kind: 'review-step';
  request: RequestInfo;
  index: number;
  total: number;
  competency: { id: string; name: string; category: string; description: string | undefined };
  /** The reviewer's own answer to this competency so far (after Back), else null. */
  current: RatingValue | null;
  /** The reviewer's own note on this competency so far, if any (never the subject's). */
  note?: string | undefined;
  /** The framework's scale, when it is still known; else the plain 1–5 labels. */
  scale: Pick<ScaleStep, 'value' | 'label' | 'description'>[];
};

/** How far apart the two ratings of a competency are. */
export type Agreement = 'same' | 'one-apart' | 'apart' | 'not-compared';

export type ComparisonRow = {
  id: string;
  name: string;
  tier: 'primary' | 'supporting';
  expected: number;
  self: RatingValue | null;
  review: RatingValue | null;
  agreement: Agreement;
  /** |self − review| when both are 1–5. */
  difference: number | null;
  /** The subject's note on it when they finished the assessment, and the reviewer's note (finished reviews only). */
  selfNote?: string | undefined;
  reviewNote?: string | undefined;
};

/** A finished review beside the self-assessment: what both people see once the reviewer finishes. */
export type Comparison = {
  kind: 'comparison';
  request: RequestInfo;
  reviewerName: string | undefined;
  record: AssessmentRecord;
  finishedAt: string;
  rows: ComparisonRow[];
  counts: Record<Agreement, number>;
  /** True only in the answer that finished the review (a click delivered again gets false). */
  finishedNow: boolean;
};

export type ReviewRefusal = {
  kind: 'review-refused';
  /**
   * `not-yours`: no such review for the person acting (whether it does not exist or is someone
   * else's: the answer is the same, so a guessed id tells nothing); `declined`, `withdrawn`: the
   * request was closed; `assessment-gone`: the assessment is no longer in the subject's history.
   */
  reason: 'not-yours' | 'declined' | 'withdrawn' | 'assessment-gone' | 'finished';
  request?: RequestInfo;
};

/** The reviewer declined; `changed` is false when it was declined already (a click delivered twice). */
export type Declined = { kind: 'declined'; request: RequestInfo; changed: boolean };

/** A reviewer's click on a rating step. */
export type ReviewAnswer = {
  reviewId: string;
  competencyId: string;
  choice: RatingValue | 'skip' | 'back';
};

/** A review a colleague asked this person to give, still open: what the reviewer may see of it. */
export type ReviewToGive = { request: RequestInfo; askedAt: string };

/** How many of a person's latest review requests the Home tab reads, each in its subject's record. */
export const REVIEWS_TO_GIVE_READ = 50;

/** One of the subject's requests, for their list: who, which assessment, how far. */
export type RequestSummary = { review: Review; record: AssessmentRecord | undefined };

/** A review the person gave, as their export shows it: their own answers, nothing of the subject's. */
export type GivenReviewExport = {
  of: PersonKey;
  id: string;
  status: Review['status'];
  roleName: string;
  domainName: string;
  levelName: string;
  askedAt: string;
  finishedAt?: string;
  answers: { competencyId: string; competency: string; rating: RatingValue | null }[];
  /** The notes the person wrote, by competency id (absent when none). */
  notes?: Record<string, string>;
};

/** What withdrawing a request did. */
export type WithdrawOutcome =
  | { kind: 'withdrawn'; request: RequestInfo; requestMessage: Review['requestMessage'] }
  | { kind: 'not-found' }
  | { kind: 'closed'; review: Review };
