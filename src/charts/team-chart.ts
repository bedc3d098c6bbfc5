/**
 * A team's chart: exactly what the team-view message says, drawn. One row per competency: a bar of
 * the people who rated it 1–5, split into those who rated themselves below, at (meet) and above
 * the expected level, each part with its count; beside it "median 3.5 · expected 4"; and, when any
 * competency has some, how many said not applicable or skipped it. Pure: input in, SVG and alt
 * text out (render.ts makes the PNG).
 *
 * It takes the message's totals only: never who gave which rating, and never how many gave each
 * rating from 1 to 5. That breakdown is deliberately not drawn anywhere (nor in the alt text):
 * compared before and after one person joins a team, it would give away that person's rating.
 *
 * The bars are shares of the people who rated the competency (every bar is as long), so that the
 * rows compare at a glance. A part is never drawn narrower than its count's label, so a small part
 * beside large ones (1 of 40) looks a little bigger than its share; the numbers are exact.
 */
import {
  ALT_TEXT_LIMIT,
  altName,
  type Chart,
  fitAlt,
  formatNumber,
  INK,
  MUTED,
  n,
  svgOpen,
  textElement,
  textWidth,
  truncate,
} from './svg.js';

export type TeamChartRow = {
  /** The competency's name. */
  name: string;
  /** Expected at the level, 1–5. */
  expected: number;
  /** True when contributors rated against different expected levels (framework versions). */
  expectedVaries: boolean;
  /** How many of those who rated it 1–5 rated it at, above and below the expected level. */
  meets: number;
  above: number;
  below: number;
  /** Of the 1–5 ratings: a whole number, or halfway between two. */
  median: number;
  /** How many said not applicable or skipped it. */
  notRated: number;
};

export type TeamChartInput = {
  /** What the chart is of, e.g. "Solutions Architect · Senior · 7 people". */
  title: string;
  /** In framework order. */
  rows: readonly TeamChartRow[];
};

export const TEAM_CHART_WIDTH = 960;

const MARGIN = 24;
const TITLE_SIZE = 20;
const TEXT_SIZE = 13;
const LABEL_SIZE = 12;
const LEGEND_Y = 68;
const HEADER_Y = 108;
const ROWS_Y = 118;
const ROW_HEIGHT = 32;
const BAR_HEIGHT = 22;
const NAME_WIDTH = 260;
const BAR_X = MARGIN + NAME_WIDTH + 16;
const GAP = 18;
const NOTE_LINE = 18;
const NA_HEADING = 'n/a or skipped';

type Part = 'below' | 'meets' | 'above';

/** Left to right, as the legend lists them. Colours from ColorBrewer's PuOr, safe for colour-blind readers. */
const PARTS: readonly { key: Part; label: string; fill: string }[] = [
  { key: 'below', label: 'Below expected', fill: '#e08214' },
  { key: 'meets', label: 'Meets expected', fill: '#d8daeb' },
  { key: 'above', label: 'Above expected', fill: '#542788' },
];

/**
 * The chart of `input`; throws a RangeError for no rows, counts that are not whole numbers ≥ 0, a
 * competency nobody rated 1–5, or an expected level or median off the 1–5 scale.
 */
