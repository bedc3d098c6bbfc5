import { CsvError, parse } from 'csv-parse/sync';
import { unguardCell } from '../../util/csv-guard.js';
import { MAX_COMPETENCIES, MAX_LEVELS } from '../schema.js';
import { editDistance } from '../text-match.js';
import {
  cleanName,
  type DraftFramework,
  type ImportProblem,
  keyOf,
  quote,
  type Tier,
  tooMany,
  type Where,
} from './draft.js';
import { frameworkKey, mergeInto } from './merge.js';

/**
 * A table of competencies, as CSV or TSV: a header row, then one row per role × domain × level ×
 * competency. See "Importing a framework" in docs/frameworks.md, and docs/examples/framework.csv.
 */

/** The fields a row can have, and the header spellings each accepts (compared by `headerKey`). */
const COLUMNS = {
  role: ['role', 'role name', 'job title'],
  domain: ['domain', 'domain name', 'industry'],
  level: ['level', 'level name', 'seniority'],
  competency: ['competency', 'competency name', 'skill', 'skill name'],
  category: ['category', 'competency category'],
  tier: ['tier', 'competency tier'],
  expected: ['expected level', 'expected', 'expected proficiency', 'proficiency', 'target level'],
  description: ['description', 'competency description', 'definition'],
  scaleLabel: ['scale label', 'expected label', 'proficiency label'],
  roleSummary: ['role summary', 'role description'],
  levelSummary: ['level summary', 'level description'],
  track: ['track', 'career track', 'ladder'],
} as const;

type Field = keyof typeof COLUMNS;

const REQUIRED: readonly Field[] = [
  'role',
  'domain',
  'level',
  'competency',
  'category',
  'tier',
  'expected',
  'description',
];

/** `Expected_Level`, `expected-level`, ` EXPECTED  level ` → `expected level`. */
function headerKey(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s_\-.]+/g, ' ')
    .trim();
}

const FIELD_OF = new Map<string, Field>(
  (Object.entries(COLUMNS) as [Field, readonly string[]][]).flatMap(([field, names]) =>
    names.map((n): [string, Field] => [n, field]),
  ),
);

export type Delimiter = ',' | '\t' | ';';

const DELIMITER_NAME: Record<Delimiter, string> = { ',': 'comma', '\t': 'tab', ';': 'semicolon' };

/** The delimiter a header line uses: the one it has most of (a comma when it has none). */
function sniffDelimiter(text: string): Delimiter {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const count = (d: string) => first.split(d).length - 1;
  const best = ([',', '\t', ';'] as const).reduce((a, b) => (count(b) > count(a) ? b : a));
  return best;
}

export type TableResult = {
  /** One draft per role and domain, in the order first seen. */
  drafts: DraftFramework[];
  problems: ImportProblem[];
  notes: ImportProblem[];
};

/** Thrown from inside the CSV parser to stop reading: what is left of the file cannot change the outcome. */
const STOP_READING = Symbol('stop reading');

/**
 * Reads a CSV or TSV table; `file` is how messages name it. Rows are read one at a time, each merged
 * into its framework at once, so the time grows with the rows and no more; and reading stops at the
 * first row that gives a framework more levels or competencies than a framework can have.
 */
