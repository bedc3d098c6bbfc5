/**
 * What the charts share: the result type, escaping of the text that goes into an SVG, and text
 * measurement for the bundled font (Inter, see render.ts), so that labels can be truncated to fit
 * without a browser or a font parser at run time.
 */

/** A chart ready to post: the SVG (render it with `toPng`), its alt text, and its size in pixels. */
export type Chart = { svg: string; alt: string; width: number; height: number };

/** A rating as the charts take it: 1–5, "not applicable", or `null` when it was skipped. */
export type ChartRating = 1 | 2 | 3 | 4 | 5 | 'na' | null;

/** The font family every chart asks for; render.ts loads its files, and no other font. */
export const FONT_FAMILY = 'Inter';

/** Slack's limit for an image's alt text. */
export const ALT_TEXT_LIMIT = 2000;

/**
 * Text made safe for XML content and attribute values: the five special characters become
 * entities, and characters XML 1.0 does not allow at all (control characters, lone surrogates,
 * U+FFFE/U+FFFF) are dropped, since the SVG parser would reject the whole chart for one of them.
 */
export function escapeXml(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text without the characters XML cannot carry, with runs of white space made one space. */
function cleanText(text: string): string {
  return text
    .replace(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to drop.
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '',
    )
    .replace(/\s+/g, ' ')
    .trim();
}

export type FontWeight = 400 | 600;

// Advance widths of U+0020–U+007E in thousandths of an em, read from the bundled Inter 4.001 files
// (hmtx table) for the weights the charts use. Kerning is ignored, which only over-estimates.
const ASCII_WIDTHS: Record<FontWeight, readonly number[]> = {
  400: [
    281, 288, 466, 633, 642, 982, 644, 300, 365, 365, 501, 662, 288, 460, 288, 360, 631, 407, 610, 618, 646,
    593, 620, 566, 619, 620, 288, 302, 662, 662, 662, 511, 966, 690, 654, 730, 722, 601, 590, 746, 743, 269,
    571, 672, 565, 903, 753, 765, 639, 765, 644, 642, 646, 744, 690, 985, 682, 679, 629, 365, 360, 365, 471,
    456, 323, 562, 612, 571, 612, 583, 370, 613, 591, 242, 242, 549, 242, 876, 591, 600, 612, 612, 376, 528,
    327, 591, 562, 818, 546, 562, 552, 426, 333, 426, 662,
  ],
  600: [
    252, 321, 523, 644, 650, 1004, 663, 326, 373, 373, 540, 673, 319, 465, 319, 379, 660, 423, 623, 636, 666,
    612, 640, 576, 640, 640, 319, 329, 673, 673, 673, 543, 999, 728, 659, 737, 722, 605, 588, 749, 746, 277,
    580, 703, 565, 922, 759, 769, 645, 773, 652, 650, 660, 736, 728, 1020, 720, 713, 652, 373, 379, 373, 481,
    469, 351, 574, 624, 583, 624, 591, 389, 625, 612, 262, 262, 569, 262, 900, 612, 609, 624, 624, 397, 549,
    353, 612, 587, 839, 569, 588, 566, 455, 359, 455, 673,
  ],
};

const OTHER_WIDTHS: Record<number, number> = { 183: 320, 8230: 960, 8211: 500, 8212: 1000, 8217: 300 };

/** Estimated width of one character in ems: exact for ASCII, generous for the rest. */
function charWidth(codePoint: number, weight: FontWeight): number {
  if (codePoint >= 0x20 && codePoint <= 0x7e) return (ASCII_WIDTHS[weight][codePoint - 0x20] ?? 700) / 1000;
  const known = OTHER_WIDTHS[codePoint];
  if (known !== undefined) return known / 1000;
  // East Asian wide characters and emoji take a full em; everything else about as much as a capital.
  if (codePoint >= 0x1100 && (codePoint <= 0x115f || codePoint >= 0x2e80)) return 1;
  return 0.72;
}

/** Estimated width in pixels of a line of text in the charts' font. */
export function textWidth(text: string, fontSize: number, weight: FontWeight = 400): number {
  let ems = 0;
  for (const char of text) ems += charWidth(char.codePointAt(0) ?? 0, weight);
  return ems * fontSize;
}

/**
 * The text (cleaned as by `cleanText`), shortened with an ellipsis so that it fits in `maxWidth`
 * pixels. Not escaped: escape it when it goes into the SVG.
 */
export function truncate(text: string, maxWidth: number, fontSize: number, weight: FontWeight = 400): string {
  const clean = cleanText(text);
  if (textWidth(clean, fontSize, weight) <= maxWidth) return clean;
  const chars = [...clean];
  const budget = maxWidth - textWidth('…', fontSize, weight);
  let width = 0;
  let end = 0;
  while (end < chars.length) {
    const next = width + charWidth(chars[end]?.codePointAt(0) ?? 0, weight) * fontSize;
    if (next > budget) break;
    width = next;
    end++;
  }
  return `${chars.slice(0, end).join('').trimEnd()}…`;
}

/**
 * The text (cleaned) broken at spaces into at most `maxLines` lines of at most `maxWidth` pixels,
 * the last one shortened with an ellipsis when the text does not fit. `suffix` (such as " (n/a)")
 * ends the last line and is never cut; it takes a line of its own when that is the only way to
 * keep it whole.
 */
export function wrapText(
  text: string,
  maxWidth: number,
  fontSize: number,
  maxLines: number,
  suffix = '',
): string[] {
  const words = cleanText(text).split(' ');
  const fits = (line: string) => textWidth(line, fontSize) <= maxWidth;
  const lines: string[] = [];
  let current = '';
  let rest = 0;
  for (; rest < words.length; rest++) {
    const word = words[rest] ?? '';
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate) || !current) {
      current = candidate;
      continue;
    }
    if (lines.length === maxLines - 1) break;
    lines.push(current);
    current = word;
  }
  // Whatever did not fit goes on the last line, to be shortened with an ellipsis.
  const last = [current, ...words.slice(rest)].join(' ');
  const suffixWidth = textWidth(suffix, fontSize);
  if (rest === words.length && textWidth(last, fontSize) + suffixWidth <= maxWidth) {
    lines.push(last + suffix);
  } else if (suffix && rest === words.length && lines.length < maxLines - 1 && fits(last)) {
    lines.push(last, suffix.trim());
  } else {
    lines.push(truncate(last, maxWidth - suffixWidth, fontSize) + suffix);
  }
  // A long single word on an earlier line is shortened too.
  return lines.map((line, i) =>
    i < lines.length - 1 && !fits(line) ? truncate(line, maxWidth, fontSize) : line,
  );
}

