import type { PersonKey } from '../../model/person.js';
import type { AssessmentRecord, PersonData, Review } from '../../model/records.js';
import type { Store } from '../../store/store.js';
import { removeIndexEntry, removeReview } from './given.js';
import type {
  AskOutcome,
  RequestInfo,
  RequestSummary,
  Reviewer,
  ReviewRefusal,
  ReviewToGive,
  WithdrawOutcome,
} from './types.js';

/**
 * Asking for a review: the request written in the subject's record and indexed in the reviewer's,
 * its delivery, its withdrawal, and the requests as each side lists them; and how a request is read
 * from the subject's record for the person acting.
 */

/** The statuses of a request the reviewer can still work on. */
const OPEN: ReadonlySet<Review['status']> = new Set(['asked', 'rating']);

/** The Slack user id in a person key (`T0123:U0456` → `U0456`). */
function userIdOf(person: PersonKey): string {
  return person.slice(person.lastIndexOf(':') + 1);
}

/** The org or workspace part of a person key (`T0123:U0456` → `T0123`). */
function orgOf(person: PersonKey): string {
  return person.slice(0, Math.max(0, person.lastIndexOf(':')));
}

/** The person key of a user of the subject's workspace or org: reviews stay within it. */
export function reviewerKeyOf(subject: PersonKey, reviewerUserId: string): PersonKey {
  return `${orgOf(subject)}:${reviewerUserId}`;
}

/** See Reviews.ask. */
export async function askForReview(
  store: Store,
  subject: PersonKey,
  reviewer: Reviewer,
  now: () => Date,
  newId: () => string,
): Promise<AskOutcome> {
  const reviewerKey = reviewerKeyOf(subject, reviewer.userId);
  if (reviewerKey === subject) return { kind: 'refused', reason: 'self' };
  const asked = new Date();
  const at = now().toISOString();
  const id = newId();
  const outcome = await store.update(subject, (d): AskOutcome => {
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
    await store.update(
      reviewerKey,
      (d) => {
        const given = d.reviewsGiven ?? [];
        if (!given.some((g) => g.of === subject && g.id === id))
          d.reviewsGiven = [...given, { of: subject, id }];
      },
      { madeAt: asked },
    );
  } catch (error) {
    await removeReview(store, subject, id).catch(() => undefined);
    throw error;
  }
  return outcome;
}

/** See Reviews.cancelUndelivered. */
export async function cancelUndeliveredRequest(
  store: Store,
  subject: PersonKey,
  reviewId: string,
): Promise<void> {
  const removed = await removeReview(store, subject, reviewId);
  if (removed) await removeIndexEntry(store, removed.reviewer, { of: subject, id: reviewId });
}

/** See Reviews.delivered. */
export async function rememberDelivery(
  store: Store,
  subject: PersonKey,
  reviewId: string,
  message: { channel: string; ts: string },
): Promise<void> {
  await store.update(subject, (d) => {
    const review = d.reviews?.find((r) => r.id === reviewId);
    if (review && !review.requestMessage) review.requestMessage = { ...message };
  });
}

/** See Reviews.request. */
export async function requestFor(
  store: Store,
  subject: PersonKey,
  reviewer: PersonKey,
  reviewId: string,
): Promise<RequestInfo | ReviewRefusal> {
  const data = await store.get(subject);
  const found = findFor(data, reviewId, reviewer);
  if (!found) return { kind: 'review-refused', reason: 'not-yours' };
  if (!found.record) return { kind: 'review-refused', reason: 'assessment-gone' };
  return requestInfo(subject, found.review, found.record);
}

/** See Reviews.withdraw. */
export async function withdrawRequest(
  store: Store,
  subject: PersonKey,
  reviewId: string,
  at: string,
): Promise<WithdrawOutcome> {
  return store.update(subject, (d) => {
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
    delete review.notes;
    review.updatedAt = at;
    return {
      kind: 'withdrawn' as const,
      request: requestInfo(subject, review, record),
      requestMessage: review.requestMessage,
    };
  });
}

/** See Reviews.requests. */
export async function requestsOf(store: Store, subject: PersonKey): Promise<RequestSummary[]> {
  const data = await store.get(subject);
  return [...(data.reviews ?? [])]
    .reverse()
    .map((review) => ({ review, record: data.history.find((h) => h.id === review.assessmentId) }));
}

/** See Reviews.toGive. */
export async function reviewsToGive(store: Store, person: PersonKey, most: number): Promise<ReviewToGive[]> {
  const index = (await store.get(person)).reviewsGiven ?? [];
  const read = await Promise.all(
    index.slice(-most).map(async (entry) => ({ entry, data: await store.get(entry.of) })),
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

/** The review with this id in the subject's data, if `reviewer` is its reviewer; and its assessment. */
export function findFor(
  data: Readonly<PersonData>,
  reviewId: string,
  reviewer: PersonKey,
): { review: Review; record: AssessmentRecord | undefined } | undefined {
  const review = data.reviews?.find((r) => r.id === reviewId);
  if (!review || review.reviewer !== reviewer) return undefined;
  return { review, record: data.history.find((h) => h.id === review.assessmentId) };
}

/** What the reviewer sees of the request: who asks, about which role and level. Nothing rated. */
export function requestInfo(subject: PersonKey, review: Review, record: AssessmentRecord): RequestInfo {
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
