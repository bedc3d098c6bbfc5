/**
 * A radar (spider) chart of one person's self-ratings against the expected level, and optionally a
 * colleague's review: one spoke per competency in framework order, clockwise from the top, rings
 * for 1 to 5. Pure: input in, SVG and alt text out (render.ts makes the PNG).
 *
 * Ratings that are "not applicable" or skipped have no point: a shape joins the points it has,
 * across the spokes it has none on, and those spokes' labels say so ("n/a", "skipped", in grey
 * when it is the person's own rating), as the note under the chart explains.
 *
 * Labels are horizontal, on the right of the chart for the spokes on the right and on the left for
 * the others, the first spoke's above and (with an even number of spokes) the opposite one's
 * below. Where spokes are too close for their labels to sit level with them (near the top and the
 * bottom, with many competencies) the labels move apart to one line each, along a circle outside
 * the rings, with a thin leader line to their spoke. Names are shortened with an ellipsis to fit.
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
  wrapText,
} from './svg.js';

export type RadarCompetency = {
  name: string;
  /** Expected at the level, 1–5. */
  expected: number;
  /** The person's own rating. */
  rating: ChartRating;
  /** The colleague's rating; read only when the input has a `reviewLabel` (missing = skipped). */
  review?: ChartRating;
};

export type RadarInput = {
  /** What the chart is of, e.g. "Solutions Architect · Senior". */
  title: string;
  /** In framework order. */
  competencies: readonly RadarCompetency[];
  /** Who the second series is from, e.g. "Alex's review"; without it there is no second series. */
  reviewLabel?: string;
  /** The longest the alt text may be: Slack's 2,000 for an image block unless told (1,000 for an uploaded file). */
  altLimit?: number;
};

export const RADAR_WIDTH = 960;
export const RADAR_HEIGHT = 660;

const MARGIN = 24;
const TITLE_SIZE = 20;
const LEGEND_Y = 70;
const CX = RADAR_WIDTH / 2;
const CY = 352;
/** Radius of ring 5. */
const RADIUS = 200;
/** Radius of the circle the labels sit on. */
const LABEL_RADIUS = RADIUS + 18;
/** Space between a label and its point on the label circle. */
const LABEL_GAP = 6;
/** Widest a label may be: what is left beside the label circle. */
const LABEL_MAX_WIDTH = RADAR_WIDTH / 2 - LABEL_RADIUS - LABEL_GAP - MARGIN;
/** Widest the labels above and below the rings may be. */
const CENTRED_LABEL_MAX_WIDTH = 400;
const NOTE_Y = RADAR_HEIGHT - 22;

/** Colours on white: blue 6.7:1, orange 5.2:1, grey 7.6:1; told apart by line style and marker too. */
const SELF_COLOUR = '#1d4ed8';
const REVIEW_COLOUR = '#c2410c';
const EXPECTED_COLOUR = '#4b5563';
const RING_COLOUR = '#d1d5db';
const SPOKE_COLOUR = '#e5e7eb';
const LEADER_COLOUR = '#9ca3af';

const RATINGS = new Set<unknown>([1, 2, 3, 4, 5, 'na', null]);

