import { editDistance } from '../frameworks/text-match.js';

/**
 * What the person asked for with `/competency <text>`. The first word picks a subcommand;
 * anything else is a framework lookup, e.g. `solutions-architect senior`.
 */
export type CompetencyRequest =
  | { kind: 'help' }
  /** `list [page]`: a page of the frameworks, from 1 (`list` alone is the first). */
  | { kind: 'list'; page: number }
  /** `find <words>` (or `search`, or `list <words>`): frameworks and competencies with those words. */
  | { kind: 'find'; query: string }
  | { kind: 'history' }
  | { kind: 'share' }
  | { kind: 'export' }
  | { kind: 'forget' }
  | { kind: 'compare'; query: string }
  /** `query`: the whole text, for a role whose name begins with "team" (`team lead senior`). */
  | { kind: 'team'; team: TeamRequest; query: string }
  /** `ask @someone`: ask a colleague to rate you against your latest assessment. */
  | { kind: 'ask'; target: AskTarget }
  /** `reviews`: the reviews you asked for, with Withdraw and See the comparison. */
  | { kind: 'reviews' }
  /** `shares`: whom you share with (1:1 summary, Take back), and who shares with them (Open). */
  | { kind: 'shares' }
  | { kind: 'admin' }
  | { kind: 'show'; query: string };

/**
 * Whom `ask` names: nobody (then the app explains and lists the person's requests); one user, as
 * Slack sends a mention picked from its list (`<@U0123|name>` or `<@U0123>`) or a bare user id; a
 * name typed as plain text (`@name`), which the app cannot resolve without reading the workspace's
 * member list; or something else.
 */
export type AskTarget =
  | { kind: 'none' }
  | { kind: 'user'; id: string; name?: string }
  | { kind: 'handle'; handle: string }
  | { kind: 'unknown' };

const USER_MENTION = /^<@([UW][A-Z0-9]{2,30})(?:\|([^<>|]{0,80}))?>$/;
const USER_ID = /^[UW][A-Z0-9]{2,30}$/;

/** What follows `ask`. */
export function parseAskTarget(text: string): AskTarget {
  const rest = text.trim();
  if (rest === '') return { kind: 'none' };
  const mention = USER_MENTION.exec(rest);
  if (mention?.[1]) {
    const name = mention[2]?.trim().replace(/^@/, '');
    return { kind: 'user', id: mention[1], ...(name ? { name } : {}) };
  }
  if (USER_ID.test(rest)) return { kind: 'user', id: rest };
  const handle = HANDLE.exec(rest);
  if (handle?.[1]) return { kind: 'handle', handle: handle[1] };
  return { kind: 'unknown' };
}

/**
 * Whose team view: the channel the command was typed in; a user group, as Slack sends a mention
 * picked from its list (`<!subteam^S0123|@devs>`) or its bare id; a handle typed as plain text
 * (`@devs`, which the app looks up among the workspace's user groups); or something else.
 */
export type TeamRequest =
  | { kind: 'channel' }
  | { kind: 'group'; id: string; label: string }
  | { kind: 'handle'; handle: string }
  | { kind: 'unknown' };

const SUBTEAM_MENTION = /^<!subteam\^([A-Z0-9]{2,30})(?:\|([^<>]{0,100}))?>$/;
const SUBTEAM_ID = /^S[A-Z0-9]{2,30}$/;
const HANDLE = /^@([a-z0-9][a-z0-9._-]{0,79})$/i;

/** What follows `team`: nothing (this channel), one user group, or something the app cannot use. */
export function parseTeamRequest(text: string): TeamRequest {
  const rest = text.trim();
  if (rest === '') return { kind: 'channel' };
  const mention = SUBTEAM_MENTION.exec(rest);
  if (mention?.[1]) {
    const name = mention[2]?.trim();
    return {
      kind: 'group',
      id: mention[1],
      label: name ? (name.startsWith('@') ? name : `@${name}`) : 'this user group',
    };
  }
  if (SUBTEAM_ID.test(rest)) return { kind: 'group', id: rest, label: 'this user group' };
  const handle = HANDLE.exec(rest);
  if (handle?.[1]) return { kind: 'handle', handle: handle[1].toLowerCase() };
  return { kind: 'unknown' };
}

/**
 * What the person typed, from the text Slack sends: Slack writes a typed `&`, `<` and `>` as `&amp;`,
 * `&lt;` and `&gt;` (its own markup, such as a mention, stays as it is), so a search for
 * `Problem Solving & Decision Making` arrives as `…&amp;…`.
 */
export function typedText(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_all, entity: string) =>
    entity === 'amp' ? '&' : entity === 'lt' ? '<' : '>',
  );
}