/** A number as the charts write it: whole numbers as they are, others to one decimal. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** A coordinate for the SVG: at most two decimals, so the markup stays small and stable. */
export const n = (value: number): string => String(Math.round(value * 100) / 100);

export type TextOptions = {
  size: number;
  weight?: FontWeight;
  fill?: string;
  anchor?: 'start' | 'middle' | 'end';
};

/** A `<text>` element; `content` is escaped here. */
export function textElement(x: number, y: number, content: string, options: TextOptions): string {
  const attributes = [`x="${n(x)}"`, `y="${n(y)}"`, `font-size="${options.size}"`];
  if (options.weight && options.weight !== 400) attributes.push(`font-weight="${options.weight}"`);
  if (options.anchor && options.anchor !== 'start') attributes.push(`text-anchor="${options.anchor}"`);
  attributes.push(`fill="${options.fill ?? INK}"`);
  return `<text ${attributes.join(' ')}>${escapeXml(content)}</text>`;
}

/** The opening of a chart's SVG: size, font, a white background, and its title and description. */
export function svgOpen(width: number, height: number, title: string, description: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT_FAMILY}">`,
    `<title>${escapeXml(title)}</title>`,
    `<desc>${escapeXml(description)}</desc>`,
    `<rect id="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  ].join('\n');
}

/** Body text: near black, 17:1 on white. */
export const INK = '#111827';
/** Secondary text: 7.6:1 on white. */
export const MUTED = '#4b5563';

/**
 * Alt text for a chart: the sentence, then as many of the parts as fit within `limit` characters,
 * closed by "and N more" when some had to be left out. Parts are never cut: a number is either
 * there whole or its competency is among the N more.
 */
export function fitAlt(
  sentence: string,
  parts: readonly string[],
  options: { separator: string; more: (count: number) => string; limit?: number },
): string {
  const limit = options.limit ?? ALT_TEXT_LIMIT;
  const whole = parts.length === 0 ? sentence : `${sentence} ${parts.join(options.separator)}.`;
  if (whole.length <= limit) return whole;
  for (let shown = parts.length - 1; shown >= 0; shown--) {
    const more = options.more(parts.length - shown);
    const text =
      shown === 0
        ? `${sentence} ${more}.`
        : `${sentence} ${parts.slice(0, shown).join(options.separator)}${options.separator}${more}.`;
    if (text.length <= limit) return text;
  }
  // Only a sentence longer than the limit gets here; callers keep theirs short (names truncated).
  return `${[...sentence].slice(0, limit - 1).join('')}…`;
}

/** A name for alt text: cleaned, and cut with an ellipsis past `max` characters. */
export function altName(text: string, max = 80): string {
  const clean = cleanText(text);
  const chars = [...clean];
  return chars.length <= max ? clean : `${chars.slice(0, max - 1).join('')}…`;
}
