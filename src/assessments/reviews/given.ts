import type { PersonKey } from '../../model/person.js';
import type { PersonData, Review, ReviewGiven } from '../../model/records.js';
import type { Store } from '../../store/store.js';
import type { GivenReviewExport } from './types.js';

/**
 * The reviews a person gave, kept in the records of the people they reviewed and found through the
 * person's index (`reviewsGiven`): what their export shows of them, and what goes before their own
 * record is deleted. Also the removal of one request and of one index entry, each one update.
 */

/** See Reviews.givenBy. */
export async function reviewsGivenBy(
  store: Store,
  person: PersonKey,
  data: Readonly<PersonData> | undefined,
): Promise<GivenReviewExport[]> {
  const index = (data ?? (await store.get(person))).reviewsGiven ?? [];
  const result: GivenReviewExport[] = [];
  for (const entry of index) {
    const subjectData = await store.get(entry.of);
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
      ...(review.notes && Object.keys(review.notes).length > 0 ? { notes: { ...review.notes } } : {}),
    });
  }
  return result;
}

/** See Reviews.forgetAround. */
export async function forgetReviewsAround(store: Store, person: PersonKey): Promise<void> {
  const data = await store.get(person);
  for (const entry of data.reviewsGiven ?? []) {
    await store.update(entry.of, (d) => {
      if (!d.reviews?.some((r) => r.id === entry.id && r.reviewer === person)) return;
      d.reviews = d.reviews.filter((r) => !(r.id === entry.id && r.reviewer === person));
      if (d.reviews.length === 0) delete d.reviews;
    });
  }
  for (const review of data.reviews ?? []) {
    await removeIndexEntry(store, review.reviewer, { of: person, id: review.id });
  }
}

/** Deletes the request `reviewId` from the subject's record; resolves with it, if it was there. */
export async function removeReview(
  store: Store,
  subject: PersonKey,
  reviewId: string,
): Promise<Review | undefined> {
  return store.update(subject, (d) => {
    const review = d.reviews?.find((r) => r.id === reviewId);
    if (!review || !d.reviews) return undefined;
    d.reviews = d.reviews.filter((r) => r !== review);
    if (d.reviews.length === 0) delete d.reviews;
    return review;
  });
}

/** Deletes one entry of the reviewer's index (`reviewsGiven`). */
export async function removeIndexEntry(store: Store, reviewer: PersonKey, entry: ReviewGiven): Promise<void> {
  await store.update(reviewer, (d) => {
    if (!d.reviewsGiven?.some((g) => g.of === entry.of && g.id === entry.id)) return;
    d.reviewsGiven = d.reviewsGiven.filter((g) => !(g.of === entry.of && g.id === entry.id));
    if (d.reviewsGiven.length === 0) delete d.reviewsGiven;
  });
}