export function parseCompetencyText(text: string): CompetencyRequest {
  const request = parseRaw(text);
  // Words to look up are what the person typed; mentions (ask, team) are read as Slack sends them.
  switch (request.kind) {
    case 'find':
    case 'compare':
    case 'show':
      return { ...request, query: typedText(request.query) };
    case 'team':
      return { ...request, query: typedText(request.query) };
    default:
      return request;
  }
}

function parseRaw(text: string): CompetencyRequest {
  const trimmed = text.trim();
  const first = trimmed.split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  if (first === '' || first === 'help' || first === '?' || first === '-h' || first === '--help') {
    return { kind: 'help' };
  }
  if (first === 'list' || first === 'ls') {
    const rest = trimmed.slice(first.length).trim();
    if (rest === '') return { kind: 'list', page: 1 };
    // `list 3`, `list page 3`, `list p3`: that page. Any other words are a search.
    const page = /^(?:page\s*|p\s*|#)?(\d{1,6})$/i.exec(rest)?.[1];
    return page === undefined ? { kind: 'find', query: rest } : { kind: 'list', page: Number(page) };
  }
  if (first === 'find' || first === 'search') {
    return { kind: 'find', query: trimmed.slice(first.length).trim() };
  }
  if (first === 'history') return { kind: 'history' };
  if (first === 'share') return { kind: 'share' };
  if (first === 'export') return { kind: 'export' };
  if (first === 'forget') return { kind: 'forget' };
  if (first === 'compare') return { kind: 'compare', query: trimmed.slice(first.length).trim() };
  if (first === 'ask') return { kind: 'ask', target: parseAskTarget(trimmed.slice(first.length)) };
  if (first === 'reviews') return { kind: 'reviews' };
  if (first === 'shares') return { kind: 'shares' };
  if (first === 'admin') return { kind: 'admin' };
  if (first === 'team') {
    return { kind: 'team', team: parseTeamRequest(trimmed.slice(first.length)), query: trimmed };
  }
  return { kind: 'show', query: trimmed };
}

/** The first words of the subcommands (the aliases `ls`, `?`, `-h` are too short to be mistyped). */
const SUBCOMMANDS = [
  'help',
  'list',
  'find',
  'search',
  'history',
  'reviews',
  'compare',
  'share',
  'shares',
  'export',
  'forget',
  'ask',
  'team',
  'admin',
] as const;

/** A subcommand the person may have meant: the command corrected, as they would type it, and what it asks. */
export type CommandSuggestion = {
  /** `find x`: the text after `/competency`, with the first word corrected, as the person typed the rest. */
  text: string;
  request: CompetencyRequest;
};

/**
 * The subcommand a mistyped first word stands for: `hlep` → `help`, `fnid x` → `find x`, `hist` →
 * `history`. Close means the start of a subcommand (four letters or more), or one typo in a word of
 * up to four letters, two in a longer one (a swap of two neighbouring letters is one). Undefined when
 * the first word is a subcommand already, or nothing is that close. The caller decides whether the
 * text is rather a role (the catalog's lookup comes first).
 */
export function suggestSubcommand(text: string): CommandSuggestion | undefined {
  const trimmed = text.trim();
  const first = trimmed.split(/\s+/, 1)[0] ?? '';
  const word = first.toLowerCase();
  if (word.length < 3 || word.length > 12 || !/^[a-z]+$/.test(word)) return undefined;
  if ((SUBCOMMANDS as readonly string[]).includes(word)) return undefined;
  const allowed = word.length <= 4 ? 1 : 2;
  let best: (typeof SUBCOMMANDS)[number] | undefined;
  let bestDistance = allowed + 1;
  for (const name of SUBCOMMANDS) {
    const distance = word.length >= 4 && name.startsWith(word) ? 0 : editDistance(word, name, allowed);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  if (best === undefined) return undefined;
  const corrected = `${best}${trimmed.slice(first.length)}`;
  const request = parseCompetencyText(corrected);
  // Not a correction that would only be told it is wrong: `team` or `ask` followed by words that
  // name no group or person (`tema lead senior` is more likely a role than a team).
  if (request.kind === 'team' && request.team.kind === 'unknown') return undefined;
  if (request.kind === 'ask' && request.target.kind === 'unknown') return undefined;
  return { text: typedText(corrected), request };
}

/**
 * Mentions as a person reads them, for showing a command in text: `<@U0123|sam>` → `@sam`,
 * `<!subteam^S0123|@devs>` → `@devs`, a mention without a name → `@name` / `@group`.
 */
export function readableMentions(text: string): string {
  return text
    .replace(/<@[UW][A-Z0-9]+(?:\|([^<>|]*))?>/g, (_all, name?: string) =>
      name ? `@${name.replace(/^@/, '')}` : '@name',
    )
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^<>]*))?>/g, (_all, name?: string) =>
      name ? `@${name.replace(/^@/, '')}` : '@group',
    );
}
