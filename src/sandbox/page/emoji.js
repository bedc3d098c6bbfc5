// @ts-check
/** Slack's emoji shortcodes (`:tada:`) → Unicode, for the sandbox page's renderers. */

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
  handshake: '🤝',
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
  ballot_box_with_check: '☑️',
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

/**
 * A web address written out in text (Slack links these itself): its `:` sequences are not emoji. The
 * shortcodes of a text are matched in the same pass, so an address is skipped as a whole.
 */
const ADDRESS_OR_SHORTCODE = /((?:[a-z][a-z0-9+.-]*:\/\/|mailto:|www\.)[^\s<>]*)|:([a-z0-9_+-]+):/gi;

/** Emoji shortcodes in text (escaped or not) → Unicode; unknown ones, and any inside a web address, stay. */
/** @param {string} s */
export function emojify(s) {
  return s.replace(ADDRESS_OR_SHORTCODE, (all, address, name) =>
    address !== undefined ? all : (emojiFor(name) ?? all),
  );
}

/** The emoji of a shortcode's name, if the table has it (only its own entries: not `constructor`). */
/** @param {unknown} name */
export function emojiFor(name) {
  return typeof name === 'string' && Object.hasOwn(EMOJI, name) ? EMOJI[name] : undefined;
}
