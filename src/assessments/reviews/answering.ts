import type { Catalog } from '../../frameworks/catalog.js';
import type { PersonKey } from '../../model/person.js';
import type { AssessmentRecord, PersonData, Review } from '../../model/records.js';
import type { Store } from '../../store/store.js';
import { own } from '../../util/own.js';
import { findFor, requestInfo } from './asking.js';
import { comparisonOf } from './comparison.js';
import type { Comparison, Declined, ReviewAnswer, ReviewRefusal, ReviewStep } from './types.js';

/**
 * Answering a request, the reviewer's side: starting, rating one competency at a time (with Skip and
 * Back), and declining. Each step is one update of the subject's record, checked there: only the
 * reviewer the subject chose may act, and a step carries nothing of the subject's self-ratings.
 */

const PLAIN_SCALE: ReviewStep['scale'] = [
  { value: 1, label: 'Basic', description: '' },
  { value: 2, label: 'Developing', description: '' },
  { value: 3, label: 'Proficient', description: '' },
  { value: 4, label: 'Advanced', description: '' },
  { value: 5, label: 'Expert', description: '' },
];

/** See Reviews.start. */
export async function startReview(
  store: Store,
  catalog: Catalog,
  at: string,
  subject: PersonKey,
  reviewer: PersonKey,
  reviewId: string,
  reviewerName: string | undefined,
): Promise<ReviewStep | Comparison | ReviewRefusal> {
  return store.update(subject, (d): ReviewStep | Comparison | ReviewRefusal => {
    const open = openReview(d, subject, reviewId, reviewer);
    if (!('review' in open)) return open;
    const { review, record } = open;
    if (review.status === 'asked') {
      review.status = 'rating';
      review.position = 0;
      review.updatedAt = at;
    }
    if (reviewerName && review.reviewerName === undefined) review.reviewerName = reviewerName.slice(0, 80);
    return stepOf(
      catalog,
      subject,
      review,
      record,
      Math.min(review.position, record.competencies.length - 1),
    );
  });
}

/** See Reviews.answer. */
export async function answerReview(
  store: Store,
  catalog: Catalog,
  at: string,
  subject: PersonKey,
  reviewer: PersonKey,
  answer: ReviewAnswer,
): Promise<ReviewStep | Comparison | ReviewRefusal> {
  return store.update(subject, (d): ReviewStep | Comparison | ReviewRefusal => {
    const open = openReview(d, subject, answer.reviewId, reviewer);
    if (!('review' in open)) return open;
    const { review, record } = open;
    const index = record.competencies.findIndex((c) => c.id === answer.competencyId);
    if (index < 0 || review.status !== 'rating') {
      const where = Math.min(review.position, record.competencies.length - 1);
      return stepOf(catalog, subject, review, record, where);
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
    if (position < record.competencies.length) return stepOf(catalog, subject, review, record, position);
    review.status = 'finished';
    review.finishedAt = at;
    return { ...comparisonOf(subject, review, record), finishedNow: true };
  });
}

/** See Reviews.decline. */
export async function declineReview(
  store: Store,
  at: string,
  subject: PersonKey,
  reviewer: PersonKey,
  reviewId: string,
): Promise<Declined | ReviewRefusal> {
  return store.update(subject, (d): Declined | ReviewRefusal => {
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
      delete review.notes;
      review.updatedAt = at;
    }
    return { kind: 'declined', request: requestInfo(subject, review, record), changed };
  });
}

/** What a reviewer's note did: the step it is on, shown again with it; or why it was not kept. */
export type ReviewNoteOutcome =
  | { kind: 'noted'; step: ReviewStep; note: string | undefined }
  | ReviewRefusal
  | { kind: 'unknown-competency' };

/**
 * See Reviews.note: the reviewer's note on one competency (`text` checked already; undefined removes
 * it), only while the review is open and theirs. A finished review refuses it: what the subject got
 * is what stays.
 */
export async function noteReview(
  store: Store,
  catalog: Catalog,
  at: string,
  subject: PersonKey,
  reviewer: PersonKey,
  input: { reviewId: string; competencyId: string; text: string | undefined },
): Promise<ReviewNoteOutcome> {
  return store.update(subject, (d): ReviewNoteOutcome => {
    const open = openReview(d, subject, input.reviewId, reviewer);
    if (!('review' in open)) {
      return open.kind === 'comparison' ? { kind: 'review-refused', reason: 'finished' } : open;
    }
    const { review, record } = open;
    const index = record.competencies.findIndex((c) => c.id === input.competencyId);
    if (index < 0) return { kind: 'unknown-competency' };
    const notes = { ...review.notes };
    if (input.text === undefined) delete notes[input.competencyId];
    else notes[input.competencyId] = input.text;
    if (Object.keys(notes).length === 0) delete review.notes;
    else review.notes = notes;
    review.updatedAt = at;
    return { kind: 'noted', step: stepOf(catalog, subject, review, record, index), note: input.text };
  });
}

/**
 * The reviewer's own note on one competency of a review they may still work on, and the competency's
 * name, to fill the form with.
 */
export async function reviewNoteOf(
  store: Store,
  subject: PersonKey,
  reviewer: PersonKey,
  reviewId: string,
  competencyId: string,
): Promise<{ note: string | undefined; competencyName: string | undefined } | ReviewRefusal> {
  const open = openReview(await store.get(subject), subject, reviewId, reviewer);
  if (!('review' in open)) {
    return open.kind === 'comparison' ? { kind: 'review-refused', reason: 'finished' } : open;
  }
  return {
    note: own(open.review.notes, competencyId),
    competencyName: open.record.competencies.find((c) => c.id === competencyId)?.name,
  };
}

/**
 * The review `reviewId` of `subject` that `reviewer` may still work on, with its assessment; or,
 * when they may not (not theirs, declined, withdrawn, assessment gone), the refusal; or, when it is
 * finished, its comparison.
 */
function openReview(
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
  if (review.status === 'finished') return comparisonOf(subject, review, record);
  return { review, record };
}

function stepOf(
  catalog: Catalog,
  subject: PersonKey,
  review: Review,
  record: AssessmentRecord,
  index: number,
): ReviewStep {
  const assessed = record.competencies[index] ?? record.competencies[0];
  if (!assessed) throw new Error(`the assessment ${record.id} has no competencies`);
  const framework = catalog.get(record.frameworkId);
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
    note: own(review.notes, assessed.id),
    scale:
      framework?.scale.map((s) => ({ value: s.value, label: s.label, description: s.description })) ??
      PLAIN_SCALE,
  };
}