/** The radar chart of `input`; throws a RangeError for no competencies or values off the scale. */
export function radarChart(input: RadarInput): Chart {
  const competencies = input.competencies;
  const count = competencies.length;
  if (count === 0) throw new RangeError('A radar chart needs at least one competency.');
  const reviewLabel = input.reviewLabel?.trim() ? input.reviewLabel : undefined;
  for (const c of competencies) {
    if (!Number.isFinite(c.expected) || c.expected < 1 || c.expected > 5)
      throw new RangeError(`Expected level ${c.expected} is not on the 1–5 scale.`);
    if (!RATINGS.has(c.rating)) throw new RangeError(`Rating ${String(c.rating)} is not on the 1–5 scale.`);
    if (reviewLabel !== undefined && !RATINGS.has(c.review ?? null))
      throw new RangeError(`Rating ${String(c.review)} is not on the 1–5 scale.`);
  }
  const reviews = competencies.map((c) => (reviewLabel === undefined ? undefined : (c.review ?? null)));

  const alt = radarAlt(input.title, competencies, reviewLabel, input.altLimit);
  const parts: string[] = [svgOpen(RADAR_WIDTH, RADAR_HEIGHT, input.title, alt)];

  // Title and legend.
  parts.push(
    textElement(MARGIN, 38, truncate(input.title, RADAR_WIDTH - 2 * MARGIN, TITLE_SIZE, 600), {
      size: TITLE_SIZE,
      weight: 600,
    }),
  );
  parts.push(legend(reviewLabel));

  const angle = (k: number) => (2 * Math.PI * k) / count;
  const point = (k: number, radius: number) => ({
    x: CX + radius * Math.sin(angle(k)),
    y: CY - radius * Math.cos(angle(k)),
  });
  const valueRadius = (value: number) => (Math.min(5, Math.max(0, value)) / 5) * RADIUS;

  // Rings 1–5, spokes.
  for (let ring = 1; ring <= 5; ring++) {
    parts.push(
      `<circle cx="${n(CX)}" cy="${n(CY)}" r="${n(valueRadius(ring))}" fill="none" stroke="${RING_COLOUR}" stroke-width="${ring === 5 ? 1.5 : 1}"/>`,
    );
  }
  for (let k = 0; k < count; k++) {
    const end = point(k, RADIUS);
    parts.push(
      `<line x1="${n(CX)}" y1="${n(CY)}" x2="${n(end.x)}" y2="${n(end.y)}" stroke="${SPOKE_COLOUR}" stroke-width="1"/>`,
    );
  }

  // The series, the expected level underneath, the person on top.
  const shape = (values: readonly (ChartRating | number | undefined)[]) =>
    values
      .map((value, k) => (typeof value === 'number' ? point(k, valueRadius(value)) : null))
      .filter((p): p is { x: number; y: number } => p !== null)
      .map((p) => `${n(p.x)},${n(p.y)}`)
      .join(' ');
  parts.push(
    `<polygon points="${shape(competencies.map((c) => c.expected))}" fill="${EXPECTED_COLOUR}" fill-opacity="0.05" stroke="${EXPECTED_COLOUR}" stroke-width="2" stroke-dasharray="7 5" stroke-linejoin="round"/>`,
  );
  if (reviewLabel !== undefined) {
    const points = shape(reviews);
    if (points)
      parts.push(
        `<polygon points="${points}" fill="${REVIEW_COLOUR}" fill-opacity="0.08" stroke="${REVIEW_COLOUR}" stroke-width="2.5" stroke-dasharray="1 5" stroke-linecap="round" stroke-linejoin="round"/>`,
      );
  }
  const selfPoints = shape(competencies.map((c) => c.rating));
  if (selfPoints)
    parts.push(
      `<polygon points="${selfPoints}" fill="${SELF_COLOUR}" fill-opacity="0.14" stroke="${SELF_COLOUR}" stroke-width="2.5" stroke-linejoin="round"/>`,
    );
  reviews.forEach((value, k) => {
    if (typeof value === 'number') parts.push(diamond(point(k, valueRadius(value)), 5, REVIEW_COLOUR));
  });
  competencies.forEach((c, k) => {
    if (typeof c.rating === 'number') parts.push(dot(point(k, valueRadius(c.rating)), 4, SELF_COLOUR));
  });

  // Ring numbers along the first spoke, with a white halo to stay legible over the shapes.
  for (let ring = 1; ring <= 5; ring++) {
    parts.push(
      `<text x="${n(CX + 4)}" y="${n(CY - valueRadius(ring) - 3)}" font-size="11" fill="${MUTED}" stroke="#ffffff" stroke-width="3" paint-order="stroke" stroke-linejoin="round">${ring}</text>`,
    );
  }

  parts.push(...labels(competencies, reviews, point));

  const missing = competencies.some(
    (c, k) => typeof c.rating !== 'number' || reviews[k] === 'na' || reviews[k] === null,
  );
  const note = missing
    ? 'Rings from 1 (centre) to 5 (edge). n/a: not applicable, skipped: not rated; those spokes have no point.'
    : 'Rings from 1 (centre) to 5 (edge).';
  parts.push(textElement(MARGIN, NOTE_Y, note, { size: 12, fill: MUTED }));

  parts.push('</svg>');
  return { svg: parts.join('\n'), alt, width: RADAR_WIDTH, height: RADAR_HEIGHT };
}

type Point = { x: number; y: number };

function dot(p: Point, r: number, colour: string): string {
  return `<circle cx="${n(p.x)}" cy="${n(p.y)}" r="${r}" fill="${colour}" stroke="#ffffff" stroke-width="1.5"/>`;
}

