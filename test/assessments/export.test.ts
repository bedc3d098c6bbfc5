import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, exportCsv, exportFileName, exportJson } from '../../src/assessments/export.js';
import { type AssessmentRecord, emptyPerson, type PersonData } from '../../src/model/records.js';

const ME = 'T1:U1';
const AT = new Date('2026-11-27T15:30:00.000Z');
const HEADER =
  'kind,finished_at_or_rated_at,framework_id,framework_version,role,domain,level,competency_id,competency,tier,rating,expected,next_level_expected,goal,next_step,target_date,note,evidence_link,person';

function assessment(id: string, finishedAt: string, competencyName: string): AssessmentRecord {
  return {
    id,
    frameworkId: 'solutions-architect.e-commerce',
    frameworkVersion: '2026-03-24.1',
    roleName: 'Solutions Architect',
    domainName: 'E-commerce',
    levelId: 'senior',
    levelName: 'Senior',
    nextLevelName: 'Lead-Principal',
    finishedAt,
    competencies: [
      {
        id: 'composable-commerce-strategy',
        name: competencyName,
        category: 'strategic',
        tier: 'primary',
        expected: 4,
        nextExpected: 5,
        rating: 3,
      },
      {
        id: 'marketplace-architecture',
        name: 'Marketplace Architecture',
        category: 'technical',
        tier: 'supporting',
        expected: 3,
        nextExpected: 5,
        rating: 'na',
      },
      {
        id: 'technical-team-leadership',
        name: 'Technical Team Leadership',
        category: 'leadership',
        tier: 'supporting',
        expected: 3,
        nextExpected: null,
        rating: null,
      },
    ],
  };
}

function person(): PersonData {
  return {
    ratings: {
      'solutions-architect.e-commerce': {
        'composable-commerce-strategy': {
          value: 4,
          at: '2026-11-20T09:00:00.000Z',
          frameworkVersion: '2026-03-24.1',
        },
        'marketplace-architecture': {
          value: 'na',
          at: '2026-11-20T09:01:00.000Z',
          frameworkVersion: '2026-03-24.1',
        },
      },
    },
    drafts: {
      'solutions-architect.e-commerce': {
        sessionId: 's2',
        frameworkId: 'solutions-architect.e-commerce',
        frameworkVersion: '2026-03-24.1',
        levelId: 'senior',
        position: 3,
        status: 'finished',
        startedAt: '2026-11-20T08:55:00.000Z',
        updatedAt: '2026-11-20T09:02:00.000Z',
      },
    },
    history: [
      assessment('s1', '2026-10-01T10:00:00.000Z', 'Strategy, "composable"'),
      assessment('s2', '2026-11-20T09:02:00.000Z', '=HYPERLINK("https://evil.example","click")'),
    ],
  };
}

