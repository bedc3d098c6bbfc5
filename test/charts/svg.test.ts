import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { chartFontFiles } from '../../src/charts/render.js';
import { escapeXml, FONT_FAMILY, fitAlt, textWidth, truncate, wrapText } from '../../src/charts/svg.js';

/** The width resvg draws a line of text in the bundled font (ink, so a little under the advance). */
function drawnWidth(text: string, size: number, weight: 400 | 600): number {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2000" height="100"><text x="10" y="60" font-family="${FONT_FAMILY}" font-size="${size}" font-weight="${weight}">${escapeXml(text)}</text></svg>`;
  const box = new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: chartFontFiles() } }).getBBox();
  if (!box) throw new Error('no text drawn');
  return box.width;
}

describe('text in charts', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;',
    );
  });

  it('estimates widths no smaller than resvg draws them, and not far above', () => {
    for (const text of [
      'Customer Data and Personalization Platform',
      'WWW MMM @@@ %%%',
      'iiii llll ....',
      'Solutions Architect · Senior',
      'Données & Modélisation – Sécurité',
    ]) {
      for (const weight of [400, 600] as const) {
        const drawn = drawnWidth(text, 13, weight);
        const estimate = textWidth(text, 13, weight);
        expect(estimate, text).toBeGreaterThanOrEqual(drawn);
        expect(estimate, text).toBeLessThan(drawn * 1.15 + 4);
      }
    }
  });

  it('shortens with an ellipsis to fit, and leaves text that fits alone', () => {
    expect(truncate('API Design', 200, 13)).toBe('API Design');
    const short = truncate('Customer Data and Personalization Platform', 120, 13);
    expect(short.endsWith('…')).toBe(true);
    expect(textWidth(short, 13)).toBeLessThanOrEqual(120);
    expect(short.startsWith('Customer Data')).toBe(true);
  });

  it('wraps at spaces, keeps a suffix whole, and shortens what does not fit in the lines', () => {
    expect(wrapText('Customer Data and Personalization Platform', 232, 13, 2)).toEqual([
      'Customer Data and Personalization',
      'Platform',
    ]);
    expect(wrapText('API Design', 232, 13, 2, ' (n/a)')).toEqual(['API Design (n/a)']);
    const lines = wrapText(
      'A very long competency name that goes on and on and on and on',
      150,
      13,
      2,
      ' (skipped)',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1]?.endsWith('… (skipped)')).toBe(true);
    for (const line of lines) expect(textWidth(line, 13)).toBeLessThanOrEqual(150);
    expect(wrapText('Supercalifragilisticexpialidocious', 80, 13, 2)).toEqual([
      truncate('Supercalifragilisticexpialidocious', 80, 13),
    ]);
  });

  it('fits alt text to the limit without cutting a part', () => {
    const parts = Array.from({ length: 30 }, (_, i) => `Competency ${i}: you ${1 + (i % 5)}, expected 3`);
    const alt = fitAlt('Chart.', parts, { separator: '; ', more: (k) => `and ${k} more`, limit: 300 });
    expect(alt.length).toBeLessThanOrEqual(300);
    const listed = alt.slice('Chart. '.length, -1).split('; ');
    const more = Number(/^and (\d+) more$/.exec(listed.pop() ?? '')?.[1]);
    expect(listed).toEqual(parts.slice(0, listed.length));
    expect(listed.length + more).toBe(30);
    expect(fitAlt('Chart.', parts.slice(0, 2), { separator: '; ', more: (k) => `and ${k} more` })).toBe(
      `Chart. ${parts[0]}; ${parts[1]}.`,
    );
  });
});
