import { randomBytes } from 'node:crypto';
import type { FrameworksOfOrgs } from '../frameworks/org-catalogs.js';
import type { PersonKey } from '../model/person.js';
import { orgOfPerson } from '../model/person.js';
import type { AssessmentRecord, PersonData } from '../model/records.js';
import type { Store } from '../store/store.js';
import {
  answerReview,
  declineReview,
  noteReview,
  type ReviewNoteOutcome,
  reviewNoteOf,
  startReview,
} from './reviews/answering.js';
import {
  askForReview,
  cancelUndeliveredRequest,
  rememberDelivery,
  requestFor,
  requestsOf,
  reviewerKeyOf,
  reviewsToGive,
  withdrawRequest,
} from './reviews/asking.js';
import { comparisonFor, withLatestReviewOf } from './reviews/comparison.js';
import { forgetReviewsAround, reviewsGivenBy } from './reviews/given.js';
import type {
  AskOutcome,
  Comparison,
  Declined,
  GivenReviewExport,
  RequestInfo,
  RequestSummary,
  ReviewAnswer,
  Reviewer,
  ReviewRefusal,
  ReviewStep,
  ReviewToGive,
  WithdrawOutcome,
} from './reviews/types.js';

/**
 * A colleague's review: a person (the *subject*) asks a colleague (the *reviewer*) to rate them
 * against one of their finished assessments, one competency at a time, as the subject rated
 * themselves. Plain TypeScript over the Store interface: nothing here knows about Slack.
 *
 * This file holds the Reviews class, which is how the app works with reviews, and the shapes of what
 * it answers; the work is in reviews/, by job: asking.ts (asking, delivering, withdrawing, and the
 * lists of requests), answering.ts (the reviewer's steps), comparison.ts (a finished review beside
 * the self-assessment) and given.ts (the reviews a person gave: their export, and forgetting them).
 *
 * Where things are kept (see Review in src/model/records.ts):
 * - the request, the reviewer's answers while they rate, and the finished review live in the
 *   subject's record (`reviews`), so each step is one `store.update(subject, …)`: the subject's
 *   record is the unit of consistency of a review, as it is of their own ratings;
 * - the reviewer's record keeps an index (`reviewsGiven`: whose record, which review), written when
 *   the request is made, so that the reviewer's `forget` deletes the reviews they gave and their
 *   export includes them.
 *
 * Who sees what:
 * - the reviewer never gets the subject's self-ratings (nor anything else of theirs) before they
 *   finish: a ReviewStep carries the competency's name and description and the reviewer's own
 *   answer, nothing of the subject's; the Comparison, with both, exists only for a finished review;
 * - every reviewer action names the review and is refused unless the person acting is the reviewer
 *   the subject chose (`not-yours`, the same answer whether the review exists or not), and every
 *   subject action works on the acting person's own record only.
 */

export type { ReviewNoteOutcome } from './reviews/answering.js';
export type {
  Agreement,
  AskOutcome,
  Comparison,
  ComparisonRow,
  Declined,
  GivenReviewExport,
  RequestInfo,
  RequestSummary,
  ReviewAnswer,
  Reviewer,
  ReviewRefusal,
  ReviewStep,
  ReviewToGive,
  WithdrawOutcome,
} from './reviews/types.js';

import { REVIEWS_TO_GIVE_READ } from './reviews/types.js';

export class Reviews {
  constructor(
    private readonly store: Store,
    /** The frameworks of each org: a review is of an assessment made with the subject's org's frameworks. */
    private readonly frameworks: FrameworksOfOrgs,
    private readonly now: () => Date = () => new Date(),
    private readonly newId: () => string = () => randomBytes(6).toString('base64url'),
  ) {}

  /** The person key of a user of the subject's workspace or org: reviews stay within it. */
  reviewerKey(subject: PersonKey, reviewerUserId: string): PersonKey {
    return reviewerKeyOf(subject, reviewerUserId);
  }

  /**
   * Asks `reviewer` to rate the subject against their latest finished assessment. One request per
   * reviewer per assessment: an open one is shown again, a finished one is refused, a declined or
   * withdrawn one is replaced by a new request. Writes the review in the subject's record, then the
   * index entry in the reviewer's; if that second write fails, the first is undone (and the error
   * rethrown), so a review never exists that the reviewer's `forget` could not find.
   */
  async ask(subject: PersonKey, reviewer: Reviewer): Promise<AskOutcome> {
    return askForReview(this.store, subject, reviewer, this.now, this.newId);
  }

  /** Deletes a request outright (it could not be delivered), with the reviewer's index entry. */
  async cancelUndelivered(subject: PersonKey, reviewId: string): Promise<void> {
    await cancelUndeliveredRequest(this.store, subject, reviewId);
  }

  /** Remembers where the request was delivered, so withdrawing it can say so there. */
  async delivered(
    subject: PersonKey,
    reviewId: string,
    message: { channel: string; ts: string },
  ): Promise<void> {
    await rememberDelivery(this.store, subject, reviewId, message);
  }

  /** The request as the reviewer sees it (for Not now), if `reviewer` is its reviewer. Read only. */
  async request(
    subject: PersonKey,
    reviewer: PersonKey,
    reviewId: string,
  ): Promise<RequestInfo | ReviewRefusal> {
    return requestFor(this.store, subject, reviewer, reviewId);
  }

