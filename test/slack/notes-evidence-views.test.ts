import { describe, expect, it } from 'vitest';
import { snapshotOf } from '../../src/assessments/assessments.js';
import type { Comparison } from '../../src/assessments/reviews.js';
import type { Framework } from '../../src/frameworks/schema.js';
import { type Evidence, NOTE_MAX } from '../../src/model/growth.js';
import type { AssessmentRecord, PersonData } from '../../src/model/records.js';
import { ActionId } from '../../src/slack/ids.js';
import { ratingStepMessage, resultBlocks, summaryMessage } from '../../src/slack/views/assessment.js';
import { blockTextLength, MESSAGE_TEXT_BUDGET } from '../../src/slack/views/budget.js';
import { evidenceAddedMessage, evidenceModal, evidenceNoRoleModal } from '../../src/slack/views/evidence.js';
import { evenShare, noteModal } from '../../src/slack/views/notes.js';
import { comparisonMessage } from '../../src/slack/views/review.js';
import { sharedMessage } from '../../src/slack/views/share.js';
import { assertValidMessage, assertValidView } from '../support/block-kit.js';
import { hostileFramework, largestFramework } from './fixtures.js';

/**
 * Notes and evidence as people see them: on the rating card, in the person's own summary (never in
 * the channel post), in the comparison of a finished review, and within Slack's limits however long
 * the notes and however many the links.
 */

const AT = '2026-12-01T10:00:00.000Z';

/** A finished assessment of `framework` at its first level, every competency rated 2, each with `note(i)`. */
function assessed(framework: Framework, note: (i: number) => string | undefined): AssessmentRecord {
  const level = framework.levels[0];
  if (!level) throw new Error('no level');
  const data: PersonData = { ratings: {}, drafts: {}, history: [], notes: {} };
  data.ratings[framework.id] = Object.fromEntries(
    framework.competencies.map((c) => [
      c.id,
      { value: 2 as const, at: AT, frameworkVersion: framework.version },
    ]),
  );
  const notes: Record<string, { text: string; at: string }> = {};
  framework.competencies.forEach((c, i) => {
    const text = note(i);
    if (text !== undefined) notes[c.id] = { text, at: AT };
  });
  (data.notes ?? {})[framework.id] = notes;
  return snapshotOf(framework, level, data, 'session1', AT);
}

/** `count` pieces of evidence for competency `i`, one a day, the latest last. */
function evidenceOf(record: AssessmentRecord, i: number, count: number): Evidence[] {
  const c = record.competencies[i];
  if (!c) throw new Error('no competency');
  return Array.from({ length: count }, (_, n) => {
    const seconds = 1_764_000_000 + n * 86_400;
    return {
      id: `e${i}-${n}`,
      frameworkId: record.frameworkId,
      competencyId: c.id,
      competencyName: c.name,
      permalink: `https://acme.slack.com/archives/C0GENERAL1/p${seconds}000100`,
      channelId: 'C0GENERAL1',
      messageTs: `${seconds}.000100`,
      postedAt: new Date(seconds * 1000).toISOString(),
      addedAt: AT,
      addedBy: 'U0ALICE0001',
    };
  });
}

const textOf = (blocks: unknown): string => JSON.stringify(blocks);

