// @ts-check
/**
 * The @ list of the sandbox's message box, as pure functions (no DOM, so vitest runs them too): which
 * `@…` is being typed, which people and user groups of the workspace match it, and the text the app is
 * sent. In the box a picked person reads `@Sam Rivera` and a user group `@sample-team`; the app gets
 * what Slack sends for a mention picked from its list: `<@U0123|Sam Rivera>` and
 * `<!subteam^S0123|@sample-team>`. Only what was picked becomes a mention: a name typed out by hand
 * stays text, as it does in a Slack slash command.
 */

/**
 * @typedef {{ id: string, name: string }} Person
 * @typedef {{ id: string, handle: string, name: string, count?: number }} UserGroup
 * @typedef {{ kind: 'person', id: string, name: string } | { kind: 'group', id: string, handle: string, name: string, count?: number }} Mentionable
 */

/** How many matches the list shows at most. */
export const MAX_MATCHES = 8;
/** The longest `@…` the list follows; past it (or after a space that matches nobody) it closes. */
const MAX_QUERY = 40;

/** @param {Mentionable} m */
export function mentionLabel(m) {
  return m.kind === 'person' ? `@${m.name}` : `@${m.handle}`;
}

/** A label inside Slack's `<…|label>`: Slack's three entities escaped, no `|`, at most 80 characters. */
/** @param {string} s */
function slackLabel(s) {
  return s
    .replaceAll('|', '')
    .slice(0, 80)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/** What Slack sends for a mention picked from its list. @param {Mentionable} m */
export function slackMention(m) {
  return m.kind === 'person'
    ? `<@${m.id}|${slackLabel(m.name)}>`
    : `<!subteam^${m.id}|${slackLabel(`@${m.handle}`)}>`;
}

/**
 * The `@…` typed just before the caret, if any: where its `@` is and what follows it. An `@` counts at
 * the start or after a space (not in an e-mail address); the list closes once a space ends what is typed.
 * @param {string} text @param {number} caret
 * @returns {{ start: number, query: string } | undefined}
 */
export function mentionAt(text, caret) {
  const before = text.slice(0, caret);
  const start = before.lastIndexOf('@');
  if (start === -1) return undefined;
  if (start > 0 && !/\s/.test(before[start - 1] ?? '')) return undefined;
  const query = before.slice(start + 1);
  if (query.length > MAX_QUERY || /\n|\s$|[@<>]/.test(query)) return undefined;
  return { start, query };
}

/** Whether `query` begins the text or one of its words. @param {string} text @param {string} query */
function begins(text, query) {
  const t = text.toLowerCase();
  return t.startsWith(query) || t.split(/[\s._-]+/).some((word) => word.startsWith(query));
}

/**
 * The people, then the user groups, that match what was typed after `@` (case aside: the start of a
 * name, of one of its words, or of a group's handle), at most MAX_MATCHES.
 * @param {string} query @param {readonly Person[]} people @param {readonly UserGroup[]} groups
 * @returns {Mentionable[]}
 */
export function matchMentionables(query, people, groups) {
  const q = query.trim().toLowerCase();
  /** @type {Mentionable[]} */
  const found = [];
  for (const p of people) {
    if (q === '' || begins(p.name, q)) found.push({ kind: 'person', id: p.id, name: p.name });
  }
  for (const g of groups) {
    if (q === '' || begins(g.handle, q) || begins(g.name, q)) found.push({ kind: 'group', ...g });
  }
  return found.slice(0, MAX_MATCHES);
}

/** @param {string} s */
const literally = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `&`, `<` and `>` as Slack writes them in the text of a command or message it sends on. @param {string} s */
const escapeSlack = (s) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * The text the app is sent, as Slack sends what someone typed: each picked mention still in the box
 * as Slack writes it, and the rest with `&`, `<` and `>` escaped (`&amp;`, `&lt;`, `&gt;`). A label
 * counts only whole (not the start of a longer word).
 * @param {string} text @param {readonly Mentionable[]} picked
 */
export function toSlackText(text, picked) {
  /** @type {Map<string, Mentionable>} */
  const byLabel = new Map();
  for (const m of picked) byLabel.set(mentionLabel(m), m);
  if (byLabel.size === 0) return escapeSlack(text);
  const labels = [...byLabel.keys()].sort((a, b) => b.length - a.length).map(literally);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${labels.join('|')})(?![\\p{L}\\p{N}_-])`, 'gu');
  let out = '';
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const m = byLabel.get(match[0]);
    out += escapeSlack(text.slice(last, match.index)) + (m ? slackMention(m) : escapeSlack(match[0]));
    last = match.index + match[0].length;
  }
  return out + escapeSlack(text.slice(last));
}

/**
 * Back from what was sent (a line of the box's history) to what the box shows, with its mentions
 * picked again: those of people and groups of this workspace; any other stays as readable text.
 * @param {string} text @param {readonly Person[]} people @param {readonly UserGroup[]} groups
 * @returns {{ text: string, picked: Mentionable[] }}
 */
export function fromSlackText(text, people, groups) {
  /** @type {Mentionable[]} */
  const picked = [];
  const unescapeSlack = (/** @type {string} */ s) =>
    s.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  const readable = text.replace(
    /<@([UW][A-Z0-9]+)(?:\|([^<>|]*))?>|<!subteam\^(S[A-Z0-9]+)(?:\|([^<>|]*))?>|&(amp|lt|gt);/g,
    (_all, userId, userLabel, groupId, groupLabel, entity) => {
      if (entity) return entity === 'amp' ? '&' : entity === 'lt' ? '<' : '>';
      if (userId) {
        const person = people.find((p) => p.id === userId);
        if (person) picked.push({ kind: 'person', id: person.id, name: person.name });
        return `@${person?.name ?? unescapeSlack(userLabel ?? userId)}`;
      }
      const group = groups.find((g) => g.id === groupId);
      if (group) picked.push({ kind: 'group', ...group });
      return group ? `@${group.handle}` : `@${unescapeSlack(groupLabel ?? groupId).replace(/^@/, '')}`;
    },
  );
  return { text: readable, picked };
}
