import { describe, expect, it } from 'vitest';
import type { Plan, PlanItem, PlanStatus } from '../../src/model/growth.js';
import type { AssessmentRecord, ReminderSetting } from '../../src/model/records.js';
import { homeView } from '../../src/slack/views/home.js';
import { checkInPlanBlocks, planBlocks, planMarkdown, planMessage } from '../../src/slack/views/plan.js';
import { formCompetencies, planModal } from '../../src/slack/views/plan-form.js';
import { reminderMessage } from '../../src/slack/views/reminders.js';
import { assertValidMessage, assertValidView } from '../support/block-kit.js';
import { largestFramework } from './fixtures.js';

/**
 * The plan's views at Slack's limits: the form with every competency a gap, the Home tab, the plan
 * message and a check-in with the most items and 500-character goals full of characters escaping
 * lengthens; read-only with no control at all; the canvas markdown as a checklist.
 */

const largest = largestFramework();
const TODAY = '2026-01-15';
/** 500 characters, every one of which mrkdwn escaping turns into five or four. */
const HOSTILE = '&<>'.repeat(167).slice(0, 500);

/** An assessment of the largest framework: the first `focus` competencies two or more below, the rest one below. */
function record(focus: number, count = largest.competencies.length): AssessmentRecord {
  return {
    id: 'a'.repeat(60),
    frameworkId: largest.id,
    frameworkVersion: largest.version,
    roleName: largest.role.name,
    domainName: largest.domain.name,
    levelId: largest.levels[0]?.id ?? '',
    levelName: largest.levels[0]?.name ?? '',
    nextLevelName: null,
    finishedAt: '2026-01-10T10:00:00.000Z',
    competencies: Array.from({ length: count }, (_, i) => ({
      id: `${largest.competencies[i % largest.competencies.length]?.id ?? 'c'}-${i}`,
      name: `${'&'.repeat(40)} ${i}`,
      category: 'c',
      tier: 'primary' as const,
      expected: 5,
      nextExpected: null,
      rating: i < focus ? 1 : 4,
    })),
  };
}

const item = (i: number, status: PlanStatus = 'open'): PlanItem => ({
  id: `item${String(i).padStart(12, '0')}`,
  competencyId: `c${i}`,
  competencyName: `${'<'.repeat(55)} ${i}`,
  goal: HOSTILE,
  nextStep: HOSTILE,
  targetDate: i % 2 === 0 ? '2026-01-01' : '2026-06-30',
  status,
  createdAt: '2026-01-10T10:00:00.000Z',
  updatedAt: '2026-01-12T10:00:00.000Z',
  ...(status === 'done' || status === 'dropped' ? { finishedOn: '2026-01-12' } : {}),
});

/** A plan with 24 open items (the most a framework gives) and 36 finished ones: 60, the most kept. */
function fullPlan(): Plan {
  return {
    frameworkId: largest.id,
    levelId: 'l',
    assessmentId: 'a',
    roleName: largest.role.name,
    levelName: 'x'.repeat(60),
    timeZone: 'Pacific/Auckland',
    createdAt: '2026-01-10T10:00:00.000Z',
    updatedAt: '2026-01-12T10:00:00.000Z',
    items: [
      ...Array.from({ length: 24 }, (_, i) => item(i, i % 3 === 0 ? 'stuck' : 'moving')),
      ...Array.from({ length: 36 }, (_, i) => item(100 + i, i % 2 === 0 ? 'done' : 'dropped')),
    ],
  };
}

const metadata = {
  r: 'a'.repeat(60),
  z: 'America/Argentina/ComodRivadavia',
  o: Date.now(),
  u: `https://hooks.slack.com/${'x'.repeat(1900)}`,
  c: 'C0123456789',
};

