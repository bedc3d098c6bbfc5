/** Types for render.js (the page is plain JavaScript; tsconfig does not enable allowJs). */

export type RenderContext = {
  /** user id → display name, for `<@U123>` mentions */
  users?: Record<string, string>;
  /** "now" in ms, for Today/Yesterday in dates (default: Date.now()) */
  now?: number;
  /** IANA time zone for dates (default: the reader's) */
  timeZone?: string;
  /** locale for dates (default: en-US) */
  locale?: string;
};

export type TextObject = { type?: string; text?: string; emoji?: boolean; verbatim?: boolean };

export const EMOJI: Record<string, string>;
export function escapeHtml(s: unknown): string;
export function safeUrl(url: unknown): string | undefined;
export function formatSlackDate(seconds: string, format: string, ctx?: RenderContext): string | undefined;
export function mrkdwnToHtml(text: unknown, ctx?: RenderContext): string;
export function mrkdwnToPlain(text: unknown, ctx?: RenderContext): string;
export function textToPlain(t: TextObject | string | null | undefined, ctx?: RenderContext): string;
export function plainToHtml(t: TextObject | null | undefined): string;
export function textToHtml(t: TextObject | string | null | undefined, ctx?: RenderContext): string;
export function blocksToHtml(blocks: unknown, ctx?: RenderContext & { idPrefix?: string }): string;
export function typedTextToHtml(text: unknown, ctx?: RenderContext): string;
export function confirmDialogToHtml(confirm: unknown, ctx?: RenderContext): string;
