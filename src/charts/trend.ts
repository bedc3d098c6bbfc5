/**
 * Progress over time as small multiples: one small line chart per competency, side by side in a
 * grid, each with the person's ratings across their assessments (x: the assessments in date order,
 * numbered as the key under the title says; y: 1 to 5) and the level expected at each one as a
 * dashed step line. Pure: input in, SVG and alt text out (render.ts makes the PNG).
 *
 * A rating that is "not applicable" or skipped, or a competency an assessment did not have, has no
 * point: the line breaks there and the panel says why under the axis ("n/a", "skip", "—"), as the
 * note at the bottom explains. The alt text states every number: for each competency, its rating at
 * each assessment and the level expected; `trendCharts` splits the competencies over several
 * pictures when one description could not hold them all.
 */
import {
  ALT_TEXT_LIMIT,
  altName,
  type Chart,
  type ChartRating,
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

/** One assessment on the x axis: when it was finished (YYYY-MM-DD) and at which level. */
type TrendChartPoint = { date: string; levelName: string };

/** A competency at one assessment, or null when that assessment did not have it. */
type TrendChartValue = { rating: ChartRating; expected: number } | null;

type TrendChartCompetency = { name: string; values: readonly TrendChartValue[] };

export type TrendChartInput = {
  /** What the chart is of, e.g. "Solutions Architect · E-commerce". */
  title: string;
  /** Oldest first; each competency has one value per point. */
  points: readonly TrendChartPoint[];
  competencies: readonly TrendChartCompetency[];
  /** Which picture of several this is, when the competencies are split (see trendCharts). */
  part?: { index: number; count: number };
};

export const TREND_WIDTH = 960;

const MARGIN = 24;
const TITLE_SIZE = 20;
const LEGEND_Y = 66;
const KEY_Y = 94;
const KEY_SIZE = 12;
const KEY_LINE = 17;
const COLUMN_GAP = 20;
const PANEL_HEIGHT = 168;
const PANEL_NAME_SIZE = 13;
/** Inside a panel: where the plot starts below its name, its height, room for the y labels. */
const PLOT_TOP = 30;
const PLOT_HEIGHT = 96;
const PLOT_LEFT = 22;
const PLOT_RIGHT = 12;
const NOTE_SIZE = 12;

const SELF_COLOUR = '#1d4ed8';
const EXPECTED_COLOUR = '#4b5563';
const GRID_COLOUR = '#e5e7eb';
const FRAME_COLOUR = '#d1d5db';

const RATINGS = new Set<unknown>([1, 2, 3, 4, 5, 'na', null]);

/** The x-axis key's entry for one assessment: `2 on 2026-03-02` (with its level when levels differ). */
function keyEntry(point: TrendChartPoint, i: number, levelsDiffer: boolean): string {
  return `${i + 1} on ${point.date}${levelsDiffer ? ` (${truncate(point.levelName, 220, KEY_SIZE)})` : ''}`;
}

/** Whether the assessments were made at more than one level. */
const levelsDiffer = (points: readonly TrendChartPoint[]): boolean =>
  new Set(points.map((p) => p.levelName)).size > 1;

/** The trend chart of `input`; throws a RangeError for no competencies, no points or values off the scale. */
function trendChart(input: TrendChartInput, altLimit = ALT_TEXT_LIMIT): Chart {
  const { points, competencies } = input;
  if (competencies.length === 0) throw new RangeError('A trend chart needs at least one competency.');
  if (points.length === 0) throw new RangeError('A trend chart needs at least one assessment.');
  for (const c of competencies) {
    if (c.values.length !== points.length)
      throw new RangeError(`${c.name} has ${c.values.length} values for ${points.length} assessments.`);
    for (const v of c.values) {
      if (v === null) continue;
      if (!Number.isFinite(v.expected) || v.expected < 1 || v.expected > 5)
        throw new RangeError(`Expected level ${v.expected} is not on the 1–5 scale.`);
      if (!RATINGS.has(v.rating)) throw new RangeError(`Rating ${String(v.rating)} is not on the 1–5 scale.`);
    }
  }
  const title = chartTitle(input);
  const alt = trendAlt(input, altLimit);

  // The key of the x axis: one entry per assessment, as many per line as fit.
  const differ = levelsDiffer(points);
  const keyLines: string[] = [];
  let line = 'Assessments:';
  for (const [i, point] of points.entries()) {
    const entry = `${keyEntry(point, i, differ)}${i < points.length - 1 ? ';' : ''}`;
    const candidate = `${line} ${entry}`;
    if (textWidth(candidate, KEY_SIZE) > TREND_WIDTH - 2 * MARGIN) {
      keyLines.push(line);
      line = entry;
    } else {
      line = candidate;
    }
  }
  keyLines.push(line);

  const columns = competencies.length === 1 ? 1 : competencies.length <= 4 ? 2 : 3;
  const rows = Math.ceil(competencies.length / columns);
  const panelWidth = (TREND_WIDTH - 2 * MARGIN - (columns - 1) * COLUMN_GAP) / columns;
  const panelsTop = KEY_Y + keyLines.length * KEY_LINE + 8;
  const noteY = panelsTop + rows * PANEL_HEIGHT + 8;
  const height = Math.ceil(noteY + 22);

  const parts: string[] = [svgOpen(TREND_WIDTH, height, title, alt)];
  parts.push(
    textElement(MARGIN, 38, truncate(title, TREND_WIDTH - 2 * MARGIN, TITLE_SIZE, 600), {
      size: TITLE_SIZE,
      weight: 600,
    }),
  );
  parts.push(legend());
  keyLines.forEach((text, i) => {
    parts.push(textElement(MARGIN, KEY_Y + i * KEY_LINE, text, { size: KEY_SIZE, fill: MUTED }));
  });
  competencies.forEach((c, k) => {
    const x = MARGIN + (k % columns) * (panelWidth + COLUMN_GAP);
    const y = panelsTop + Math.floor(k / columns) * PANEL_HEIGHT;
    parts.push(...panel(c, points.length, x, y, panelWidth));
  });
  const missing = competencies.some((c) => c.values.some((v) => v === null || typeof v.rating !== 'number'));
  const note = missing
    ? 'Ratings from 1 (bottom) to 5 (top). n/a: not applicable; skip: skipped; —: not in that assessment. No point there, so the line breaks.'
    : 'Ratings from 1 (bottom) to 5 (top); the dashed line is the level expected at each assessment.';
  parts.push(textElement(MARGIN, noteY + 8, note, { size: NOTE_SIZE, fill: MUTED }));
  parts.push('</svg>');
  return { svg: parts.join('\n'), alt, width: TREND_WIDTH, height };
}

function chartTitle(input: TrendChartInput): string {
  const part = input.part && input.part.count > 1 ? ` (${input.part.index} of ${input.part.count})` : '';
  return `Progress · ${input.title}${part}`;
}

/** The legend under the title: the person's line with its dots, and the expected level's dashes. */
function legend(): string {
  const out: string[] = [];
  let x = MARGIN;
  out.push(
    `<line x1="${n(x)}" y1="${LEGEND_Y}" x2="${n(x + 30)}" y2="${LEGEND_Y}" stroke="${SELF_COLOUR}" stroke-width="2.5"/>`,
  );
  out.push(dot(x + 15, LEGEND_Y));
  out.push(textElement(x + 38, LEGEND_Y + 4.5, 'You', { size: 13 }));
  x += 38 + textWidth('You', 13) + 28;
  out.push(
    `<line x1="${n(x)}" y1="${LEGEND_Y}" x2="${n(x + 30)}" y2="${LEGEND_Y}" stroke="${EXPECTED_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>`,
  );
  out.push(textElement(x + 38, LEGEND_Y + 4.5, 'Expected level', { size: 13 }));
  return out.join('\n');
}

function dot(x: number, y: number): string {
  return `<circle cx="${n(x)}" cy="${n(y)}" r="4" fill="${SELF_COLOUR}" stroke="#ffffff" stroke-width="1.5"/>`;
}

/** One competency's small chart, its top-left corner at (left, top). */
function panel(
  competency: TrendChartCompetency,
  count: number,
  left: number,
  top: number,
  width: number,
): string[] {
  const out: string[] = [];
  out.push(
    textElement(left, top + 14, truncate(competency.name, width, PANEL_NAME_SIZE, 600), {
      size: PANEL_NAME_SIZE,
      weight: 600,
    }),
  );
  const plotLeft = left + PLOT_LEFT;
  const plotRight = left + width - PLOT_RIGHT;
  const plotTop = top + PLOT_TOP;
  const plotBottom = plotTop + PLOT_HEIGHT;
  const yOf = (value: number) => plotBottom - ((value - 1) / 4) * PLOT_HEIGHT;
  const step = count > 1 ? (plotRight - plotLeft - 16) / (count - 1) : 0;
  const xOf = (i: number) => (count > 1 ? plotLeft + 8 + i * step : (plotLeft + plotRight) / 2);

  // Grid lines and y labels 1–5.
  for (let value = 1; value <= 5; value++) {
    const y = yOf(value);
    out.push(
      `<line x1="${n(plotLeft)}" y1="${n(y)}" x2="${n(plotRight)}" y2="${n(y)}" stroke="${value === 1 ? FRAME_COLOUR : GRID_COLOUR}" stroke-width="1"/>`,
    );
    out.push(textElement(plotLeft - 6, y + 4, String(value), { size: 10, anchor: 'end', fill: MUTED }));
  }

  // The expected level as a step line: level around each assessment, joined where it changes.
  const values = competency.values;
  const segments: string[] = [];
  let open = false;
  values.forEach((v, i) => {
    if (v === null) {
      open = false;
      return;
    }
    const from = i === 0 ? plotLeft : (xOf(i - 1) + xOf(i)) / 2;
    const to = i === count - 1 ? plotRight : (xOf(i) + xOf(i + 1)) / 2;
    const y = yOf(v.expected);
    segments.push(open ? `V${n(y)}H${n(to)}` : `M${n(from)},${n(y)}H${n(to)}`);
    open = true;
  });
  if (segments.length > 0)
    out.push(
      `<path d="${segments.join('')}" fill="none" stroke="${EXPECTED_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>`,
    );

  // The person's ratings: a line between neighbouring rated assessments, broken where one is missing.
  const rated = values.map((v) => (v !== null && typeof v.rating === 'number' ? v.rating : undefined));
  for (let i = 1; i < count; i++) {
    const a = rated[i - 1];
    const b = rated[i];
    if (a === undefined || b === undefined) continue;
    out.push(
      `<line x1="${n(xOf(i - 1))}" y1="${n(yOf(a))}" x2="${n(xOf(i))}" y2="${n(yOf(b))}" stroke="${SELF_COLOUR}" stroke-width="2.5" stroke-linecap="round"/>`,
    );
  }
  values.forEach((v, i) => {
    const x = xOf(i);
    const rating = rated[i];
    if (rating !== undefined) {
      out.push(dot(x, yOf(rating)));
      out.push(
        textElement(x, yOf(rating) - 8, String(rating), {
          size: 10,
          anchor: 'middle',
          fill: INK,
        }),
      );
    } else {
      const word = v === null ? '—' : v.rating === 'na' ? 'n/a' : 'skip';
      out.push(textElement(x, plotBottom + 28, word, { size: 10, anchor: 'middle', fill: MUTED }));
    }
    // The assessment's number, as the key under the title lists them.
    out.push(textElement(x, plotBottom + 15, String(i + 1), { size: 10, anchor: 'middle', fill: MUTED }));
  });
  return out;
}

/** A rating in the alt text: `3`, `n/a`, `skipped`, or `not in that assessment`. */
function altValue(v: TrendChartValue): string {
  if (v === null) return 'not in that assessment';
  return typeof v.rating === 'number' ? String(v.rating) : v.rating === 'na' ? 'n/a' : 'skipped';
}

/** The sentence that opens the alt text: what the chart is, and each assessment's date (and level). */
function altSentence(input: TrendChartInput): string {
  const { points } = input;
  const differ = levelsDiffer(points);
  const dates = points
    .map((p, i) => `${i + 1} on ${p.date}${differ ? ` (${altName(p.levelName, 40)})` : ''}`)
    .join(', ');
  const at = differ ? '' : ` at ${altName(points[0]?.levelName ?? '', 40)}`;
  const part = input.part && input.part.count > 1 ? `, part ${input.part.index} of ${input.part.count}` : '';
  const count = points.length === 1 ? '1 assessment' : `${points.length} assessments`;
  return `Line charts of your self-ratings for ${altName(input.title, 120)} across ${count}${at}${part}, one per competency, with the expected level: ${dates}.`;
}

/** One competency in the alt text: `Name: 2, 3, n/a, 4; expected 3` (or `expected 3, 3, 4, 4` when it changed). */
function altPart(c: TrendChartCompetency): string {
  const expected = c.values.map((v) => (v === null ? 'none' : formatNumber(v.expected)));
  const same = new Set(c.values.filter((v) => v !== null).map((v) => v.expected)).size <= 1;
  const shown = same ? (expected.find((e) => e !== 'none') ?? 'none') : expected.join(', ');
  return `${altName(c.name)}: ${c.values.map(altValue).join(', ')}; expected ${shown}`;
}

/** The alt text: the sentence, then every competency's ratings and expected level (as many as fit). */
function trendAlt(input: TrendChartInput, limit: number): string {
  return fitAlt(altSentence(input), input.competencies.map(altPart), {
    separator: '. ',
    more: (k) => `and ${k} more competencies`,
    limit,
  });
}

/**
 * The trend as one picture, or as several when one alt text of `altLimit` characters could not state
 * every number: the competencies in order, as many per picture as its description holds whole.
 */
export function trendCharts(input: Omit<TrendChartInput, 'part'>, altLimit = ALT_TEXT_LIMIT): Chart[] {
  const groups: TrendChartCompetency[][] = [];
  // The sentence grows a little with "part N of M": leave room for it.
  const room = altLimit - ', part 99 of 99'.length;
  let current: TrendChartCompetency[] = [];
  for (const c of input.competencies) {
    const candidate = [...current, c];
    if (current.length > 0 && trendAlt({ ...input, competencies: candidate }, Infinity).length > room) {
      groups.push(current);
      current = [c];
    } else {
      current = candidate;
    }
  }
  if (current.length > 0) groups.push(current);
  return groups.map((competencies, i) =>
    trendChart({ ...input, competencies, part: { index: i + 1, count: groups.length } }, altLimit),
  );
}
