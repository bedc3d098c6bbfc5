import { describe, expect, it } from 'vitest';
import { HEATMAP_WIDTH, type HeatMapInput, type HeatMapRow, heatMap } from '../../src/charts/heatmap.js';
import { toPng } from '../../src/charts/render.js';
import { ALT_TEXT_LIMIT } from '../../src/charts/svg.js';
import { drawnBox, parseSvg, pngSize } from './helpers.js';

const rows: HeatMapRow[] = [
  { name: 'API Design', expected: 3, counts: { 1: 1, 2: 0, 3: 3, 4: 2, 5: 0 } },
  { name: 'Data Modelling', expected: 2, counts: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 }, notApplicable: 2 },
  { name: 'Security & Compliance', expected: 4, counts: { 1: 0, 2: 1, 3: 1, 4: 1, 5: 4 } },
];

/** The texts of the row of cells level with a row's name: the counts, left to right. */
function cellTexts(svg: string, name: string): string[] {
  const { texts } = parseSvg(svg);
  const label = texts.find((t) => t.content === name);
  if (!label) throw new Error(`no row ${name}`);
  return texts
    .filter((t) => t !== label && Math.abs(t.y - label.y) < 1)
    .sort((a, b) => a.x - b.x)
    .map((t) => t.content);
}

