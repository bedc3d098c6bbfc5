import { describe, expect, it } from 'vitest';
import type { HistoryEntry, Step } from '../../src/assessments/assessments.js';
import type { Framework } from '../../src/frameworks/schema.js';
import type { AssessmentRecord, ReminderSetting } from '../../src/model/records.js';
import { validateMessage, validateView } from '../../src/sandbox/block-kit.js';
import { decodeValue } from '../../src/slack/values.js';
import { summaryMessage } from '../../src/slack/views/assessment.js';
import { homeView } from '../../src/slack/views/home.js';
import {
  CadenceValue,
  cadenceNote,
  checkInStepMessage,
  noAssessmentMessage,
  nothingToSnoozeMessage,
  ReminderAnswerValue,
  reminderMessage,
  snoozedMessage,
  stoppedMessage,
} from '../../src/slack/views/reminders.js';
import { buttons, findButton, textOf } from '../integration/harness.js';
import { hostileFramework, largestFramework } from './fixtures.js';

const largest = largestFramework();
const hostile = hostileFramework();

function reminderFor(framework: Framework, cadence: 'monthly' | 'quarterly' = 'quarterly'): ReminderSetting {
  return {
    cadence,
    frameworkId: framework.id,
    levelId: framework.levels[0]?.id ?? '',
    userId: 'U0123',
    teamId: 'T0123',
    timeZone: 'Europe/Berlin',
    dueAt: '2026-04-14T08:00:00.000Z',
    setAt: '2026-01-14T12:00:00.000Z',
  };
}

function recordOf(framework: Framework, id = 'record-1'): AssessmentRecord {
  const level = framework.levels[0];
  return {
    id,
    frameworkId: framework.id,
    frameworkVersion: framework.version,
    roleName: framework.role.name,
    domainName: framework.domain.name,
    levelId: level?.id ?? '',
    levelName: level?.name ?? '',
    nextLevelName: framework.levels[1]?.name ?? null,
    finishedAt: '2026-01-14T12:00:00.000Z',
    competencies: framework.competencies.map((c) => ({
      id: c.id,
      name: c.name,
      category: c.category,
      tier: c.tier,
      expected: 3,
      nextExpected: 4,
      rating: 3,
    })),
  };
}

function stepOf(framework: Framework, index: number): Step {
  const competency = framework.competencies[index];
  const level = framework.levels[0];
  if (!competency || !level) throw new Error('fixture');
  return {
    kind: 'step',
    framework,
    level,
    index,
    competency,
    current: null,
    draft: {
      sessionId: 's'.repeat(40),
      frameworkId: framework.id,
      frameworkVersion: framework.version,
      levelId: level.id,
      position: index,
      status: 'rating',
      startedAt: '2026-01-14T12:00:00.000Z',
      updatedAt: '2026-01-14T12:00:00.000Z',
    },
  };
}

const SECONDS = Date.parse('2026-04-14T08:00:00.000Z') / 1000;

describe('the reminder in direct messages', () => {
  it('greets, asks the first competency with buttons answerable there, and offers Snooze and Stop', () => {
    const framework = largest;
    const level = framework.levels[0];
    if (!level) throw new Error('fixture');
    const message = reminderMessage({ reminder: reminderFor(framework), framework, level, current: 4 });
    expect(validateMessage(message)).toEqual([]);
    expect(message.text).toContain('Time for your quarterly check-in');
    expect(textOf(message)).toContain('1 of 24');
    const rating = findButton(message, 'reminder_answer:4');
    expect(rating.text).toContain('4');
    const value = decodeValue(ReminderAnswerValue, rating.value);
    expect(value).toEqual({
      f: framework.id,
      v: framework.version,
      l: level.id,
      c: framework.competencies[0]?.id,
      a: 4,
    });
    expect(value?.s).toBeUndefined();
    expect(findButton(message, 'reminder_answer:skip')).toBeDefined();
    expect(findButton(message, 'Snooze a week').action_id).toBe('reminder_snooze');
    expect(findButton(message, 'Stop reminders').action_id).toBe('reminder_stop');
    // No button of the standard flow: each answer replaces the reminder in place.
    expect(JSON.stringify(message.blocks)).not.toContain('assessment_answer');
  });

  it('escapes names from the framework file', () => {
    const level = hostile.levels[0];
    if (!level) throw new Error('fixture');
    const message = reminderMessage({
      reminder: reminderFor(hostile),
      framework: hostile,
      level,
      current: null,
    });
    expect(validateMessage(message)).toEqual([]);
    // Every mrkdwn text (the header is plain_text, where nothing is a mention).
    const mrkdwn = JSON.stringify(message.blocks).match(/"type":"mrkdwn","text":"(?:[^"\\]|\\.)*"/g) ?? [];
    expect(mrkdwn.length).toBeGreaterThan(3);
    for (const text of [message.text, ...mrkdwn]) expect(text).not.toMatch(/<!(?:channel|everyone|here)/);
    expect(message.text).toContain('&lt;!channel&gt;');
  });

  it('later steps of a check-in carry the run and stay within limits', () => {
    for (let i = 0; i < largest.competencies.length; i++) {
      const message = checkInStepMessage(stepOf(largest, i), 's'.repeat(40));
      expect(validateMessage(message)).toEqual([]);
      for (const button of JSON.stringify(message.blocks).match(/"action_id":"[^"]+"/g) ?? []) {
        expect(button).toMatch(/reminder_answer:(?:[1-5]|na|skip|back)"/);
      }
      const value = decodeValue(ReminderAnswerValue, findButton(message, 'reminder_answer:skip').value);
      expect(value?.s).toBe('s'.repeat(40));
    }
  });

  it('Snooze and Stop confirmations say when it comes back, or how to turn it back on', () => {
    const snoozed = snoozedMessage(reminderFor(largest), { roleName: 'Role <!here>', levelName: 'Senior' });
    expect(validateMessage(snoozed)).toEqual([]);
    expect(textOf(snoozed)).toContain(`<!date^${SECONDS}^`);
    expect(textOf(snoozed)).toContain('&lt;!here&gt;');
    expect(findButton(snoozed, 'Stop reminders')).toBeDefined();
    for (const message of [stoppedMessage(true), stoppedMessage(false), nothingToSnoozeMessage()]) {
      expect(validateMessage(message)).toEqual([]);
      expect(textOf(message)).toContain('turn them back on');
    }
    expect(validateMessage(noAssessmentMessage())).toEqual([]);
  });
});

