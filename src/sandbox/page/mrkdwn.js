// @ts-check
/**
 * Slack's text → HTML strings for the sandbox page: mrkdwn (formatting, links, mentions, dates, code,
 * quotes, emoji), plain_text, text objects, and what a person typed. Every piece of text goes through
 * `escapeHtml`; the only markup in the output is the markup written here.
 */
import { emojify } from './emoji.js';

/**
 * @typedef {{ users?: Record<string, string>, now?: number, timeZone?: string, locale?: string }} RenderContext
 * @typedef {{ type?: string, text?: string, emoji?: boolean, verbatim?: boolean }} TextObject
 */

/** @param {unknown} s */
export function escapeHtml(s) {
  return String(s ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Slack's three entities back to characters (`&amp;` last, so `&amp;lt;` stays `&lt;`). */
/** @param {string} s */
function decodeSlack(s) {
  return s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/** An href the page may use: http(s), mailto, or a same-origin path. Anything else → undefined. */
/** @param {unknown} url */
export function safeUrl(url) {
  const u = String(url ?? '').trim();
  if (/^(https?:\/\/|mailto:)/i.test(u)) return u;
  if (/^\/(?!\/)/.test(u)) return u;
  return undefined;
}

const P_OPEN = '\uE000';
const P_CLOSE = '\uE001';
const C_OPEN = '\uE002';
const C_CLOSE = '\uE003';
const PLACEHOLDER_CHARS = /[\uE000-\uE003]/g;

const pad2 = (/** @type {number} */ n) => String(n).padStart(2, '0');

/** @param {number} day */
function ordinal(day) {
  const s = day % 100 >= 11 && day % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][day % 10] ?? 'th');
  return `${day}${s}`;
}

/**
 * `<!date^seconds^format|fallback>` content (after `!date^`), formatted in the reader's time zone.
 * Returns undefined when it cannot be formatted, so the caller uses the fallback.
 * @param {string} seconds @param {string} format @param {RenderContext} ctx
 */
export function formatSlackDate(seconds, format, ctx = {}) {
  const secs = Number(seconds);
  if (!/^-?\d+$/.test(seconds) || !Number.isFinite(secs)) return undefined;
  const date = new Date(secs * 1000);
  const locale = ctx.locale ?? 'en-US';
  /** @type {Intl.DateTimeFormatOptions} */
  const tz = ctx.timeZone ? { timeZone: ctx.timeZone } : {};
  /** @param {Intl.DateTimeFormatOptions} o @param {Date} [d] */
  const parts = (o, d = date) => {
    /** @type {Record<string, string>} */
    const out = {};
    for (const p of new Intl.DateTimeFormat(locale, { ...tz, ...o }).formatToParts(d)) out[p.type] = p.value;
    return out;
  };
  const ymd = parts({ year: 'numeric', month: 'numeric', day: 'numeric' });
  const dayKey = (/** @type {Date} */ d) => {
    const p = parts({ year: 'numeric', month: 'numeric', day: 'numeric' }, d);
    return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day)) / 86_400_000;
  };
  const relative = () => {
    const now = new Date(ctx.now ?? Date.now());
    const diff = dayKey(date) - dayKey(now);
    return diff === 0 ? 'Today' : diff === -1 ? 'Yesterday' : diff === 1 ? 'Tomorrow' : undefined;
  };
  const long = parts({ weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
  const short = parts({ year: 'numeric', month: 'short', day: 'numeric' });
  const day = Number(ymd.day);
  const dateText = `${long.month} ${ordinal(day)}, ${long.year}`;
  const shortText = `${short.month} ${day}, ${short.year}`;
  const longText = `${long.weekday}, ${dateText}`;
  const time = (/** @type {boolean} */ secs) =>
    new Intl.DateTimeFormat(locale, {
      ...tz,
      hour: 'numeric',
      minute: '2-digit',
      ...(secs ? { second: '2-digit' } : {}),
    }).format(date);
  /** @type {Record<string, () => string>} */
  const tokens = {
    date_num: () => `${ymd.year}-${pad2(Number(ymd.month))}-${pad2(day)}`,
    date_slash: () => `${pad2(Number(ymd.month))}/${pad2(day)}/${ymd.year}`,
    date: () => dateText,
    date_pretty: () => relative() ?? dateText,
    date_short: () => shortText,
    date_short_pretty: () => relative() ?? shortText,
    date_long: () => longText,
    date_long_pretty: () => relative() ?? longText,
    time: () => time(false),
    time_secs: () => time(true),
  };
  let ok = true;
  const text = format.replace(/\{([a-z_]+)\}/g, (all, name) => {
    const f = tokens[name];
    if (!f) {
      ok = false;
      return all;
    }
    return f();
  });
  return ok ? text : undefined;
}

/**
 * One control sequence (the text between `<` and `>`, still Slack-escaped) → its HTML and its plain text.
 * @param {string} inner @param {RenderContext} ctx @returns {{ html: string, text: string }}
 */
function renderControl(inner, ctx) {
  const bar = inner.indexOf('|');
  const head = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : decodeSlack(inner.slice(bar + 1));
  const span = (/** @type {string} */ cls, /** @type {string} */ text) => ({
    html: `<span class="${cls}">${escapeHtml(text)}</span>`,
    text,
  });
  if (head.startsWith('@')) {
    const id = decodeSlack(head.slice(1));
    const name = ctx.users?.[id] ?? label ?? id;
    return span('mention', `@${name}`);
  }
  if (head.startsWith('#')) {
    return span('mention mention-channel', `#${label ?? decodeSlack(head.slice(1))}`);
  }
  if (head.startsWith('!')) {
    const cmd = head.slice(1);
    if (cmd === 'here' || cmd === 'channel' || cmd === 'everyone')
      return span('mention mention-broadcast', `@${cmd}`);
    if (cmd.startsWith('subteam^')) return span('mention', label ?? `@${cmd.slice('subteam^'.length)}`);
    if (cmd.startsWith('date^')) {
      const [, seconds = '', format = '', link] = cmd.split('^');
      const fallback = label ?? '';
      const formatted = formatSlackDate(seconds, decodeSlack(format), ctx);
      if (formatted === undefined) return { html: escapeHtml(fallback), text: fallback };
      const iso = new Date(Number(seconds) * 1000).toISOString();
      const href = link ? safeUrl(decodeSlack(link)) : undefined;
      const time = `<time class="date" datetime="${iso}" title="${escapeHtml(fallback)}">${escapeHtml(formatted)}</time>`;
      return {
        html: href ? `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${time}</a>` : time,
        text: formatted,
      };
    }
    return { html: escapeHtml(label ?? `<${decodeSlack(inner)}>`), text: label ?? '' };
  }
  const url = decodeSlack(head);
  const href = /^(https?:\/\/|mailto:)/i.test(url) ? url : undefined;
  const text = label ?? (url.startsWith('mailto:') ? url.slice('mailto:'.length) : url);
  // A link's label may have emoji, as any text; its address never has.
  if (!href) return { html: emojify(escapeHtml(text)), text };
  return {
    html: `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${emojify(escapeHtml(text))}</a>`,
    text,
  };
}

/**
 * A span rule: `mark` around text, not inside a word, not padded with spaces. Applied to escaped HTML, so
 * the boundaries also accept `;` (the end of an entity) before the mark.
 * @param {string} mark
 */
function spanRule(mark) {
  const m = mark === '*' ? '\\*' : mark;
  return new RegExp(
    `(^|[^\\p{L}\\p{N}${m}])${m}(?!\\s)([^${m}\\n]*?[^\\s${m}])${m}(?![\\p{L}\\p{N}${m}])`,
    'gu',
  );
}
const BOLD = spanRule('*');
const ITALIC = spanRule('_');
const STRIKE = spanRule('~');

/**
 * Slack mrkdwn (Slack-escaped) → HTML.
 * @param {unknown} text @param {RenderContext} [ctx]
 */
export function mrkdwnToHtml(text, ctx = {}) {
  /** @type {{ html: string, text: string }[]} */
  const controls = [];
  /** @type {string[]} */
  const codes = [];
  let s = String(text ?? '').replace(PLACEHOLDER_CHARS, '\uFFFD');
  // 1. control sequences → placeholders
  s = s.replace(/<([^<>]*)>/g, (_all, inner) => {
    controls.push(renderControl(inner, ctx));
    return `${P_OPEN}${controls.length - 1}${P_CLOSE}`;
  });
  // 2. decode Slack's entities, 3. escape for HTML
  s = escapeHtml(decodeSlack(s));
  const asText = (/** @type {string} */ t) =>
    t.replace(new RegExp(`${P_OPEN}(\\d+)${P_CLOSE}`, 'g'), (_a, i) =>
      escapeHtml(controls[Number(i)]?.text ?? ''),
    );
  // 4. code: its content is not formatted further
  s = s.replace(/```([\s\S]*?)```/g, (_all, body) => {
    codes.push(`<pre class="pre">${asText(String(body).replace(/^\n/, ''))}</pre>`);
    return `${C_OPEN}${codes.length - 1}${C_CLOSE}`;
  });
  s = s.replace(/`([^`\n]+)`/g, (_all, body) => {
    codes.push(`<code class="code">${asText(body)}</code>`);
    return `${C_OPEN}${codes.length - 1}${C_CLOSE}`;
  });
  // 5. emoji and inline formatting
  s = emojify(s);
  s = s.replace(BOLD, '$1<strong>$2</strong>');
  s = s.replace(ITALIC, '$1<em>$2</em>');
  s = s.replace(STRIKE, '$1<del>$2</del>');
  // blockquotes: lines starting with "> " (escaped as &gt;)
  s = s.replace(/(^|\n)&gt; ?([^\n]*)/g, '$1<span class="quote">$2</span>');
  s = s.replaceAll('\n', '<br>');
  // 6. put the rendered pieces back
  s = s.replace(new RegExp(`${C_OPEN}(\\d+)${C_CLOSE}`, 'g'), (_a, i) => codes[Number(i)] ?? '');
  s = s.replace(new RegExp(`${P_OPEN}(\\d+)${P_CLOSE}`, 'g'), (_a, i) => controls[Number(i)]?.html ?? '');
  return s;
}

/**
 * mrkdwn → plain text, for titles and labels: control sequences become their labels, formatting marks
 * go, emoji shortcodes become emoji except in code, which keeps its text as written.
 * @param {unknown} text @param {RenderContext} [ctx]
 */
export function mrkdwnToPlain(text, ctx = {}) {
  const s = String(text ?? '').replace(/<([^<>]*)>/g, (_all, inner) => renderControl(inner, ctx).text);
  return decodeSlack(s)
    .split(/(```[\s\S]*?```|`[^`\n]+`)/)
    .map((part, i) => {
      if (i % 2 === 1)
        return part.startsWith('```') ? part.slice(3, -3).replace(/^\n/, '') : part.slice(1, -1);
      let t = part;
      for (const rule of [BOLD, ITALIC, STRIKE]) t = t.replace(rule, '$1$2');
      return emojify(t);
    })
    .join('');
}

