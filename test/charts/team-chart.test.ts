import { describe, expect, it } from 'vitest';
import { toPng } from '../../src/charts/render.js';
import { ALT_TEXT_LIMIT } from '../../src/charts/svg.js';
import {
  TEAM_CHART_WIDTH,
  type TeamChartInput,
  type TeamChartRow,
  teamChart,
  teamChartAlt,
} from '../../src/charts/team-chart.js';
import { drawnBox, parseSvg, pngSize, type TextNode } from './helpers.js';

const rows: TeamChartRow[] = [
  {
    name: 'API Design',
    expected: 4,
    expectedVaries: false,
    meets: 3,
    above: 1,
    below: 2,
    median: 3.5,
    notRated: 1,
  },
  {
    name: 'Data Modelling',
    expected: 2,
    expectedVaries: true,
    meets: 0,
    above: 5,
    below: 0,
    median: 4,
    notRated: 0,
  },
  {
    name: 'Security & Compliance',
    expected: 3,
    expectedVaries: false,
    meets: 4,
    above: 0,
    below: 1,
    median: 3,
    notRated: 2,
  },
];

/** The texts level with a row's name, left to right, the name first. */
function rowTexts(texts: readonly TextNode[], name: string): string[] {
  const label = texts.find((t) => t.content === name);
  if (!label) throw new Error(`no row ${name}`);
  return texts
    .filter((t) => Math.abs(t.y - label.y) < 1)
    .sort((a, b) => a.x - b.x)
    .map((t) => t.content);
}

/** The bar's parts in a row level with `y`: x, width and fill of each rect, left to right. */
function barParts(svg: string, texts: readonly TextNode[], name: string) {
  const label = texts.find((t) => t.content === name);
  if (!label) throw new Error(`no row ${name}`);
  return [
    ...svg.matchAll(
      /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="(\d+)" fill="(#[0-9a-f]{6})"\/>/g,
    ),
  ]
    .map((m) => ({
      x: Number(m[1]),
      y: Number(m[2]),
      width: Number(m[3]),
      height: Number(m[4]),
      fill: m[5] ?? '',
    }))
    .filter((r) => r.y < label.y && r.y + r.height > label.y - 10)
    .sort((a, b) => a.x - b.x);
}

/** Anything that reads as how many people gave one rating: "2 at 4", "rated 3: 2", "1: 4 people"… */
const PER_RATING =
  /\bat [1-5]\b|\brated [1-5]\b|\b[1-5]:\s*\d|\b\d+ (?:people )?(?:gave|rated) (?:a )?[1-5]\b/i;

