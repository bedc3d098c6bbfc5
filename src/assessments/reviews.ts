import { randomBytes } from 'node:crypto';
import type { Catalog } from '../frameworks/catalog.js';
import type { ScaleStep } from '../frameworks/schema.js';
import type { PersonKey } from '../model/person.js';
import type { AssessmentRecord, PersonData, RatingValue, Review, ReviewGiven } from '../model/records.js';
import type { Store } from '../store/store.js';
import { own } from '../util/own.js';

/**
 * A colleague's review: a person (the *subject*) asks a colleague (the *reviewer*) to rate them
 * against one of their finished assessments, one competency at a time, as the subject rated
 * themselves. Plain TypeScript over the Store interface: nothing here knows about Slack.
 *
 * Where things are kept (see Review in store.ts):
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
};

const OPEN: ReadonlySet<Review['status']> = new Set(['asked', 'rating']);

/** The Slack user id in a person key (`T0123:U0456` → `U0456`). */
export function userIdOf(person: PersonKey): string {
  return person.slice(person.lastIndexOf(':') + 1);
}

/** The org or workspace part of a person key (`T0123:U0456` → `T0123`). */
export function orgOf(person: PersonKey): string {
  return person.slice(0, Math.max(0, person.lastIndexOf(':')));
}

const PLAIN_SCALE: ReviewStep['scale'] = [
  { value: 1, label: 'Basic', description: '' },
  { value: 2, label: 'Developing', description: '' },
  { value: 3, label: 'Proficient', description: '' },
  { value: 4, label: 'Advanced', description: '' },
  { value: 5, label: 'Expert', description: '' },
];

export function agreementOf(
  self: RatingValue | null,
  review: RatingValue | null,
): { agreement: Agreement; difference: number | null } {
  if (typeof self !== 'number' || typeof review !== 'number') {
    return { agreement: 'not-compared', difference: null };
  }
  const difference = Math.abs(self - review);
  return { agreement: difference === 0 ? 'same' : difference === 1 ? 'one-apart' : 'apart', difference };
}

