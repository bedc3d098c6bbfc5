import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, frameworkToCsv } from '../../src/frameworks/export-csv.js';
import { detectFormat, formatImportProblem, importFrameworks } from '../../src/frameworks/import/index.js';
import { slugify } from '../../src/frameworks/import/to-yaml.js';
import { parseFramework } from '../../src/frameworks/loader.js';

const TODAY = '2026-12-01';
const EXAMPLE = new URL('../../docs/examples/framework.csv', import.meta.url);

/** Imports texts given by file name, and returns the problems as the CLI prints them. */
function run(files: Record<string, string>) {
  const result = importFrameworks(
    Object.entries(files).map(([file, text]) => ({ file, text })),
    { today: TODAY },
  );
  return { ...result, messages: result.problems.map(formatImportProblem) };
}

const HEADER = 'role,domain,level,competency,category,tier,expected level,description';

/** A small table: two levels, two competencies; row n of the array is line n + 2 of the file. */
const ROWS = [
  'Tester,Web,Junior,Exploratory Testing,technical,primary,2,Finds the bugs no script thought of.',
  'Tester,Web,Junior,Test Automation,technical,supporting,1,"Writes tests that run on every change, fast."',
  'Tester,Web,Senior,Exploratory Testing,technical,primary,4,Finds the bugs no script thought of.',
  'Tester,Web,Senior,Test Automation,technical,supporting,3,"Writes tests that run on every change, fast."',
];
const table = (rows: string[] = ROWS, header = HEADER) => `${[header, ...rows].join('\n')}\n`;

