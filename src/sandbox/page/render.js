// @ts-check
/**
 * Pure renderers for the sandbox page: Slack mrkdwn and Block Kit → HTML strings. No DOM access, so the
 * same module runs in the browser and under vitest. Every piece of text from a message goes through
 * `escapeHtml`; the only markup in the output is the markup written here.
 */

/**
 * @typedef {{ users?: Record<string, string>, now?: number, timeZone?: string, locale?: string }} RenderContext
 * @typedef {{ type?: string, text?: string, emoji?: boolean, verbatim?: boolean }} TextObject
 * @typedef {Record<string, any>} Block
 */

/**
 * Emoji shortcodes → Unicode, as Slack shows them. Every shortcode the app's own code writes is here (a
 * test reads src/slack and checks), and a few common ones besides; an unknown shortcode stays as text.
 * @type {Record<string, string>}
 */
export const EMOJI = {
  // what the app writes (src/slack)
  bar_chart: '📊',
  bell: '🔔',
  busts_in_silhouette: '👥',
  card_index_dividers: '🗂️',
  envelope: '✉️',
  grey_question: '❔',
  heavy_minus_sign: '➖',
  hourglass_flowing_sand: '⏳',
  inbox_tray: '📥',
  large_blue_circle: '🔵',
  large_yellow_circle: '🟡',
  no_bell: '🔕',
  red_circle: '🔴',
  speech_balloon: '💬',
  tada: '🎉',
  warning: '⚠️',
  wastebasket: '🗑️',
  wave: '👋',
  white_check_mark: '✅',
  zzz: '💤',
  // common ones
  '+1': '👍',
  '-1': '👎',
  alarm_clock: '⏰',
  arrow_down: '⬇️',
  arrow_left: '⬅️',
  arrow_right: '➡️',
  arrow_up: '⬆️',
  arrows_counterclockwise: '🔄',
  books: '📚',
  bulb: '💡',
  bust_in_silhouette: '👤',
  calendar: '📆',
  chart_with_downwards_trend: '📉',
  chart_with_upwards_trend: '📈',
  clap: '👏',
  clipboard: '📋',
  dart: '🎯',
  date: '📅',
  'e-mail': '📧',
  email: '📧',
  exclamation: '❗',
  eyes: '👀',
  fire: '🔥',
  gear: '⚙️',
  grey_exclamation: '❕',
  heart: '❤️',
  heavy_check_mark: '✔️',
  heavy_plus_sign: '➕',
  hourglass: '⌛',
  incoming_envelope: '📨',
  information_source: 'ℹ️',
  key: '🔑',
  large_green_circle: '🟢',
  large_orange_circle: '🟠',
  link: '🔗',
  lock: '🔒',
  mag: '🔍',
  memo: '📝',
  muscle: '💪',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  ok_hand: '👌',
  outbox_tray: '📤',
  paperclip: '📎',
  pencil2: '✏️',
  point_right: '👉',
  pray: '🙏',
  pushpin: '📌',
  question: '❓',
  raised_hands: '🙌',
  repeat: '🔁',
  rocket: '🚀',
  seedling: '🌱',
  slightly_smiling_face: '🙂',
  smile: '😄',
  sparkles: '✨',
  star: '⭐',
  stopwatch: '⏱️',
  thinking_face: '🤔',
  thumbsdown: '👎',
  thumbsup: '👍',
  trophy: '🏆',
  unlock: '🔓',
  white_circle: '⚪',
  x: '❌',
};

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

/**
 * A web address written out in text (Slack links these itself): its `:` sequences are not emoji. The
 * shortcodes of a text are matched in the same pass, so an address is skipped as a whole.
 */
const ADDRESS_OR_SHORTCODE = /((?:[a-z][a-z0-9+.-]*:\/\/|mailto:|www\.)[^\s<>]*)|:([a-z0-9_+-]+):/gi;

/** Emoji shortcodes in text (escaped or not) → Unicode; unknown ones, and any inside a web address, stay. */
/** @param {string} s */
function emojify(s) {
  return s.replace(ADDRESS_OR_SHORTCODE, (all, address, name) =>
    address !== undefined ? all : (emojiFor(name) ?? all),
  );
}

/** The emoji of a shortcode's name, if the table has it (only its own entries: not `constructor`). */
/** @param {unknown} name */
function emojiFor(name) {
  return typeof name === 'string' && Object.hasOwn(EMOJI, name) ? EMOJI[name] : undefined;
}