describe('the cadence picker', () => {
  it('on a summary: off by default, the current choice and next date once chosen', () => {
    const record = recordOf(largest);
    const off = summaryMessage(record, { reminder: { current: null } });
    expect(validateMessage(off)).toEqual([]);
    expect(textOf(off)).toContain('Check-in reminders: off');
    expect(findButton(off, 'reminder_cadence:off').text).toBe('✓ Off');
    expect(decodeValue(CadenceValue, findButton(off, 'reminder_cadence:monthly').value)).toEqual({
      id: record.id,
    });

    const on = summaryMessage(record, {
      reminder: { current: reminderFor(largest) },
      note: cadenceNote('quarterly', reminderFor(largest)),
    });
    expect(validateMessage(on)).toEqual([]);
    expect(textOf(on)).toContain('Check-in reminders: quarterly');
    expect(textOf(on)).toContain(`<!date^${SECONDS}^`);
    expect(findButton(on, 'reminder_cadence:quarterly').text).toBe('✓ Quarterly');
    expect(findButton(on, 'reminder_cadence:monthly').text).toBe('Monthly');
  });

  it('with none, the cadence the organisation suggests comes first and says so; a chosen one is shown as it is', () => {
    const record = recordOf(largest);
    const suggested = summaryMessage(record, { reminder: { current: null, suggested: 'quarterly' } });
    expect(validateMessage(suggested)).toEqual([]);
    expect(textOf(suggested)).toContain('Your organisation suggests quarterly.');
    const labels = buttons(suggested).filter((b) => b.action_id.startsWith('reminder_cadence'));
    expect(labels.map((b) => b.text)).toEqual(['Quarterly (suggested)', '✓ Off', 'Monthly']);
    const chosen = summaryMessage(record, {
      reminder: { current: reminderFor(largest), suggested: 'monthly' },
    });
    expect(textOf(chosen)).not.toContain('suggests');
    expect(JSON.stringify(chosen.blocks)).not.toContain('(suggested)');
  });

  it('on a summary of another framework: says so and highlights nothing', () => {
    const message = summaryMessage(recordOf(hostile), { reminder: { current: reminderFor(largest) } });
    expect(validateMessage(message)).toEqual([]);
    expect(textOf(message)).toContain('for another of your assessments');
    expect(JSON.stringify(message.blocks)).not.toContain('✓');
  });

  it('on a summary where the reminder is not known: offers the choice without claiming one', () => {
    const message = summaryMessage(recordOf(largest));
    expect(validateMessage(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).not.toContain('✓');
    expect(findButton(message, 'reminder_cadence:quarterly')).toBeDefined();
  });

  it('on the Home tab: nothing to pick before an assessment, the picker after, within limits', () => {
    const empty = homeView({ frameworks: [largest], unfinished: [], history: [], reminder: null });
    expect(validateView(empty)).toEqual([]);
    expect(JSON.stringify(empty.blocks)).not.toContain('reminder_cadence');

    const history: HistoryEntry[] = Array.from({ length: 60 }, (_, i) => ({
      record: recordOf(largest, `record-${i}`),
      changes: null,
    }));
    const frameworks = Array.from({ length: 50 }, () => largest);
    const off = homeView({ frameworks, unfinished: [], history, reminder: null });
    expect(validateView(off)).toEqual([]);
    expect(findButton(off, 'reminder_cadence:off').text).toBe('✓ Off');
    expect(decodeValue(CadenceValue, findButton(off, 'reminder_cadence:quarterly').value)).toEqual({
      id: 'record-0',
    });

    const level = largest.levels[0];
    const on = homeView({
      frameworks,
      unfinished: [],
      history,
      reminder: reminderFor(largest, 'monthly'),
      reminderAbout: { roleName: largest.role.name, levelName: level?.name ?? '' },
    });
    expect(validateView(on)).toEqual([]);
    expect(textOf(on)).toContain('Check-in reminders: monthly');
    expect(findButton(on, 'reminder_cadence:monthly').text).toBe('✓ Monthly');
  });

  it('the Home tab without reminder data shows no picker (as before)', () => {
    const home = homeView({ frameworks: [largest], unfinished: [], history: [] });
    expect(JSON.stringify(home.blocks)).not.toContain('reminder_cadence');
  });
});
