// @ts-check
/** Block Kit `rich_text` → HTML for the sandbox page: sections, lists, quotes, preformatted text. */
import { emojiFor } from './emoji.js';
import { escapeHtml, formatSlackDate, safeUrl } from './mrkdwn.js';

/**
 * @typedef {import('./mrkdwn.js').RenderContext} RenderContext
 * @typedef {Record<string, any>} Block
 */

/** Rich text, basic: sections, lists, quotes, preformatted; styled text, links, mentions, emoji. */
/** @param {Block} el @param {RenderContext} ctx @returns {string} */
function richInlineToHtml(el, ctx) {
  if (!el || typeof el !== 'object') return '';
  const style = el.style ?? {};
  /** @param {string} html */
  const styled = (html) => {
    let h = html;
    if (style.code) h = `<code class="code">${h}</code>`;
    if (style.bold) h = `<strong>${h}</strong>`;
    if (style.italic) h = `<em>${h}</em>`;
    if (style.strike) h = `<del>${h}</del>`;
    return h;
  };
  switch (el.type) {
    case 'text':
      return styled(escapeHtml(el.text).replaceAll('\n', '<br>'));
    case 'link': {
      const href = safeUrl(el.url);
      const label = escapeHtml(el.text ?? el.url);
      return styled(
        href ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${label}</a>` : label,
      );
    }
    case 'emoji':
      return el.unicode
        ? escapeHtml(
            String(el.unicode)
              .split('-')
              .map((h) => String.fromCodePoint(Number.parseInt(h, 16) || 0xfffd))
              .join(''),
          )
        : escapeHtml(emojiFor(el.name) ?? `:${el.name}:`);
    case 'user':
      return `<span class="mention">@${escapeHtml(ctx.users?.[el.user_id] ?? el.user_id)}</span>`;
    case 'channel':
      return `<span class="mention mention-channel">#${escapeHtml(el.channel_id)}</span>`;
    case 'broadcast':
      return `<span class="mention mention-broadcast">@${escapeHtml(el.range)}</span>`;
    case 'date':
      return escapeHtml(
        formatSlackDate(String(el.timestamp), String(el.format ?? '{date_short} {time}'), ctx) ??
          el.fallback ??
          '',
      );
    default:
      return '';
  }
}

/** @param {Block} el @param {RenderContext} ctx @returns {string} */
export function richElementToHtml(el, ctx) {
  const inner = (/** @type {Block} */ e) =>
    (Array.isArray(e?.elements) ? e.elements : [])
      .map((/** @type {Block} */ x) => richInlineToHtml(x, ctx))
      .join('');
  switch (el?.type) {
    case 'rich_text_section':
      return `<div class="rich-section">${inner(el)}</div>`;
    case 'rich_text_preformatted':
      return `<pre class="pre">${inner(el)}</pre>`;
    case 'rich_text_quote':
      return `<blockquote class="quote">${inner(el)}</blockquote>`;
    case 'rich_text_list': {
      const tag = el.style === 'ordered' ? 'ol' : 'ul';
      const items = (Array.isArray(el.elements) ? el.elements : [])
        .map((/** @type {Block} */ e) => `<li>${inner(e)}</li>`)
        .join('');
      return `<${tag}>${items}</${tag}>`;
    }
    default:
      return '';
  }
}