// Placeholders: private-use characters that cannot survive in the input (they are removed from it first).
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

// ---------------------------------------------------------------------------------------------- Block Kit

/** @param {Record<string, unknown>} attrs */
function attrs(attrs) {
  let out = '';
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    out += v === true ? ` ${k}` : ` ${k}="${escapeHtml(v)}"`;
  }
  return out;
}

/** @param {string} what */
const unsupported = (what) => `<span class="unsupported">[unsupported ${escapeHtml(what)}]</span>`;

/** @param {Block} image */
function imageTag(image, cls = 'image') {
  const src = safeUrl(image.image_url ?? image.slack_file?.url);
  if (!src) return `<span class="${cls} image-missing">${escapeHtml(image.alt_text ?? 'image')}</span>`;
  return `<img${attrs({ class: cls, src, alt: image.alt_text ?? '', loading: 'lazy' })}>`;
}

/** @param {Block} option */
function optionText(option) {
  return textToPlain(option?.text);
}

/**
 * An interactive element in a section accessory or an actions block: clicking or choosing posts a click.
 * @param {Block} el @param {string} blockId
 */
function elementToHtml(el, blockId) {
  const type = String(el?.type ?? 'unknown');
  const common = { 'data-action-id': el?.action_id ?? '', 'data-block-id': blockId };
  if (type === 'button') {
    const cls = ['btn', el.style === 'primary' ? 'btn-primary' : el.style === 'danger' ? 'btn-danger' : '']
      .filter(Boolean)
      .join(' ');
    return `<button${attrs({
      type: 'button',
      class: cls,
      'data-kind': 'button',
      ...common,
      'data-value': el.value,
      'data-url': el.url ? safeUrl(el.url) : undefined,
      'data-confirm': el.confirm ? JSON.stringify(el.confirm) : undefined,
      'aria-label': el.accessibility_label,
    })}>${plainToHtml(el.text)}</button>`;
  }
  if (type === 'static_select') return selectToHtml(el, { ...common, 'data-kind': 'static_select' });
  if (type === 'overflow') {
    const items = (Array.isArray(el.options) ? el.options : [])
      .map(
        (/** @type {Block} */ o) =>
          `<button${attrs({
            type: 'button',
            class: 'overflow-option',
            role: 'menuitem',
            'data-kind': 'overflow-option',
            ...common,
            'data-value': o?.value ?? '',
            'data-text': optionText(o),
            'data-url': o?.url ? safeUrl(o.url) : undefined,
            'data-confirm': el.confirm ? JSON.stringify(el.confirm) : undefined,
          })}>${escapeHtml(optionText(o))}</button>`,
      )
      .join('');
    return `<details${attrs({ class: 'overflow', ...common })}><summary class="btn overflow-toggle" aria-label="More actions">⋯</summary><div class="overflow-menu" role="menu">${items}</div></details>`;
  }
  if (type === 'image') return imageTag(el, 'accessory-image');
  return unsupported(`element: ${type}`);
}

/** @param {Block} el @param {Record<string, unknown>} a */
function selectToHtml(el, a) {
  const initial = el.initial_option?.value;
  /** @param {Block} o */
  const option = (o) =>
    `<option${attrs({ value: o?.value ?? '', selected: initial !== undefined && o?.value === initial })}>${escapeHtml(optionText(o))}</option>`;
  const flat = Array.isArray(el.options) ? el.options.map(option).join('') : '';
  const groups = Array.isArray(el.option_groups)
    ? el.option_groups
        .map(
          (/** @type {Block} */ g) =>
            `<optgroup label="${escapeHtml(textToPlain(g?.label))}">${(Array.isArray(g?.options) ? g.options : []).map(option).join('')}</optgroup>`,
        )
        .join('')
    : '';
  const placeholder = `<option value=""${initial === undefined ? ' selected' : ''} disabled>${escapeHtml(textToPlain(el.placeholder) || 'Select an option')}</option>`;
  return `<select${attrs({ class: 'select', ...a })}>${placeholder}${flat}${groups}</select>`;
}

/**
 * A menu whose options the app gives as the person types (external_select): a text box, and below it
 * the list the page fills from the app's answer. The chosen option is kept on the wrapper
 * (`data-value`, `data-text`); `data-dispatch` says whether choosing one is sent to the app at once.
 * @param {Block} el @param {Record<string, unknown>} common @param {boolean} dispatch
 */
