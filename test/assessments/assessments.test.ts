import { beforeEach, describe, expect, it } from 'vitest';
import { type Answer, Assessments, type Step } from '../../src/assessments/assessments.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { sameForEveryOrg } from '../../src/frameworks/org-catalogs.js';
import { personKey } from '../../src/model/person.js';
import { MemoryStore } from '../../src/store/memory-store.js';

const FW = 'solutions-architect.e-commerce';
const ME = personKey({ userId: 'U1', teamId: 'T1' });

let store: MemoryStore;
let assessments: Assessments;
let ids = 0;

beforeEach(async () => {
  const catalog = new Catalog(await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]));
  store = new MemoryStore();
  assessments = new Assessments(
    store,
    sameForEveryOrg(catalog),
    () => new Date('2026-11-27T12:00:00Z'),
    () => `session-${++ids}`,
  );
});

function answerFor(step: Step, choice: Answer['choice']): Answer {
  return {
    frameworkId: step.framework.id,
    frameworkVersion: step.framework.version,
    sessionId: step.draft.sessionId,
    competencyId: step.competency.id,
    choice,
  };
}

async function asStep(promise: Promise<unknown>): Promise<Step> {
  const result = (await promise) as Step;
  if (result.kind !== 'step') throw new Error(`expected a step, got ${JSON.stringify(result)}`);
  return result;
}

describe('a person rating themselves', () => {
  it('keys people by Grid org when there is one, else by workspace', () => {
    expect(personKey({ userId: 'U1', teamId: 'T1' })).toBe('T1:U1');
    expect(personKey({ userId: 'U1', teamId: 'T1', enterpriseId: 'E1' })).toBe('E1:U1');
  });

  it('starts at the first competency and moves one at a time', async () => {
    let step = await asStep(assessments.start(ME, FW, 'senior'));
    expect(step.index).toBe(0);
    expect(step.current).toBeNull();
    step = await asStep(assessments.answer(ME, answerFor(step, 3)));
    expect(step.index).toBe(1);
    expect((await store.get(ME)).ratings[FW]?.['composable-commerce-strategy']?.value).toBe(3);
  });

  it('Back returns to the previous competency showing its rating; Skip keeps an earlier rating', async () => {
    let step = await asStep(assessments.start(ME, FW, 'senior'));
    step = await asStep(assessments.answer(ME, answerFor(step, 4)));
    step = await asStep(assessments.answer(ME, answerFor(step, 'back')));
    expect(step.index).toBe(0);
    expect(step.current).toBe(4);
    step = await asStep(assessments.answer(ME, answerFor(step, 'skip')));
    expect(step.index).toBe(1);
    expect((await store.get(ME)).ratings[FW]?.['composable-commerce-strategy']?.value).toBe(4);
  });

  it('finishes after the last competency with a snapshot of the expectations, once', async () => {
    let step = await asStep(assessments.start(ME, FW, 'mid-level'));
    for (let i = 0; i < 7; i++) step = await asStep(assessments.answer(ME, answerFor(step, 'na')));
    const last = answerFor(step, 2);
    const finished = await assessments.answer(ME, last);
    if (finished.kind !== 'finished') throw new Error('expected finished');
    expect(finished.record.levelName).toBe('Mid-Level');
    expect(finished.record.nextLevelName).toBe('Senior');
    expect(finished.record.competencies.map((c) => [c.expected, c.nextExpected])).toEqual([
      [2, 4],
      [2, 4],
      [1, 4],
      [2, 4],
      [1, 3],
      [2, 4],
      [1, 3],
      [1, 3],
    ]);
    // The same click again (a retry) shows the same summary and adds nothing.
    const again = await assessments.answer(ME, last);
    expect(again).toEqual(finished);
    expect((await store.get(ME)).history).toHaveLength(1);
  });

  it('resumes an unfinished run, and restart begins again at the first competency', async () => {
    let step = await asStep(assessments.start(ME, FW, 'senior'));
    step = await asStep(assessments.answer(ME, answerFor(step, 5)));
    step = await asStep(assessments.answer(ME, answerFor(step, 5)));
    expect(await assessments.progress(ME, FW)).toEqual({ position: 2, total: 8 });
    const resumed = await asStep(assessments.start(ME, FW, 'senior'));
    expect(resumed.index).toBe(2);
    expect(resumed.draft.sessionId).toBe(step.draft.sessionId);
    const restarted = await asStep(assessments.start(ME, FW, 'senior', { restart: true }));
    expect(restarted.index).toBe(0);
    expect(restarted.current).toBe(5);
    expect(restarted.draft.sessionId).not.toBe(step.draft.sessionId);
    expect((await assessments.unfinished(ME)).map((u) => u.level.id)).toEqual(['senior']);
  });

  it('refuses clicks it cannot trust, and writes nothing for them', async () => {
    const step = await asStep(assessments.start(ME, FW, 'senior'));
    const before = JSON.stringify(await store.get(ME));
    const refusals = await Promise.all([
      assessments.answer(ME, { ...answerFor(step, 3), frameworkId: 'nope.nope' }),
      assessments.answer(ME, { ...answerFor(step, 3), frameworkVersion: 'old' }),
      assessments.answer(ME, { ...answerFor(step, 3), competencyId: 'gone' }),
      assessments.answer(ME, { ...answerFor(step, 3), sessionId: 'an-old-session' }),
      assessments.answer(personKey({ userId: 'U2', teamId: 'T1' }), answerFor(step, 3)),
    ]);
    expect(refusals.map((r) => (r.kind === 'refused' ? r.reason : r.kind))).toEqual([
      'unknown-framework',
      'framework-changed',
      'unknown-competency',
      'out-of-date',
      'not-started',
    ]);
    expect(JSON.stringify(await store.get(ME))).toBe(before);
    expect(await store.size()).toBe(1);
  });

  it('history is latest first with the changes since the previous assessment of the framework', async () => {
    for (const rating of [2, 4] as const) {
      let step = await asStep(assessments.start(ME, FW, 'senior', { restart: true }));
      for (let i = 0; i < 7; i++) step = await asStep(assessments.answer(ME, answerFor(step, 'skip')));
      await assessments.answer(ME, answerFor(step, rating));
    }
    const history = await assessments.history(ME);
    expect(history).toHaveLength(2);
    expect(history[0]?.changes).toEqual([
      {
        id: 'supply-chain-integration-architecture',
        name: 'Supply Chain Integration Architecture',
        from: 2,
        to: 4,
      },
    ]);
    expect(history[1]?.changes).toBeNull();
    expect((await assessments.latest(ME))?.id).toBe(history[0]?.record.id);
  });
});
