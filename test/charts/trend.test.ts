import { describe, expect, it } from 'vitest';
import { toPng } from '../../src/charts/render.js';
import { TREND_WIDTH, type TrendChartInput, trendCharts } from '../../src/charts/trend.js';
import { drawnBox, parseSvg, pngSize } from './helpers.js';

const input: TrendChartInput = {
  title: 'Engineer · Web & Mobile',
  points: [
    { date: '2026-01-05', levelName: 'Senior' },
    { date: '2026-03-02', levelName: 'Senior' },
    { date: '2026-05-11', levelName: 'Senior' },
  ],
  competencies: [
    {
      name: 'Delivery',
      values: [
        { rating: 2, expected: 3 },
        { rating: 3, expected: 3 },
        { rating: 4, expected: 3 },
      ],
    },
    {
      name: 'Design <Systems>',
      values: [
        { rating: 'na', expected: 4 },
        { rating: null, expected: 4 },
        { rating: 3, expected: 4 },
      ],
    },
    { name: 'Mentoring', values: [null, { rating: 1, expected: 2 }, { rating: 2, expected: 2 }] },
  ],
};

describe('the trend chart', () => {
  it('states every date, rating and expected level in its alt text, and says why a point is missing', () => {
    const [chart, ...more] = trendCharts(input, 1000);
    expect(more).toEqual([]);
    expect(chart?.alt).toBe(
      'Line charts of your self-ratings for Engineer · Web & Mobile across 3 assessments at Senior, one per competency, with the expected level: 1 on 2026-01-05, 2 on 2026-03-02, 3 on 2026-05-11. Delivery: 2, 3, 4; expected 3. Design <Systems>: n/a, skipped, 3; expected 4. Mentoring: not in that assessment, 1, 2; expected 2.',
    );
  });

  it('names the level of each assessment and each expected level when they changed', () => {
    const [chart] = trendCharts(
      {
        title: 'Engineer · Web',
        points: [
          { date: '2026-01-05', levelName: 'Mid' },
          { date: '2026-06-01', levelName: 'Senior' },
        ],
        competencies: [
          {
            name: 'Delivery',
            values: [
              { rating: 3, expected: 3 },
              { rating: 3, expected: 4 },
            ],
          },
        ],
      },
      1000,
    );
    expect(chart?.alt).toContain('1 on 2026-01-05 (Mid), 2 on 2026-06-01 (Senior)');
    expect(chart?.alt).toContain('Delivery: 3, 3; expected 3, 4');
  });

  it('draws a panel per competency, breaks the line where a point is missing, and renders to a PNG', () => {
    const [chart] = trendCharts(input, 1000);
    if (!chart) throw new Error('no chart');
    const { texts } = parseSvg(chart.svg);
    const contents = texts.map((t) => t.content);
    expect(contents).toContain('Progress · Engineer · Web & Mobile');
    expect(contents).toContain('Design <Systems>');
    expect(contents.filter((t) => t === 'n/a')).toHaveLength(1);
    expect(contents.filter((t) => t === 'skip')).toHaveLength(1);
    expect(contents.filter((t) => t === '—')).toHaveLength(1);
    expect(contents).toContain('Assessments: 1 on 2026-01-05; 2 on 2026-03-02; 3 on 2026-05-11');
    // Delivery has two segments between its three points; Design none (one rated point); Mentoring one.
    const selfLines = chart.svg.match(
      /<line [^>]*stroke="#1d4ed8" stroke-width="2.5" stroke-linecap="round"\/>/g,
    );
    expect(selfLines).toHaveLength(3);
    const box = drawnBox(chart.svg);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(TREND_WIDTH);
    expect(box.y + box.height).toBeLessThanOrEqual(chart.height);
    expect(pngSize(toPng(chart.svg))).toEqual({ width: TREND_WIDTH, height: chart.height });
  });

  it('splits the competencies over several pictures rather than leave a number out of a description', () => {
    const many: TrendChartInput = {
      title: 'R'.repeat(60),
      points: Array.from({ length: 8 }, (_, i) => ({
        date: `2026-0${i + 1}-01`,
        levelName: `Level ${i % 2}`,
      })),
      competencies: Array.from({ length: 24 }, (_, k) => ({
        name: `Competency ${k + 1} `.padEnd(60, 'x'),
        values: Array.from({ length: 8 }, (_, i) => ({
          rating: ([1, 2, 3, 4, 5, 'na', null] as const)[(i + k) % 7] ?? null,
          expected: 1 + ((i + k) % 5),
        })),
      })),
    };
    const charts = trendCharts(many, 1000);
    expect(charts.length).toBeGreaterThan(1);
    let stated = 0;
    charts.forEach((chart, i) => {
      expect(chart.alt.length).toBeLessThanOrEqual(1000);
      expect(chart.alt).not.toContain('more competencies');
      expect(chart.alt).toContain(`part ${i + 1} of ${charts.length}`);
      for (const c of many.competencies) if (chart.alt.includes(`${c.name}:`)) stated += 1;
    });
    expect(stated).toBe(24);
  });

  it('refuses values off the scale', () => {
    expect(() =>
      trendCharts({
        ...input,
        competencies: [{ name: 'x', values: [{ rating: 3, expected: 9 }, null, null] }],
      }),
    ).toThrow(RangeError);
  });
});