describe('import: CSV', () => {
  it('makes a framework the loader accepts, with ids from the names and our defaults', () => {
    const { frameworks, problems, notes } = run({ 'people.csv': table() });
    expect(problems).toEqual([]);
    expect(notes).toEqual([]);
    expect(frameworks).toHaveLength(1);
    const [imported] = frameworks;
    if (!imported) throw new Error('no framework');
    expect(imported.fileName).toBe('tester.web.yml');
    const f = parseFramework(imported.yaml, imported.fileName);
    expect(f.id).toBe('tester.web');
    expect(f.levels.map((l) => [l.id, l.name])).toEqual([
      ['junior', 'Junior'],
      ['senior', 'Senior'],
    ]);
    expect(f.competencies.map((c) => [c.id, c.tier, c.expected])).toEqual([
      ['exploratory-testing', 'primary', { junior: 2, senior: 4 }],
      ['test-automation', 'supporting', { junior: 1, senior: 3 }],
    ]);
    expect(f.competencies[1]?.description).toBe('Writes tests that run on every change, fast.');
    expect(f.scale.map((s) => s.label)).toEqual(['Basic', 'Developing', 'Proficient', 'Advanced', 'Expert']);
    expect(f.version).toBe(TODAY);
    expect(f.source.title).toBe('people.csv');
    expect(f.role.summary).toBe('Tester in Web: what is expected at each level, from Junior to Senior.');
    expect(imported.yaml.split('\n')[0]).toBe('# yaml-language-server: $schema=./framework.schema.json');
    expect(imported.yaml).toContain('    expected: { junior: 2, senior: 4 }');
  });

  it('round trip: the example CSV → YAML → CSV is the same text', async () => {
    const csv = await readFile(EXAMPLE, 'utf8');
    const { frameworks, problems } = run({ 'framework.csv': csv });
    expect(problems).toEqual([]);
    const [imported] = frameworks;
    if (!imported) throw new Error('no framework');
    expect(imported.id).toBe('data-engineer.fintech');
    const reread = parseFramework(imported.yaml, imported.fileName);
    expect(frameworkToCsv(reread)).toBe(csv);
    expect(csv.split('\n')[0]).toBe(CSV_COLUMNS.join(','));
  });

  it('round trip: a table with only the required columns keeps its rows, and is stable from then on', () => {
    const { frameworks } = run({ 'people.csv': table() });
    const first = frameworks[0];
    if (!first) throw new Error('no framework');
    const exported = frameworkToCsv(first.framework);
    const lines = exported.trimEnd().split('\n');
    expect(lines).toHaveLength(ROWS.length + 1);
    // The eight required columns of every row are the input's.
    const rows = parse(exported) as string[][];
    const input = parse(table()) as string[][];
    expect(rows.map((r) => r.slice(0, 8))).toEqual(input);
    // Importing the export gives the export again.
    const again = run({ 'people.csv': exported }).frameworks[0];
    if (!again) throw new Error('no framework');
    expect(frameworkToCsv(again.framework)).toBe(exported);
  });

  it("round trip: cells a spreadsheet would run as formulas are exported with a leading ' and imported without it, byte for byte", () => {
    // As a person may write them: a name beginning with @ or +, a "-" bullet, and a ' that makes a
    // spreadsheet show the = that follows as text.
    const rows = [
      'Tester,Web,Junior,@team Testing,technical,primary,2,- finds the bugs no script thought of',
      `Tester,Web,Junior,+1 Reviews,technical,supporting,1,"'=SUM(A1), shown as text"`,
      'Tester,Web,Senior,@team Testing,technical,primary,4,- finds the bugs no script thought of',
      `Tester,Web,Senior,+1 Reviews,technical,supporting,3,"'=SUM(A1), shown as text"`,
    ];
    const { frameworks, problems } = run({ 'people.csv': table(rows) });
    expect(problems).toEqual([]);
    const f = frameworks[0]?.framework;
    if (!f) throw new Error('no framework');
    expect(f.competencies.map((c) => [c.name, c.description])).toEqual([
      ['@team Testing', '- finds the bugs no script thought of'],
      ['+1 Reviews', '=SUM(A1), shown as text'],
    ]);

    // Every character spreadsheets take for the start of a formula, and texts that begin with the
    // guard itself: each comes back exactly.
    const tricky = {
      ...f,
      role: { ...f.role, summary: '=HYPERLINK("https://evil.example","click")' },
      levels: f.levels.map((l, i) => ({ ...l, summary: i === 0 ? "'-1 is a number" : "''@ twice" })),
      competencies: f.competencies.map((c, i) => ({
        ...c,
        description: i === 0 ? '- a bullet' : "'+ begins with the guard",
      })),
    };
    const cells = (text: string, delimiter: string) =>
      (parse(text, { delimiter, relax_column_count: true }) as string[][]).flat();
    for (const delimiter of [',', '\t'] as const) {
      const exported = frameworkToCsv(tricky, delimiter);
      expect(cells(exported, delimiter).filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
      expect(cells(exported, delimiter)).toEqual(
        expect.arrayContaining([
          "'@team Testing",
          "'+1 Reviews",
          `'=HYPERLINK("https://evil.example","click")`,
          "''-1 is a number",
          "'''@ twice",
          "'- a bullet",
          "''+ begins with the guard",
        ]),
      );
      const again = run({ [delimiter === ',' ? 'people.csv' : 'people.tsv']: exported });
      expect(again.problems).toEqual([]);
      const back = again.frameworks[0]?.framework;
      if (!back) throw new Error('no framework');
      expect(back.role.summary).toBe(tricky.role.summary);
      expect(back.levels.map((l) => l.summary)).toEqual(["'-1 is a number", "''@ twice"]);
      expect(back.competencies.map((c) => [c.name, c.description])).toEqual([
        ['@team Testing', '- a bullet'],
        ['+1 Reviews', "'+ begins with the guard"],
      ]);
      expect(frameworkToCsv(back, delimiter)).toBe(exported);
    }
  });

  it('reads TSV, by extension or by sniffing, with other header spellings', () => {
    const tsv = table(
      ROWS.map((r) => r.replace(/"([^"]*)"/g, (_, inner: string) => inner.replaceAll(',', '\u0000'))).map(
        (r) => r.replaceAll(',', '\t').replaceAll('\u0000', ','),
      ),
      'Role\tDomain\tLevel\tCompetency\tCategory\tTier\tExpected_Level\tDescription',
    );
    for (const file of ['people.tsv', 'people.txt']) {
      const { frameworks, problems } = run({ [file]: tsv });
      expect(problems).toEqual([]);
      expect(frameworks[0]?.framework.competencies.map((c) => c.expected)).toEqual([
        { junior: 2, senior: 4 },
        { junior: 1, senior: 3 },
      ]);
      expect(frameworks[0]?.framework.competencies[1]?.description).toBe(
        'Writes tests that run on every change, fast.',
      );
    }
    expect(detectFormat('people.txt', tsv)).toBe('tsv');
    expect(detectFormat('people.data', table())).toBe('csv');
  });

  it('accepts semicolons, CRLF line ends, a BOM, "Expected level" and "4/5"', () => {
    const csv = `\uFEFF${table(
      ROWS.map((r) => r.replace(',2,', ',2/5,')),
      'Role;Domain;Level;Competency;Category;Tier;Expected level;Description',
    )
      .replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/gm, ';')
      .replaceAll('\n', '\r\n')}`;
    const { frameworks, problems } = run({ 'people.csv': csv });
    expect(problems).toEqual([]);
    expect(frameworks[0]?.framework.competencies[0]?.expected).toEqual({ junior: 2, senior: 4 });
  });

  it('reads the optional columns: scale label, role summary, level summary', () => {
    const header = `${HEADER},scale label,role summary,level summary`;
    const rows = [
      `${ROWS[0]},Beginner,Tests the product.,Learns the ropes.`,
      `${ROWS[1]},Novice,,`,
      `${ROWS[2]},Skilled,,Leads the testing.`,
      `${ROWS[3]},Capable,,`,
    ];
    const { frameworks, problems } = run({ 'people.csv': table(rows, header) });
    expect(problems).toEqual([]);
    const f = frameworks[0]?.framework;
    expect(f?.scale.map((s) => s.label)).toEqual(['Novice', 'Beginner', 'Capable', 'Skilled', 'Expert']);
    expect(f?.role.summary).toBe('Tests the product.');
    expect(f?.levels.map((l) => l.summary)).toEqual(['Learns the ropes.', 'Leads the testing.']);
  });

  it('makes one framework per role and domain', () => {
    const rows = [...ROWS, ...ROWS.map((r) => r.replace('Tester,Web', 'Tester,Mobile'))];
    const { frameworks, problems } = run({ 'people.csv': table(rows) });
    expect(problems).toEqual([]);
    expect(frameworks.map((f) => f.id)).toEqual(['tester.web', 'tester.mobile']);
  });

  it('makes ids from names', () => {
    expect(slugify('Lead-Principal')).toBe('lead-principal');
    expect(slugify('  C++ & Go, Café ')).toBe('c-go-cafe');
    expect(slugify(`${'x'.repeat(30)} ${'y'.repeat(40)}`)).toBe('x'.repeat(30));
  });
});