describe('the rating card', () => {
  const framework = largestFramework();
  const level = framework.levels[0];
  const competency = framework.competencies[0];
  if (!level || !competency) throw new Error('fixture');
  const step = {
    kind: 'step' as const,
    framework,
    level,
    draft: {
      sessionId: 's'.repeat(40),
      frameworkId: framework.id,
      frameworkVersion: framework.version,
      levelId: level.id,
      position: 0,
      status: 'rating' as const,
      startedAt: AT,
      updatedAt: AT,
    },
    index: 0,
    competency,
    current: null,
  };

  it('has Add a note beside the rating, and shows the note, escaped, once there is one', () => {
    const without = ratingStepMessage(step);
    assertValidMessage(without);
    expect(textOf(without.blocks)).toContain('"Add a note"');
    const withNote = ratingStepMessage({ ...step, note: `<!channel> ${'x'.repeat(NOTE_MAX - 11)}` });
    assertValidMessage(withNote);
    expect(textOf(withNote.blocks)).toContain('Edit your note');
    expect(textOf(withNote.blocks)).toContain('&lt;!channel&gt;');
    expect(textOf(withNote.blocks)).not.toContain('<!channel>');
    const button = withNote.blocks
      .flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .find((e) => 'action_id' in e && e.action_id === ActionId.noteOpen);
    expect(button).toBeDefined();
  });

  it('the note form is a valid modal of at most 500 characters, filled with the current note', () => {
    const modal = noteModal({
      competencyName: competency.name,
      current: 'kept',
      whose: 'own',
      privateMetadata: '{}',
    });
    assertValidView(modal);
    expect(textOf(modal.blocks)).toContain('"max_length":500');
    expect(textOf(modal.blocks)).toContain('"initial_value":"kept"');
  });
});

describe('the summary’s rows', () => {
  const framework = largestFramework();

  it('show each note in full, escaped, and the latest three links of evidence with how many more', () => {
    const record = assessed(framework, (i) =>
      i === 0 ? 'Ran the <b>migration</b> & the rollout' : undefined,
    );
    const evidence = evidenceOf(record, 0, 5);
    const blocks = resultBlocks(record, 'you', { evidence });
    const text = textOf(blocks);
    expect(text).toContain(':memo: Ran the &lt;b&gt;migration&lt;/b&gt; &amp; the rollout');
    // Most recent first: the last three of five, then the count of the rest.
    expect(text).toContain(`<${evidence[4]?.permalink}|`);
    expect(text).toContain(`<${evidence[2]?.permalink}|`);
    expect(text).not.toContain(`<${evidence[1]?.permalink}|`);
    expect(text).toContain('+2 more in your export');
    expect(text).not.toContain('shortened');
  });

  it('never show notes or evidence in what others read (the channel post)', () => {
    const record = assessed(framework, () => 'private words');
    const evidence = evidenceOf(record, 0, 3);
    expect(textOf(resultBlocks(record, 'rated', { evidence }))).not.toContain('private words');
    const post = sharedMessage(record, 'U0ALICE0001');
    expect(textOf(post.blocks)).not.toContain('private words');
    expect(textOf(post.blocks)).not.toContain('acme.slack.com');
  });

  it('stay within Block Kit limits with a 500-character note on every competency and 25 links', () => {
    for (const base of [framework, hostileFramework()]) {
      const record = assessed(base, (i) => `${i} ${'&<'.repeat(100)}${'n'.repeat(NOTE_MAX - 203)}`);
      // 25 links on one competency (the most it keeps), and more on others where there are others.
      const last = record.competencies.length - 1;
      const evidence = [
        ...evidenceOf(record, 0, 25),
        ...(last >= 1 ? evidenceOf(record, 1, 25) : []),
        ...(last >= 2 ? evidenceOf(record, last, 1) : []),
      ];
      const summary = summaryMessage(record, { evidence });
      assertValidMessage(summary);
      expect(summary.blocks.length).toBeLessThanOrEqual(50);
      expect(blockTextLength(summary.blocks)).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET);
      const text = textOf(summary.blocks);
      // Every competency still shows its note; with many, shortened evenly, and said once.
      expect(text.split(':memo:').length - 1).toBe(record.competencies.length);
      if (base === framework) {
        expect(text.split('Some notes are shortened to fit here').length - 1).toBe(1);
        expect(text).toContain('…');
      }
      expect(text).toContain(':link:');
    }
  });

  it('speak to the colleague a person shares with as someone with no export: nothing points them to one', () => {
    const record = assessed(framework, (i) => `${i} ${'n'.repeat(NOTE_MAX - 3)}`);
    const evidence = [...evidenceOf(record, 0, 25), ...evidenceOf(record, 1, 5)];
    const own = textOf(resultBlocks(record, 'you', { evidence }));
    const shared = textOf(resultBlocks(record, 'rated', { evidence, extras: true }));
    expect(own).toContain('in your export');
    expect(shared).not.toContain('your export');
    expect(shared).not.toContain('/competency export');
    expect(shared).toContain('Some notes are shortened to fit here.');
    expect(shared).toMatch(/\+\d+ more/);
  });

  it('shorten notes to the same length: short ones stay whole', () => {
    expect(evenShare([10, 20, 500, 500], 430)).toBe(200);
    expect(evenShare([10, 20], 430)).toBe(Number.POSITIVE_INFINITY);
    expect(evenShare([500, 500], 0)).toBe(0);
  });
});

