import { beforeEach, describe, expect, it } from 'vitest';
import { Assessments } from '../../src/assessments/assessments.js';
import { agreementOf } from '../../src/assessments/reviews/comparison.js';
import type { Comparison, ReviewStep, Reviews } from '../../src/assessments/reviews.js';
import { sameForEveryOrg } from '../../src/frameworks/org-catalogs.js';
import type { Framework } from '../../src/frameworks/schema.js';
import { countRecords, type RatingValue } from '../../src/model/records.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { personDataProblems } from '../../src/store/schema.js';
import { bundledCatalog } from '../support/bundled.js';

const ALICE = 'T1:UALICE';
const BOB = 'T1:UBOB';
const CAROL = 'T1:UCAROL';

let store: MemoryStore;
let assessments: Assessments;
let reviews: Reviews;
let framework: Framework;

beforeEach(async () => {
  const seed = await bundledCatalog();
  const catalog = seed.catalog;
  framework = seed.framework;
  store = new MemoryStore();
  assessments = new Assessments(store, sameForEveryOrg(catalog), () => new Date('2026-12-01T10:00:00Z'));
  reviews = assessments.reviews;
});

async function finish(person: string, ratings: RatingValue[]): Promise<string> {
  const outcome = await assessments.rateAll(person, {
    frameworkId: framework.id,
    frameworkVersion: framework.version,
    levelId: 'senior',
    ratings: Object.fromEntries(framework.competencies.map((c, i) => [c.id, ratings[i] ?? null])),
    submissionId: `form-${person}-${Math.random()}`,
  });
  if (outcome.kind !== 'finished') throw new Error('not finished');
  return outcome.record.id;
}

async function askBob(): Promise<string> {
  const outcome = await reviews.ask(ALICE, { userId: 'UBOB', name: 'bob' });
  if (outcome.kind !== 'asked') throw new Error(`not asked: ${outcome.reason}`);
  return outcome.request.reviewId;
}

async function rateAll(id: string, ratings: (RatingValue | 'skip')[]): Promise<Comparison> {
  let outcome: ReviewStep | Comparison | { kind: string } = await reviews.start(ALICE, BOB, id);
  for (const [i, choice] of ratings.entries()) {
    const competencyId = framework.competencies[i]?.id ?? '';
    outcome = await reviews.answer(ALICE, BOB, { reviewId: id, competencyId, choice });
  }
  if (outcome.kind !== 'comparison') throw new Error(`not finished: ${JSON.stringify(outcome)}`);
  return outcome as Comparison;
}

describe('asking for a review', () => {
  it('keeps the request in the asker’s record and an index entry in the reviewer’s', async () => {
    const assessmentId = await finish(ALICE, [4, 5, 2, 4, 3, 2, 3, 1]);
    const id = await askBob();
    const alice = await store.get(ALICE);
    expect(alice.reviews).toEqual([
      expect.objectContaining({
        id,
        assessmentId,
        reviewer: BOB,
        reviewerUserId: 'UBOB',
        status: 'asked',
        answers: {},
      }),
    ]);
    expect((await store.get(BOB)).reviewsGiven).toEqual([{ of: ALICE, id }]);
    expect(personDataProblems(alice)).toEqual([]);
    expect(countRecords(await store.get(BOB))).toBe(1);
  });

  it('refuses without a finished assessment, and for oneself; one open request per reviewer and assessment', async () => {
    expect(await reviews.ask(ALICE, { userId: 'UBOB' })).toEqual({
      kind: 'refused',
      reason: 'no-assessment',
    });
    await finish(ALICE, [3, 3, 3, 3, 3, 3, 3, 3]);
    expect(await reviews.ask(ALICE, { userId: 'UALICE' })).toEqual({ kind: 'refused', reason: 'self' });
    const id = await askBob();
    const again = await reviews.ask(ALICE, { userId: 'UBOB' });
    expect(again).toMatchObject({ kind: 'refused', reason: 'already-asked', request: { reviewId: id } });
    // Several reviewers are fine.
    expect((await reviews.ask(ALICE, { userId: 'UCAROL' })).kind).toBe('asked');
    expect((await store.get(ALICE)).reviews).toHaveLength(2);
  });

  it('an undelivered request is deleted from both records', async () => {
    await finish(ALICE, [3, 3, 3, 3, 3, 3, 3, 3]);
    const id = await askBob();
    await reviews.cancelUndelivered(ALICE, id);
    expect((await store.get(ALICE)).reviews).toBeUndefined();
    expect((await store.get(BOB)).reviewsGiven).toBeUndefined();
  });
});

