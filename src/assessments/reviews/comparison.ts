import type { PersonKey } from '../../model/person.js';
import type { AssessmentRecord, RatingValue, Review } from '../../model/records.js';
import type { Store } from '../../store/store.js';
import { own } from '../../util/own.js';
import { requestInfo } from './asking.js';
import type { Agreement, Comparison, ComparisonRow } from './types.js';

/**
 * The comparison: a finished review beside the subject's self-assessment, competency by competency,
 * with how far apart the two ratings are. It exists only for a finished review.
 */

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

/** See Reviews.comparison. */
export async function comparisonFor(
  store: Store,
  subject: PersonKey,
  reviewId: string,
): Promise<Comparison | undefined> {
  const data = await store.get(subject);
  const review = data.reviews?.find((r) => r.id === reviewId);
  const record = review && data.history.find((h) => h.id === review.assessmentId);
  if (review?.status !== 'finished' || !record) return undefined;
  return comparisonOf(subject, review, record);
}

/** See Reviews.withLatestReview. */
export async function withLatestReviewOf(
  store: Store,
  subject: PersonKey,
  assessmentId: string,
): Promise<{ record: AssessmentRecord; review: Comparison | undefined } | undefined> {
  const data = await store.get(subject);
  const record = data.history.find((h) => h.id === assessmentId);
  if (!record) return undefined;
  const review = (data.reviews ?? [])
    .filter((r) => r.assessmentId === assessmentId && r.status === 'finished')
    .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''))
    .at(-1);
  return { record, review: review && comparisonOf(subject, review, record) };
}

export function comparisonOf(subject: PersonKey, review: Review, record: AssessmentRecord): Comparison {
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
      // The reviewer's notes reach the subject with the finished review only (comparisons exist for no other).
      ...(c.note === undefined ? {} : { selfNote: c.note }),
      ...(review.status === 'finished' && own(review.notes, c.id) !== undefined
        ? { reviewNote: own(review.notes, c.id) }
        : {}),
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
