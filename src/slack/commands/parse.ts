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
  if (first === 'team') {
    return { kind: 'team', team: parseTeamRequest(trimmed.slice(first.length)), query: trimmed };
  }
  return { kind: 'show', query: trimmed };
}