describe('rating a colleague', () => {
  it('shows the reviewer nothing of the asker’s ratings, and compares once finished', async () => {
    await finish(ALICE, [4, 5, 2, 4, 3, 2, 3, 'na']);
    const id = await askBob();
    const step = await reviews.start(ALICE, BOB, id, 'bob');
    if (step.kind !== 'review-step') throw new Error('no step');
    expect(step.index).toBe(0);
    expect(step.current).toBeNull();
    // No field of a step carries the asker's rating.
    expect(JSON.stringify(step)).not.toMatch(/"rating":/);
    expect(Object.keys(step.competency).sort()).toEqual(['category', 'description', 'id', 'name']);

    const comparison = await rateAll(id, [4, 4, 4, 'skip', 3, 2, 1, 3]);
    expect(comparison.finishedNow).toBe(true);
    expect(comparison.rows.map((r) => r.agreement)).toEqual([
      'same',
      'one-apart',
      'apart',
      'not-compared',
      'same',
      'same',
      'apart',
      'not-compared',
    ]);
    expect(comparison.counts).toEqual({ same: 3, 'one-apart': 1, apart: 2, 'not-compared': 2 });
    const kept = (await store.get(ALICE)).reviews?.[0];
    expect(kept).toMatchObject({ status: 'finished', position: 8, reviewerName: 'bob' });
    expect(personDataProblems(await store.get(ALICE))).toEqual([]);

    // The same last click again: the same comparison, nothing written, not "finished now".
    const last = framework.competencies[7]?.id ?? '';
    const again = await reviews.answer(ALICE, BOB, { reviewId: id, competencyId: last, choice: 3 });
    expect(again).toMatchObject({ kind: 'comparison', finishedNow: false });
    expect((await reviews.withLatestReview(ALICE, kept?.assessmentId ?? ''))?.review?.request.reviewId).toBe(
      id,
    );
  });

  it('Back keeps answers; a click for another competency shows where the reviewer is', async () => {
    await finish(ALICE, [3, 3, 3, 3, 3, 3, 3, 3]);
    const id = await askBob();
    await reviews.start(ALICE, BOB, id);
    const c = framework.competencies.map((x) => x.id);
    await reviews.answer(ALICE, BOB, { reviewId: id, competencyId: c[0] ?? '', choice: 5 });
    const back = await reviews.answer(ALICE, BOB, { reviewId: id, competencyId: c[1] ?? '', choice: 'back' });
    expect(back).toMatchObject({ kind: 'review-step', index: 0, current: 5 });
    const unknown = await reviews.answer(ALICE, BOB, { reviewId: id, competencyId: 'nope', choice: 2 });
    expect(unknown).toMatchObject({ kind: 'review-step', index: 0 });
  });

  it('nobody else can start, answer or decline, and nothing is written for them', async () => {
    await finish(ALICE, [3, 3, 3, 3, 3, 3, 3, 3]);
    const id = await askBob();
    const before = structuredClone(await store.get(ALICE));
    const c0 = framework.competencies[0]?.id ?? '';
    for (const someone of [CAROL, ALICE, 'T2:UBOB']) {
      expect(await reviews.start(ALICE, someone, id)).toEqual({
        kind: 'review-refused',
        reason: 'not-yours',
      });
      expect(await reviews.answer(ALICE, someone, { reviewId: id, competencyId: c0, choice: 4 })).toEqual({
        kind: 'review-refused',
        reason: 'not-yours',
      });
      expect(await reviews.decline(ALICE, someone, id)).toEqual({
        kind: 'review-refused',
        reason: 'not-yours',
      });
      expect(await reviews.request(ALICE, someone, id)).toEqual({
        kind: 'review-refused',
        reason: 'not-yours',
      });
    }
    // A made-up id is answered the same way.
    expect(await reviews.start(ALICE, BOB, 'made-up')).toEqual({
      kind: 'review-refused',
      reason: 'not-yours',
    });
    // Withdraw works on the clicker's own record only.
    expect(await reviews.withdraw(CAROL, id)).toEqual({ kind: 'not-found' });
    expect(await store.get(ALICE)).toEqual(before);
  });

  it('decline and withdraw close the request and drop the answers', async () => {
    await finish(ALICE, [3, 3, 3, 3, 3, 3, 3, 3]);
    const id = await askBob();
    await reviews.start(ALICE, BOB, id);
    await reviews.answer(ALICE, BOB, {
      reviewId: id,
      competencyId: framework.competencies[0]?.id ?? '',
      choice: 4,
    });
    const withdrawn = await reviews.withdraw(ALICE, id);
    expect(withdrawn.kind).toBe('withdrawn');
    expect((await store.get(ALICE)).reviews?.[0]).toMatchObject({ status: 'withdrawn', answers: {} });
    expect(await reviews.start(ALICE, BOB, id)).toMatchObject({
      kind: 'review-refused',
      reason: 'withdrawn',
    });

    const second = await askBob();
    expect(second).not.toBe(id);
    const declined = await reviews.decline(ALICE, BOB, second);
    expect(declined).toMatchObject({ kind: 'declined', changed: true });
    expect(await reviews.decline(ALICE, BOB, second)).toMatchObject({ kind: 'declined', changed: false });
    expect(await reviews.withdraw(ALICE, second)).toMatchObject({ kind: 'closed' });
  });
});

