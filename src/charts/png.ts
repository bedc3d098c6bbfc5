import type { PngOptions } from './render.js';

/**
 * A chart's PNG (render.ts), with the renderer loaded at the first chart asked for rather than at
 * start: resvg's native module is a few MB that an app drawing no chart never needs.
 */
export async function toPng(svg: string, options?: PngOptions): Promise<Buffer> {
  const { toPngAsync } = await import('./render.js');
  return toPngAsync(svg, options);
}