function externalSelectToHtml(el, common, dispatch) {
  const { id, ...rest } = common;
  const initial = el.initial_option;
  const text = initial ? optionText(initial) : '';
  const listId = `${String(id)}-list`;
  const minQuery = Number.isInteger(el.min_query_length) ? el.min_query_length : 3;
  const input = `<input${attrs({
    id,
    type: 'text',
    class: 'text-input',
    role: 'combobox',
    autocomplete: 'off',
    'aria-autocomplete': 'list',
    'aria-expanded': 'false',
    'aria-controls': listId,
    'data-external-input': true,
    placeholder: el.placeholder ? textToPlain(el.placeholder) : undefined,
    value: text || undefined,
  })}>`;
  return `<div${attrs({
    class: 'external-select',
    ...rest,
    'data-input': 'external_select',
    'data-dispatch': dispatch ? 'true' : undefined,
    'data-min-query-length': String(minQuery),
    'data-value': initial?.value ?? '',
    'data-text': text,
  })}>${input}<ul${attrs({ id: listId, class: 'external-select-list', role: 'listbox', hidden: true })}></ul></div>`;
}

/** @param {Block} el @param {string} blockId @param {string} id @param {RenderContext} [ctx] @param {boolean} [dispatch] */
function inputElementToHtml(el, blockId, id, ctx = {}, dispatch = false) {
  const type = String(el?.type ?? 'unknown');
  const common = { id, 'data-action-id': el?.action_id ?? '', 'data-block-id': blockId };
  if (type === 'external_select') return externalSelectToHtml(el, common, dispatch);
  if (type === 'static_select')
    return selectToHtml(el, {
      ...common,
      'data-input': 'static_select',
      'data-dispatch': dispatch ? 'true' : undefined,
    });
  if (type === 'users_select') {
    // The people of the workspace, as Slack's picker offers them.
    const people = Object.entries(ctx.users ?? {})
      .map(
        ([userId, name]) =>
          `<option value="${escapeHtml(userId)}"${el.initial_user === userId ? ' selected' : ''}>${escapeHtml(name)}</option>`,
      )
      .join('');
    const placeholder = `<option value=""${el.initial_user ? '' : ' selected'} disabled>${escapeHtml(textToPlain(el.placeholder) || 'Select a person')}</option>`;
    return `<select${attrs({ class: 'select', ...common, 'data-input': 'users_select' })}>${placeholder}${people}</select>`;
  }
  if (type === 'plain_text_input') {
    const a = {
      ...common,
      class: 'text-input',
      'data-input': 'plain_text_input',
      placeholder: el.placeholder ? textToPlain(el.placeholder) : undefined,
      minlength: el.min_length,
      maxlength: el.max_length,
    };
    return el.multiline
      ? `<textarea${attrs({ ...a, rows: 4 })}>${escapeHtml(el.initial_value ?? '')}</textarea>`
      : `<input${attrs({ ...a, type: 'text', value: el.initial_value })}>`;
  }
  return unsupported(`element: ${type}`);
}