export function parseTable(
  source: string,
  file: string,
  delimiter: Delimiter = sniffDelimiter(source),
): TableResult {
  const problems: ImportProblem[] = [];
  const notes: ImportProblem[] = [];
  const drafts: DraftFramework[] = [];
  /** role|domain → its draft. */
  const byFramework = new Map<string, DraftFramework>();
  /** role|domain|level|competency → the line of the row that gave it. */
  const seen = new Map<string, number>();
  let header: { columns: Columns | undefined; line: number } | undefined;

  /** One row, its cells as the file has them; STOP_READING when the rest of the file need not be read. */
  const readLine = (cells: string[], line: number): typeof STOP_READING | undefined => {
    if (!cells.some((cell) => cell.trim() !== '')) return undefined;
    if (!header) {
      header = { columns: readHeader(cells, { file, line }, problems, notes), line };
      return header.columns ? undefined : STOP_READING;
    }
    if (!header.columns) return STOP_READING;
    const at: Where = { file, line };
    const draft = readRow(cells.map(unguardCell), at, header.columns, delimiter, problems);
    if (!draft) return undefined;
    const competency = draft.competencies[0];
    const level = draft.levels[0];
    if (!competency || !level) return undefined;
    const key = [draft.role.name, draft.domain.name, level.name, competency.name].map(keyOf).join('\u0000');
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        ...at,
        message: `${quote(competency.name)} at the level ${quote(level.name)} (${draft.role.name} · ${draft.domain.name}) is already on line ${first}: keep one row for each competency and level`,
      });
      return undefined;
    }
    seen.set(key, line);
    const into = byFramework.get(frameworkKey(draft));
    if (!into) {
      byFramework.set(frameworkKey(draft), draft);
      drafts.push(draft);
      return undefined;
    }
    mergeInto(into, draft, 'must-agree', problems, notes);
    const over = overLimit(into, competency.name, level.name);
    if (!over) return undefined;
    problems.push({ ...at, message: `${over}; the rest of the file was not read` });
    return STOP_READING;
  };

  // One kind of line end, so that csv-parse counts lines the way an editor does.
  const text = source.replace(/\r\n?/g, '\n');
  try {
    parse(text, {
      bom: true,
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      // Each record as soon as it is read; none is kept.
      on_record: (record: string[], info: { lines: number }) => {
        // A record's first line: the line it ends on, less the line breaks inside its quoted cells.
        const line = info.lines - record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
        if (readLine(record, line) === STOP_READING) throw STOP_READING;
        return null;
      },
    });
  } catch (error) {
    if (error === STOP_READING) return { drafts: [], problems, notes };
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      problems.push({ file, ...(line ? { line } : {}), message: csvErrorText(error) });
      return { drafts: [], problems, notes };
    }
    throw error;
  }

  if (!header) {
    return {
      drafts: [],
      problems: [
        {
          file,
          message: `the file is empty: expected a header row (${REQUIRED_LIST}), then one row per competency and level`,
        },
      ],
      notes,
    };
  }
  if (drafts.length === 0 && problems.length === 0) {
    problems.push({
      file,
      line: header.line,
      message: 'the table has a header but no rows: add one row per competency and level',
    });
  }
  return { drafts, problems, notes };
}

/**
 * What is wrong when a framework has more levels or competencies than a framework can have, now
 * that the row of `competency` at `level` is in it; undefined while it has not.
 */
function overLimit(draft: DraftFramework, competency: string, level: string): string | undefined {
  const name = `${draft.role.name} · ${draft.domain.name}`;
  if (draft.levels.length > MAX_LEVELS) return tooMany('level', level, name, MAX_LEVELS);
  if (draft.competencies.length > MAX_COMPETENCIES)
    return tooMany('competency', competency, name, MAX_COMPETENCIES);
  return undefined;
}

const REQUIRED_LIST = REQUIRED.map((f) => COLUMNS[f][0]).join(', ');

type Columns = { index: Map<Field, number>; names: string[]; width: number };

function readHeader(
  cells: string[],
  at: Where,
  problems: ImportProblem[],
  notes: ImportProblem[],
): Columns | undefined {
  const index = new Map<Field, number>();
  const unknown: string[] = [];
  const before = problems.length;
  cells.forEach((cell, i) => {
    const name = cell.trim();
    if (name === '') return;
    const field = FIELD_OF.get(headerKey(name));
    if (!field) {
      unknown.push(name);
      return;
    }
    const other = index.get(field);
    if (other !== undefined) {
      problems.push({
        ...at,
        message: `the columns ${quote(cells[other]?.trim() ?? '')} and ${quote(name)} both give the ${COLUMNS[field][0]}: keep one`,
      });
      return;
    }
    index.set(field, i);
  });
  const missing = REQUIRED.filter((f) => !index.has(f));
  if (missing.length === REQUIRED.length) {
    problems.push({
      ...at,
      message: `the first row must be the header, with the columns ${REQUIRED_LIST} (found ${cells.map((c) => quote(c.trim(), 30)).join(', ')})`,
    });
    return undefined;
  }
  for (const field of missing) {
    const wanted = COLUMNS[field][0];
    const near = unknown.find((u) => editDistance(headerKey(u), wanted, 3) <= 3);
    problems.push({
      ...at,
      message: `the header has no ${quote(wanted)} column${near ? ` (is ${quote(near)} meant to be it?)` : ''}: every row needs one (the columns are ${REQUIRED_LIST})`,
    });
  }
  const stillUnknown = unknown.filter(
    (u) => !missing.some((f) => editDistance(headerKey(u), COLUMNS[f][0], 3) <= 3),
  );
  for (const name of stillUnknown) {
    notes.push({
      ...at,
      message: `the column ${quote(name)} is not one the importer reads, so it is left out`,
    });
  }
  if (problems.length > before) return undefined;
  return { index, names: cells.map((c) => c.trim()), width: cells.length };
}

