import { beforeEach, describe, expect, it } from 'vitest';
import { Assessments, type Step } from '../../src/assessments/assessments.js';
import { EvidenceLog, evidenceFor, postedAtOf } from '../../src/assessments/evidence.js';
import { exportCsv, exportJson } from '../../src/assessments/export.js';
import { checkNote, Notes } from '../../src/assessments/notes.js';
import type { Comparison, ReviewStep, Reviews } from '../../src/assessments/reviews.js';
import { sameForEveryOrg } from '../../src/frameworks/org-catalogs.js';
import type { Framework } from '../../src/frameworks/schema.js';
import { EVIDENCE_PER_COMPETENCY_MAX, NOTE_MAX } from '../../src/model/growth.js';
import { countRecords } from '../../src/model/records.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { personDataProblems } from '../../src/store/schema.js';
import { bundledCatalog } from '../support/bundled.js';

/**
 * Notes on ratings (a person's own, a reviewer's) and evidence from Slack messages, in the domain:
 * what is kept, where, for how long, and who sees what.
 */

const ALICE = 'T1:UALICE';
const BOB = 'T1:UBOB';
const NOW = new Date('2026-12-01T10:00:00Z');
const PERMALINK = 'https://acme.slack.com/archives/C0GENERAL1/p1764583200000100';

let store: MemoryStore;
let assessments: Assessments;
let reviews: Reviews;
let notes: Notes;
let evidence: EvidenceLog;
let framework: Framework;

beforeEach(async () => {
  const seed = await bundledCatalog();
  const catalog = seed.catalog;
  framework = seed.framework;
  store = new MemoryStore();
  const orgs = sameForEveryOrg(catalog);
  assessments = new Assessments(store, orgs, () => NOW);
  reviews = assessments.reviews;
  notes = new Notes(store, orgs, () => NOW);
  let n = 0;
  evidence = new EvidenceLog(
    store,
    orgs,
    () => NOW,
    () => `ev${++n}`,
  );
});

const competency = (i: number) => framework.competencies[i]?.id ?? '';

/** Alice rates every competency 3 in one run, one click at a time; returns the finished assessment. */
async function rateThrough(person: string) {
  const start = await assessments.start(person, framework.id, 'senior');
  if (start.kind !== 'step') throw new Error('not started');
  let outcome: Awaited<ReturnType<Assessments['answer']>> = start;
  for (const c of framework.competencies) {
    outcome = await assessments.answer(person, {
      frameworkId: framework.id,
      frameworkVersion: framework.version,
      sessionId: start.draft.sessionId,
      competencyId: c.id,
      choice: 3,
    });
  }
  if (outcome.kind !== 'finished') throw new Error('not finished');
  return outcome.record;
}

describe('checkNote', () => {
  it('trims, takes empty text as "no note", keeps 500 characters and refuses 501', () => {
    expect(checkNote('  because  ')).toEqual({ ok: true, text: 'because' });
    expect(checkNote('   ')).toEqual({ ok: true, text: undefined });
    expect(checkNote(undefined)).toEqual({ ok: true, text: undefined });
    expect(checkNote('a'.repeat(NOTE_MAX))).toEqual({ ok: true, text: 'a'.repeat(NOTE_MAX) });
    expect(checkNote('a'.repeat(NOTE_MAX + 1))).toEqual({ ok: false, reason: 'too-long', length: 501 });
    // Spaces around a long note do not count against it.
    expect(checkNote(` ${'a'.repeat(NOTE_MAX)} `).ok).toBe(true);
  });

  it('drops what no store can keep: NUL characters and lone surrogates', () => {
    expect(checkNote('a\u0000b\ud800c')).toEqual({ ok: true, text: 'abc' });
  });
});

