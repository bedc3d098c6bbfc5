import { guardCell } from '../util/csv-guard.js';
import { expectedAt, type FrameworkFile } from './schema.js';

/**
 * A framework as a table, in the form `competency import` reads: one row per level × competency,
 * levels most junior first and competencies in the file's order. The role summary is on the
 * framework's first row and each level's summary on that level's first row; the other rows leave
 * them empty. A framework with career tracks has one more column, `track`: the track's name on every
 * row of its levels, empty for the shared ones. Importing the table and exporting the result gives
 * the same table back.
 */

/** The columns, in their canonical order. */
export const CSV_COLUMNS = [
  'role',
  'domain',
  'level',
  'competency',
  'category',
  'tier',
  'expected level',
  'description',
  'scale label',
  'role summary',
  'level summary',
] as const;

/** The column a framework with career tracks adds after CSV_COLUMNS. */
const TRACK_COLUMN = 'track';

/** The header and one row per level and competency. */
function frameworkToRows(f: FrameworkFile): string[][] {
  const tracks = f.tracks ?? [];
  const rows: string[][] = [[...CSV_COLUMNS, ...(tracks.length > 0 ? [TRACK_COLUMN] : [])]];
  f.levels.forEach((level, i) => {
    const track = tracks.find((t) => t.id === level.track)?.name ?? '';
    f.competencies.forEach((c, j) => {
      const expected = expectedAt(c, level.id);
      const label = f.scale.find((s) => s.value === expected)?.label ?? '';
      rows.push([
        f.role.name,
        f.domain.name,
        level.name,
        c.name,
        c.category,
        c.tier,
        expected === undefined ? '' : String(expected),
        c.description,
        label,
        i === 0 && j === 0 ? f.role.summary : '',
        j === 0 ? (level.summary ?? '') : '',
        ...(tracks.length > 0 ? [track] : []),
      ]);
    });
  });
  return rows;
}

/**
 * Rows as CSV (or TSV with a tab): a cell a spreadsheet would run as a formula (`=…`, `+…`, `-…`,
 * `@…`) gets a leading `'` (guardCell; `competency import` takes it off again); a cell is quoted only
 * when it has to be (it holds the delimiter, a double quote, a line break, or starts or ends with a
 * space), and a quote in it is doubled. Lines end with `\n`, the last one too.
 */
function formatTable(rows: readonly (readonly string[])[], delimiter: ',' | '\t' = ','): string {
  const cell = (text: string) => {
    const value = guardCell(text);
    return value.includes(delimiter) || /["\r\n]/.test(value) || /^\s|\s$/.test(value)
      ? `"${value.replaceAll('"', '""')}"`
      : value;
  };
  return rows
    .map((row) => row.map(cell).join(delimiter))
    .join('\n')
    .concat('\n');
}

/** The framework as CSV (or TSV). */
export function frameworkToCsv(f: FrameworkFile, delimiter: ',' | '\t' = ','): string {
  return formatTable(frameworkToRows(f), delimiter);
}