export class Reviews {
  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog,
    private readonly now: () => Date = () => new Date(),
    private readonly newId: () => string = () => randomBytes(6).toString('base64url'),
  ) {}

  /** The person key of a user of the subject's workspace or org: reviews stay within it. */
  reviewerKey(subject: PersonKey, reviewerUserId: string): PersonKey {
    return `${orgOf(subject)}:${reviewerUserId}`;
  }

  /**
   * Asks `reviewer` to rate the subject against their latest finished assessment. One request per
   * reviewer per assessment: an open one is shown again, a finished one is refused, a declined or
   * withdrawn one is replaced by a new request. Writes the review in the subject's record, then the
   * index entry in the reviewer's; if that second write fails, the first is undone (and the error
   * rethrown), so a review never exists that the reviewer's `forget` could not find.
   */
  async ask(subject: PersonKey, reviewer: Reviewer): Promise<AskOutcome> {
    const reviewerKey = this.reviewerKey(subject, reviewer.userId);
    if (reviewerKey === subject) return { kind: 'refused', reason: 'self' };
    const asked = new Date();
    const at = this.now().toISOString();
    const id = this.newId();
    const outcome = await this.store.update(subject, (d): AskOutcome => {
      const record = d.history.at(-1);
      if (!record) return { kind: 'refused', reason: 'no-assessment' };
      const reviews = d.reviews ?? [];
      const same = reviews.filter((r) => r.assessmentId === record.id && r.reviewer === reviewerKey);
      const open = same.find((r) => OPEN.has(r.status));
      if (open)
        return { kind: 'refused', reason: 'already-asked', request: requestInfo(subject, open, record) };
      const done = same.find((r) => r.status === 'finished');
      if (done) {
        return { kind: 'refused', reason: 'already-reviewed', request: requestInfo(subject, done, record) };
      }
      const review: Review = {
        id,
        assessmentId: record.id,
        reviewer: reviewerKey,
        reviewerUserId: reviewer.userId,
        ...(reviewer.name ? { reviewerName: reviewer.name.slice(0, 80) } : {}),
        status: 'asked',
        position: 0,
        answers: {},
        askedAt: at,
        updatedAt: at,
      };
      // A declined or withdrawn request of the same pair makes way for the new one.
      d.reviews = [...reviews.filter((r) => !same.includes(r)), review];
      return { kind: 'asked', request: requestInfo(subject, review, record), record };
    });
    if (outcome.kind !== 'asked') return outcome;
    try {
      // A new request: a reviewer who deleted their data before it was made is asked afresh.
      await this.store.update(
        reviewerKey,
        (d) => {
          const given = d.reviewsGiven ?? [];
          if (!given.some((g) => g.of === subject && g.id === id))
            d.reviewsGiven = [...given, { of: subject, id }];
        },
        { madeAt: asked },
      );
    } catch (error) {
      await this.removeReview(subject, id).catch(() => undefined);
      throw error;
    }
    return outcome;
  }

  /** Deletes a request outright (it could not be delivered), with the reviewer's index entry. */
  async cancelUndelivered(subject: PersonKey, reviewId: string): Promise<void> {
    const removed = await this.removeReview(subject, reviewId);
    if (removed) await this.removeIndexEntry(removed.reviewer, { of: subject, id: reviewId });
  }

  /** Remembers where the request was delivered, so withdrawing it can say so there. */
  async delivered(
    subject: PersonKey,
    reviewId: string,
    message: { channel: string; ts: string },
  ): Promise<void> {
    await this.store.update(subject, (d) => {
      const review = d.reviews?.find((r) => r.id === reviewId);
      if (review && !review.requestMessage) review.requestMessage = { ...message };
    });
  }

  /** The request as the reviewer sees it (for Not now), if `reviewer` is its reviewer. Read only. */
  async request(
    subject: PersonKey,
    reviewer: PersonKey,
    reviewId: string,
  ): Promise<RequestInfo | ReviewRefusal> {
    const data = await this.store.get(subject);
    const found = findFor(data, reviewId, reviewer);
    if (!found) return { kind: 'review-refused', reason: 'not-yours' };
    if (!found.record) return { kind: 'review-refused', reason: 'assessment-gone' };
    return requestInfo(subject, found.review, found.record);
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
    return this.store.update(subject, (d): ReviewStep | Comparison | ReviewRefusal => {
      const open = this.openReview(d, subject, reviewId, reviewer);
      if (!('review' in open)) return open;
      const { review, record } = open;
      if (review.status === 'asked') {
        review.status = 'rating';
        review.position = 0;
        review.updatedAt = at;
      }
      if (reviewerName && review.reviewerName === undefined) review.reviewerName = reviewerName.slice(0, 80);
      return this.stepOf(subject, review, record, Math.min(review.position, record.competencies.length - 1));
    });
  }

  /**
   * The review `reviewId` of `subject` that `reviewer` may still work on, with its assessment; or,
   * when they may not (not theirs, declined, withdrawn, assessment gone), the refusal; or, when it is
   * finished, its comparison.
   */
  private openReview(
    d: PersonData,
    subject: PersonKey,
    reviewId: string,
    reviewer: PersonKey,
  ): { review: Review; record: AssessmentRecord } | Comparison | ReviewRefusal {
    const found = findFor(d, reviewId, reviewer);
    if (!found) return { kind: 'review-refused', reason: 'not-yours' };
    const { review, record } = found;
    if (!record) return { kind: 'review-refused', reason: 'assessment-gone' };
    if (review.status === 'declined' || review.status === 'withdrawn') {
      return { kind: 'review-refused', reason: review.status, request: requestInfo(subject, review, record) };
    }
    if (review.status === 'finished') return this.comparisonOf(subject, review, record);
    return { review, record };
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
    return this.store.update(subject, (d): ReviewStep | Comparison | ReviewRefusal => {
      const open = this.openReview(d, subject, answer.reviewId, reviewer);
      if (!('review' in open)) return open;
      const { review, record } = open;
      const index = record.competencies.findIndex((c) => c.id === answer.competencyId);
      if (index < 0 || review.status !== 'rating') {
        const where = Math.min(review.position, record.competencies.length - 1);
        return this.stepOf(subject, review, record, where);
      }
      const position = answer.choice === 'back' ? Math.max(0, index - 1) : index + 1;
      if (answer.choice !== 'back') {
        review.answers = {
          ...review.answers,
          [answer.competencyId]: answer.choice === 'skip' ? null : answer.choice,
        };
      }
      review.position = position;
      review.updatedAt = at;
      if (position < record.competencies.length) return this.stepOf(subject, review, record, position);
      review.status = 'finished';
      review.finishedAt = at;
      return { ...this.comparisonOf(subject, review, record), finishedNow: true };
    });
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
    return this.store.update(subject, (d): Declined | ReviewRefusal => {
      const found = findFor(d, reviewId, reviewer);
      if (!found) return { kind: 'review-refused', reason: 'not-yours' };
      const { review, record } = found;
      if (!record) return { kind: 'review-refused', reason: 'assessment-gone' };
      if (review.status === 'finished') return { kind: 'review-refused', reason: 'finished' };
      if (review.status === 'withdrawn') {
        return { kind: 'review-refused', reason: 'withdrawn', request: requestInfo(subject, review, record) };
      }
      const changed = review.status !== 'declined';
      if (changed) {
        review.status = 'declined';
        review.answers = {};
        review.updatedAt = at;
      }
      return { kind: 'declined', request: requestInfo(subject, review, record), changed };
    });
  }

  /**
   * The subject withdraws an open request: it is closed and the reviewer's answers so far are
   * dropped. Only the subject's own record is read, so nobody can withdraw another person's request.
   */
  async withdraw(
    subject: PersonKey,
    reviewId: string,
  ): Promise<
    | { kind: 'withdrawn'; request: RequestInfo; requestMessage: Review['requestMessage'] }
    | { kind: 'not-found' }
    | { kind: 'closed'; review: Review }
  > {
    const at = this.now().toISOString();
    return this.store.update(subject, (d) => {
      const review = d.reviews?.find((r) => r.id === reviewId);
      const record = review && d.history.find((h) => h.id === review.assessmentId);
      if (!review || !record) return { kind: 'not-found' as const };
      if (review.status === 'withdrawn') {
        return {
          kind: 'withdrawn' as const,
          request: requestInfo(subject, review, record),
          requestMessage: undefined,
        };
      }
      if (!OPEN.has(review.status)) return { kind: 'closed' as const, review: { ...review } };
      review.status = 'withdrawn';
      review.answers = {};
      review.updatedAt = at;
      return {
        kind: 'withdrawn' as const,
        request: requestInfo(subject, review, record),
        requestMessage: review.requestMessage,
      };
    });
  }

  /** The subject's requests, latest first, with the assessment each is about. */
  async requests(subject: PersonKey): Promise<RequestSummary[]> {
    const data = await this.store.get(subject);
    return [...(data.reviews ?? [])]
      .reverse()
      .map((review) => ({ review, record: data.history.find((h) => h.id === review.assessmentId) }));
  }

  /**
   * The reviews colleagues asked this person to give that are still open (asked, or being rated),
   * latest first: from the person's index of requests (`reviewsGiven`), the latest `most` of them,
   * each read in its subject's record and kept only when this person is its reviewer. What each
   * carries is what the request shows the reviewer: who asks, about which role and level, nothing rated.
   */
  async toGive(person: PersonKey, most = REVIEWS_TO_GIVE_READ): Promise<ReviewToGive[]> {
    const index = (await this.store.get(person)).reviewsGiven ?? [];
    const read = await Promise.all(
      index.slice(-most).map(async (entry) => ({ entry, data: await this.store.get(entry.of) })),
    );
    const result: ReviewToGive[] = [];
    for (const { entry, data } of read) {
      const found = findFor(data, entry.id, person);
      if (!found?.record || !OPEN.has(found.review.status)) continue;
      result.push({
        request: requestInfo(entry.of, found.review, found.record),
        askedAt: found.review.askedAt,
      });
    }
    return result.sort((a, b) => (a.askedAt < b.askedAt ? 1 : a.askedAt > b.askedAt ? -1 : 0));
  }

  /** A finished review beside the subject's self-assessment, for the subject (their own record only). */
  async comparison(subject: PersonKey, reviewId: string): Promise<Comparison | undefined> {
    const data = await this.store.get(subject);
    const review = data.reviews?.find((r) => r.id === reviewId);
    const record = review && data.history.find((h) => h.id === review.assessmentId);
    if (review?.status !== 'finished' || !record) return undefined;
    return this.comparisonOf(subject, review, record);
  }

  /**
   * One of the subject's assessments with the latest finished review of it, when there is one (for
   * the summary's chart), from one read; undefined when the subject has no such assessment.
   */
  async withLatestReview(
    subject: PersonKey,
    assessmentId: string,
  ): Promise<{ record: AssessmentRecord; review: Comparison | undefined } | undefined> {
    const data = await this.store.get(subject);
    const record = data.history.find((h) => h.id === assessmentId);
    if (!record) return undefined;
    const review = (data.reviews ?? [])
      .filter((r) => r.assessmentId === assessmentId && r.status === 'finished')
      .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''))
      .at(-1);
    return { record, review: review && this.comparisonOf(subject, review, record) };
  }

  /**
   * The reviews this person gave, as their export shows them: the answers they gave and what the
   * assessment was about, never the subject's self-ratings. Reads each subject's record.
   */
  async givenBy(person: PersonKey, data?: Readonly<PersonData>): Promise<GivenReviewExport[]> {
    const index = (data ?? (await this.store.get(person))).reviewsGiven ?? [];
    const result: GivenReviewExport[] = [];
    for (const entry of index) {
      const subjectData = await this.store.get(entry.of);
      const review = subjectData.reviews?.find((r) => r.id === entry.id && r.reviewer === person);
      if (!review) continue;
      const record = subjectData.history.find((h) => h.id === review.assessmentId);
      result.push({
        of: entry.of,
        id: review.id,
        status: review.status,
        roleName: record?.roleName ?? '',
        domainName: record?.domainName ?? '',
        levelName: record?.levelName ?? '',
        askedAt: review.askedAt,
        ...(review.finishedAt ? { finishedAt: review.finishedAt } : {}),
        answers: Object.entries(review.answers).map(([competencyId, rating]) => ({
          competencyId,
          competency: record?.competencies.find((c) => c.id === competencyId)?.name ?? '',
          rating,
        })),
      });
    }
    return result;
  }

  /**
   * Before a person's own record is deleted: deletes the reviews they gave (from the records of the
   * people they reviewed) and the index entries that point at reviews of them (in their reviewers'
   * records). Each is one update of one person; run before `store.forget`, so that a failure part way
   * leaves the person's own record, and its index, to find what is left on the next try.
   */
  async forgetAround(person: PersonKey): Promise<void> {
    const data = await this.store.get(person);
    for (const entry of data.reviewsGiven ?? []) {
      await this.store.update(entry.of, (d) => {
        if (!d.reviews?.some((r) => r.id === entry.id && r.reviewer === person)) return;
        d.reviews = d.reviews.filter((r) => !(r.id === entry.id && r.reviewer === person));
        if (d.reviews.length === 0) delete d.reviews;
      });
    }
    for (const review of data.reviews ?? []) {
      await this.removeIndexEntry(review.reviewer, { of: person, id: review.id });
    }
  }

  private async removeReview(subject: PersonKey, reviewId: string): Promise<Review | undefined> {
    return this.store.update(subject, (d) => {
      const review = d.reviews?.find((r) => r.id === reviewId);
      if (!review || !d.reviews) return undefined;
      d.reviews = d.reviews.filter((r) => r !== review);
      if (d.reviews.length === 0) delete d.reviews;
      return review;
    });
  }

  private async removeIndexEntry(reviewer: PersonKey, entry: ReviewGiven): Promise<void> {
    await this.store.update(reviewer, (d) => {
      if (!d.reviewsGiven?.some((g) => g.of === entry.of && g.id === entry.id)) return;
      d.reviewsGiven = d.reviewsGiven.filter((g) => !(g.of === entry.of && g.id === entry.id));
      if (d.reviewsGiven.length === 0) delete d.reviewsGiven;
    });
  }

  private stepOf(subject: PersonKey, review: Review, record: AssessmentRecord, index: number): ReviewStep {
    const assessed = record.competencies[index] ?? record.competencies[0];
    if (!assessed) throw new Error(`the assessment ${record.id} has no competencies`);
    const framework = this.catalog.get(record.frameworkId);
    const described = framework?.competencies.find((c) => c.id === assessed.id);
    return {
      kind: 'review-step',
      request: requestInfo(subject, review, record),
      index: record.competencies.indexOf(assessed),
      total: record.competencies.length,
      // Only what describes the competency: the subject's `rating` is deliberately not copied.
      competency: {
        id: assessed.id,
        name: assessed.name,
        category: assessed.category,
        description: described?.description,
      },
      current: own(review.answers, assessed.id) ?? null,
      scale:
        framework?.scale.map((s) => ({ value: s.value, label: s.label, description: s.description })) ??
        PLAIN_SCALE,
    };
  }

  private comparisonOf(subject: PersonKey, review: Review, record: AssessmentRecord): Comparison {
    const counts: Record<Agreement, number> = { same: 0, 'one-apart': 0, apart: 0, 'not-compared': 0 };
    const rows = record.competencies.map((c): ComparisonRow => {
      const reviewed = own(review.answers, c.id) ?? null;
      const { agreement, difference } = agreementOf(c.rating, reviewed);
      counts[agreement] += 1;
      return {
        id: c.id,
        name: c.name,
        tier: c.tier,
        expected: c.expected,
        self: c.rating,
        review: reviewed,
        agreement,
        difference,
      };
    });
    return {
      kind: 'comparison',
      request: requestInfo(subject, review, record),
      reviewerName: review.reviewerName,
      record,
      finishedAt: review.finishedAt ?? review.updatedAt,
      rows,
      counts,
      finishedNow: false,
    };
  }
}

/** The review with this id in the subject's data, if `reviewer` is its reviewer; and its assessment. */
function findFor(
  data: Readonly<PersonData>,
  reviewId: string,
  reviewer: PersonKey,
): { review: Review; record: AssessmentRecord | undefined } | undefined {
  const review = data.reviews?.find((r) => r.id === reviewId);
  if (!review || review.reviewer !== reviewer) return undefined;
  return { review, record: data.history.find((h) => h.id === review.assessmentId) };
}

function requestInfo(subject: PersonKey, review: Review, record: AssessmentRecord): RequestInfo {
  return {
    subject,
    subjectUserId: userIdOf(subject),
    reviewId: review.id,
    reviewerUserId: review.reviewerUserId,
    status: review.status,
    roleName: record.roleName,
    domainName: record.domainName,
    levelName: record.levelName,
    competencies: record.competencies.length,
  };
}
