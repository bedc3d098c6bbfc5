/**
 * Renders a chart's SVG to PNG on the server with resvg (no browser). Text is drawn with the Inter
 * font from the `@expo-google-fonts/inter` package (SIL Open Font License 1.1), resolved from
 * node_modules at run time, and with no system font at all: a slim container without fonts draws
 * the same picture as a developer's machine, byte for byte. Glyphs Inter does not have (Chinese,
 * Japanese, Korean, emoji) are left out of the picture; the alt text still has them.
 */
import { createRequire } from 'node:module';
import { Resvg, type ResvgRenderOptions, renderAsync } from '@resvg/resvg-js';
import { FONT_FAMILY } from './svg.js';

const require = createRequire(import.meta.url);

/** The font files the charts are drawn with: Inter regular (400) and semibold (600). */
export function chartFontFiles(): string[] {
  return [
    require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
    require.resolve('@expo-google-fonts/inter/600SemiBold/Inter_600SemiBold.ttf'),
  ];
}

export type PngOptions = {
  /** Width of the PNG in pixels; the height keeps the SVG's proportions. Default: the SVG's own width. */
  width?: number;
  /** Behind the chart; default white. */
  background?: string;
  /** The font files to draw text with; default `chartFontFiles()` (tests pass none to see text go). */
  fontFiles?: readonly string[];
};

/**
 * The PNG of an SVG made by this module (its root element has a `width` in pixels). Synchronous:
 * it holds the event loop for the whole render (about 50 ms for a radar chart); a server answering
 * many requests should use `toPngAsync`.
 */
export function toPng(svg: string, options: PngOptions = {}): Buffer {
  return new Resvg(svg, renderOptions(svg, options)).render().asPng();
}

/** `toPng` on libuv's thread pool, leaving the event loop free; the same bytes. */
export async function toPngAsync(svg: string, options: PngOptions = {}): Promise<Buffer> {
  return (await renderAsync(svg, renderOptions(svg, options))).asPng();
}

function renderOptions(svg: string, options: PngOptions): ResvgRenderOptions {
  const width = options.width ?? svgWidth(svg);
  if (!Number.isInteger(width) || width < 1 || width > 8192)
    throw new RangeError(`Cannot render a PNG ${width} pixels wide.`);
  return {
    fitTo: { mode: 'width', value: width },
    background: options.background ?? '#ffffff',
    font: {
      loadSystemFonts: false,
      fontFiles: [...(options.fontFiles ?? chartFontFiles())],
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
    },
    logLevel: 'off',
  };
}

/** The `width` attribute of the root `<svg>` element, in pixels. */
function svgWidth(svg: string): number {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  const width = root && /\swidth="(\d+(?:\.\d+)?)(?:px)?"/.exec(root)?.[1];
  if (!width) throw new RangeError('The SVG has no width in pixels: pass options.width.');
  return Math.round(Number(width));
}