describe('the comparison of a finished review', () => {
  const framework = largestFramework();
  const record = assessed(framework, (i) => `self ${i} ${'s'.repeat(NOTE_MAX - 10)}`);
  const comparison: Comparison = {
    kind: 'comparison',
    request: {
      subject: 'T0LOCAL0001:U0ALICE0001',
      subjectUserId: 'U0ALICE0001',
      reviewId: 'r1',
      reviewerUserId: 'U0BOB000001',
      status: 'finished',
      roleName: record.roleName,
      domainName: record.domainName,
      levelName: record.levelName,
      competencies: record.competencies.length,
    },
    reviewerName: 'bob',
    record,
    finishedAt: AT,
    rows: record.competencies.map((c, i) => ({
      id: c.id,
      name: c.name,
      tier: c.tier,
      expected: c.expected,
      self: 2,
      review: 3,
      agreement: 'one-apart',
      difference: 1,
      selfNote: c.note,
      reviewNote: `review ${i} ${'r'.repeat(NOTE_MAX - 10)}`,
    })),
    counts: { same: 0, 'one-apart': record.competencies.length, apart: 0, 'not-compared': 0 },
    finishedNow: false,
  };

  it('shows both notes to the person reviewed, within Slack’s limits', () => {
    const theirs = comparisonMessage(comparison, 'subject');
    assertValidMessage(theirs);
    expect(blockTextLength(theirs.blocks)).toBeLessThanOrEqual(MESSAGE_TEXT_BUDGET);
    const text = textOf(theirs.blocks);
    expect(text).toContain(':memo: You: self 0');
    expect(text).toContain(':memo: <@U0BOB000001>: review 0');
  });

  it('shows the reviewer only their own notes, never the person’s', () => {
    const text = textOf(comparisonMessage(comparison, 'reviewer').blocks);
    expect(text).toContain('review 0');
    expect(text).not.toContain('self 0');
  });
});

describe('Add as evidence', () => {
  it('offers the competencies of the person’s framework, and says how to start without one', () => {
    for (const framework of [largestFramework(), hostileFramework()]) {
      const level = framework.levels[0];
      if (!level) throw new Error('fixture');
      const modal = evidenceModal(framework, level, '{}');
      assertValidView(modal);
      expect(textOf(modal.blocks)).toContain('never its words');
    }
    const none = evidenceNoRoleModal();
    assertValidView(none);
    expect(textOf(none.blocks)).toContain('/competency &lt;role&gt; &lt;level&gt;');
  });

  it('confirms what was added, where it shows, with a link to the message and Remove', () => {
    const record = assessed(largestFramework(), () => undefined);
    const [piece] = evidenceOf(record, 0, 1);
    if (!piece) throw new Error('fixture');
    const added = evidenceAddedMessage(piece);
    assertValidMessage(added);
    const text = textOf(added.blocks);
    expect(text).toContain(`<${piece.permalink}|the message of`);
    expect(text).toContain('/competency history');
    expect(text).toContain('"Remove"');
  });
});