/** @param {Block} el @param {RenderContext} ctx */
function contextElementToHtml(el, ctx) {
  if (el?.type === 'image') return imageTag(el, 'context-image');
  if (el?.type === 'mrkdwn' || el?.type === 'plain_text') return `<span>${textToHtml(el, ctx)}</span>`;
  return unsupported(`element: ${String(el?.type)}`);
}

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
function richElementToHtml(el, ctx) {
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

/** @param {Block} block @param {RenderContext & { idPrefix?: string }} ctx @param {number} index */
function blockToHtml(block, ctx, index) {
  const type = String(block?.type ?? 'unknown');
  const blockId = String(block?.block_id ?? '');
  const open = (/** @type {string} */ extra = '') =>
    `<div${attrs({ class: `block block-${type}${extra}`, 'data-block-id': blockId || undefined })}>`;
  switch (type) {
    case 'header':
      return `${open()}<h3 class="header">${plainToHtml(block.text)}</h3></div>`;
    case 'divider':
      return `${open()}<hr></div>`;
    case 'section': {
      const text = block.text ? `<div class="section-text">${textToHtml(block.text, ctx)}</div>` : '';
      const fields = Array.isArray(block.fields)
        ? `<div class="fields">${block.fields.map((/** @type {Block} */ f) => `<div class="field">${textToHtml(f, ctx)}</div>`).join('')}</div>`
        : '';
      const accessory = block.accessory
        ? `<div class="accessory">${elementToHtml(block.accessory, blockId)}</div>`
        : '';
      return `${open(accessory ? ' has-accessory' : '')}<div class="section-body">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context': {
      const els = (Array.isArray(block.elements) ? block.elements : [])
        .map((/** @type {Block} */ e) => contextElementToHtml(e, ctx))
        .join('');
      return `${open()}${els}</div>`;
    }
    case 'actions': {
      const els = (Array.isArray(block.elements) ? block.elements : [])
        .map((/** @type {Block} */ e) => elementToHtml(e, blockId))
        .join('');
      return `${open()}${els}</div>`;
    }
    case 'image': {
      const title = block.title ? `<div class="image-title">${plainToHtml(block.title)}</div>` : '';
      return `${open()}${title}${imageTag(block)}</div>`;
    }
    case 'input': {
      const id = `${ctx.idPrefix ?? 'sb'}-input-${index}`;
      const optional = block.optional ? ' <span class="optional">(optional)</span>' : '';
      const hint = block.hint ? `<div class="hint">${plainToHtml(block.hint)}</div>` : '';
      return `${open()}<label class="input-label" for="${escapeHtml(id)}">${plainToHtml(block.label)}${optional}</label>${inputElementToHtml(block.element, blockId, id, ctx, block.dispatch_action === true)}${hint}<div class="input-error" role="alert"${attrs({ 'data-error-for': blockId })} hidden></div></div>`;
    }
    case 'rich_text': {
      const els = (Array.isArray(block.elements) ? block.elements : [])
        .map((/** @type {Block} */ e) => richElementToHtml(e, ctx))
        .join('');
      return `${open()}${els}</div>`;
    }
    default:
      return `<div class="block block-unsupported">${unsupported(`block: ${type}`)}</div>`;
  }
}

/**
 * Block Kit blocks → HTML. Never throws: a block that cannot be rendered becomes a small note.
 * @param {unknown} blocks @param {RenderContext & { idPrefix?: string }} [ctx]
 */
export function blocksToHtml(blocks, ctx = {}) {
  if (!Array.isArray(blocks)) return '';
  return blocks
    .map((block, i) => {
      try {
        return blockToHtml(block, ctx, i);
      } catch {
        return `<div class="block block-unsupported">${unsupported(`block: ${String(block?.type ?? 'unknown')}`)}</div>`;
      }
    })
    .join('');
}

/**
 * A confirmation (the `confirm` of a button or a menu) as Slack shows it: a small dialog over the page
 * with its title, its text, and two buttons: deny ("Cancel" unless it says) and confirm, green, or red
 * with `style: "danger"`. The page shows it and sends the click only once confirm is chosen.
 * @param {unknown} confirm @param {RenderContext} [ctx]
 */
export function confirmDialogToHtml(confirm, ctx = {}) {
  const c = confirm && typeof confirm === 'object' ? /** @type {Block} */ (confirm) : {};
  /** @param {unknown} t @param {string} fallback */
  const label = (t, fallback) => {
    const html = t && typeof t === 'object' ? textToHtml(/** @type {TextObject} */ (t), ctx) : '';
    return html || escapeHtml(fallback);
  };
  const body = c.text && typeof c.text === 'object' ? textToHtml(c.text, ctx) : '';
  const text = body ? `<div class="confirm-text" id="confirm-text">${body}</div>` : '';
  const style = c.style === 'danger' ? 'btn btn-danger' : 'btn btn-primary';
  return `<div class="confirm-backdrop"><div${attrs({
    class: 'confirm-dialog',
    role: 'alertdialog',
    'aria-modal': 'true',
    'aria-labelledby': 'confirm-title',
    'aria-describedby': text ? 'confirm-text' : undefined,
    'data-testid': 'confirm-dialog',
  })}><h2 class="confirm-title" id="confirm-title">${label(c.title, 'Are you sure?')}</h2>${text}<div class="confirm-actions"><button type="button" class="btn" data-confirm-choice="deny">${label(c.deny, 'Cancel')}</button><button type="button" class="${style}" data-confirm-choice="confirm">${label(c.confirm, 'Yes')}</button></div></div></div>`;
}
