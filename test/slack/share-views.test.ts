import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../src/assessments/assessments.js';
import type { OneOnOne } from '../../src/assessments/one-on-one.js';
import { readinessOf, trendOf } from '../../src/assessments/progress.js';
import type { Received, SharedView } from '../../src/assessments/shares.js';
import {
  type Evidence,
  PLAN_ITEMS_MAX,
  type Plan,
  type PlanItem,
  SHARES_MAX,
  type Share,
} from '../../src/model/growth.js';
import type { AssessmentRecord } from '../../src/model/records.js';
import { homeView } from '../../src/slack/views/home.js';
import {
  readinessText,
  trendChartsOf,
  trendComment,
  trendNeedsTwoMessage,
} from '../../src/slack/views/progress.js';
import {
  notSharedMessage,
  oneOnOneMessage,
  sharedViewModal,
  shareEndedMessage,
  shareInviteMessage,
  sharesMessage,
  shareWithModal,
} from '../../src/slack/views/shares.js';
import { assertValidMessage, assertValidView } from '../support/block-kit.js';
import { largestFramework } from './fixtures.js';

/**
 * Every new view of progress and sharing within Slack's Block Kit limits, with the largest framework
 * the schema allows, the longest notes, plans and lists there can be.
 */

const largest = largestFramework();
const level = largest.levels[1];
if (!level) throw new Error('fixture');
const OWNER = `E${'1'.repeat(10)}:U${'2'.repeat(10)}`;

function recordOf(
  i: number,
  nextLevelName: string | null = largest.levels[2]?.name ?? null,
): AssessmentRecord {
  return {
    id: `record-${'r'.repeat(40)}-${i}`,
    frameworkId: largest.id,
    frameworkVersion: largest.version,
    roleName: largest.role.name,
    domainName: largest.domain.name,
    levelId: level?.id ?? '',
    levelName: level?.name ?? '',
    nextLevelName,
    finishedAt: `2026-${String((i % 12) + 1).padStart(2, '0')}-01T10:00:00.000Z`,
    competencies: largest.competencies.map((c, j) => ({
      id: c.id,
      name: `${c.name}<&>`,
      category: c.category,
      tier: c.tier,
      expected: 4,
      nextExpected: nextLevelName === null ? null : 5,
      rating: j % 7 === 0 ? null : j % 5 === 0 ? 'na' : ((((i + j) % 3) + 1) as 1 | 2 | 3),
      note: `<!channel> ${'n'.repeat(490)}`,
    })),
  };
}

const item = (i: number, status: PlanItem['status'] = 'open'): PlanItem => ({
  id: `item-${i}`.padEnd(36, 'x'),
  competencyId: largest.competencies[i % 24]?.id ?? '',
  competencyName: largest.competencies[i % 24]?.name ?? '',
  goal: `<@U123> ${'g'.repeat(490)}`,
  nextStep: 's'.repeat(500),
  targetDate: `2026-0${(i % 9) + 1}-15`,
  status,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...(status === 'done' ? { finishedOn: '2026-02-01' } : {}),
});

const plan: Plan = {
  frameworkId: largest.id,
  levelId: level.id,
  assessmentId: 'record-1',
  roleName: largest.role.name,
  levelName: level.name,
  timeZone: 'America/Argentina/ComodRivadavia',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  items: Array.from({ length: PLAN_ITEMS_MAX }, (_, i) => item(i, i % 3 === 0 ? 'done' : 'moving')),
};

const evidence: Evidence[] = Array.from({ length: 500 }, (_, i) => ({
  id: `ev-${i}`,
  frameworkId: largest.id,
  competencyId: largest.competencies[i % 24]?.id ?? '',
  competencyName: 'x',
  permalink: `https://example.slack.com/archives/C0123456789/p${String(1700000000000000 + i)}?thread_ts=${'1'.repeat(200)}`,
  channelId: 'C0123456789',
  messageTs: '1700000000.000100',
  postedAt: '2026-01-01T00:00:00.000Z',
  addedAt: '2026-01-02T00:00:00.000Z',
  addedBy: 'U0123456789',
  note: 'e'.repeat(500),
}));

const share = (i: number): Share => ({
  id: `share-${i}`.padEnd(12, 'x'),
  withUserId: `U${String(i).padStart(10, '0')}`,
  with: `E1:U${String(i).padStart(10, '0')}`,
  ownerUserId: 'U2222222222',
  at: '2026-01-01T00:00:00.000Z',
});

