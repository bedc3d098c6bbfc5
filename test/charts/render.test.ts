import { describe, expect, it } from 'vitest';
import { RADAR_HEIGHT, RADAR_WIDTH, radarChart } from '../../src/charts/radar.js';
import { toPng, toPngAsync } from '../../src/charts/render.js';
import { teamChart } from '../../src/charts/team-chart.js';
import { pngSize, sixteen } from './helpers.js';

const radar = (title: string) => radarChart({ title, competencies: sixteen(), reviewLabel: 'Review' });

describe('toPng', () => {
  it('makes a PNG of the size the chart states', () => {
    const chart = radar('Solutions Architect · Senior');
    expect(pngSize(toPng(chart.svg))).toEqual({ width: chart.width, height: chart.height });
    const team = teamChart({
      title: 'Team',
      rows: [
        {
          name: 'API Design',
          expected: 3,
          expectedVaries: false,
          meets: 3,
          above: 2,
          below: 1,
          median: 3,
          notRated: 0,
        },
      ],
    });
    expect(pngSize(toPng(team.svg))).toEqual({ width: team.width, height: team.height });
  });

  it('scales to another width, keeping the proportions', () => {
    const chart = radar('Twice');
    expect(pngSize(toPng(chart.svg, { width: 2 * RADAR_WIDTH }))).toEqual({
      width: 2 * RADAR_WIDTH,
      height: 2 * RADAR_HEIGHT,
    });
  });

  it('makes the same bytes from the same chart', () => {
    const first = toPng(radar('Same').svg);
    const second = toPng(radar('Same').svg);
    expect(first.equals(second)).toBe(true);
  });

  it('makes the same bytes off the event loop', async () => {
    const svg = radar('Async').svg;
    expect((await toPngAsync(svg)).equals(toPng(svg))).toBe(true);
    await expect(toPngAsync(svg, { width: 0 })).rejects.toThrow(RangeError);
  });

  it('draws text with the bundled font, and with no system font', () => {
    const titled = radar('Solutions Architect · Senior');
    const blank = radar('');
    // The title is drawn: the pictures differ only by it.
    expect(toPng(titled.svg).equals(toPng(blank.svg))).toBe(false);
    // Without the bundled font nothing draws text: no system font stands in, so the difference
    // above is the bundled font's doing, and a machine without fonts draws the same.
    const noFont = { fontFiles: [] };
    expect(toPng(titled.svg, noFont).equals(toPng(blank.svg, noFont))).toBe(true);
  });

  it('refuses an SVG without a width unless told one', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 5"><rect width="10" height="5"/></svg>';
    expect(() => toPng(svg)).toThrow(RangeError);
    expect(pngSize(toPng(svg, { width: 40 }))).toEqual({ width: 40, height: 20 });
  });
});
