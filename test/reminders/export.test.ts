import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, exportCsv, exportJson } from '../../src/assessments/export.js';
import { emptyPerson } from '../../src/model/records.js';
import { claimIfDue, setReminder } from '../../src/model/reminders.js';

/** The check-in reminder in "Export my data" (the rest of the export: test/assessments/export.test.ts). */

const SET_AT = new Date('2026-02-20T12:00:00Z');

function withReminder() {
  const data = emptyPerson();
  setReminder(
    data,
    {
      cadence: 'quarterly',
      frameworkId: 'solutions-architect.e-commerce',
      levelId: 'senior',
      userId: 'U1',
      teamId: 'T1',
      enterpriseId: 'E1',
      timeZone: 'Europe/London',
    },
    SET_AT,
  );
  // Claimed by a sending instance right now: that is the app's business, not part of the export.
  claimIfDue(data, new Date('2026-05-20T09:00:00Z'), 60_000, 'claim-1');
  return data;
}

describe('export of a check-in reminder', () => {
  it('JSON: the setting, with when the next is due, and no claim', () => {
    const json = JSON.parse(exportJson('E1:U1', withReminder(), new Date('2026-05-20T09:00:10Z')));
    expect(json.checkInReminder).toEqual({
      cadence: 'quarterly',
      frameworkId: 'solutions-architect.e-commerce',
      levelId: 'senior',
      userId: 'U1',
      teamId: 'T1',
      enterpriseId: 'E1',
      timeZone: 'Europe/London',
      nextDueAt: '2026-05-20T09:00:00.000Z',
      setAt: SET_AT.toISOString(),
    });
    expect(JSON.stringify(json)).not.toContain('claim-1');
    expect(json.about).toMatch(/checkInReminder/);
  });

  it('JSON: no such field for someone without a reminder', () => {
    expect(JSON.parse(exportJson('T1:U1', emptyPerson(), SET_AT))).not.toHaveProperty('checkInReminder');
  });

  it('CSV: one row, with the cadence, when the next is due, the framework and level', () => {
    const lines = exportCsv(withReminder()).split('\r\n');
    expect(lines).toHaveLength(3);
    const row = Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, lines[1]?.split(',')[i]]));
    expect(row).toMatchObject({
      kind: 'check-in reminder (quarterly)',
      finished_at_or_rated_at: '2026-05-20T09:00:00.000Z',
      framework_id: 'solutions-architect.e-commerce',
      level: 'senior',
      rating: '',
    });
    expect(exportCsv(emptyPerson()).split('\r\n')).toHaveLength(2);
  });
});