describe('heatMap', () => {
  it('says per competency how many gave each rating, and the expected level', () => {
    const chart = heatMap({ title: 'Solutions Architect · Senior', rows });
    expect(chart.alt).toBe(
      'Heat map of how many people gave each self-rating from 1 to 5 for Solutions Architect · Senior, ' +
        'with the expected level. API Design: 1 at 1, 3 at 3, 2 at 4; expected 3. ' +
        'Data Modelling: 2 not applicable; expected 2. ' +
        'Security & Compliance: 1 at 2, 1 at 3, 1 at 4, 4 at 5; expected 4.',
    );
  });

  it('writes each count in its cell, with a column for not applicable when there is any', () => {
    const chart = heatMap({ title: 'Team', rows });
    expect(cellTexts(chart.svg, 'API Design')).toEqual(['1', '0', '3', '2', '0', '0']);
    expect(cellTexts(chart.svg, 'Data Modelling')).toEqual(['0', '0', '0', '0', '0', '2']);
    expect(cellTexts(chart.svg, 'Security & Compliance')).toEqual(['0', '1', '1', '1', '4', '0']);
    const withoutNa = heatMap({ title: 'Team', rows: rows.map(({ notApplicable: _, ...row }) => row) });
    expect(cellTexts(withoutNa.svg, 'Data Modelling')).toEqual(['0', '0', '0', '0', '0']);
  });

  it('outlines the expected level’s cell in each row, and shades more people darker', () => {
    const chart = heatMap({ title: 'Team', rows });
    const outlines = [
      ...chart.svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)"[^>]*fill="none" stroke="#c2410c"/g),
    ];
    // The legend's sample, then one per row.
    expect(outlines).toHaveLength(1 + rows.length);
    const columns = outlines.slice(1).map((m) => Number(m[1]));
    const width = (columns[2] ?? 0) - (columns[1] ?? 0);
    expect(width / 2).toBeCloseTo((columns[0] ?? 0) - (columns[1] ?? 0)); // expected 3, 2, 4
    const fills = [...chart.svg.matchAll(/<rect [^>]*rx="3" fill="(#[0-9a-f]{6})"\/>/g)].map(
      (m) => m[1] ?? '',
    );
    const luminance = (hex: string) =>
      [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).reduce((a, b) => a + b, 0);
    // Security & Compliance's cells: 1 person at 2 is lighter than 4 people at 5.
    const security = fills.slice(-6);
    expect(luminance(security[1] ?? '')).toBeGreaterThan(luminance(security[4] ?? ''));
  });

  it('takes counts only: nothing about a person reaches the chart', () => {
    const row: HeatMapRow = {
      name: 'API Design',
      expected: 3,
      counts: { 1: 0, 2: 0, 3: 1, 4: 0, 5: 0 },
      // @ts-expect-error: a row has no place for who gave a rating.
      people: [{ name: 'Alice Example', user: 'U0ALICE', rating: 3 }],
    };
    const input: HeatMapInput = {
      title: 'Team',
      rows: [row],
      // @ts-expect-error: nor does the chart.
      ratings: { U0ALICE: 3 },
    };
    const chart = heatMap(input);
    for (const text of [chart.svg, chart.alt]) {
      expect(text).not.toContain('Alice');
      expect(text).not.toContain('U0ALICE');
    }
  });

  it('escapes names and title that hold markup', () => {
    const chart = heatMap({
      title: 'Team <!channel> & "friends"',
      rows: [{ name: "<script>x</script> & 'y'", expected: 1, counts: { 1: 1, 2: 0, 3: 0, 4: 0, 5: 0 } }],
      scaleLabels: ['<b>', '&', '"', "'", '>'],
    });
    const { texts, elements } = parseSvg(chart.svg);
    expect(elements).not.toContain('script');
    const contents = texts.map((t) => t.content);
    expect(contents).toContain('Team <!channel> & "friends"');
    expect(contents).toContain("<script>x</script> & 'y'");
    expect(contents).toEqual(expect.arrayContaining(['<b>', '&', '"', "'", '>']));
    expect(() => toPng(chart.svg)).not.toThrow();
  });

  for (const count of [1, 16, 40]) {
    it(`draws ${count} rows inside the picture, as a PNG of the stated size`, () => {
      const chart = heatMap({
        title: `${count} competencies`,
        rows: Array.from({ length: count }, (_, i) => ({
          name: `Competency ${i + 1} with a long name that will not fit beside the cells`,
          expected: 1 + (i % 5),
          counts: { 1: i % 2, 2: i % 3, 3: i % 4, 4: i % 5, 5: i % 6 },
          notApplicable: i % 7 === 0 ? 1 : 0,
        })),
        scaleLabels: ['Basic', 'Developing', 'Proficient', 'Advanced', 'Expert'],
      });
      expect(chart.width).toBe(HEATMAP_WIDTH);
      const box = drawnBox(chart.svg);
      expect(box.x).toBeGreaterThanOrEqual(8);
      expect(box.y).toBeGreaterThanOrEqual(8);
      expect(box.x + box.width).toBeLessThanOrEqual(chart.width - 8);
      expect(box.y + box.height).toBeLessThanOrEqual(chart.height - 8);
      expect(pngSize(toPng(chart.svg))).toEqual({ width: chart.width, height: chart.height });
      expect(chart.alt.length).toBeLessThanOrEqual(ALT_TEXT_LIMIT);
    });
  }

  it('lists the competencies that do not fit in the alt text as "And N more competencies"', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({
      name: `Competency ${i + 1} `.padEnd(60, 'x'),
      expected: 3,
      counts: { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5 },
    }));
    const alt = heatMap({ title: 'Many', rows: many }).alt;
    expect(alt.length).toBeLessThanOrEqual(ALT_TEXT_LIMIT);
    const more = /And (\d+) more competencies\.$/.exec(alt);
    expect(more).not.toBeNull();
    const listed = alt.match(/: 1 at 1, 2 at 2, 3 at 3, 4 at 4, 5 at 5; expected 3(?=\. )/g) ?? [];
    expect(listed.length + Number(more?.[1])).toBe(40);
  });

  it('refuses counts that are not whole numbers of people', () => {
    const row = (counts: HeatMapRow['counts']) => ({
      title: 'T',
      rows: [{ name: 'a', expected: 3, counts }],
    });
    expect(() => heatMap(row({ 1: -1, 2: 0, 3: 0, 4: 0, 5: 0 }))).toThrow(RangeError);
    expect(() => heatMap(row({ 1: 0.5, 2: 0, 3: 0, 4: 0, 5: 0 }))).toThrow(RangeError);
    expect(() => heatMap({ title: 'T', rows: [] })).toThrow(RangeError);
  });
});
