import { describe, expect, it } from 'vitest';
import { exportCsv, exportJson } from '../../src/assessments/export.js';
import {
  addDays,
  checkEntry,
  dueItems,
  finishedItems,
  openItems,
  type PlanEntry,
  Plans,
  todayIn,
} from '../../src/assessments/plans.js';
import { PLAN_ITEMS_MAX } from '../../src/model/growth.js';
import type { AssessmentRecord, RatingValue } from '../../src/model/records.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { personDataProblems } from '../../src/store/schema.js';

/**
 * The plan's domain: what a form's fields may hold, making and making again (finished items kept),
 * how an item goes and the day it finished in the person's own zone, what is due — on a memory
 * store and a clock the test moves.
 */

const ME = 'T1:U1';
const AUCKLAND = 'Pacific/Auckland';

/** An assessment with ratings for competencies `c0`, `c1`… all expected at 4. */
function record(id: string, ratings: RatingValue[]): AssessmentRecord {
  return {
    id,
    frameworkId: 'solutions-architect.e-commerce',
    frameworkVersion: '1',
    roleName: 'Solutions Architect',
    domainName: 'E-commerce',
    levelId: 'senior',
    levelName: 'Senior',
    nextLevelName: null,
    finishedAt: '2026-01-10T10:00:00.000Z',
    competencies: ratings.map((rating, i) => ({
      id: `c${i}`,
      name: `Competency ${i}`,
      category: 'technical',
      tier: 'primary',
      expected: 4,
      nextExpected: null,
      rating,
    })),
  };
}

async function setup(now: { at: Date }) {
  const store = new MemoryStore();
  // c0 and c1 are focus areas (2 below), c2 is worth a conversation (1 below), c3 meets.
  await store.update(ME, (d) => {
    d.history.push(record('a1', [2, 1, 3, 4]));
  });
  return { store, plans: new Plans(store, () => now.at) };
}

const entry = (competencyId: string, targetDate = '2026-03-01'): PlanEntry => ({
  competencyId,
  goal: `Get better at ${competencyId}`,
  nextStep: 'Pair with someone who does it well',
  targetDate,
});

describe('checking what a person wrote', () => {
  const today = '2026-01-14';

  it('takes empty goal and next step as no item, whatever the date', () => {
    expect(checkEntry({ goal: ' ', nextStep: '', targetDate: '2020-01-01' }, today)).toEqual({
      kind: 'empty',
    });
  });

  it('needs both goal and next step once either is given, and a target date', () => {
    expect(checkEntry({ goal: 'Lead a design review', nextStep: null, targetDate: null }, today)).toEqual({
      kind: 'problems',
      nextStep: 'missing',
      targetDate: 'missing',
    });
  });

  it('refuses more than 500 characters and a day already past, and accepts today', () => {
    expect(checkEntry({ goal: 'x'.repeat(501), nextStep: 'y', targetDate: '2026-01-13' }, today)).toEqual({
      kind: 'problems',
      goal: 'too-long',
      targetDate: 'in-the-past',
    });
    expect(checkEntry({ goal: ' a ', nextStep: 'b', targetDate: today }, today)).toEqual({
      kind: 'ok',
      goal: 'a',
      nextStep: 'b',
      targetDate: today,
    });
    expect(checkEntry({ goal: 'a', nextStep: 'b', targetDate: '2026-02-30' }, today)).toMatchObject({
      targetDate: 'not-a-date',
    });
  });

  it('counts today in the person’s zone: Auckland is a day ahead of UTC in the evening UTC', () => {
    const at = new Date('2026-01-14T20:00:00Z');
    expect(todayIn('UTC', at)).toBe('2026-01-14');
    expect(todayIn(AUCKLAND, at)).toBe('2026-01-15');
    expect(todayIn('Not/AZone', at)).toBe('2026-01-14');
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
  });
});

