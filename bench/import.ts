import { importFrameworks } from '../src/frameworks/import/index.js';
import { MAX_COMPETENCIES, MAX_LEVELS } from '../src/frameworks/schema.js';
import { median } from './support.js';

/**
 * 5. `competency import` of large tables, in this process (the file's bytes to the result, as the
 * CLI does it, writing nothing): 100,000 rows of one role, which the importer refuses at the 25th
 * competency (a framework has at most 24), and 100,000 rows of one competency, refused at the 9th
 * level, each beside the largest table a framework can be (8 levels × 24 competencies, every text as
 * long as it may be): a table past the limits must be refused as soon as it passes them, however long
 * it goes on. And one-row frameworks by the hundred and by the thousand: the time must grow with the
 * rows, no faster.
 */

const BIG_ROWS = 100_000;
const FRAMEWORK_COUNTS = [500, 2_000] as const;
const RUNS = 3;

const HEADER =
  'role,domain,level,competency,category,tier,expected level,description,scale label,role summary,level summary';

const text = (n: number, words: string) =>
  words
    .repeat(Math.ceil(n / words.length))
    .slice(0, n)
    .trim();

/** The largest framework a table can hold: 8 levels × 24 competencies, names of 60 characters, descriptions of 500. */
function largestTable(): string {
  const rows = [HEADER];
  for (let l = 0; l < MAX_LEVELS; l++) {
    for (let c = 0; c < MAX_COMPETENCIES; c++) {
      rows.push(
        [
          text(60, 'Largest Role '),
          text(60, 'Largest Domain '),
          `${text(56, 'Level ')} L${l}`,
          `${text(56, 'Competency ')} C${c}`,
          text(30, 'category '),
          c % 2 === 0 ? 'primary' : 'supporting',
          String((l % 5) + 1),
          `"${text(500, 'Describes what is expected, with a comma, ')}"`,
          text(30, 'Label '),
          l === 0 && c === 0 ? `"${text(600, 'The role, summed up, ')}"` : '',
          c === 0 ? `"${text(600, 'The level, summed up, ')}"` : '',
        ].join(','),
      );
    }
  }
  return `${rows.join('\n')}\n`;
}

function table(rows: number, row: (i: number) => string): string {
  const lines = ['role,domain,level,competency,category,tier,expected level,description'];
  for (let i = 0; i < rows; i++) lines.push(row(i));
  return `${lines.join('\n')}\n`;
}

/** Wall time of one import of `csv` (median of RUNS), with what it said. */
function timeImport(csv: string): { ms: number; frameworks: number; problems: string[] } {
  const bytes = Buffer.from(csv);
  const times: number[] = [];
  let last: ReturnType<typeof importFrameworks> | undefined;
  for (let run = 0; run < RUNS; run++) {
    const t0 = performance.now();
    last = importFrameworks([{ file: 'bench.csv', bytes }], { today: '2026-12-01' });
    times.push(performance.now() - t0);
  }
  return {
    ms: median(times),
    frameworks: last?.frameworks.length ?? 0,
    problems: (last?.problems ?? []).map((p) => `${p.line ?? ''}: ${p.message}`),
  };
}

export async function importCost() {
  const largest = timeImport(largestTable());
  if (largest.frameworks !== 1)
    throw new Error(`the largest table did not import: ${largest.problems.join('; ')}`);
  const competencies = timeImport(
    table(BIG_ROWS, (i) => `Tester,Web,Junior,Skill ${i},technical,primary,3,Does thing ${i} well.`),
  );
  const levels = timeImport(
    table(BIG_ROWS, (i) => `Tester,Web,Level ${i},Testing,technical,primary,3,Tests.`),
  );
  const frameworks = FRAMEWORK_COUNTS.map((count) => ({
    count,
    ...timeImport(table(count, (i) => `Role ${i},Web,Junior,Testing,technical,primary,3,Tests.`)),
  }));
  for (const f of frameworks) {
    if (f.frameworks !== f.count) throw new Error(`${f.count} one-row frameworks made ${f.frameworks}`);
  }
  return {
    runs: RUNS,
    largest: {
      rows: MAX_LEVELS * MAX_COMPETENCIES,
      bytes: Buffer.byteLength(largestTable()),
      ms: largest.ms,
    },
    competencies: { rows: BIG_ROWS, ms: competencies.ms, problems: competencies.problems },
    levels: { rows: BIG_ROWS, ms: levels.ms, problems: levels.problems },
    frameworks: frameworks.map(({ count, ms }) => ({ count, ms })),
  };
}