describe('progress views', () => {
  it('readiness names what is left, within a section, and the summary and Home tab keep their limits', () => {
    const record = recordOf(1);
    const text = readinessText(readinessOf(record));
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toMatch(
      /^\*Ready for Level 3 x+\?\* 0 of \d+ competencies rated 1–5 already meet it; left: /,
    );
    expect(text).toContain('not counted (not applicable or skipped)');
    const history: HistoryEntry[] = Array.from({ length: 60 }, (_, i) => ({
      record: recordOf(i),
      changes: null,
    }));
    const home = homeView({
      frameworks: Array.from({ length: 50 }, () => largest),
      unfinished: [],
      history,
      last: { framework: largest, level, progress: undefined, latest: record },
      admin: true,
    });
    assertValidView(home);
    const texts = JSON.stringify(home);
    expect(texts).toContain('Progress over time');
    expect(texts).toContain('Share with…');
    expect(texts).toContain('*Ready for Level 3');
  });

  it('the trend’s words, and one assessment only', () => {
    const history = Array.from({ length: 12 }, (_, i) => recordOf(i));
    const trend = trendOf(history, largest.id);
    if (!trend) throw new Error('no trend');
    const pictures = trendChartsOf(trend);
    expect(pictures.length).toBeGreaterThan(1);
    for (const p of pictures) expect(p.chart.alt.length).toBeLessThanOrEqual(1000);
    expect(trendComment(trend, pictures.length)).toContain('your latest 8 of 12 self-assessments');
    assertValidMessage(trendNeedsTwoMessage(recordOf(1)));
  });
});

describe('sharing views', () => {
  it('the form, the colleague’s DM and its end, and the refusal', () => {
    assertValidView(
      shareWithModal(recordOf(1), JSON.stringify({ u: `https://x/${'u'.repeat(1900)}`, r: 'r' })),
    );
    assertValidMessage(shareInviteMessage(OWNER, share(1)));
    assertValidMessage(shareEndedMessage('U2222222222'));
    assertValidMessage(notSharedMessage());
  });

  it('what Open shows: the largest assessment with notes and evidence, and the largest plan, read-only', () => {
    const view: SharedView = {
      kind: 'shared',
      owner: OWNER,
      share: share(1),
      record: recordOf(1),
      evidence,
      plan,
    };
    const modal = sharedViewModal(view, '2026-05-01');
    assertValidView(modal);
    const text = JSON.stringify(modal);
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('static_select');
    expect(text).toContain('share_one_on_one');
    // With no assessment and no plan, it says so.
    const empty = sharedViewModal(
      { ...view, record: undefined, plan: undefined, evidence: [] },
      '2026-05-01',
    );
    assertValidView(empty);
    expect(JSON.stringify(empty)).toContain('has no plan yet');
  });

  it('`/competency shares` with the most shares both ways', () => {
    const given = Array.from({ length: SHARES_MAX }, (_, i) => share(i));
    const received: Received[] = Array.from({ length: 40 }, (_, i) => ({ owner: OWNER, share: share(i) }));
    const message = sharesMessage(OWNER, given, received, 'x'.repeat(2000));
    assertValidMessage(message);
    expect(JSON.stringify(message)).toContain('…and 30 older ones');
    assertValidMessage(sharesMessage(OWNER, [], []));
  });

  it('the 1:1 summary with every focus area, every item due and every move', () => {
    const record = recordOf(3);
    const summary: OneOnOne = {
      kind: 'one-on-one',
      owner: OWNER,
      ownerUserId: 'U2222222222',
      colleagueUserId: 'U3333333333',
      record,
      focusAreas: record.competencies.map((c) => ({ ...c, rating: 1, gap: 3, status: 'focus' as const })),
      today: '2026-05-01',
      timeZone: plan.timeZone,
      overdue: plan.items.slice(0, 30),
      dueSoon: plan.items.slice(30),
      since: {
        at: '2026-04-01T00:00:00.000Z',
        ratings: {
          kind: 'changes',
          before: recordOf(2),
          changes: record.competencies.map((c) => ({ id: c.id, name: c.name, from: 1, to: 2 })),
        },
        items: plan.items.map((i) => ({ item: i, from: 'open' as const, to: i.status })),
        removed: 4,
      },
    };
    for (const viewer of ['owner', 'colleague'] as const) {
      const message = oneOnOneMessage(summary, viewer, 'share-1');
      assertValidMessage(message);
    }
    const first = oneOnOneMessage(
      { ...summary, since: undefined, timeZone: undefined, record: undefined },
      'owner',
      's',
    );
    assertValidMessage(first);
    expect(JSON.stringify(first)).toContain('No plan yet.');
  });
});
