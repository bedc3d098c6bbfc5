import { crc32 } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';
import { expect } from 'vitest';
import type { RadarCompetency } from '../../src/charts/radar.js';
import { chartFontFiles } from '../../src/charts/render.js';
import { FONT_FAMILY } from '../../src/charts/svg.js';

/** Checks a PNG's signature, its IHDR chunk (with its CRC) and its IEND; returns its size. */
export function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.readUInt32BE(8)).toBe(13);
  expect(png.toString('latin1', 12, 16)).toBe('IHDR');
  expect(png.readUInt32BE(29)).toBe(crc32(png.subarray(12, 29)));
  expect(png.subarray(-12).toString('latin1', 4, 8)).toBe('IEND');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITY[name] ?? whole;
  });
}

export type TextNode = {
  x: number;
  y: number;
  size: number;
  anchor: string;
  weight: number;
  content: string;
};

/**
 * Reads an SVG as XML, strictly enough for what the charts write: every `<` opens a well-formed
 * tag with quoted attributes free of `<`, tags nest and close, text has `&` only in entities.
 * Returns the text elements, decoded. Fails the test otherwise.
 */
export function parseSvg(svg: string): { texts: TextNode[]; elements: string[] } {
  const tokens = svg.match(/<[^>]*>|[^<]+/g) ?? [];
  expect(tokens.join('')).toBe(svg);
  const stack: string[] = [];
  const elements: string[] = [];
  const texts: TextNode[] = [];
  let open: Record<string, string> | null = null;
  let content = '';
  for (const token of tokens) {
    if (!token.startsWith('<')) {
      expect(token, 'a bare & in text').not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i);
      if (open) content += decode(token);
      continue;
    }
    const close = /^<\/([A-Za-z][\w:-]*)\s*>$/.exec(token);
    if (close) {
      expect(stack.pop(), `closing ${close[1]}`).toBe(close[1]);
      if (close[1] === 'text' && open) {
        texts.push({
          x: Number(open.x),
          y: Number(open.y),
          size: Number(open['font-size']),
          anchor: open['text-anchor'] ?? 'start',
          weight: Number(open['font-weight'] ?? 400),
          content,
        });
        open = null;
      }
      continue;
    }
    const tag = /^<([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>$/.exec(token);
    expect(tag, `a malformed tag: ${token}`).not.toBeNull();
    if (!tag) continue;
    const name = tag[1] ?? '';
    elements.push(name);
    const attributes = Object.fromEntries(
      [...(tag[2] ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)].map((m) => [m[1] ?? '', decode(m[2] ?? '')]),
    );
    if (tag[3] === '/') continue;
    stack.push(name);
    if (name === 'text') {
      expect(open, 'text inside text').toBeNull();
      open = attributes;
      content = '';
    }
  }
  expect(stack).toEqual([]);
  return { texts, elements };
}

/** The extent of everything the SVG draws but its background, measured by resvg with the charts' font. */
export function drawnBox(svg: string): { x: number; y: number; width: number; height: number } {
  const withoutBackground = svg.replace(/<rect id="background"[^>]*\/>/, '');
  expect(withoutBackground).not.toBe(svg);
  const box = new Resvg(withoutBackground, {
    font: { loadSystemFonts: false, fontFiles: chartFontFiles(), defaultFontFamily: FONT_FAMILY },
  }).getBBox();
  if (!box) throw new Error('nothing drawn');
  return { x: box.x, y: box.y, width: box.width, height: box.height };
}

/** Sixteen realistic names: the bundled framework's eight, in order, and eight more like them. */
const SIXTEEN_NAMES = [
  'Composable Commerce Strategy',
  'Omnichannel Architecture',
  'Global Commerce Platform Scaling',
  'Customer Data and Personalization Platform',
  'Marketplace Architecture',
  'Commerce Analytics and Experimentation',
  'Technical Team Leadership',
  'Supply Chain Integration Architecture',
  'Headless Commerce Architecture',
  'Payment Systems Integration',
  'Order Management System Design',
  'Search and Merchandising Systems',
  'Stakeholder Alignment',
  'Security and Compliance Architecture',
  'Cloud Cost Optimization',
  'Vendor and Platform Evaluation',
];

const SELF: RadarCompetency['rating'][] = [4, 3, 'na', 5, 2, 3, null, 4, 1, 'na', 3, 5, 2, 4, 3, 4];
const REVIEW: RadarCompetency['rating'][] = [3, 3, 2, 4, 'na', 3, 3, null, 2, 2, 3, 4, 3, 4, 2, 3];

/** Sixteen competencies with every kind of rating, and a review. */
export function sixteen(): RadarCompetency[] {
  return SIXTEEN_NAMES.map((name, i) => ({
    name,
    expected: 1 + ((i * 3) % 5),
    rating: SELF[i] ?? null,
    review: REVIEW[i] ?? null,
  }));
}

/** `count` competencies with long names (60 characters, the schema's longest) and every kind of rating. */
export function many(count: number): RadarCompetency[] {
  const cycle: RadarCompetency['rating'][] = [1, 2, 3, 4, 5, 'na', null];
  return Array.from({ length: count }, (_, i) => ({
    name: `Competency number ${i + 1} with a rather long name to wrap`.padEnd(60, 'x'),
    expected: 1 + (i % 5),
    rating: cycle[i % 7] ?? null,
    review: cycle[(i + 3) % 7] ?? null,
  }));
}