/** One row as a draft of one competency at one level, or undefined (with problems) when it is wrong. */
function readRow(
  cells: string[],
  at: Where,
  columns: Columns,
  delimiter: Delimiter,
  problems: ImportProblem[],
): DraftFramework | undefined {
  const before = problems.length;
  const cell = (field: Field): string | undefined => {
    const i = columns.index.get(field);
    return i === undefined ? undefined : cells[i];
  };
  const columnName = (field: Field) => columns.names[columns.index.get(field) ?? -1] ?? COLUMNS[field][0];

  if (cells.length < columns.width) {
    const absent = REQUIRED.filter((f) => (columns.index.get(f) ?? 0) >= cells.length);
    if (absent.length > 0) {
      problems.push({
        ...at,
        message: `this row has ${cells.length} ${cells.length === 1 ? 'cell' : 'cells'} but the header has ${columns.width}, so it has no ${absent.map((f) => quote(columnName(f))).join(', ')}: is a ${DELIMITER_NAME[delimiter]} missing?`,
      });
      return undefined;
    }
  } else if (cells.slice(columns.width).some((c) => c.trim() !== '')) {
    problems.push({
      ...at,
      message: `this row has ${cells.length} cells but the header has ${columns.width}: is there a ${DELIMITER_NAME[delimiter]} inside a cell? Put that cell in double quotes`,
    });
    return undefined;
  }

  const required: Partial<Record<Field, string>> = {};
  const empty: string[] = [];
  for (const field of REQUIRED) {
    const value = field === 'description' ? (cell(field) ?? '').trim() : cleanName(cell(field) ?? '');
    if (value === '') empty.push(quote(columnName(field)));
    required[field] = value;
  }
  if (empty.length > 0) {
    problems.push({
      ...at,
      message: `${empty.join(', ')} ${empty.length === 1 ? 'is' : 'are'} empty: every row needs a role, domain, level, competency, category, tier, expected level and description`,
    });
  }

  const expectedText = required.expected ?? '';
  const expected = parseExpected(expectedText);
  if (expectedText !== '' && expected === undefined) {
    problems.push({
      ...at,
      message: `expected level ${quote(expectedText)} is not 1–5; use a whole number from 1 to 5`,
    });
  }
  const tierText = required.tier ?? '';
  const tier = tierText.toLowerCase();
  if (tierText !== '' && tier !== 'primary' && tier !== 'supporting') {
    problems.push({
      ...at,
      message: `tier ${quote(tierText)} is not primary or supporting; use one of those two`,
    });
  }
  if (problems.length > before || expected === undefined) return undefined;

  const optional = (field: Field) => {
    const value = (cell(field) ?? '').trim();
    return value === '' ? undefined : { value, at };
  };
  const scaleLabel = optional('scaleLabel');
  const levelSummary = optional('levelSummary');
  const roleSummary = optional('roleSummary');
  const track = optional('track');
  const level = required.level ?? '';
  return {
    role: { name: required.role ?? '', at, ...(roleSummary ? { summary: roleSummary } : {}) },
    domain: { name: required.domain ?? '', at },
    levels: [
      {
        name: level,
        at,
        ...(levelSummary ? { summary: levelSummary } : {}),
        ...(track ? { track: { value: cleanName(track.value), at } } : {}),
      },
    ],
    competencies: [
      {
        name: required.competency ?? '',
        at,
        category: { value: required.category ?? '', at },
        tier: { value: tier as Tier, at },
        description: { value: required.description ?? '', at },
        expected: new Map([[keyOf(level), { value: expected, at }]]),
      },
    ],
    scale: new Map(scaleLabel ? [[expected, { value: cleanName(scaleLabel.value), at }]] : []),
    files: [at.file],
  };
}

/** `4`, `4.0` (as spreadsheets write numbers) or `4/5`: the value 1–5, else undefined. */
function parseExpected(text: string): number | undefined {
  const m = /^(\d+)(?:\.0+)?(?:\s*\/\s*5)?$/.exec(text.trim());
  if (!m) return undefined;
  const value = Number(m[1]);
  return value >= 1 && value <= 5 ? value : undefined;
}

function csvErrorText(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a cell opens a double quote (") that is never closed: close it, or remove it';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return 'a double quote (") is in the wrong place: inside a quoted cell, write it twice ("")';
    default:
      return `this is not a table the importer can read (${error.message})`;
  }
}