describe('forgetting', () => {
  it('the reviewer: their reviews go from the asker’s record, then their own record', async () => {
    await finish(ALICE, [3, 3, 3, 3, 3, 3, 3, 3]);
    const id = await askBob();
    await rateAll(id, [4, 4, 4, 4, 4, 4, 4, 4]);
    expect(await assessments.recordCount(BOB)).toBe(1);
    expect(await assessments.forget(BOB)).toBe(1);
    expect((await store.get(ALICE)).reviews).toBeUndefined();
    expect(await store.size()).toBe(1);
  });

  it('the asker: the reviews of them go with their record, and the reviewers’ index entries too', async () => {
    await finish(ALICE, [3, 3, 3, 3, 3, 3, 3, 3]);
    const id = await askBob();
    await rateAll(id, [4, 4, 4, 4, 4, 4, 4, 4]);
    // 8 ratings, 1 draft, 1 assessment, 1 review
    expect(await assessments.forget(ALICE)).toBe(11);
    // Bob keeps an empty record: nothing of Alice's is left in it.
    expect(await store.get(BOB)).toEqual({ ratings: {}, drafts: {}, history: [] });
    expect(await store.get(ALICE)).toEqual({ ratings: {}, drafts: {}, history: [] });
  });
});

describe('agreementOf', () => {
  it('is the same, one apart, two or more apart, or not compared', () => {
    expect(agreementOf(3, 3)).toEqual({ agreement: 'same', difference: 0 });
    expect(agreementOf(3, 4)).toEqual({ agreement: 'one-apart', difference: 1 });
    expect(agreementOf(5, 1)).toEqual({ agreement: 'apart', difference: 4 });
    expect(agreementOf('na', 1).agreement).toBe('not-compared');
    expect(agreementOf(2, null).agreement).toBe('not-compared');
  });
});