describe('import: CSV mistakes name the file and the line', () => {
  const messagesFor = (rows: string[], header = HEADER) =>
    run({ 'people.csv': table(rows, header) }).messages;

  it('a bad expected level', () => {
    expect(messagesFor([...ROWS.slice(0, 2), ROWS[2]?.replace(',4,', ',7,') ?? '', ROWS[3] ?? ''])).toEqual([
      'people.csv:4: expected level "7" is not 1–5; use a whole number from 1 to 5',
    ]);
    expect(messagesFor([ROWS[0]?.replace(',2,', ',two,') ?? '', ...ROWS.slice(1)])).toEqual([
      'people.csv:2: expected level "two" is not 1–5; use a whole number from 1 to 5',
    ]);
  });

  it('an unknown tier', () => {
    expect(
      messagesFor([ROWS[0] ?? '', ROWS[1]?.replace('supporting', 'main') ?? '', ...ROWS.slice(2)]),
    ).toEqual(['people.csv:3: tier "main" is not primary or supporting; use one of those two']);
  });

  it('a missing column in the header, with the likely typo', () => {
    expect(messagesFor(ROWS, HEADER.replace('category', 'catgory'))).toEqual([
      'people.csv:1: the header has no "category" column (is "catgory" meant to be it?): every row needs one (the columns are role, domain, level, competency, category, tier, expected level, description)',
    ]);
  });

  it('a row with cells missing, and a row with too many', () => {
    const messages = messagesFor([
      ROWS[0] ?? '',
      'Tester,Web,Junior,Test Automation,technical',
      ROWS[2] ?? '',
      'Tester,Web,Senior,Test Automation,technical,supporting,3,Writes tests, fast.',
    ]);
    expect(messages).toEqual([
      'people.csv:3: this row has 5 cells but the header has 8, so it has no "tier", "expected level", "description": is a comma missing?',
      'people.csv:5: this row has 9 cells but the header has 8: is there a comma inside a cell? Put that cell in double quotes',
    ]);
  });

  it('an empty cell', () => {
    expect(messagesFor([ROWS[0]?.replace(',technical,', ',,') ?? '', ...ROWS.slice(1)])).toEqual([
      'people.csv:2: "category" is empty: every row needs a role, domain, level, competency, category, tier, expected level and description',
    ]);
  });

  it('a duplicate competency at the same level', () => {
    expect(messagesFor([...ROWS, ROWS[2]?.replace('Exploratory', 'exploratory') ?? ''])).toEqual([
      'people.csv:6: "exploratory Testing" at the level "Senior" (Tester · Web) is already on line 4: keep one row for each competency and level',
    ]);
  });

  it('a level missing for a competency', () => {
    expect(messagesFor(ROWS.slice(0, 3))).toEqual([
      'people.csv:3: "Test Automation" has no expected level for the level "Senior": every competency needs one at every level (Junior, Senior)',
    ]);
  });

  it('rows that disagree about a competency', () => {
    expect(
      messagesFor([...ROWS.slice(0, 3), ROWS[3]?.replace('technical,supporting', 'quality,primary') ?? '']),
    ).toEqual([
      'people.csv:5: "Test Automation" has the category "quality" here but "technical" on line 3: a competency has one category, so make them the same',
      'people.csv:5: "Test Automation" has the tier "primary" here but "supporting" on line 3: a competency has one tier, so make them the same',
    ]);
  });

  it('a quote that is never closed, and line numbers after a cell spread over lines', () => {
    expect(
      messagesFor([...ROWS.slice(0, 3), 'Tester,Web,Senior,Test Automation,technical,supporting,3,"Writes']),
    ).toEqual(['people.csv:5: a cell opens a double quote (") that is never closed: close it, or remove it']);
    const twoLines = (row: string | undefined) =>
      row?.replace('Finds the bugs no script', '"Finds the bugs\nno script').concat('"') ?? '';
    const multiLine = [
      twoLines(ROWS[0]),
      ROWS[1] ?? '',
      twoLines(ROWS[2]),
      ROWS[3]?.replace(',3,', ',9,') ?? '',
    ];
    expect(messagesFor(multiLine)).toEqual([
      'people.csv:7: expected level "9" is not 1–5; use a whole number from 1 to 5',
    ]);
    const fixed = run({ 'people.csv': table([...multiLine.slice(0, 3), ROWS[3] ?? '']) });
    expect(fixed.problems).toEqual([]);
    expect(fixed.frameworks[0]?.framework.competencies[0]?.description).toBe(
      'Finds the bugs\nno script thought of.',
    );
  });

  it('more competencies than a framework can have: stops at the row of the 25th, naming the limit, and reads no further', () => {
    // The review's case: 100,000 rows of one role; a row past the 25th that is wrong is never reached.
    const rows = Array.from(
      { length: 100_000 },
      (_, i) => `Tester,Web,Junior,Skill ${i},technical,primary,3,Does thing ${i} well.`,
    );
    rows.push('Tester,Web,Junior,Broken,technical,primary,9,"a quote never closed');
    expect(messagesFor(rows)).toEqual([
      'people.csv:26: "Skill 24" is the 25th competency of Tester · Web, and a framework has at most 24 (the most the app can show): keep the 24 that matter most, or split them over several roles or domains; the rest of the file was not read',
    ]);
  });

  it('more levels than a framework can have: stops at the row of the 9th', () => {
    const rows = Array.from(
      { length: 12 },
      (_, i) => `Tester,Web,Level ${i + 1},Testing,technical,primary,3,Tests.`,
    );
    expect(messagesFor(rows)).toEqual([
      'people.csv:10: "Level 9" is the 9th level of Tester · Web, and a framework has at most 8 (the most the app can show): keep 8, or split the levels over several roles; the rest of the file was not read',
    ]);
  });

  it('names too long for Slack, at the row that has them', () => {
    const long = `${'Very '.repeat(13)}Long`;
    expect(messagesFor(ROWS.map((r) => r.replace('Test Automation', long)))).toEqual([
      `people.csv:3: the competency name is ${long.length} characters long; the most is 60: please shorten it`,
    ]);
  });

  it('a file that is not a table, and an empty one', () => {
    expect(run({ 'notes.csv': 'hello,world\n1,2\n' }).messages).toEqual([
      'notes.csv:1: the first row must be the header, with the columns role, domain, level, competency, category, tier, expected level, description (found "hello", "world")',
    ]);
    expect(run({ 'empty.csv': '\n\n' }).messages).toEqual([
      'empty.csv: the file is empty: expected a header row (role, domain, level, competency, category, tier, expected level, description), then one row per competency and level',
    ]);
  });

  it('collects every problem, and builds nothing', () => {
    const result = run({
      'people.csv': table([ROWS[0]?.replace(',2,', ',0,') ?? '', ROWS[1]?.replace('supporting', 'x') ?? '']),
    });
    expect(result.messages).toHaveLength(2);
    expect(result.frameworks).toEqual([]);
  });

  it('notes a column it does not read', () => {
    const header = `${HEADER},owner`;
    const { notes, problems } = run({
      'people.csv': table(
        ROWS.map((r) => `${r},Ana`),
        header,
      ),
    });
    expect(problems).toEqual([]);
    expect(notes.map(formatImportProblem)).toEqual([
      'people.csv:1: the column "owner" is not one the importer reads, so it is left out',
    ]);
  });
});

