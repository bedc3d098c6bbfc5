import type { Catalog, RoleEntry } from './catalog.js';
import { editDistance, normalizeKey } from './text-match.js';

/**
 * Roles ranked by what someone has typed so far, for a menu that fills itself as they type (the
 * "Look up a competency" shortcut's role menu). Everything that does not depend on the typed text —
 * each role's normalized name, id and aliases, the first letters of its words — is worked out once
 * per catalog, so ranking is one pass over the roles with a few string comparisons each: well under
 * a millisecond for 500 frameworks.
 */

/** How well a role matches, best first; within a rank, roles keep the catalog's order (by name). */
const Rank = {
  /** The typed text is the role's name, id or one of its aliases. */
  exact: 0,
  /** The name (or id) starts with it: `sol` → Solutions Architect. */
  namePrefix: 1,
  /** An alias starts with it, or the first letters of the name's words do: `sa`. */
  aliasPrefix: 2,
  /** A later word of the name starts with it: `arch` → Solutions Architect. */
  wordPrefix: 3,
  /** Each typed word starts a word of the name, in order: `sol arch`. */
  wordsPrefix: 4,
  /** It appears inside the name. */
  inside: 5,
  /** The start of the name is the typed text with a typo or two. */
  typo: 6,
} as const;

type RoleMatch = {
  role: RoleEntry;
  rank: number;
};

export type RoleRanking = {
  /** The best matches, at most `limit`. */
  matches: RoleMatch[];
  /** How many roles matched in all (more than `matches` when the list was cut at `limit`). */
  total: number;
};

type PreparedRole = {
  role: RoleEntry;
  /** Normalized name and id, e.g. `solutions-architect`. */
  names: string[];
  aliases: string[];
  /** The name's words after the first, e.g. `architect`. */
  laterWords: string[];
  /** The name's words, for `sol arch`. */
  words: string[];
  /** First letters of the name's words, e.g. `sa`. */
  initials: string;
};

/** Typos allowed for a typed text of this length: none for short texts, which match too much. */
function typosFor(length: number): number {
  return length < 4 ? 0 : length <= 8 ? 1 : 2;
}

export class RoleOptions {
  readonly #roles: PreparedRole[];
  readonly #byId = new Map<string, RoleEntry>();

  constructor(roles: readonly RoleEntry[]) {
    for (const role of roles) this.#byId.set(role.id, role);
    this.#roles = roles.map((role) => {
      const words = normalizeKey(role.name)
        .split('-')
        .filter((w) => w !== '');
      return {
        role,
        names: unique([normalizeKey(role.name), normalizeKey(role.id)]),
        aliases: unique(role.aliases.map(normalizeKey)),
        laterWords: words.slice(1),
        words,
        initials: words.map((w) => w.charAt(0)).join(''),
      };
    });
  }

  /** How many roles there are. */
  get size(): number {
    return this.#roles.length;
  }

  /** The role with this id. */
  get(id: string): RoleEntry | undefined {
    return this.#byId.get(id);
  }

  /**
   * The roles that match `typed`, best first, at most `limit`; all roles (by name) when nothing
   * is typed. Typing is forgiven as in commands: case, accents, spaces, `-` and `_`.
   */
  rank(typed: string, limit: number): RoleRanking {
    const query = normalizeKey(typed.slice(0, 200));
    if (query === '') {
      return {
        matches: this.#roles.slice(0, limit).map(({ role }) => ({ role, rank: Rank.exact })),
        total: this.#roles.length,
      };
    }
    const queryWords = query.split('-');
    const typos = typosFor(query.length);
    const found: RoleMatch[] = [];
    for (const prepared of this.#roles) {
      const rank = rankOf(prepared, query, queryWords, typos);
      if (rank !== undefined) found.push({ role: prepared.role, rank });
    }
    // Array.prototype.sort is stable: equal ranks stay in catalog order.
    found.sort((a, b) => a.rank - b.rank);
    return { matches: found.slice(0, Math.max(0, limit)), total: found.length };
  }
}

function rankOf(
  r: PreparedRole,
  query: string,
  queryWords: readonly string[],
  typos: number,
): number | undefined {
  if (r.names.includes(query) || r.aliases.includes(query)) return Rank.exact;
  if (r.names.some((n) => n.startsWith(query))) return Rank.namePrefix;
  if (r.aliases.some((a) => a.startsWith(query)) || (query.length >= 2 && r.initials === query)) {
    return Rank.aliasPrefix;
  }
  if (r.laterWords.some((w) => w.startsWith(query))) return Rank.wordPrefix;
  if (queryWords.length > 1 && wordsInOrder(queryWords, r.words)) return Rank.wordsPrefix;
  if (query.length >= 3 && r.names.some((n) => n.includes(query))) return Rank.inside;
  if (typos > 0) {
    for (const name of r.names) {
      // The start of the name as long as the typed text, give or take the typos allowed.
      for (let extra = -typos; extra <= typos; extra++) {
        const start = name.slice(0, query.length + extra);
        if (start.length > 0 && editDistance(query, start, typos) <= typos) return Rank.typo;
      }
    }
  }
  return undefined;
}

/** Whether each typed word starts a word of the name, the typed words in the name's order. */
function wordsInOrder(typed: readonly string[], words: readonly string[]): boolean {
  let at = 0;
  for (const t of typed) {
    while (at < words.length && !(words[at] ?? '').startsWith(t)) at++;
    if (at === words.length) return false;
    at++;
  }
  return true;
}

function unique(keys: string[]): string[] {
  return [...new Set(keys.filter((k) => k !== ''))];
}

/** One ranking per catalog, built the first time it is asked for. */
const byCatalog = new WeakMap<Catalog, RoleOptions>();

export function roleOptionsOf(catalog: Catalog): RoleOptions {
  let options = byCatalog.get(catalog);
  if (!options) {
    options = new RoleOptions(catalog.roles());
    byCatalog.set(catalog, options);
  }
  return options;
}
