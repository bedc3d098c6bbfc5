/**
 * A heat map for a team: one row per competency, one column per rating from 1 to 5, each cell as
 * dark as the number of people who gave that rating (the number is written in it), and the
 * expected level's cell outlined. Pure: input in, SVG and alt text out (render.ts makes the PNG).
 *
 * It takes counts only, never who gave which rating: aggregate before calling. A count is a count
 * of people, so small teams can still be told apart by someone who knows who rated; whether to
 * show a team that small is the caller's decision.
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

/** How many people gave each rating, by rating. */
export type RatingCounts = Readonly<Record<1 | 2 | 3 | 4 | 5, number>>;

export type HeatMapRow = {
  /** The competency's name. */
  name: string;
  /** Expected at the level, 1–5; the marker goes on the nearest whole rating. */
  expected: number;
  counts: RatingCounts;
  /** How many said "not applicable"; a grey column is added when any row has some. */
  notApplicable?: number;
};

export type HeatMapInput = {
  /** What the chart is of, e.g. "Solutions Architect · Senior · 7 people". */
  title: string;
  /** In framework order. */
  rows: readonly HeatMapRow[];
  /** The scale's names for 1–5 (e.g. Basic … Expert), written under the column numbers. */
  scaleLabels?: readonly string[];
};

export const HEATMAP_WIDTH = 800;

const RATINGS = [1, 2, 3, 4, 5] as const;
const MARGIN = 24;
const TITLE_SIZE = 20;
const LEGEND_Y = 66;
const NAME_WIDTH = 280;
const CELLS_X = MARGIN + NAME_WIDTH + 12;
const CELL_WIDTH = 80;
const ROW_HEIGHT = 28;
const NA_X = CELLS_X + 5 * CELL_WIDTH + 12;
const NA_WIDTH = 48;
const TEXT_SIZE = 13;
const EXPECTED_COLOUR = '#c2410c';
const EMPTY_FILL = '#f3f4f6';

/** The heat map of `input`; throws a RangeError for no rows, or counts that are not whole numbers ≥ 0. */
export function heatMap(input: HeatMapInput): Chart {
  const rows = input.rows;
  if (rows.length === 0) throw new RangeError('A heat map needs at least one competency.');
  for (const row of rows) {
    for (const count of [...RATINGS.map((r) => row.counts[r]), row.notApplicable ?? 0])
      if (!Number.isInteger(count) || count < 0)
        throw new RangeError(`A count of people must be a whole number, not ${count}.`);
    if (!Number.isFinite(row.expected) || row.expected < 1 || row.expected > 5)
      throw new RangeError(`Expected level ${row.expected} is not on the 1–5 scale.`);
  }
  const max = Math.max(1, ...rows.flatMap((row) => RATINGS.map((r) => row.counts[r])));
  const showNa = rows.some((row) => (row.notApplicable ?? 0) > 0);
  const scaleLabels = input.scaleLabels?.length === 5 ? input.scaleLabels : undefined;
  const headerY = 112;
  const rowsY = headerY + (scaleLabels ? 30 : 14);
  const height = rowsY + rows.length * ROW_HEIGHT + 20;

  const alt = heatMapAlt(input.title, rows);
  const parts: string[] = [svgOpen(HEATMAP_WIDTH, height, input.title, alt)];
  parts.push(
    textElement(MARGIN, 38, truncate(input.title, HEATMAP_WIDTH - 2 * MARGIN, TITLE_SIZE, 600), {
      size: TITLE_SIZE,
      weight: 600,
    }),
  );
  parts.push(legend(max));

  // Column headings: the rating, and the scale's name for it under it.
  parts.push(textElement(MARGIN, headerY, 'Competency', { size: TEXT_SIZE, fill: MUTED }));
  RATINGS.forEach((rating, i) => {
    const x = CELLS_X + i * CELL_WIDTH + CELL_WIDTH / 2;
    parts.push(textElement(x, headerY, String(rating), { size: TEXT_SIZE, weight: 600, anchor: 'middle' }));
    const label = scaleLabels?.[i];
    if (label)
      parts.push(
        textElement(x, headerY + 16, truncate(label, CELL_WIDTH - 6, 11), {
          size: 11,
          anchor: 'middle',
          fill: MUTED,
        }),
      );
  });
  if (showNa)
    parts.push(
      textElement(NA_X + NA_WIDTH / 2, headerY, 'n/a', { size: TEXT_SIZE, anchor: 'middle', fill: MUTED }),
    );

  rows.forEach((row, index) => {
    const y = rowsY + index * ROW_HEIGHT;
    const middle = y + ROW_HEIGHT / 2 + TEXT_SIZE * 0.35;
    parts.push(textElement(MARGIN, middle, truncate(row.name, NAME_WIDTH, TEXT_SIZE), { size: TEXT_SIZE }));
    RATINGS.forEach((rating, i) => {
      const count = row.counts[rating];
      const fill = count === 0 ? EMPTY_FILL : shade(count / max);
      const x = CELLS_X + i * CELL_WIDTH;
      parts.push(
        `<rect x="${n(x + 2)}" y="${n(y + 2)}" width="${CELL_WIDTH - 4}" height="${ROW_HEIGHT - 4}" rx="3" fill="${fill}"/>`,
      );
      parts.push(
        textElement(x + CELL_WIDTH / 2, middle, String(count), {
          size: TEXT_SIZE,
          weight: count === 0 ? 400 : 600,
          anchor: 'middle',
          fill: count === 0 ? MUTED : textOn(fill),
        }),
      );
    });
    const expected = Math.min(5, Math.max(1, Math.round(row.expected)));
    parts.push(expectedMarker(CELLS_X + (expected - 1) * CELL_WIDTH, y));
    if (showNa) {
      parts.push(
        `<rect x="${n(NA_X + 2)}" y="${n(y + 2)}" width="${NA_WIDTH - 4}" height="${ROW_HEIGHT - 4}" rx="3" fill="${EMPTY_FILL}"/>`,
      );
      parts.push(
        textElement(NA_X + NA_WIDTH / 2, middle, String(row.notApplicable ?? 0), {
          size: TEXT_SIZE,
          anchor: 'middle',
          fill: MUTED,
        }),
      );
    }
  });

  parts.push('</svg>');
  return { svg: parts.join('\n'), alt, width: HEATMAP_WIDTH, height };
}