function diamond(p: Point, r: number, colour: string): string {
  const points = [
    [p.x, p.y - r],
    [p.x + r, p.y],
    [p.x, p.y + r],
    [p.x - r, p.y],
  ]
    .map(([x, y]) => `${n(x ?? 0)},${n(y ?? 0)}`)
    .join(' ');
  return `<polygon points="${points}" fill="${colour}" stroke="#ffffff" stroke-width="1.5"/>`;
}

/** The legend under the title: a sample of each line with its marker, and its name. */
function legend(reviewLabel: string | undefined): string {
  const items: { label: string; line: string; marker: (p: Point) => string }[] = [
    {
      label: 'You',
      line: `stroke="${SELF_COLOUR}" stroke-width="2.5"`,
      marker: (p) => dot(p, 4, SELF_COLOUR),
    },
    {
      label: 'Expected level',
      line: `stroke="${EXPECTED_COLOUR}" stroke-width="2" stroke-dasharray="7 5"`,
      marker: () => '',
    },
  ];
  if (reviewLabel !== undefined)
    items.push({
      label: truncate(reviewLabel, 260, 13),
      line: `stroke="${REVIEW_COLOUR}" stroke-width="2.5" stroke-dasharray="1 5" stroke-linecap="round"`,
      marker: (p) => diamond(p, 5, REVIEW_COLOUR),
    });
  const out: string[] = [];
  let x = MARGIN;
  for (const item of items) {
    out.push(`<line x1="${n(x)}" y1="${LEGEND_Y}" x2="${n(x + 30)}" y2="${LEGEND_Y}" ${item.line}/>`);
    out.push(item.marker({ x: x + 15, y: LEGEND_Y }));
    out.push(textElement(x + 38, LEGEND_Y + 4.5, item.label, { size: 13 }));
    x += 38 + textWidth(item.label, 13) + 28;
  }
  return out.join('\n');
}

/** What a label adds after the name when a rating is missing, e.g. " (n/a; review skipped)". */
function missingNote(rating: ChartRating, review: ChartRating | undefined): string {
  const notes: string[] = [];
  if (rating === 'na') notes.push('n/a');
  else if (rating === null) notes.push('skipped');
  if (review === 'na') notes.push('review n/a');
  else if (review === null) notes.push('review skipped');
  return notes.length ? ` (${notes.join('; ')})` : '';
}

type Label = {
  k: number;
  lines: string[];
  fill: string;
  side: 'top' | 'bottom' | 'left' | 'right';
  /** Height of the label's lines. */
  height: number;
  /** Where the label's middle is, vertically; moved by the layout on the sides. */
  y: number;
  natural: number;
};

/** Font size of the spoke labels. */
const RADAR_LABEL_SIZE = 13;
const LINE_HEIGHT = Math.round(RADAR_LABEL_SIZE * 1.3);
/** How far down the side labels may go when there is no label at the bottom. */
const LOWEST = CY + LABEL_RADIUS + RADAR_LABEL_SIZE;

function labels(
  competencies: readonly RadarCompetency[],
  reviews: readonly (ChartRating | undefined)[],
  point: (k: number, radius: number) => Point,
): string[] {
  // Two lines per label where names are long, unless there is not room for that, or it would take
  // the labels further from their spokes than one line each does (many competencies).
  const oneLine = layout(competencies, reviews, point, 1);
  const twoLines = layout(competencies, reviews, point, 2);
  const all =
    twoLines.fits && twoLines.moved <= Math.max(oneLine.moved, LINE_HEIGHT)
      ? twoLines.labels
      : oneLine.labels;

  const size = RADAR_LABEL_SIZE;
  const out: string[] = [];
  for (const label of all) {
    const top = label.y - label.height / 2;
    const baseline = (i: number) => top + LINE_HEIGHT * i + LINE_HEIGHT / 2 + size * 0.35;
    if (label.side === 'top' || label.side === 'bottom') {
      label.lines.forEach((line, i) => {
        out.push(textElement(CX, baseline(i), line, { size, anchor: 'middle', fill: label.fill }));
      });
      continue;
    }
    const sign = label.side === 'right' ? 1 : -1;
    // Level with the line nearest the middle, so that no line reaches into the rings.
    const bottom = label.y + label.height / 2;
    const dy = top > CY ? top - CY : bottom < CY ? bottom - CY : 0;
    const dx = Math.sqrt(Math.max(0, LABEL_RADIUS ** 2 - dy ** 2));
    const x = CX + sign * (dx + LABEL_GAP);
    if (Math.abs(label.y - label.natural) > 2) {
      const from = point(label.k, RADIUS + 3);
      out.push(
        `<line x1="${n(from.x)}" y1="${n(from.y)}" x2="${n(x - sign * 3)}" y2="${n(label.y)}" stroke="${LEADER_COLOUR}" stroke-width="1"/>`,
      );
    }
    label.lines.forEach((line, i) => {
      out.push(
        textElement(x, baseline(i), line, { size, anchor: sign > 0 ? 'start' : 'end', fill: label.fill }),
      );
    });
  }
  return out;
}