export function teamChart(input: TeamChartInput): Chart {
  const rows = input.rows;
  check(rows);
  const showNa = rows.some((row) => row.notRated > 0);
  const varies = rows.some((row) => row.expectedVaries);
  const stats = rows.map(statsText);
  const statsWidth = Math.max(...stats.map((s) => textWidth(s, TEXT_SIZE)));
  const naWidth = textWidth(NA_HEADING, LABEL_SIZE);
  const naX = TEAM_CHART_WIDTH - MARGIN - naWidth;
  const statsX = (showNa ? naX - GAP : TEAM_CHART_WIDTH - MARGIN) - statsWidth;
  const barWidth = statsX - GAP - BAR_X;

  const notes = [
    'Each bar: the people who rated the competency 1–5, by how their rating compares with the expected level.',
    'Numbers are people. The median is of the 1–5 ratings.',
  ];
  if (varies)
    notes.push('(varies): the expected level differs between framework versions; each person is compared');
  if (varies) notes.push('with the level they rated against.');
  const notesY = ROWS_Y + rows.length * ROW_HEIGHT + 28;
  const height = notesY + (notes.length - 1) * NOTE_LINE + 22;

  const alt = teamChartAlt(input.title, rows);
  const parts: string[] = [svgOpen(TEAM_CHART_WIDTH, height, input.title, alt)];
  parts.push(
    textElement(MARGIN, 38, truncate(input.title, TEAM_CHART_WIDTH - 2 * MARGIN, TITLE_SIZE, 600), {
      size: TITLE_SIZE,
      weight: 600,
    }),
  );
  parts.push(legend());

  parts.push(textElement(MARGIN, HEADER_Y, 'Competency', { size: LABEL_SIZE, fill: MUTED }));
  parts.push(
    textElement(BAR_X, HEADER_Y, 'People who rated it, against the expected level', {
      size: LABEL_SIZE,
      fill: MUTED,
    }),
  );
  if (showNa) parts.push(textElement(naX, HEADER_Y, NA_HEADING, { size: LABEL_SIZE, fill: MUTED }));

  rows.forEach((row, index) => {
    const y = ROWS_Y + index * ROW_HEIGHT;
    const middle = y + ROW_HEIGHT / 2 + TEXT_SIZE * 0.35;
    parts.push(textElement(MARGIN, middle, truncate(row.name, NAME_WIDTH, TEXT_SIZE), { size: TEXT_SIZE }));
    parts.push(...bar(row, y + (ROW_HEIGHT - BAR_HEIGHT) / 2, barWidth, middle));
    parts.push(textElement(statsX, middle, stats[index] ?? '', { size: TEXT_SIZE }));
    if (showNa)
      parts.push(
        textElement(naX + naWidth / 2, middle, String(row.notRated), {
          size: TEXT_SIZE,
          anchor: 'middle',
          fill: MUTED,
        }),
      );
  });

  notes.forEach((note, i) => {
    parts.push(textElement(MARGIN, notesY + i * NOTE_LINE, note, { size: LABEL_SIZE, fill: MUTED }));
  });

  parts.push('</svg>');
  return { svg: parts.join('\n'), alt, width: TEAM_CHART_WIDTH, height };
}

function check(rows: readonly TeamChartRow[]): void {
  if (rows.length === 0) throw new RangeError('A team chart needs at least one competency.');
  for (const row of rows) {
    for (const count of [row.meets, row.above, row.below, row.notRated])
      if (!Number.isInteger(count) || count < 0)
        throw new RangeError(`A count of people must be a whole number, not ${count}.`);
    if (row.meets + row.above + row.below === 0)
      throw new RangeError('A competency in a team chart needs at least one 1–5 rating.');
    if (!Number.isFinite(row.expected) || row.expected < 1 || row.expected > 5)
      throw new RangeError(`Expected level ${row.expected} is not on the 1–5 scale.`);
    if (!Number.isInteger(row.median * 2) || row.median < 1 || row.median > 5)
      throw new RangeError(`Median ${row.median} is not on the 1–5 scale (in halves).`);
  }
}

/** "median 3.5 · expected 4", with "(varies)" when the expected level differs between versions. */
function statsText(row: TeamChartRow): string {
  const varies = row.expectedVaries ? ' (varies)' : '';
  return `median ${formatNumber(row.median)} · expected ${formatNumber(row.expected)}${varies}`;
}