describe('a person’s own notes', () => {
  it('are kept per framework and competency, show on the card, and go with the assessment when it finishes', async () => {
    const start = await assessments.start(ALICE, framework.id, 'senior');
    if (start.kind !== 'step') throw new Error('not started');
    const saved = await notes.setOwn(ALICE, {
      frameworkId: framework.id,
      competencyId: competency(0),
      sessionId: start.draft.sessionId,
      text: '  Led the checkout redesign  ',
    });
    expect(saved).toMatchObject({ kind: 'saved', note: 'Led the checkout redesign' });
    // The card it was written on, shown again with the note.
    expect((saved as { step: Step }).step).toMatchObject({ index: 0, note: 'Led the checkout redesign' });
    expect(await notes.own(ALICE, framework.id, competency(0))).toBe('Led the checkout redesign');

    const record = await rateThrough(ALICE);
    expect(record.competencies[0]?.note).toBe('Led the checkout redesign');
    expect(record.competencies[1]).not.toHaveProperty('note');
    const data = await store.get(ALICE);
    expect(personDataProblems(data)).toEqual([]);
    expect(countRecords(data)).toBe(framework.competencies.length + 1 + 1 + 1);
  });

  it('empty text removes the note, and the record keeps no empty maps', async () => {
    await notes.setOwn(ALICE, { frameworkId: framework.id, competencyId: competency(1), text: 'x' });
    const removed = await notes.setOwn(ALICE, {
      frameworkId: framework.id,
      competencyId: competency(1),
      text: ' ',
    });
    expect(removed).toMatchObject({ kind: 'saved', note: undefined, step: undefined });
    expect((await store.get(ALICE)).notes).toBeUndefined();
  });

  it('refuses 501 characters and an unknown competency, and writes nothing', async () => {
    expect(
      await notes.setOwn(ALICE, {
        frameworkId: framework.id,
        competencyId: competency(0),
        text: 'a'.repeat(501),
      }),
    ).toEqual({ kind: 'too-long', length: 501 });
    expect(
      await notes.setOwn(ALICE, { frameworkId: framework.id, competencyId: 'no-such-thing', text: 'x' }),
    ).toEqual({ kind: 'unknown-competency' });
    expect(countRecords(await store.get(ALICE))).toBe(0);
  });
});

describe('a reviewer’s notes', () => {
  async function reviewWithNote(): Promise<{ id: string; step: ReviewStep }> {
    await rateThrough(ALICE);
    const asked = await reviews.ask(ALICE, { userId: 'UBOB' });
    if (asked.kind !== 'asked') throw new Error('not asked');
    const id = asked.request.reviewId;
    await reviews.start(ALICE, BOB, id);
    const noted = await reviews.note(ALICE, BOB, {
      reviewId: id,
      competencyId: competency(0),
      text: 'Clear designs',
    });
    if (noted.kind !== 'noted') throw new Error(`not noted: ${JSON.stringify(noted)}`);
    return { id, step: noted.step };
  }

  it('are the reviewer’s to see while they rate, and reach the person only with the finished review', async () => {
    const { id, step } = await reviewWithNote();
    expect(step).toMatchObject({ index: 0, note: 'Clear designs' });
    // Not finished: no comparison, and the export of the person reviewed has none of it.
    expect(await reviews.comparison(ALICE, id)).toBeUndefined();
    expect(exportJson(ALICE, await store.get(ALICE), NOW)).not.toContain('Clear designs');
    expect(exportCsv(await store.get(ALICE))).not.toContain('Clear designs');

    let outcome: ReviewStep | Comparison | { kind: string } = step;
    for (const c of framework.competencies) {
      outcome = await reviews.answer(ALICE, BOB, { reviewId: id, competencyId: c.id, choice: 4 });
    }
    expect(outcome.kind).toBe('comparison');
    const comparison = await reviews.comparison(ALICE, id);
    expect(comparison?.rows[0]).toMatchObject({ reviewNote: 'Clear designs' });
    expect(exportJson(ALICE, await store.get(ALICE), NOW)).toContain('Clear designs');
    expect(exportCsv(await store.get(ALICE))).toContain('Clear designs');
    // The reviewer's own export of reviews given has what they wrote.
    const given = await reviews.givenBy(BOB);
    expect(given[0]?.notes).toEqual({ [competency(0)]: 'Clear designs' });
    expect(exportCsv(await store.get(BOB), undefined, given)).toContain('Clear designs');

    // A finished review keeps what the person got: no more notes.
    expect(
      await reviews.note(ALICE, BOB, { reviewId: id, competencyId: competency(1), text: 'late' }),
    ).toEqual({
      kind: 'review-refused',
      reason: 'finished',
    });
  });

  it('are refused to anyone but the reviewer, and emptied when the request is declined or withdrawn', async () => {
    const { id } = await reviewWithNote();
    expect(
      await reviews.note(ALICE, 'T1:UCAROL', { reviewId: id, competencyId: competency(0), text: 'mine' }),
    ).toMatchObject({ kind: 'review-refused', reason: 'not-yours' });
    await reviews.decline(ALICE, BOB, id);
    expect((await store.get(ALICE)).reviews?.[0]?.notes).toBeUndefined();
  });

  it('are emptied when the person withdraws the request', async () => {
    const { id } = await reviewWithNote();
    await reviews.withdraw(ALICE, id);
    const review = (await store.get(ALICE)).reviews?.[0];
    expect(review?.status).toBe('withdrawn');
    expect(review?.notes).toBeUndefined();
    expect(
      await reviews.note(ALICE, BOB, { reviewId: id, competencyId: competency(0), text: 'x' }),
    ).toMatchObject({
      kind: 'review-refused',
      reason: 'withdrawn',
    });
  });
});