/**
 * The labels with up to `maxLines` lines each, placed; `fits` is false when a side ran out of room,
 * `moved` is the furthest a label had to move from its spoke.
 */
function layout(
  competencies: readonly RadarCompetency[],
  reviews: readonly (ChartRating | undefined)[],
  point: (k: number, radius: number) => Point,
  maxLines: number,
): { labels: Label[]; fits: boolean; moved: number } {
  const count = competencies.length;
  const size = RADAR_LABEL_SIZE;
  const labels: Label[] = competencies.map((c, k) => {
    const side =
      k === 0 ? 'top' : count % 2 === 0 && k === count / 2 ? 'bottom' : k < count / 2 ? 'right' : 'left';
    const width = side === 'top' || side === 'bottom' ? CENTRED_LABEL_MAX_WIDTH : LABEL_MAX_WIDTH;
    const lines = wrapText(c.name, width, size, maxLines, missingNote(c.rating, reviews[k]));
    const height = lines.length * LINE_HEIGHT;
    const y =
      side === 'top'
        ? CY - LABEL_RADIUS - 2 - height / 2
        : side === 'bottom'
          ? CY + LABEL_RADIUS + 2 + height / 2
          : point(k, LABEL_RADIUS).y;
    return { k, lines, fill: typeof c.rating === 'number' ? INK : MUTED, side, height, y, natural: y };
  });

  // On each side, labels in order from the top, each clear of the one before: below the top label,
  // above the bottom one (or the lowest line allowed). Push down where they crowd, then back up.
  const top = labels[0];
  const bottom = labels.find((l) => l.side === 'bottom');
  let fits = true;
  for (const side of ['left', 'right'] as const) {
    const column = labels.filter((l) => l.side === side).sort((a, b) => a.natural - b.natural);
    let edge = top ? top.y + top.height / 2 : -Infinity;
    for (const label of column) {
      label.y = Math.max(label.y, edge + label.height / 2);
      edge = label.y + label.height / 2;
    }
    edge = bottom ? bottom.y - bottom.height / 2 : LOWEST + LINE_HEIGHT / 2;
    for (const label of column.reverse()) {
      label.y = Math.min(label.y, edge - label.height / 2);
      edge = label.y - label.height / 2;
    }
    if (top && edge < top.y + top.height / 2 - 0.5) fits = false;
  }
  const moved = Math.max(0, ...labels.map((l) => Math.abs(l.y - l.natural)));
  return { labels, fits, moved };
}

function ratingWords(rating: ChartRating): string {
  return rating === 'na' ? 'not applicable' : rating === null ? 'skipped' : String(rating);
}

/**
 * "Radar chart of your self-ratings for <title> against the expected level[ and <review label>].
 * <name>: you 4[, <review label> 3], expected 3; <name>: not applicable, expected 2; …" — as many
 * competencies as fit in Slack's 2,000 characters, then "and N more".
 */
function radarAlt(
  title: string,
  competencies: readonly RadarCompetency[],
  reviewLabel?: string,
  limit = ALT_TEXT_LIMIT,
): string {
  const reviewer = reviewLabel?.trim() ? altName(reviewLabel, 60) : undefined;
  const sentence = `Radar chart of your self-ratings for ${altName(title, 200)} against the expected level${reviewer ? ` and ${reviewer}` : ''}.`;
  const parts = competencies.map((c) => {
    const self = typeof c.rating === 'number' ? `you ${c.rating}` : ratingWords(c.rating);
    const review = reviewer ? `${reviewer} ${ratingWords(c.review ?? null)}, ` : '';
    return `${altName(c.name)}: ${self}, ${review}expected ${formatNumber(c.expected)}`;
  });
  return fitAlt(sentence, parts, { separator: '; ', more: (k) => `and ${k} more`, limit });
}