  /**
   * Start (or carry on) rating: an `asked` request becomes `rating` at the first competency; a
   * request being rated resumes where the reviewer stopped; a finished one shows the comparison.
   */
  async start(
    subject: PersonKey,
    reviewer: PersonKey,
    reviewId: string,
    reviewerName?: string,
  ): Promise<ReviewStep | Comparison | ReviewRefusal> {
    const at = this.now().toISOString();
    return startReview(
      this.store,
      await this.frameworks.for(orgOfPerson(subject)),
      at,
      subject,
      reviewer,
      reviewId,
      reviewerName,
    );
  }

  /**
   * One click of the reviewer on a rating step: a rating, Not applicable, Skip or Back. Checks and
   * change in one update of the subject's record; the answer after the last competency finishes the
   * review and returns the comparison. A click delivered twice changes nothing the second time.
   */
  async answer(
    subject: PersonKey,
    reviewer: PersonKey,
    answer: ReviewAnswer,
  ): Promise<ReviewStep | Comparison | ReviewRefusal> {
    const at = this.now().toISOString();
    return answerReview(
      this.store,
      await this.frameworks.for(orgOfPerson(subject)),
      at,
      subject,
      reviewer,
      answer,
    );
  }

  /**
   * The reviewer's note on one competency (`text` already checked with checkNote; undefined removes
   * it), while the review is open and theirs; answers with the step it is on, to show it again.
   */
  async note(
    subject: PersonKey,
    reviewer: PersonKey,
    input: { reviewId: string; competencyId: string; text: string | undefined },
  ): Promise<ReviewNoteOutcome> {
    const at = this.now().toISOString();
    return noteReview(
      this.store,
      await this.frameworks.for(orgOfPerson(subject)),
      at,
      subject,
      reviewer,
      input,
    );
  }

  /** The reviewer's own note on one competency of a review they may still work on. Read only. */
  async noteOf(
    subject: PersonKey,
    reviewer: PersonKey,
    reviewId: string,
    competencyId: string,
  ): Promise<{ note: string | undefined; competencyName: string | undefined } | ReviewRefusal> {
    return reviewNoteOf(this.store, subject, reviewer, reviewId, competencyId);
  }

  /**
   * The reviewer declines: the request is closed and any answers they gave are dropped. Declining
   * again changes nothing (`changed: false`), so the asker is told once.
   */
  async decline(
    subject: PersonKey,
    reviewer: PersonKey,
    reviewId: string,
  ): Promise<Declined | ReviewRefusal> {
    const at = this.now().toISOString();
    return declineReview(this.store, at, subject, reviewer, reviewId);
  }

  /**
   * The subject withdraws an open request: it is closed and the reviewer's answers so far are
   * dropped. Only the subject's own record is read, so nobody can withdraw another person's request.
   */
  async withdraw(subject: PersonKey, reviewId: string): Promise<WithdrawOutcome> {
    const at = this.now().toISOString();
    return withdrawRequest(this.store, subject, reviewId, at);
  }

  /** The subject's requests, latest first, with the assessment each is about. */
  async requests(subject: PersonKey): Promise<RequestSummary[]> {
    return requestsOf(this.store, subject);
  }

  /**
   * The reviews colleagues asked this person to give that are still open (asked, or being rated),
   * latest first: from the person's index of requests (`reviewsGiven`), the latest `most` of them,
   * each read in its subject's record and kept only when this person is its reviewer. What each
   * carries is what the request shows the reviewer: who asks, about which role and level, nothing rated.
   */
  async toGive(person: PersonKey, most = REVIEWS_TO_GIVE_READ): Promise<ReviewToGive[]> {
    return reviewsToGive(this.store, person, most);
  }

  /** A finished review beside the subject's self-assessment, for the subject (their own record only). */
  async comparison(subject: PersonKey, reviewId: string): Promise<Comparison | undefined> {
    return comparisonFor(this.store, subject, reviewId);
  }

  /**
   * One of the subject's assessments with the latest finished review of it, when there is one (for
   * the summary's chart), from one read; undefined when the subject has no such assessment.
   */
  async withLatestReview(
    subject: PersonKey,
    assessmentId: string,
  ): Promise<{ record: AssessmentRecord; review: Comparison | undefined } | undefined> {
    return withLatestReviewOf(this.store, subject, assessmentId);
  }

  /**
   * The reviews this person gave, as their export shows them: the answers they gave and what the
   * assessment was about, never the subject's self-ratings. Reads each subject's record.
   */
  async givenBy(person: PersonKey, data?: Readonly<PersonData>): Promise<GivenReviewExport[]> {
    return reviewsGivenBy(this.store, person, data);
  }

  /**
   * Before a person's own record is deleted: deletes the reviews they gave (from the records of the
   * people they reviewed) and the index entries that point at reviews of them (in their reviewers'
   * records). Each is one update of one person; run before `store.forget`, so that a failure part way
   * leaves the person's own record, and its index, to find what is left on the next try.
   */
  async forgetAround(person: PersonKey): Promise<void> {
    await forgetReviewsAround(this.store, person);
  }
}