function expectedMarker(x: number, y: number): string {
  return `<rect x="${n(x + 1.5)}" y="${n(y + 1.5)}" width="${CELL_WIDTH - 3}" height="${ROW_HEIGHT - 3}" rx="4" fill="none" stroke="${EXPECTED_COLOUR}" stroke-width="3"/>`;
}

/** Under the title: what the shades mean (a few counts from 1 to the most), and the marker. */
function legend(max: number): string {
  const out: string[] = [];
  const label = 'People per rating:';
  out.push(textElement(MARGIN, LEGEND_Y + 4.5, label, { size: TEXT_SIZE, fill: MUTED }));
  let x = MARGIN + textWidth(label, TEXT_SIZE) + 10;
  const samples = [...new Set([1, 0.25, 0.5, 0.75, 1].map((f, i) => (i === 0 ? 1 : Math.round(f * max))))]
    .filter((v) => v >= 1)
    .sort((a, b) => a - b);
  for (const value of [0, ...samples]) {
    const fill = value === 0 ? EMPTY_FILL : shade(value / max);
    out.push(
      `<rect x="${n(x)}" y="${LEGEND_Y - 10}" width="34" height="20" rx="3" fill="${fill}"/>`,
      textElement(x + 17, LEGEND_Y + 4.5, String(value), {
        size: 12,
        weight: value === 0 ? 400 : 600,
        anchor: 'middle',
        fill: value === 0 ? MUTED : textOn(fill),
      }),
    );
    x += 38;
  }
  x += 24;
  out.push(
    `<rect x="${n(x)}" y="${LEGEND_Y - 10}" width="34" height="20" rx="4" fill="none" stroke="${EXPECTED_COLOUR}" stroke-width="3"/>`,
    textElement(x + 44, LEGEND_Y + 4.5, 'Expected level', { size: TEXT_SIZE }),
  );
  return out.join('\n');
}

type Rgb = [number, number, number];

/** Blues from light (few people) to dark (the most). */
const STOPS: Rgb[] = [
  [0xdb, 0xea, 0xfe],
  [0x93, 0xc5, 0xfd],
  [0x3b, 0x82, 0xf6],
  [0x1d, 0x4e, 0xd8],
  [0x1e, 0x3a, 0x8a],
];

/** The fill for a share of the largest count, 0 < t ≤ 1. */
function shade(t: number): string {
  const position = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(position));
  const f = position - i;
  const a = STOPS[i] ?? STOPS[0] ?? [0, 0, 0];
  const b = STOPS[i + 1] ?? a;
  return `#${a
    .map((v, c) =>
      Math.round(v + ((b[c] ?? v) - v) * f)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
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
 * "Heat map of how many people gave each self-rating from 1 to 5 for <title>, with the expected
 * level. <name>: 1 at 1, 3 at 3, 2 at 4; expected 3. <name>: no ratings; expected 2." — as many
 * competencies as fit in Slack's 2,000 characters, then "And N more competencies".
 */
export function heatMapAlt(title: string, rows: readonly HeatMapRow[], limit = ALT_TEXT_LIMIT): string {
  const sentence = `Heat map of how many people gave each self-rating from 1 to 5 for ${altName(title, 200)}, with the expected level.`;
  const parts = rows.map((row) => {
    const counts = RATINGS.filter((r) => row.counts[r] > 0).map((r) => `${row.counts[r]} at ${r}`);
    if ((row.notApplicable ?? 0) > 0) counts.push(`${row.notApplicable} not applicable`);
    return `${altName(row.name)}: ${counts.length ? counts.join(', ') : 'no ratings'}; expected ${formatNumber(row.expected)}`;
  });
  return fitAlt(sentence, parts, {
    separator: '. ',
    more: (k) => `And ${k} more ${k === 1 ? 'competency' : 'competencies'}`,
    limit,
  });
}
