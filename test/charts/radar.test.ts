import { describe, expect, it } from 'vitest';
import { RADAR_HEIGHT, RADAR_WIDTH, type RadarCompetency, radarChart } from '../../src/charts/radar.js';
import { toPng } from '../../src/charts/render.js';
import { ALT_TEXT_LIMIT, textWidth } from '../../src/charts/svg.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { expectedAt } from '../../src/frameworks/schema.js';
import { drawnBox, many, parseSvg, pngSize, sixteen, type TextNode } from './helpers.js';

type Parsed = { name: string; self: string; review?: string; expected: string };

/** The competencies an alt text lists, read back, and the N of its "and N more" (0 without). */
function readAlt(alt: string, reviewLabel?: string): { items: Parsed[]; more: number } {
  const firstStop = alt.indexOf('. ');
  expect(firstStop).toBeGreaterThan(0);
  expect(alt.endsWith('.')).toBe(true);
  const body = alt.slice(firstStop + 2, -1);
  const parts = body.split('; ');
  let more = 0;
  const last = parts.at(-1) ?? '';
  const moreMatch = /^and (\d+) more$/.exec(last);
  if (moreMatch) {
    more = Number(moreMatch[1]);
    parts.pop();
  }
  const value = '(?:\\d|not applicable|skipped)';
  const review = reviewLabel ? `, ${reviewLabel.replace(/[.*+?^${}()|[\]\\']/g, '\\$&')} (${value})` : '';
  const pattern = new RegExp(`^(.+): (you \\d|not applicable|skipped)${review}, expected (\\d(?:\\.\\d)?)$`);
  const items = parts.map((part) => {
    const m = pattern.exec(part);
    expect(m, part).not.toBeNull();
    const [, name = '', self = '', third = '', fourth] = m ?? [];
    return reviewLabel
      ? { name, self, review: third, expected: fourth ?? '' }
      : { name, self, expected: third };
  });
  return { items, more };
}

const words = (rating: RadarCompetency['rating'] | undefined): string =>
  rating === 'na' ? 'not applicable' : rating === null || rating === undefined ? 'skipped' : String(rating);
const selfWords = (rating: RadarCompetency['rating']): string =>
  typeof rating === 'number' ? `you ${rating}` : words(rating);

/** Boxes of the text elements, from their position, anchor and estimated width. */
function boxes(texts: TextNode[]) {
  return texts.map((t) => {
    const width = textWidth(t.content, t.size, t.weight === 600 ? 600 : 400);
    const x0 = t.anchor === 'middle' ? t.x - width / 2 : t.anchor === 'end' ? t.x - width : t.x;
    return { text: t.content, x0, x1: x0 + width, y0: t.y - t.size * 0.78, y1: t.y + t.size * 0.22 };
  });
}