/** Splits CSV text into rows of fields (enough of RFC 4180 for these tests: quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('JSON export', () => {
  it('is pretty JSON that parses back to the same data, with a note about the fields', () => {
    const data = person();
    const text = exportJson(ME, data, AT);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "person": "T1:U1"');
    const parsed = JSON.parse(text);
    expect(parsed.exportedAt).toBe('2026-11-27T15:30:00.000Z');
    expect(parsed.person).toBe(ME);
    expect(parsed.ratings).toEqual(data.ratings);
    expect(parsed.inProgress).toEqual(data.drafts);
    expect(parsed.history).toEqual(data.history);
    expect(parsed.about).toMatch(/ratings/);
  });

  it('exports an empty person as valid JSON', () => {
    const parsed = JSON.parse(exportJson(ME, emptyPerson(), AT));
    expect(parsed).toMatchObject({ person: ME, ratings: {}, inProgress: {}, history: [] });
  });
});

describe('CSV export', () => {
  it('has the header, a row per assessed competency and per current rating, and CRLF line endings', () => {
    const text = exportCsv(person());
    expect(text.startsWith(`${HEADER}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const rows = parseCsv(text);
    expect(rows).toHaveLength(1 + 2 * 3 + 2);
    for (const row of rows) expect(row).toHaveLength(19);
    expect(rows.slice(1).map((r) => r[0])).toEqual([
      ...Array(6).fill('assessment'),
      'current rating',
      'current rating',
    ]);
  });

  it('writes ratings as 1–5, na, or blank for skipped, and leaves what current ratings lack blank', () => {
    const rows = parseCsv(exportCsv(person()));
    expect(rows[1]).toEqual([
      'assessment',
      '2026-10-01T10:00:00.000Z',
      'solutions-architect.e-commerce',
      '2026-03-24.1',
      'Solutions Architect',
      'E-commerce',
      'Senior',
      'composable-commerce-strategy',
      'Strategy, "composable"',
      'primary',
      '3',
      '4',
      '5',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
    expect(rows[2]?.[10]).toBe('na');
    expect(rows[3]?.slice(10, 13)).toEqual(['', '3', '']);
    expect(rows[7]).toEqual([
      'current rating',
      '2026-11-20T09:00:00.000Z',
      'solutions-architect.e-commerce',
      '2026-03-24.1',
      '',
      '',
      '',
      'composable-commerce-strategy',
      '',
      '',
      '4',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  });

  it('quotes a name with a comma and quotes, doubling the quotes', () => {
    expect(exportCsv(person())).toContain(',"Strategy, ""composable""",');
  });

  it('neutralises formulas so spreadsheets show them as text', () => {
    const text = exportCsv(person());
    expect(text).toContain(',"\'=HYPERLINK(""https://evil.example"",""click"")",');
    expect(text).not.toMatch(/(^|,)"?=/m);
    const data = person();
    data.ratings['x.y'] = { '-1': { value: 2, at: '2026-11-21T00:00:00.000Z', frameworkVersion: '@v1' } };
    const names = () => ({ role: '+cmd', domain: '\tTab', competency: '@SUM(A1)' });
    const last = parseCsv(exportCsv(data, names)).at(-1);
    expect(last).toEqual([
      'current rating',
      '2026-11-21T00:00:00.000Z',
      'x.y',
      "'@v1",
      "'+cmd",
      "'\tTab",
      '',
      "'-1",
      "'@SUM(A1)",
      '',
      '2',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
  });

  it('fills in names for current ratings from the lookup, when it knows them', () => {
    const rows = parseCsv(
      exportCsv(person(), (frameworkId, competencyId) =>
        competencyId === 'marketplace-architecture'
          ? { role: 'Solutions Architect', domain: 'E-commerce', competency: `Marketplace (${frameworkId})` }
          : undefined,
      ),
    );
    expect(rows[7]?.slice(4, 9)).toEqual(['', '', '', 'composable-commerce-strategy', '']);
    expect(rows[8]?.slice(4, 11)).toEqual([
      'Solutions Architect',
      'E-commerce',
      '',
      'marketplace-architecture',
      'Marketplace (solutions-architect.e-commerce)',
      '',
      'na',
    ]);
  });

  it('exports an empty person as the header row only', () => {
    expect(exportCsv(emptyPerson())).toBe(`${HEADER}\r\n`);
  });
});

describe('export file name', () => {
  it('has the date and the extension, and no user id', () => {
    expect(exportFileName(ME, AT, 'json')).toBe('competency-export-2026-11-27.json');
    expect(exportFileName(ME, AT, 'csv')).toBe('competency-export-2026-11-27.csv');
  });
});

describe('shares in the CSV export', () => {
  it('has a row for each share the person gave and each one given to them, with the other person’s user id', () => {
    const data = person();
    data.shares = [
      { id: 's1', withUserId: 'U2', with: 'T1:U2', ownerUserId: 'U1', at: '2026-12-01T09:00:00.000Z' },
    ];
    data.sharesReceived = [{ of: 'T1:U3', id: 's9' }];
    const rows = parseCsv(exportCsv(data));
    const column = CSV_COLUMNS.indexOf('person');
    const shares = rows.filter((r) => r[0]?.startsWith('share'));
    expect(shares.map((r) => [r[0], r[1], r[column]])).toEqual([
      ['share you gave', '2026-12-01T09:00:00.000Z', 'U2'],
      ['share with you', '', 'U3'],
    ]);
  });
});