/** The row's bar: one part per non-zero count, below / meets / above, each with its count in it. */
function bar(row: TeamChartRow, top: number, width: number, baseline: number): string[] {
  const shown = PARTS.filter((part) => row[part.key] > 0);
  const widths = partWidths(
    shown.map((part) => row[part.key]),
    shown.map((part) => textWidth(String(row[part.key]), LABEL_SIZE, 600) + 10),
    width,
  );
  const out: string[] = [];
  let x = BAR_X;
  shown.forEach((part, i) => {
    const w = widths[i] ?? 0;
    // A hairline of white between parts, so that they stay apart in any colours.
    const inset = i < shown.length - 1 ? 1 : 0;
    out.push(
      `<rect x="${n(x)}" y="${n(top)}" width="${n(w - inset)}" height="${BAR_HEIGHT}" fill="${part.fill}"/>`,
    );
    out.push(
      textElement(x + (w - inset) / 2, baseline, String(row[part.key]), {
        size: LABEL_SIZE,
        weight: 600,
        anchor: 'middle',
        fill: textOn(part.fill),
      }),
    );
    x += w;
  });
  return out;
}

/**
 * Widths for parts of `total` pixels proportional to `counts`, none narrower than its `minimum`
 * (which together fit): those that would be are set to it, the rest share what is left.
 */
function partWidths(counts: readonly number[], minimum: readonly number[], total: number): number[] {
  const fixed = new Set<number>();
  for (;;) {
    const free = counts.map((_, i) => i).filter((i) => !fixed.has(i));
    const room = total - [...fixed].reduce((sum, i) => sum + (minimum[i] ?? 0), 0);
    const people = free.reduce((sum, i) => sum + (counts[i] ?? 0), 0);
    const widths = counts.map((count, i) => (fixed.has(i) ? (minimum[i] ?? 0) : (room * count) / people));
    const short = free.filter((i) => (widths[i] ?? 0) < (minimum[i] ?? 0));
    if (short.length === 0 || short.length === free.length) return widths;
    for (const i of short) fixed.add(i);
  }
}

/** Under the title: the three parts' colours, in the order the bars have them. */
function legend(): string {
  const out: string[] = [];
  let x = MARGIN;
  for (const part of PARTS) {
    out.push(`<rect x="${n(x)}" y="${LEGEND_Y - 9}" width="26" height="18" fill="${part.fill}"/>`);
    out.push(textElement(x + 34, LEGEND_Y + 4.5, part.label, { size: TEXT_SIZE }));
    x += 34 + textWidth(part.label, TEXT_SIZE) + 28;
  }
  return out.join('\n');
}

/** Near black or white, whichever contrasts more with the fill. */
function textOn(fill: string): string {
  const channel = (hex: string) => {
    const v = Number.parseInt(hex, 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const l =
    0.2126 * channel(fill.slice(1, 3)) +
    0.7152 * channel(fill.slice(3, 5)) +
    0.0722 * channel(fill.slice(5, 7));
  const inkL = 0.0125; // #111827
  return (l + 0.05) / (inkL + 0.05) >= 1.05 / (l + 0.05) ? INK : '#ffffff';
}

/**
 * "Chart of how the people who chose to share rated themselves against the expected level, for
 * <title>. <name>: 3 meet, 1 above, 2 below the expected level 4; median 3.5; 1 n/a or skipped. …"
 * — as many competencies as fit in `limit` characters (Slack's 2,000 unless told), then "And N
 * more competencies". The same numbers as the chart, and no others.
 */
export function teamChartAlt(title: string, rows: readonly TeamChartRow[], limit = ALT_TEXT_LIMIT): string {
  const sentence = `Chart of how the people who chose to share rated themselves against the expected level, for ${altName(title, 200)}.`;
  const parts = rows.map((row) => {
    const varies = row.expectedVaries ? ' (it differs between framework versions)' : '';
    const na = row.notRated > 0 ? `; ${row.notRated} n/a or skipped` : '';
    return `${altName(row.name)}: ${row.meets} meet, ${row.above} above, ${row.below} below the expected level ${formatNumber(row.expected)}${varies}; median ${formatNumber(row.median)}${na}`;
  });
  return fitAlt(sentence, parts, {
    separator: '. ',
    more: (k) => `And ${k} more ${k === 1 ? 'competency' : 'competencies'}`,
    limit,
  });
}