describe('a plan', () => {
  it('is made from an assessment’s gaps, in the person’s zone, and is data the store accepts', async () => {
    const now = { at: new Date('2026-01-14T12:00:00Z') };
    const { store, plans } = await setup(now);
    const outcome = await plans.make(ME, {
      recordId: 'a1',
      timeZone: AUCKLAND,
      entries: [entry('c0'), entry('c2')],
    });
    expect(outcome.kind).toBe('made');
    const plan = await plans.of(ME);
    expect(plan).toMatchObject({ assessmentId: 'a1', timeZone: AUCKLAND, levelName: 'Senior' });
    expect(plan?.items.map((i) => [i.competencyName, i.status])).toEqual([
      ['Competency 0', 'open'],
      ['Competency 2', 'open'],
    ]);
    expect(personDataProblems(await store.get(ME))).toEqual([]);
  });

  it('refuses items for competencies that are no gap, and an assessment that is not the person’s', async () => {
    const { plans } = await setup({ at: new Date('2026-01-14T12:00:00Z') });
    expect(await plans.make(ME, { recordId: 'a1', timeZone: 'UTC', entries: [entry('c3')] })).toEqual({
      kind: 'not-a-gap',
      competencyIds: ['c3'],
    });
    expect(await plans.make(ME, { recordId: 'nope', timeZone: 'UTC', entries: [] })).toEqual({
      kind: 'no-assessment',
    });
    expect(await plans.of(ME)).toBeUndefined();
  });

  it('keeps a finished item with the day it finished in the person’s zone, not UTC’s', async () => {
    // 20:00 UTC on 14 January is already 15 January in Auckland.
    const now = { at: new Date('2026-01-14T20:00:00Z') };
    const { plans } = await setup(now);
    await plans.make(ME, { recordId: 'a1', timeZone: AUCKLAND, entries: [entry('c0'), entry('c1')] });
    const [first] = (await plans.of(ME))?.items ?? [];
    const done = await plans.setStatus(ME, first?.id ?? '', 'done');
    expect(done).toMatchObject({
      kind: 'set',
      changed: true,
      item: { status: 'done', finishedOn: '2026-01-15' },
    });
    // Again: nothing changes.
    expect(await plans.setStatus(ME, first?.id ?? '', 'done')).toMatchObject({ changed: false });
    // Back to moving: no longer finished.
    const moving = await plans.setStatus(ME, first?.id ?? '', 'moving');
    expect(moving.kind === 'set' && moving.item.finishedOn).toBeUndefined();
    expect(await plans.setStatus(ME, 'no-such-item', 'stuck')).toEqual({ kind: 'no-item' });
  });

  it('made again replaces the open items and keeps the finished ones, with their dates and the canvas', async () => {
    const now = { at: new Date('2026-01-14T12:00:00Z') };
    const { plans } = await setup(now);
    await plans.make(ME, { recordId: 'a1', timeZone: 'UTC', entries: [entry('c0'), entry('c1')] });
    const items = (await plans.of(ME))?.items ?? [];
    await plans.setStatus(ME, items[0]?.id ?? '', 'dropped');
    await plans.setStatus(ME, items[1]?.id ?? '', 'stuck');
    await plans.setCanvas(ME, { id: 'F123' });
    now.at = new Date('2026-02-01T12:00:00Z');
    await plans.make(ME, { recordId: 'a1', timeZone: 'UTC', entries: [entry('c2', '2026-04-01')] });
    const plan = await plans.of(ME);
    expect(plan && openItems(plan).map((i) => i.competencyId)).toEqual(['c2']);
    expect(plan && finishedItems(plan).map((i) => [i.competencyId, i.status, i.finishedOn])).toEqual([
      ['c0', 'dropped', '2026-01-14'],
    ]);
    expect(plan?.canvas).toEqual({ id: 'F123' });
    expect(plan?.createdAt).toBe('2026-01-14T12:00:00.000Z');
  });

  it(`keeps at most ${PLAN_ITEMS_MAX} items, dropping the finished ones that finished first`, async () => {
    const now = { at: new Date('2026-01-01T12:00:00Z') };
    const { store, plans } = await setup(now);
    // Finish two items a day, enough times to go past the cap.
    for (let day = 0; day < PLAN_ITEMS_MAX / 2 + 1; day++) {
      now.at = new Date(Date.UTC(2026, 0, 1 + day, 12));
      await plans.make(ME, {
        recordId: 'a1',
        timeZone: 'UTC',
        entries: [entry('c0', '2027-01-01'), entry('c1', '2027-01-01')],
      });
      for (const item of openItems((await plans.of(ME)) ?? { items: [] }))
        await plans.setStatus(ME, item.id, 'done');
    }
    await plans.make(ME, { recordId: 'a1', timeZone: 'UTC', entries: [entry('c2', '2027-01-01')] });
    const plan = await plans.of(ME);
    expect(plan?.items).toHaveLength(PLAN_ITEMS_MAX);
    expect(plan && openItems(plan)).toHaveLength(1);
    const days = (plan ? finishedItems(plan) : []).map((i) => i.finishedOn);
    // The newest day is kept, the oldest is gone.
    expect(days[0]).toBe('2026-01-31');
    expect(days).not.toContain('2026-01-01');
    expect(personDataProblems(await store.get(ME))).toEqual([]);
  });

  it('says what is due within some days, and what is overdue, in the person’s days', async () => {
    const now = { at: new Date('2026-01-14T12:00:00Z') };
    const { plans } = await setup(now);
    await plans.make(ME, {
      recordId: 'a1',
      timeZone: 'UTC',
      entries: [entry('c0', '2026-01-20'), entry('c1', '2026-03-01'), entry('c2', '2026-01-15')],
    });
    now.at = new Date('2026-01-16T12:00:00Z');
    const plan = (await plans.of(ME)) ?? { items: [] };
    const due = dueItems(plan, plans.today('UTC'), 7);
    expect(due.overdue.map((i) => i.competencyId)).toEqual(['c2']);
    expect(due.dueSoon.map((i) => i.competencyId)).toEqual(['c0']);
  });
});