describe('import: the encoding of a file given as bytes', () => {
  /** The table with an en dash and accents on line 2 (and on line 4). */
  const accented = table(ROWS.map((r) => r.replace('thought of.', 'thought of – déjà vu.')));
  const importBytes = (file: string, bytes: Uint8Array) => {
    const result = importFrameworks([{ file, bytes }], { today: TODAY });
    return { ...result, messages: result.problems.map(formatImportProblem) };
  };
  const utf16le = (text: string) => Buffer.from(`\uFEFF${text}`, 'utf16le');
  const utf16be = (text: string) => utf16le(text).swap16();
  /** As Excel's plain "CSV" saves it: one byte a character, – as 0x96. */
  const windows1252 = (text: string) =>
    Buffer.from([...text].map((c) => (c === '–' ? 0x96 : (c.codePointAt(0) ?? 0))));

  it('reads UTF-8 with or without a BOM, and UTF-16 LE or BE with a BOM, to the same text', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(accented)]);
    for (const bytes of [Buffer.from(accented), withBom, utf16le(accented), utf16be(accented)]) {
      const { frameworks, messages } = importBytes('people.csv', bytes);
      expect(messages).toEqual([]);
      expect(frameworks[0]?.framework.role.name).toBe('Tester');
      expect(frameworks[0]?.framework.competencies[0]?.description).toBe(
        'Finds the bugs no script thought of – déjà vu.',
      );
    }
  });

  it('refuses Windows-1252 at the line of the first byte that is not UTF-8, and says what to do, rather than reading U+FFFD', () => {
    const { frameworks, messages } = importBytes('people.csv', windows1252(accented));
    expect(frameworks).toEqual([]);
    expect(messages).toEqual([
      `people.csv:2: this line is not UTF-8 text: the byte 0x96 ("–" in Windows-1252, the encoding of Excel's plain "CSV") cannot be read. The file is in another encoding; save it as UTF-8 (in Excel: File → Save As → "CSV UTF-8 (Comma delimited)"; in an editor: encoding UTF-8), then import it again`,
    ]);
    const accentFirst = windows1252(table(ROWS.map((r) => r.replace('Web', 'Wéb'))));
    expect(importBytes('people.csv', accentFirst).messages[0]).toMatch(
      /^people\.csv:2: this line is not UTF-8 text: the byte 0xE9 \("é" in Windows-1252/,
    );
  });

  it('refuses UTF-16 without a BOM, and UTF-16 that is broken, at the line', () => {
    expect(importBytes('people.csv', Buffer.from(accented, 'utf16le')).messages).toEqual([
      'people.csv:1: this line has a NUL character, so the file is not plain text: it may be a spreadsheet (.xlsx) or UTF-16 text without a byte order mark; save it as UTF-8 (in Excel: File → Save As → "CSV UTF-8 (Comma delimited)"; in an editor: encoding UTF-8), then import it again',
    ]);
    const broken = utf16le(accented.replace('déjà', 'd\uD800jà'));
    expect(importBytes('people.csv', broken).messages).toEqual([
      'people.csv:2: the file starts with the mark of UTF-16 LE text, but this line is not valid UTF-16; save it as UTF-8 (in Excel: File → Save As → "CSV UTF-8 (Comma delimited)"; in an editor: encoding UTF-8), then import it again',
    ]);
  });
});