describe('radarChart', () => {
  it('states every rating, the review and the expected level in the alt text', () => {
    const competencies = sixteen();
    const chart = radarChart({
      title: 'Solutions Architect · Senior',
      competencies,
      reviewLabel: "Alex's review",
    });
    expect(chart.alt.startsWith('Radar chart of your self-ratings for Solutions Architect · Senior')).toBe(
      true,
    );
    const { items, more } = readAlt(chart.alt, "Alex's review");
    expect(more).toBe(0);
    expect(items).toEqual(
      competencies.map((c) => ({
        name: c.name,
        self: selfWords(c.rating),
        review: words(c.review),
        expected: String(c.expected),
      })),
    );
    // Spot checks in the wording a person reads.
    expect(chart.alt).toContain('Global Commerce Platform Scaling: not applicable, ');
    expect(chart.alt).toContain('Technical Team Leadership: skipped, ');
    expect(chart.alt).toContain("Marketplace Architecture: you 2, Alex's review not applicable, expected 3");
  });

  it('leaves the review out of the alt text and the legend when there is none', () => {
    const competencies = sixteen();
    const chart = radarChart({ title: 'Solutions Architect · Senior', competencies });
    const { items } = readAlt(chart.alt);
    expect(items.map((i) => i.self)).toEqual(competencies.map((c) => selfWords(c.rating)));
    expect(chart.alt).not.toContain('review');
    const texts = parseSvg(chart.svg).texts.map((t) => t.content);
    expect(texts).toContain('You');
    expect(texts).toContain('Expected level');
    expect(texts.join('\n')).not.toContain('review');
  });

  it('marks not applicable and skipped on the labels, and draws no point for them', () => {
    const competencies: RadarCompetency[] = [
      { name: 'Rated', expected: 3, rating: 4, review: 'na' },
      { name: 'Not applicable', expected: 2, rating: 'na', review: 3 },
      { name: 'Skipped', expected: 4, rating: null },
    ];
    const chart = radarChart({ title: 'T', competencies, reviewLabel: 'Review' });
    const texts = parseSvg(chart.svg).texts.map((t) => t.content);
    expect(texts).toContain('Rated (review n/a)');
    expect(texts).toContain('Not applicable (n/a)');
    expect(texts).toContain('Skipped (skipped; review skipped)');
    // Your points are circles of radius 4: the legend's sample, and one for the one rating.
    expect(chart.svg.match(/<circle [^>]*r="4"/g)).toHaveLength(2);
    expect(texts.join(' ')).toContain('n/a: not applicable, skipped: not rated');
  });

  it('escapes names, title and review label that hold markup, and renders them', () => {
    const hostile = '<script>alert("x")</script> & \'quotes\' ]]> <!-- -->';
    const chart = radarChart({
      title: `Role <b>bold</b> & "co"`,
      competencies: [
        { name: hostile, expected: 3, rating: 4, review: 2 },
        { name: 'A & B', expected: 2, rating: 'na', review: null },
        { name: '"Quoted" <name>', expected: 4, rating: null, review: 5 },
      ],
      reviewLabel: 'Review by <@U123> & "friends"',
    });
    const { texts, elements } = parseSvg(chart.svg);
    expect(elements).not.toContain('script');
    expect(elements).not.toContain('b');
    const contents = texts.map((t) => t.content);
    expect(contents).toContain('Role <b>bold</b> & "co"');
    expect(contents).toContain('A & B (n/a; review skipped)');
    expect(contents).toContain('"Quoted" <name> (skipped)');
    expect(contents.some((c) => c.startsWith('<script>alert("x")</script>'))).toBe(true);
    expect(contents).toContain('Review by <@U123> & "friends"');
    expect(chart.svg).toContain('<title>Role &lt;b&gt;bold&lt;/b&gt; &amp; &quot;co&quot;</title>');
    // resvg's XML parser takes it too.
    expect(pngSize(toPng(chart.svg))).toEqual({ width: RADAR_WIDTH, height: RADAR_HEIGHT });
  });

  it('drops characters XML cannot carry', () => {
    const chart = radarChart({
      title: 'Bell\u0007 and \uD800 lone surrogate',
      competencies: sixteen().slice(0, 3),
    });
    expect(chart.svg.includes(String.fromCharCode(7))).toBe(false);
    expect(chart.svg).not.toMatch(/\p{Cs}/u); // no lone surrogate
    expect(parseSvg(chart.svg).texts.map((t) => t.content)).toContain('Bell and lone surrogate');
    expect(() => toPng(chart.svg)).not.toThrow();
  });

  for (const count of [3, 8, 16, 24, 40]) {
    it(`draws ${count} competencies inside the picture, labels clear of one another`, () => {
      const competencies = count === 16 ? sixteen() : many(count);
      const chart = radarChart({ title: `${count} competencies`, competencies, reviewLabel: 'Review' });
      expect(chart.width).toBe(RADAR_WIDTH);
      expect(chart.height).toBe(RADAR_HEIGHT);
      const box = drawnBox(chart.svg);
      expect(box.x).toBeGreaterThanOrEqual(8);
      expect(box.y).toBeGreaterThanOrEqual(8);
      expect(box.x + box.width).toBeLessThanOrEqual(chart.width - 8);
      expect(box.y + box.height).toBeLessThanOrEqual(chart.height - 8);

      const { texts } = parseSvg(chart.svg);
      const placed = boxes(texts);
      for (const [i, a] of placed.entries())
        for (const b of placed.slice(i + 1)) {
          const overlap = a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
          expect(overlap, `"${a.text}" overlaps "${b.text}"`).toBe(false);
        }
      // Every competency has a label: its name, whole or shortened with an ellipsis.
      const labelText = texts.map((t) => t.content).join(' ');
      for (const c of competencies) expect(labelText).toContain(c.name.slice(0, 12));

      expect(pngSize(toPng(chart.svg))).toEqual({ width: RADAR_WIDTH, height: RADAR_HEIGHT });
    });
  }

  it('keeps the alt text within Slack’s limit with 40 long names, listing the rest as "and N more"', () => {
    const competencies = many(40);
    const chart = radarChart({ title: 'Forty', competencies, reviewLabel: 'Review' });
    expect(chart.alt.length).toBeLessThanOrEqual(ALT_TEXT_LIMIT);
    const { items, more } = readAlt(chart.alt, 'Review');
    expect(more).toBeGreaterThan(0);
    expect(items.length + more).toBe(40);
    items.forEach((item, i) => {
      const c = competencies[i];
      expect(item).toEqual({
        name: c?.name,
        self: selfWords(c?.rating ?? null),
        review: words(c?.review),
        expected: String(c?.expected),
      });
    });
  });

  it('shortens long names with an ellipsis, and the shortened labels fit', () => {
    const chart = radarChart({ title: 'Long', competencies: many(40) });
    const labels = parseSvg(chart.svg).texts.filter((t) => t.content.startsWith('Competency number'));
    expect(labels).toHaveLength(40);
    expect(labels.every((t) => t.content.includes('…'))).toBe(true);
    // 232 pixels beside the rings, 400 above and below them.
    for (const t of labels)
      expect(textWidth(t.content, t.size)).toBeLessThanOrEqual(t.anchor === 'middle' ? 400 : 232);
  });

  it('draws the bundled framework', async () => {
    const framework = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).find(
      (f) => f.id === 'solutions-architect.e-commerce',
    );
    if (!framework) throw new Error('no bundled framework');
    const competencies = framework.competencies.map((c, i) => ({
      name: c.name,
      expected: expectedAt(c, 'senior') ?? 3,
      rating: ([3, 4, 'na', null, 5, 2, 1, 4] as const)[i % 8] ?? null,
    }));
    const chart = radarChart({ title: `${framework.role.name} · Senior`, competencies });
    const contents = parseSvg(chart.svg).texts.map((t) => t.content);
    for (const c of framework.competencies)
      expect(contents.join(' ')).toContain(c.name.split(' ').slice(0, 2).join(' '));
    expect(readAlt(chart.alt).items.map((i) => i.name)).toEqual(framework.competencies.map((c) => c.name));
  });

  it('is the same chart for the same input', () => {
    const input = { title: 'Same', competencies: sixteen(), reviewLabel: 'Review' };
    expect(radarChart(input)).toEqual(radarChart(input));
  });

  it('refuses no competencies and values off the scale', () => {
    expect(() => radarChart({ title: 'T', competencies: [] })).toThrow(RangeError);
    expect(() => radarChart({ title: 'T', competencies: [{ name: 'a', expected: 6, rating: 3 }] })).toThrow(
      RangeError,
    );
    expect(() =>
      radarChart({
        title: 'T',
        competencies: [{ name: 'a', expected: 3, rating: 7 as unknown as RadarCompetency['rating'] }],
      }),
    ).toThrow(RangeError);
  });
});