describe('export and forget', () => {
  it('export has the plan in JSON and a row per item in CSV, and forget deletes it', async () => {
    const now = { at: new Date('2026-01-14T12:00:00Z') };
    const { store, plans } = await setup(now);
    await plans.make(ME, { recordId: 'a1', timeZone: AUCKLAND, entries: [entry('c0', '2026-05-04')] });
    const data = await store.get(ME);
    const json = JSON.parse(exportJson(ME, data, now.at));
    expect(json.plan.items[0]).toMatchObject({ goal: 'Get better at c0', targetDate: '2026-05-04' });
    expect(json.plan.timeZone).toBe(AUCKLAND);
    const [header, ...lines] = exportCsv(data).trimEnd().split('\r\n');
    const columns = header?.split(',') ?? [];
    const row = lines.map((line) => Object.fromEntries(line.split(',').map((v, i) => [columns[i], v])));
    expect(row.find((r) => r.kind === 'plan item (open)')).toMatchObject({
      competency: 'Competency 0',
      goal: 'Get better at c0',
      next_step: 'Pair with someone who does it well',
      target_date: '2026-05-04',
    });

    await store.forget(ME);
    expect(await plans.of(ME)).toBeUndefined();
  });

  it('uninstalling the app from the workspace deletes the plan, counted among the records', async () => {
    const { store, plans } = await setup({ at: new Date('2026-01-14T12:00:00Z') });
    await plans.make(ME, { recordId: 'a1', timeZone: 'UTC', entries: [entry('c0'), entry('c1')] });
    const result = await store.uninstall({ installation: 'T1', people: 'T1' });
    // One finished assessment and two plan items.
    expect(result).toMatchObject({ people: 1, records: 3 });
    expect(await plans.of(ME)).toBeUndefined();
  });
});