describe('evidence', () => {
  const input = (over: Partial<Parameters<EvidenceLog['add']>[1]> = {}) => ({
    frameworkId: framework.id,
    competencyId: competency(2),
    permalink: PERMALINK,
    channelId: 'C0GENERAL1',
    messageTs: '1764583200.000100',
    addedBy: 'UALICE',
    ...over,
  });

  it('keeps where the message is, when it was posted and who added it, and nothing of its words', async () => {
    const outcome = await evidence.add(ALICE, input({ note: ' Shows the rollout plan ' }));
    expect(outcome).toEqual({
      kind: 'added',
      forCompetency: 1,
      evidence: {
        id: 'ev1',
        frameworkId: framework.id,
        competencyId: competency(2),
        competencyName: framework.competencies[2]?.name,
        permalink: PERMALINK,
        channelId: 'C0GENERAL1',
        messageTs: '1764583200.000100',
        postedAt: '2025-12-01T10:00:00.000Z',
        addedAt: NOW.toISOString(),
        addedBy: 'UALICE',
        note: 'Shows the rollout plan',
      },
    });
    const data = await store.get(ALICE);
    expect(personDataProblems(data)).toEqual([]);
    expect(countRecords(data)).toBe(1);
    // The same message for the same competency again changes nothing.
    expect(await evidence.add(ALICE, input())).toMatchObject({ kind: 'already', evidence: { id: 'ev1' } });
    expect((await store.get(ALICE)).evidence).toHaveLength(1);
  });

  it('is listed most recent message first, in the export (JSON and CSV), and removed one by one', async () => {
    await evidence.add(ALICE, input());
    await evidence.add(ALICE, input({ messageTs: '1764669600.000200', permalink: `${PERMALINK}2` }));
    const listed = evidenceFor(await evidence.of(ALICE), framework.id, competency(2));
    expect(listed.map((e) => e.messageTs)).toEqual(['1764669600.000200', '1764583200.000100']);
    const data = await store.get(ALICE);
    expect(JSON.parse(exportJson(ALICE, data, NOW)).evidence).toHaveLength(2);
    const csv = exportCsv(data);
    expect(csv.split('\r\n').filter((line) => line.startsWith('evidence,'))).toHaveLength(2);
    expect(csv).toContain(PERMALINK);
    expect(await evidence.remove(ALICE, 'ev1')).toMatchObject({ id: 'ev1' });
    expect(await evidence.remove(ALICE, 'ev1')).toBeUndefined();
    expect((await store.get(ALICE)).evidence).toHaveLength(1);
  });

  it(`keeps at most ${EVIDENCE_PER_COMPETENCY_MAX} per competency, and refuses long notes and unknown competencies`, async () => {
    for (let i = 0; i < EVIDENCE_PER_COMPETENCY_MAX; i++) {
      expect(
        (await evidence.add(ALICE, input({ messageTs: `17645832${String(i).padStart(2, '0')}.000100` })))
          .kind,
      ).toBe('added');
    }
    expect(await evidence.add(ALICE, input({ messageTs: '1764590000.000100' }))).toEqual({
      kind: 'competency-full',
      competencyName: framework.competencies[2]?.name,
    });
    expect((await evidence.add(ALICE, input({ competencyId: competency(3) }))).kind).toBe('added');
    expect(await evidence.add(ALICE, input({ competencyId: competency(4), note: 'a'.repeat(501) }))).toEqual({
      kind: 'too-long',
      length: 501,
    });
    expect(await evidence.add(ALICE, input({ competencyId: 'nope' }))).toEqual({
      kind: 'unknown-competency',
    });
    expect(await evidence.add(ALICE, input({ messageTs: 'yesterday' }))).toEqual({ kind: 'bad-message' });
  });

  it('goes with everything else when the person forgets their data', async () => {
    await evidence.add(ALICE, input());
    await notes.setOwn(ALICE, { frameworkId: framework.id, competencyId: competency(0), text: 'x' });
    expect(await assessments.forget(ALICE)).toBe(2);
    expect(countRecords(await store.get(ALICE))).toBe(0);
  });

  it('dates a message from its timestamp', () => {
    expect(postedAtOf('1700000000.000100')).toBe('2023-11-14T22:13:20.000Z');
    expect(postedAtOf('not a ts')).toBeUndefined();
  });
});