/** A text object → plain text. @param {TextObject | string | null | undefined} t @param {RenderContext} [ctx] */
export function textToPlain(t, ctx = {}) {
  if (t == null) return '';
  if (typeof t === 'string') return t;
  if (t.type === 'mrkdwn') return mrkdwnToPlain(t.text, ctx);
  return t.emoji ? emojify(String(t.text ?? '')) : String(t.text ?? '');
}

/** `plain_text` → HTML: escaped, newlines kept, emoji only when `emoji: true`. @param {TextObject | null | undefined} t */
export function plainToHtml(t) {
  if (t == null) return '';
  const html = escapeHtml(t.text).replaceAll('\n', '<br>');
  return t.emoji ? emojify(html) : html;
}

/** A text object of either type → HTML. @param {TextObject | string | null | undefined} t @param {RenderContext} [ctx] */
export function textToHtml(t, ctx = {}) {
  if (t == null) return '';
  if (typeof t === 'string') return mrkdwnToHtml(t, ctx);
  return t.type === 'mrkdwn' ? mrkdwnToHtml(t.text, ctx) : plainToHtml(t);
}

/**
 * What a person typed, as the channel shows it: their text as they wrote it (escaped), with the people
 * and user groups they picked from the @ list shown as mentions, and emoji.
 * @param {unknown} text @param {RenderContext} [ctx]
 */
export function typedTextToHtml(text, ctx = {}) {
  const s = String(text ?? '');
  const piece = (/** @type {string} */ t) => emojify(escapeHtml(t)).replaceAll('\n', '<br>');
  let html = '';
  let at = 0;
  for (const m of s.matchAll(/<(@[UW][A-Z0-9]+(?:\|[^<>|]*)?|!subteam\^S[A-Z0-9]+(?:\|[^<>|]*)?)>/g)) {
    html += piece(s.slice(at, m.index)) + renderControl(m[1] ?? '', ctx).html;
    at = m.index + m[0].length;
  }
  return html + piece(s.slice(at));
}