describe('import and export: career tracks', () => {
  const TRACK_HEADER = `${HEADER},track`;
  const TRACKED = [
    'Tester,Web,Junior,Exploratory Testing,technical,primary,2,Finds the bugs no script thought of.,',
    'Tester,Web,Junior,Test Automation,technical,supporting,1,Writes tests that run on every change.,',
    'Tester,Web,Senior,Exploratory Testing,technical,primary,4,Finds the bugs no script thought of.,Individual Contributor',
    'Tester,Web,Senior,Test Automation,technical,supporting,3,Writes tests that run on every change.,Individual Contributor',
    'Tester,Web,Test Manager,Exploratory Testing,technical,primary,3,Finds the bugs no script thought of.,People Manager',
    'Tester,Web,Test Manager,Test Automation,technical,supporting,2,Writes tests that run on every change.,People Manager',
  ];

  it('an optional track column makes tracks, in the order they first appear, and export writes it back the same', () => {
    const { frameworks, problems } = run({ 'people.csv': table(TRACKED, TRACK_HEADER) });
    expect(problems).toEqual([]);
    const [imported] = frameworks;
    if (!imported) throw new Error('no framework');
    const f = parseFramework(imported.yaml, imported.fileName);
    expect(f.tracks).toEqual([
      { id: 'individual-contributor', name: 'Individual Contributor' },
      { id: 'people-manager', name: 'People Manager' },
    ]);
    expect(f.levels.map((l) => [l.name, l.track])).toEqual([
      ['Junior', undefined],
      ['Senior', 'individual-contributor'],
      ['Test Manager', 'people-manager'],
    ]);
    const csv = frameworkToCsv(f);
    expect(csv.split('\n')[0]).toBe(`${CSV_COLUMNS.join(',')},track`);
    // Back in, and out again: the same text.
    const again = run({ 'again.csv': csv });
    expect(again.problems).toEqual([]);
    const reimported = again.frameworks[0];
    if (!reimported) throw new Error('no framework');
    expect(frameworkToCsv(parseFramework(reimported.yaml, reimported.fileName))).toBe(csv);
  });

  it('a framework without tracks exports without the column, as before', () => {
    const [imported] = run({ 'people.csv': table() }).frameworks;
    if (!imported) throw new Error('no framework');
    expect(frameworkToCsv(parseFramework(imported.yaml, imported.fileName)).split('\n')[0]).toBe(
      CSV_COLUMNS.join(','),
    );
  });

  it('a level on two tracks, or a shared level after the fork, is named with its line', () => {
    const twoTracks = [...TRACKED];
    twoTracks[3] = twoTracks[3]?.replace(/Individual Contributor$/, 'People Manager') ?? '';
    expect(run({ 'people.csv': table(twoTracks, TRACK_HEADER) }).messages).toContain(
      'people.csv:5: the level "Senior" is on the track "People Manager" here but on "Individual Contributor" on line 4: a level belongs to one track',
    );
    const sharedAfter = [
      ...TRACKED,
      'Tester,Web,Principal,Exploratory Testing,technical,primary,5,Finds the bugs no script thought of.,',
      'Tester,Web,Principal,Test Automation,technical,supporting,4,Writes tests that run on every change.,',
    ];
    const messages = run({ 'people.csv': table(sharedAfter, TRACK_HEADER) }).messages;
    expect(messages).toEqual([
      expect.stringMatching(
        /^people\.csv:8: .*"principal" has no track but comes after "senior", which is on one: levels every track shares come first, below the fork/,
      ),
    ]);
  });
});