describe('teamChart', () => {
  it('says in the alt text every number the message says, and nothing else', () => {
    const chart = teamChart({ title: 'Solutions Architect · Senior · 7 people', rows });
    expect(chart.alt).toBe(
      'Chart of how the people who chose to share rated themselves against the expected level, for ' +
        'Solutions Architect · Senior · 7 people. ' +
        'API Design: 3 meet, 1 above, 2 below the expected level 4; median 3.5; 1 n/a or skipped. ' +
        'Data Modelling: 0 meet, 5 above, 0 below the expected level 2 (it differs between framework versions); median 4. ' +
        'Security & Compliance: 4 meet, 0 above, 1 below the expected level 3; median 3; 2 n/a or skipped.',
    );
    expect(teamChartAlt('Solutions Architect · Senior · 7 people', rows)).toBe(chart.alt);
  });

  it('writes per row the counts below / meet / above in the bar, the median and expected level, and n/a or skipped', () => {
    const { texts } = parseSvg(teamChart({ title: 'Team', rows }).svg);
    expect(rowTexts(texts, 'API Design')).toEqual([
      'API Design',
      '2',
      '3',
      '1',
      'median 3.5 · expected 4',
      '1',
    ]);
    expect(rowTexts(texts, 'Data Modelling')).toEqual([
      'Data Modelling',
      '5',
      'median 4 · expected 2 (varies)',
      '0',
    ]);
    expect(rowTexts(texts, 'Security & Compliance')).toEqual([
      'Security & Compliance',
      '1',
      '4',
      'median 3 · expected 3',
      '2',
    ]);
    const contents = texts.map((t) => t.content);
    expect(contents).toEqual(
      expect.arrayContaining(['Below expected', 'Meets expected', 'Above expected', 'n/a or skipped']),
    );
    // "(varies)" is explained.
    expect(contents.some((c) => c.startsWith('(varies): the expected level differs'))).toBe(true);
  });

  it('leaves out the n/a column and the note on varying levels when no row needs them', () => {
    const plain = rows.map((row) => ({ ...row, notRated: 0, expectedVaries: false }));
    const chart = teamChart({ title: 'Team', rows: plain });
    const { texts } = parseSvg(chart.svg);
    expect(rowTexts(texts, 'API Design')).toEqual(['API Design', '2', '3', '1', 'median 3.5 · expected 4']);
    const contents = texts.map((t) => t.content).join('\n');
    expect(contents).not.toContain('n/a');
    expect(contents).not.toContain('varies');
    expect(chart.alt).not.toContain('n/a');
  });

  it('draws each bar below, meets, above from the left, as shares of the people who rated', () => {
    const chart = teamChart({ title: 'Team', rows });
    const { texts } = parseSvg(chart.svg);
    const api = barParts(chart.svg, texts, 'API Design');
    expect(api.map((p) => p.fill)).toEqual(['#e08214', '#d8daeb', '#542788']);
    // 2 : 3 : 1, give or take the hairline between parts.
    const unit = ((api[0]?.width ?? 0) + (api[1]?.width ?? 0) + (api[2]?.width ?? 0) + 2) / 6;
    expect(api[0]?.width).toBeCloseTo(2 * unit - 1, 0);
    expect(api[1]?.width).toBeCloseTo(3 * unit - 1, 0);
    expect(api[2]?.width).toBeCloseTo(unit, 0);
    // Every bar is as long: the same start, the same end.
    const ends = rows.map((row) => {
      const parts = barParts(chart.svg, texts, row.name);
      const last = parts[parts.length - 1];
      return [parts[0]?.x, (last?.x ?? 0) + (last?.width ?? 0)];
    });
    for (const end of ends) {
      expect(end[0]).toBeCloseTo(ends[0]?.[0] ?? 0);
      expect(end[1]).toBeCloseTo(ends[0]?.[1] ?? 0);
    }
    // A part of nobody is not drawn.
    expect(barParts(chart.svg, texts, 'Data Modelling').map((p) => p.fill)).toEqual(['#542788']);
  });

  it('keeps a small part wide enough for its count: 1 of 60 still reads "1"', () => {
    const chart = teamChart({
      title: 'Team',
      rows: [
        {
          name: 'Wide',
          expected: 3,
          expectedVaries: false,
          meets: 29,
          above: 1,
          below: 30,
          median: 3,
          notRated: 0,
        },
      ],
    });
    const { texts } = parseSvg(chart.svg);
    expect(rowTexts(texts, 'Wide')).toEqual(['Wide', '30', '29', '1', 'median 3 · expected 3']);
    const above = barParts(chart.svg, texts, 'Wide')[2];
    expect(above?.width).toBeGreaterThanOrEqual(12);
    const one = texts.find((t) => t.content === '1');
    expect(one?.x).toBeGreaterThan(above?.x ?? 0);
    expect(one?.x).toBeLessThan((above?.x ?? 0) + (above?.width ?? 0));
  });

  it('shows no count of people per rating, in the picture or the alt text', () => {
    // Two teams with the same totals and different ratings (2,3,3,4,5 and 1,3,3,4,4 against 3) make the same chart.
    const chart = teamChart({ title: 'Team · 5 people', rows });
    const { texts } = parseSvg(chart.svg);
    for (const text of [chart.alt, ...texts.map((t) => t.content)]) expect(text).not.toMatch(PER_RATING);
    // No column headings 1 to 5: a lone number is always in a competency's row, and one of its counts.
    const rowYs = new Map(rows.map((row) => [texts.find((t) => t.content === row.name)?.y, row]));
    for (const text of texts.filter((t) => /^\d+$/.test(t.content))) {
      const row = rowYs.get(text.y);
      expect(row, `a number outside the rows: ${text.content}`).toBeDefined();
      if (!row) continue;
      expect([row.below, row.meets, row.above, row.notRated]).toContain(Number(text.content));
    }
    // Whatever else a caller hands over, a breakdown by rating has nowhere to go.
    const withBreakdown = rows.map((row) => ({ ...row, byRating: { 1: 1, 2: 1, 3: 2, 4: 1, 5: 1 } }));
    const input: TeamChartInput = { title: 'Team · 5 people', rows: withBreakdown };
    expect(teamChart(input)).toEqual(chart);
  });

  it('takes totals only: nothing about a person reaches the chart', () => {
    const row: TeamChartRow = {
      ...(rows[0] as TeamChartRow),
      // @ts-expect-error: a row has no place for who gave a rating.
      people: [{ name: 'Alice Example', user: 'U0ALICE', rating: 3 }],
    };
    const input: TeamChartInput = {
      title: 'Team',
      rows: [row],
      // @ts-expect-error: nor does the chart.
      ratings: { U0ALICE: 3 },
    };
    const chart = teamChart(input);
    for (const text of [chart.svg, chart.alt]) {
      expect(text).not.toContain('Alice');
      expect(text).not.toContain('U0ALICE');
    }
  });

  it('escapes names and title that hold markup', () => {
    const chart = teamChart({
      title: 'Team <!channel> & "friends"',
      rows: [{ ...(rows[0] as TeamChartRow), name: "<script>x</script> & 'y'" }],
    });
    const { texts, elements } = parseSvg(chart.svg);
    expect(elements).not.toContain('script');
    const contents = texts.map((t) => t.content);
    expect(contents).toContain('Team <!channel> & "friends"');
    expect(contents).toContain("<script>x</script> & 'y'");
    expect(chart.alt).toContain("<script>x</script> & 'y': 3 meet");
    expect(() => toPng(chart.svg)).not.toThrow();
  });

  const manyRows = (count: number): TeamChartRow[] =>
    Array.from({ length: count }, (_, i) => ({
      name: `Competency ${i + 1} with a long name that will not fit beside the bars`.padEnd(60, 'x'),
      expected: 1 + (i % 5),
      expectedVaries: i % 9 === 0,
      meets: i % 4,
      above: (i * 7) % 5,
      below: 1 + (i % 3),
      median: 1 + ((i * 3) % 9) / 2,
      notRated: i % 7 === 0 ? 1 : 0,
    }));

  for (const count of [1, 16, 30]) {
    it(`draws ${count} rows inside the picture, as a PNG of the stated size`, () => {
      const chart = teamChart({
        title: `${count} competencies · a title long enough to be cut short `.repeat(3),
        rows: manyRows(count),
      });
      expect(chart.width).toBe(TEAM_CHART_WIDTH);
      expect(chart.height).toBeLessThan(260 + 34 * count);
      const box = drawnBox(chart.svg);
      expect(box.x).toBeGreaterThanOrEqual(8);
      expect(box.y).toBeGreaterThanOrEqual(8);
      expect(box.x + box.width).toBeLessThanOrEqual(chart.width - 8);
      expect(box.y + box.height).toBeLessThanOrEqual(chart.height - 8);
      expect(pngSize(toPng(chart.svg))).toEqual({ width: chart.width, height: chart.height });
      expect(chart.alt.length).toBeLessThanOrEqual(ALT_TEXT_LIMIT);
    });
  }

  it('keeps the numbers of 30 competencies in their rows', () => {
    const many = manyRows(30);
    const { texts } = parseSvg(teamChart({ title: 'Many', rows: many }).svg);
    const names = texts.filter((t) => t.content.startsWith('Competency ') && t.x < 100);
    expect(names).toHaveLength(30);
    names.forEach((name, i) => {
      const row = many[i] as TeamChartRow;
      const inRow = texts.filter((t) => Math.abs(t.y - name.y) < 1).map((t) => t.content);
      const counts = [row.below, row.meets, row.above].filter((c) => c > 0).map(String);
      const varies = row.expectedVaries ? ' (varies)' : '';
      expect(inRow.slice(1)).toEqual([
        ...counts,
        `median ${Number.isInteger(row.median) ? row.median : row.median.toFixed(1)} · expected ${row.expected}${varies}`,
        String(row.notRated),
      ]);
    });
  });

  for (const limit of [ALT_TEXT_LIMIT, 1000]) {
    it(`lists the competencies that do not fit in ${limit} characters of alt text as "And N more competencies"`, () => {
      const alt = teamChartAlt('Many', manyRows(30), limit);
      expect(alt.length).toBeLessThanOrEqual(limit);
      expect(alt).not.toMatch(PER_RATING);
      const more = /And (\d+) more competencies\.$/.exec(alt);
      expect(more).not.toBeNull();
      const listed = alt.match(/: \d+ meet, \d+ above, \d+ below the expected level \d/g) ?? [];
      expect(listed.length).toBeGreaterThan(0);
      expect(listed.length + Number(more?.[1])).toBe(30);
    });
  }

  it('refuses counts that are not whole numbers of people, and levels off the scale', () => {
    const base = rows[0] as TeamChartRow;
    const bad = (change: Partial<TeamChartRow>) => () =>
      teamChart({ title: 'T', rows: [{ ...base, ...change }] });
    expect(() => teamChart({ title: 'T', rows: [] })).toThrow(RangeError);
    for (const key of ['meets', 'above', 'below', 'notRated'] as const) {
      expect(bad({ [key]: -1 })).toThrow(RangeError);
      expect(bad({ [key]: 0.5 })).toThrow(RangeError);
      expect(bad({ [key]: Number.NaN })).toThrow(RangeError);
    }
    expect(bad({ meets: 0, above: 0, below: 0 })).toThrow(RangeError);
    for (const level of [0, 5.5, 6, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(bad({ expected: level })).toThrow(RangeError);
      expect(bad({ median: level })).toThrow(RangeError);
    }
    expect(bad({ median: 3.25 })).toThrow(RangeError);
    expect(bad({ median: 4.5, expected: 5 })).not.toThrow();
  });
});
