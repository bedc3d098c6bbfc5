import { beforeEach, describe, expect, it } from 'vitest';
import { Assessments } from '../../src/assessments/assessments.js';
import { sameForEveryOrg } from '../../src/frameworks/org-catalogs.js';
import type { Framework } from '../../src/frameworks/schema.js';
import type { RatingValue } from '../../src/model/records.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { bundledCatalog } from '../support/bundled.js';

/**
 * What the Home tab, help, `compare` and a check-in need from the domain (issue 19, part 6): the
 * role and level a person worked on last, the reviews colleagues asked them to give, and what moved
 * since the assessment before. Plain TypeScript over a memory store; each failed before this part
 * (none of these existed).
 */

const ALICE = 'T1:UALICE';
const BOB = 'T1:UBOB';
const CAROL = 'T1:UCAROL';

let store: MemoryStore;
let assessments: Assessments;
let framework: Framework;
let clock: Date;

beforeEach(async () => {
  const seed = await bundledCatalog();
  const catalog = seed.catalog;
  framework = seed.framework;
  store = new MemoryStore();
  clock = new Date('2026-03-03T10:00:00Z');
  assessments = new Assessments(store, sameForEveryOrg(catalog), () => clock);
});

const later = (days: number) => {
  clock = new Date(clock.getTime() + days * 86_400_000);
};

async function finish(person: string, levelId: string, ratings: RatingValue[]): Promise<string> {
  const outcome = await assessments.rateAll(person, {
    frameworkId: framework.id,
    frameworkVersion: framework.version,
    levelId,
    ratings: Object.fromEntries(framework.competencies.map((c, i) => [c.id, ratings[i] ?? null])),
    submissionId: `form-${person}-${clock.toISOString()}`,
  });
  if (outcome.kind !== 'finished') throw new Error('not finished');
  return outcome.record.id;
}

describe('the role and level a person worked on last', () => {
  it('is none for someone new, the latest finished one, then a run in progress of another level', async () => {
    expect(await assessments.lastRole(ALICE)).toBeUndefined();
    const id = await finish(ALICE, 'senior', [3, 3, 3, 3, 3, 3, 3, 3]);
    const finished = await assessments.lastRole(ALICE);
    expect(finished).toMatchObject({ level: { id: 'senior' }, progress: undefined, latest: { id } });
    expect(finished?.framework.id).toBe(framework.id);

    later(1);
    const step = await assessments.start(ALICE, framework.id, 'lead-principal', { restart: true });
    if (step.kind !== 'step') throw new Error('not started');
    await assessments.answer(ALICE, {
      frameworkId: framework.id,
      frameworkVersion: framework.version,
      sessionId: step.draft.sessionId,
      competencyId: step.competency.id,
      choice: 4,
    });
    expect(await assessments.lastRole(ALICE)).toMatchObject({
      level: { id: 'lead-principal' },
      progress: { position: 1, total: 8 },
      latest: undefined,
    });
  });
});

describe('reviews to give', () => {
  it('lists the open requests colleagues made of this person, latest first, and drops closed ones', async () => {
    await finish(ALICE, 'senior', [3, 3, 3, 3, 3, 3, 3, 3]);
    await finish(CAROL, 'senior', [4, 4, 4, 4, 4, 4, 4, 4]);
    const fromAlice = await assessments.reviews.ask(ALICE, { userId: 'UBOB' });
    later(1);
    const fromCarol = await assessments.reviews.ask(CAROL, { userId: 'UBOB' });
    if (fromAlice.kind !== 'asked' || fromCarol.kind !== 'asked') throw new Error('not asked');

    const toGive = await assessments.reviews.toGive(BOB);
    expect(toGive.map((t) => t.request.subjectUserId)).toEqual(['UCAROL', 'UALICE']);
    expect(toGive[0]).toMatchObject({
      askedAt: clock.toISOString(),
      request: { roleName: 'Solutions Architect', levelName: 'Senior', status: 'asked' },
    });
    // Nothing rated travels with a request.
    expect(JSON.stringify(toGive)).not.toContain('"rating"');
    // Nobody else sees them as theirs to give.
    expect(await assessments.reviews.toGive(CAROL)).toEqual([]);

    await assessments.reviews.withdraw(CAROL, fromCarol.request.reviewId);
    expect((await assessments.reviews.toGive(BOB)).map((t) => t.request.subjectUserId)).toEqual(['UALICE']);
  });
});

describe('what moved since the assessment before', () => {
  it('compares with the one before of the same framework, whatever its level', async () => {
    const first = await finish(ALICE, 'senior', [3, 2, 4, 4, 4, 4, 4, 4]);
    expect(await assessments.movesOf(ALICE, first)).toBeUndefined();
    later(90);
    const second = await finish(ALICE, 'lead-principal', [4, 3, 4, 4, 4, 4, 4, 4]);
    const moves = await assessments.movesOf(ALICE, second);
    expect(moves?.previous.id).toBe(first);
    expect(moves?.unchanged).toBe(6);
    expect(moves?.changes.map((c) => [c.name, c.from, c.to])).toEqual([
      ['Composable Commerce Strategy', 3, 4],
      ['Omnichannel Architecture', 2, 3],
    ]);
    expect(await assessments.movesOf(BOB, second)).toBeUndefined();
  });
});
