import { beforeEach, describe, expect, it } from 'vitest';
import { Assessments } from '../../src/assessments/assessments.js';
import { exportJson } from '../../src/assessments/export.js';
import { Shares } from '../../src/assessments/shares.js';
import { sameForEveryOrg } from '../../src/frameworks/org-catalogs.js';
import type { Framework } from '../../src/frameworks/schema.js';
import { type Plan, type PlanItem, SHARES_MAX } from '../../src/model/growth.js';
import { countRecords, type RatingValue } from '../../src/model/records.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { personDataProblems } from '../../src/store/schema.js';
import { bundledCatalog } from '../support/bundled.js';

const ALICE = 'T1:UALICE';
const BOB = 'T1:UBOB';
const CAROL = 'T1:UCAROL';

let store: MemoryStore;
let assessments: Assessments;
let shares: Shares;
let framework: Framework;
let now = new Date('2026-12-01T10:00:00Z');

beforeEach(async () => {
  const seed = await bundledCatalog();
  const catalog = seed.catalog;
  framework = seed.framework;
  store = new MemoryStore();
  now = new Date('2026-12-01T10:00:00Z');
  assessments = new Assessments(store, sameForEveryOrg(catalog), () => now);
  shares = new Shares(store, () => now);
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

function item(id: string, targetDate: string, status: PlanItem['status'] = 'open'): PlanItem {
  return {
    id,
    competencyId: framework.competencies[0]?.id ?? '',
    competencyName: framework.competencies[0]?.name ?? '',
    goal: `Goal ${id}`,
    nextStep: 'Next',
    targetDate,
    status,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

async function setPlan(person: string, items: PlanItem[]): Promise<void> {
  await store.update(person, (d) => {
    const plan: Plan = {
      frameworkId: framework.id,
      levelId: 'senior',
      assessmentId: d.history.at(-1)?.id ?? '',
      roleName: 'Solutions Architect',
      levelName: 'Senior',
      timeZone: 'Pacific/Auckland',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      items,
    };
    d.plan = plan;
  });
}

async function shareWithBob(): Promise<string> {
  const outcome = await shares.share(ALICE, 'UALICE', 'UBOB');
  if (outcome.kind !== 'shared') throw new Error(`not shared: ${outcome.reason}`);
  return outcome.share.id;
}

describe('sharing with one colleague', () => {
  it('keeps the share in the owner’s record and an index entry in the colleague’s', async () => {
    await finish(ALICE, [4, 5, 2, 4, 3, 2, 3, 1]);
    const id = await shareWithBob();
    const alice = await store.get(ALICE);
    expect(alice.shares).toEqual([
      { id, withUserId: 'UBOB', with: BOB, ownerUserId: 'UALICE', at: now.toISOString() },
    ]);
    expect(await store.get(BOB)).toEqual({
      ratings: {},
      drafts: {},
      history: [],
      sharesReceived: [{ of: ALICE, id }],
    });
    expect(personDataProblems(alice)).toEqual([]);
    expect(personDataProblems(await store.get(BOB))).toEqual([]);
    expect(countRecords(await store.get(BOB))).toBe(1);
  });

  it('refuses oneself, a second share with the same person, more than SHARES_MAX, and nothing to share', async () => {
    expect(await shares.share(ALICE, 'UALICE', 'UBOB')).toEqual({ kind: 'refused', reason: 'no-assessment' });
    await finish(ALICE, [4, 5, 2, 4, 3, 2, 3, 1]);
    expect(await shares.share(ALICE, 'UALICE', 'UALICE')).toEqual({ kind: 'refused', reason: 'self' });
    await shareWithBob();
    expect(await shares.share(ALICE, 'UALICE', 'UBOB')).toMatchObject({ kind: 'refused', reason: 'already' });
    for (let i = 1; i < SHARES_MAX; i++) {
      expect((await shares.share(ALICE, 'UALICE', `UPEER${i}`)).kind).toBe('shared');
    }
    expect(await shares.share(ALICE, 'UALICE', 'UONEMORE')).toEqual({ kind: 'refused', reason: 'too-many' });
    expect(await shares.check(ALICE, 'UONEMORE')).toEqual({ kind: 'refused', reason: 'too-many' });
    expect((await store.get(ALICE)).shares).toHaveLength(SHARES_MAX);
  });

  it('shows the colleague the latest assessment and the plan, and nobody else anything', async () => {
    await finish(ALICE, [1, 1, 1, 1, 1, 1, 1, 1]);
    const latest = await finish(ALICE, [4, 5, 2, 4, 3, 2, 3, 1]);
    await setPlan(ALICE, [item('i1', '2026-12-05')]);
    const id = await shareWithBob();
    const view = await shares.open(BOB, ALICE, id);
    if (view.kind !== 'shared') throw new Error('not shared');
    expect(view.record?.id).toBe(latest);
    expect(view.plan?.items.map((i) => i.id)).toEqual(['i1']);

    expect(await shares.open(CAROL, ALICE, id)).toEqual({ kind: 'not-shared' });
    expect(await shares.open(ALICE, ALICE, id)).toEqual({ kind: 'not-shared' });
    expect(await shares.open(BOB, CAROL, id)).toEqual({ kind: 'not-shared' });
    expect(await shares.open(BOB, ALICE, 'forged')).toEqual({ kind: 'not-shared' });
    expect(await shares.oneOnOne(CAROL, ALICE, id)).toEqual({ kind: 'not-shared' });
  });

  it('taking it back ends it: the colleague’s index entry goes, Open is refused, and the list is empty', async () => {
    await finish(ALICE, [4, 5, 2, 4, 3, 2, 3, 1]);
    const id = await shareWithBob();
    expect(await shares.received(BOB)).toHaveLength(1);
    const removed = await shares.takeBack(ALICE, id);
    expect(removed?.withUserId).toBe('UBOB');
    expect(await shares.takeBack(ALICE, id)).toBeUndefined();
    expect(await shares.open(BOB, ALICE, id)).toEqual({ kind: 'not-shared' });
    expect(await shares.received(BOB)).toEqual([]);
    expect(await store.get(BOB)).toEqual({ ratings: {}, drafts: {}, history: [] });
    expect((await store.get(ALICE)).shares).toBeUndefined();
  });

  it('the export of each says with whom and since when, and from whom', async () => {
    await finish(ALICE, [4, 5, 2, 4, 3, 2, 3, 1]);
    await shareWithBob();
    const alices = JSON.parse(exportJson(ALICE, await store.get(ALICE), now));
    expect(alices.sharesYouGave).toEqual([{ with: 'UBOB', since: now.toISOString() }]);
    expect(alices.sharesWithYou).toEqual([]);
    const bobs = JSON.parse(exportJson(BOB, await store.get(BOB), now));
    expect(bobs.sharesWithYou).toEqual([{ from: 'UALICE' }]);
    expect(bobs.about).toContain('"sharesWithYou"');
  });

  it('forgetting the owner removes the colleague’s index entry; forgetting the colleague removes the share', async () => {
    await finish(ALICE, [4, 5, 2, 4, 3, 2, 3, 1]);
    await finish(CAROL, [3, 3, 3, 3, 3, 3, 3, 3]);
    await shareWithBob();
    const carols = await shares.share(CAROL, 'UCAROL', 'UBOB');
    if (carols.kind !== 'shared') throw new Error('not shared');

    await assessments.forget(ALICE);
    expect((await store.get(BOB)).sharesReceived).toEqual([{ of: CAROL, id: carols.share.id }]);

    await assessments.forget(BOB);
    expect((await store.get(CAROL)).shares).toBeUndefined();
    expect(await shares.open(BOB, CAROL, carols.share.id)).toEqual({ kind: 'not-shared' });
  });
});

describe('the 1:1 summary', () => {
  it('gives focus areas and plan items due in the owner’s zone, then what moved since the last one', async () => {
    await finish(ALICE, [4, 5, 2, 4, 3, 2, 3, 1]);
    // Auckland is 13 hours ahead: 2026-12-01T10:00Z is 2026-12-01 23:00 there.
    await setPlan(ALICE, [
      item('late', '2026-11-30'),
      item('soon', '2026-12-15'),
      item('later', '2026-12-16'),
      item('done', '2026-12-02', 'done'),
    ]);
    const id = await shareWithBob();
    const first = await shares.oneOnOne(BOB, ALICE, id);
    if (first.kind !== 'one-on-one') throw new Error('refused');
    expect(first.today).toBe('2026-12-01');
    expect(first.focusAreas.map((r) => r.name)).toEqual(
      expect.arrayContaining([framework.competencies[2]?.name, framework.competencies[7]?.name]),
    );
    expect(first.overdue.map((i) => i.id)).toEqual(['late']);
    expect(first.dueSoon.map((i) => i.id)).toEqual(['soon']);
    expect(first.since).toBeUndefined();

    // A new assessment and a plan item that moved, then the owner asks.
    now = new Date('2026-12-10T10:00:00Z');
    await finish(ALICE, [4, 5, 3, 4, 3, 2, 3, 1]);
    await store.update(ALICE, (d) => {
      const soon = d.plan?.items.find((i) => i.id === 'soon');
      if (soon) soon.status = 'moving';
    });
    const second = await shares.oneOnOne(ALICE, ALICE, id);
    if (second.kind !== 'one-on-one' || !second.since) throw new Error('no moves');
    expect(second.since.at).toBe('2026-12-01T10:00:00.000Z');
    expect(second.since.ratings).toMatchObject({
      kind: 'changes',
      changes: [{ name: framework.competencies[2]?.name, from: 2, to: 3 }],
    });
    expect(second.since.items.map((m) => [m.item.id, m.from, m.to])).toEqual([['soon', 'open', 'moving']]);

    // Nothing moved since then.
    const third = await shares.oneOnOne(BOB, ALICE, id);
    if (third.kind !== 'one-on-one' || !third.since) throw new Error('no moves');
    expect(third.since.ratings).toEqual({ kind: 'same' });
    expect(third.since.items).toEqual([]);
  });
});