describe('the Make a plan form', () => {
  it('holds every competency of the largest framework, each a gap, within a modal’s limits', () => {
    for (const focus of [0, 12, 24]) {
      const view = planModal(record(focus), fullPlan(), TODAY, metadata);
      assertValidView(view);
      const goals = view.blocks.filter((b) => b.block_id?.startsWith('plan_goal:'));
      expect(goals).toHaveLength(24);
      expect(view.blocks.filter((b) => b.block_id?.startsWith('plan_include:'))).toHaveLength(24 - focus);
      expect(JSON.stringify(view)).not.toContain('left out');
    }
  });

  it('says which competencies were left out when more than fit', () => {
    const many = record(20, 40);
    const { leftOut } = formCompetencies(many);
    const view = planModal(many, undefined, TODAY, metadata);
    assertValidView(view);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(leftOut.length).toBeGreaterThan(0);
    const last = JSON.stringify(view.blocks.at(-1));
    expect(last).toContain(`so ${leftOut.length} are left out`);
  });

  it('starts each target date three months ahead, and fills in the open item of a competency', () => {
    const rec = record(2, 3);
    const plan = fullPlan();
    plan.items = [
      {
        ...item(0, 'moving'),
        competencyId: rec.competencies[0]?.id ?? '',
        targetDate: '2026-02-02',
        goal: 'Lead one review',
      },
    ];
    const view = planModal(rec, plan, TODAY, metadata);
    const text = JSON.stringify(view);
    expect(text).toContain('"initial_date":"2026-02-02"');
    expect(text).toContain('"initial_date":"2026-04-16"');
    expect(text).toContain('"initial_value":"Lead one review"');
    expect(text).toContain('Saving replaces the open items of your plan now');
  });
});

describe('the plan', () => {
  it('fits the Home tab with everything else at its most, and marks what is overdue', () => {
    const frameworks = Array.from({ length: 40 }, (_, i) => largestFramework(`role-${i}`));
    const history = Array.from({ length: 30 }, (_, i) => ({
      record: { ...record(3), id: `r${i}` },
      changes: null,
    }));
    const view = homeView({
      frameworks,
      unfinished: [],
      history,
      reminder: null,
      admin: true,
      plan: { plan: fullPlan(), today: TODAY },
    });
    assertValidView(view);
    const text = JSON.stringify(view);
    expect(text).toContain(':warning: *overdue*');
    expect(text).toContain('…and 18 more open items');
    expect(text).toContain('…and 33 more finished.');
    expect(text).toContain('"action_id":"plan_status"');
  });

  it('as a message, with every open item, within a message’s limits', () => {
    const message = planMessage(fullPlan(), TODAY, 'Saved.');
    assertValidMessage(message);
    expect(message.blocks.filter((b) => b.block_id?.startsWith('plan_item:'))).toHaveLength(24);
  });

  it('read-only has no control at all: no menu, no button', () => {
    const blocks = planBlocks(fullPlan(), { readOnly: true, today: TODAY });
    assertValidMessage({ text: 'Plan', blocks });
    const text = JSON.stringify(blocks);
    expect(text).not.toContain('action_id');
    expect(text).not.toContain('accessory');
    expect(text).toContain('*Plan*');
    expect(text).not.toContain('Your plan');
  });

  it('asks about open items in a check-in, within a message’s limits', () => {
    const reminder: ReminderSetting = {
      cadence: 'monthly',
      frameworkId: largest.id,
      levelId: largest.levels[0]?.id ?? '',
      userId: 'U1',
      teamId: 'T1',
      timeZone: 'UTC',
      dueAt: '2026-02-01T10:00:00.000Z',
      setAt: '2026-01-01T10:00:00.000Z',
    };
    const level = largest.levels[0];
    if (!level) throw new Error('no level');
    const message = reminderMessage({
      reminder,
      framework: largest,
      level,
      current: 3,
      plan: { plan: fullPlan(), today: TODAY },
    });
    assertValidMessage(message);
    const text = JSON.stringify(message);
    expect(text).toContain('How is your plan going?');
    expect(text).toContain('plan_checkin:done');
    expect(text).toContain('…and 16 more');
    expect(checkInPlanBlocks({ ...fullPlan(), items: [item(200, 'done')] }, TODAY)).toEqual([]);
  });

  it('as canvas markdown: a heading and a checklist per competency, done ticked', () => {
    const plan: Plan = {
      ...fullPlan(),
      roleName: 'Solutions Architect',
      levelName: 'Senior',
      items: [
        {
          ...item(1, 'moving'),
          competencyName: 'API Design',
          goal: 'Design one *public* API',
          nextStep: 'Read the guide',
          targetDate: '2026-03-01',
        },
        {
          ...item(2, 'done'),
          competencyName: 'API Design',
          goal: 'Review [two] APIs',
          nextStep: 'Ask Sam',
          targetDate: '2026-02-01',
        },
      ],
    };
    const markdown = planMarkdown(plan);
    expect(markdown).toContain('# Plan · Solutions Architect · Senior');
    expect(markdown).toContain('## API Design');
    expect(markdown).toContain('- [ ] Design one \\*public\\* API — Read the guide (1 March 2026) · moving');
    expect(markdown).toContain(
      '- [x] Review \\[two\\] APIs — Ask Sam (1 February 2026) · done 12 January 2026',
    );
  });
});
