import { describe, expect, it } from 'vitest';
import type { HistoryEntry, Step } from '../../src/assessments/assessments.js';
import type { AssessmentRecord, Draft } from '../../src/model/records.js';
import { validateMessage, validateView } from '../../src/sandbox/block-kit.js';
import { ratingStepMessage, summaryMessage } from '../../src/slack/views/assessment.js';
import { forgetConfirmMessage, forgottenMessage } from '../../src/slack/views/forget.js';
import { historyMessage } from '../../src/slack/views/history.js';
import { homeView, homeWith } from '../../src/slack/views/home.js';
import { rateAllModal } from '../../src/slack/views/rate-all.js';
import { refusalMessage } from '../../src/slack/views/refusal.js';
import { sharedMessage, shareFailedMessage, sharePreviewMessage } from '../../src/slack/views/share.js';
import { hostileFramework, largestFramework } from './fixtures.js';

const largest = largestFramework();
const level = largest.levels[6] ?? largest.levels[0];
if (!level) throw new Error('fixture');

const draft: Draft = {
  sessionId: 's'.repeat(40),
  frameworkId: largest.id,
  frameworkVersion: largest.version,
  levelId: level.id,
  position: 23,
  status: 'rating',
  startedAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.000Z',
};

function stepAt(index: number, current: Step['current'] = 3): Step {
  const competency = largest.competencies[index];
  if (!competency) throw new Error('fixture');
  return {
    kind: 'step',
    framework: largest,
    level: level as NonNullable<typeof level>,
    draft,
    index,
    competency,
    current,
  };
}

function recordOf(i: number): AssessmentRecord {
  return {
    id: `record-${i}`,
    frameworkId: largest.id,
    frameworkVersion: largest.version,
    roleName: largest.role.name,
    domainName: largest.domain.name,
    levelId: level?.id ?? '',
    levelName: level?.name ?? '',
    nextLevelName: largest.levels[7]?.name ?? null,
    finishedAt: '2026-11-27T10:00:00.000Z',
    competencies: largest.competencies.map((c, j) => ({
      id: c.id,
      name: c.name,
      category: c.category,
      tier: c.tier,
      expected: 4,
      nextExpected: 5,
      rating: j % 7 === 0 ? null : j % 5 === 0 ? 'na' : ((((i + j) % 5) + 1) as 1 | 2 | 3 | 4 | 5),
    })),
  };
}

const history: HistoryEntry[] = Array.from({ length: 60 }, (_, i) => ({
  record: recordOf(i),
  changes: i === 0 ? null : recordOf(i).competencies.map((c) => ({ id: c.id, name: c.name, from: 1, to: 2 })),
}));

describe('self-rating views stay within Block Kit limits for the largest framework', () => {
  it('every rating step, in a message and in the Home tab', () => {
    for (let i = 0; i < largest.competencies.length; i++) {
      const message = ratingStepMessage(stepAt(i));
      expect(validateMessage(message)).toEqual([]);
      expect(validateView(homeWith(message))).toEqual([]);
    }
  });

  it('the summary, the history and the Home tab with many assessments', () => {
    expect(validateMessage(summaryMessage(recordOf(1)))).toEqual([]);
    expect(validateMessage(historyMessage(history))).toEqual([]);
    const unfinished = Array.from({ length: 12 }, () => ({
      framework: largest,
      level: level as NonNullable<typeof level>,
      draft,
    }));
    expect(
      validateView(homeView({ frameworks: Array.from({ length: 50 }, () => largest), unfinished, history })),
    ).toEqual([]);
  });

  it('the Rate all modal, prefilled, with every competency of the largest framework', () => {
    const current = Object.fromEntries(
      largest.competencies.map((c, i) => [c.id, i % 2 ? ('na' as const) : (3 as const)]),
    );
    const modal = rateAllModal(largest, level as NonNullable<typeof level>, current, {
      f: largest.id,
      v: largest.version,
      l: level?.id ?? '',
      u: `https://hooks.slack.com/actions/T0/1/${'x'.repeat(200)}`,
    });
    expect(validateView(modal)).toEqual([]);
    expect(modal.blocks.filter((b) => b.type === 'input')).toHaveLength(24);
  });

  it('sharing and forgetting', () => {
    expect(validateMessage(sharedMessage(recordOf(2), 'U0123456789'))).toEqual([]);
    expect(validateMessage(sharePreviewMessage(recordOf(2), 'U0123456789'))).toEqual([]);
    expect(validateMessage(shareFailedMessage('channel_is_archived'))).toEqual([]);
    expect(validateMessage(forgetConfirmMessage(120))).toEqual([]);
    expect(validateMessage(forgottenMessage(120))).toEqual([]);
  });

  it('refusals', () => {
    for (const refusal of [
      { kind: 'refused' as const, reason: 'unknown-framework' as const, frameworkId: 'x' },
      { kind: 'refused' as const, reason: 'unknown-competency' as const, frameworkId: 'x' },
      {
        kind: 'refused' as const,
        reason: 'framework-changed' as const,
        framework: largest,
        levelId: undefined,
      },
      { kind: 'refused' as const, reason: 'not-started' as const, framework: largest },
      { kind: 'refused' as const, reason: 'out-of-date' as const, step: stepAt(3) },
    ]) {
      expect(validateMessage(refusalMessage(refusal))).toEqual([]);
    }
  });
});

describe('the rating step', () => {
  it('marks the current rating and never shows the expected level', () => {
    const message = ratingStepMessage(stepAt(2, 4));
    const all = JSON.stringify(message);
    expect(all).toContain('3 of 24');
    expect(all).not.toMatch(/[Ee]xpected/);
    const scale = message.blocks.find((b) => b.type === 'actions' && b.block_id === 'rating_scale');
    const styled = (scale as { elements: { style?: string; value: string }[] }).elements.filter(
      (e) => e.style,
    );
    expect(styled).toHaveLength(1);
    expect(JSON.parse(styled[0]?.value ?? '{}').a).toBe(4);
  });

  it('carries no user id in any button value', () => {
    for (const b of JSON.stringify(ratingStepMessage(stepAt(0))).match(/"value":"[^"]*(?:\\"[^"]*)*"/g) ??
      []) {
      expect(b).not.toMatch(/U[0-9A-Z]{6,}/);
    }
  });

  it('escapes names from YAML', () => {
    const f = hostileFramework();
    const c = f.competencies[0];
    const l = f.levels[0];
    if (!c || !l) throw new Error('fixture');
    const message = ratingStepMessage({
      kind: 'step',
      framework: f,
      level: l,
      draft,
      index: 0,
      competency: c,
      current: null,
    });
    expect(JSON.stringify(message.blocks.filter((b) => b.type !== 'header'))).not.toMatch(
      /<!(channel|everyone|subteam)/,
    );
  });
});
