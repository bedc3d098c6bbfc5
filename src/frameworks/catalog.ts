import type { Framework, Level } from './schema.js';

/**
 * The frameworks in memory, and the forgiving lookup behind `/competency <role> <level> [domain]`.
 * Everything is precomputed when the catalog is built, so a lookup is a few map reads.
 */

export type Suggestion = {
  /** What to show, e.g. "Senior". */
  label: string;
  /** The corrected full text to type after /competency, e.g. "solutions-architect senior". */
  query: string;
};

export type LookupResult =
  | { kind: 'found'; framework: Framework; level: Level }
  | { kind: 'empty' }
  | { kind: 'unknown-role'; input: string; suggestions: Suggestion[] }
  | { kind: 'missing-level'; framework: Framework }
  | { kind: 'unknown-level'; framework: Framework; input: string; suggestions: Suggestion[] }
  | { kind: 'missing-domain'; roleName: string; frameworks: Framework[]; suggestions: Suggestion[] }
  | {
      kind: 'unknown-domain';
      roleName: string;
      input: string;
      frameworks: Framework[];
      suggestions: Suggestion[];
    };

/** One role with all its frameworks (one per domain), sorted by domain name. */
export type RoleEntry = {
  id: string;
  name: string;
  aliases: string[];
  frameworks: Framework[];
};

/** The most suggestions a lookup returns. */
const MAX_SUGGESTIONS = 3;

/**
 * The form every id, name, alias and typed word is compared in: lower case, no accents,
 * spaces, underscores and runs of hyphens turned into one hyphen, anything else dropped.
 * `"Solutions  Architect"` → `"solutions-architect"`, `"solution_architect"` → `"solution-architect"`.
 */
export function normalizeKey(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[\s_]+/g, '-')
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Every normalized way to name a role, level or domain: its id, its name and its aliases. */
export function keysOf(item: { id: string; name: string; aliases: readonly string[] }): string[] {
  const keys = [item.id, item.name, ...item.aliases].map(normalizeKey).filter((k) => k !== '');
  return [...new Set(keys)];
}

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of two neighbouring
 * letters (the "optimal string alignment" form of Damerau–Levenshtein).
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rows of the usual table are enough: the one before last, the last, and the current.
  let before: number[] = [];
  let last: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((last[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (last[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      }
      current.push(best);
    }
    before = last;
    last = current;
  }
  return last[b.length] ?? 0;
}

/**
 * How close a typed key is to a known key: 0 is the same, 0.5 is "the start of it",
 * 1, 2, 3 are typos. Undefined when it is too far to be worth suggesting.
 * Longer words may carry more typos.
 */
function closeness(typed: string, known: string): number | undefined {
  if (typed === known) return 0;
  if (typed.length >= 2 && known.startsWith(typed)) return 0.5;
  const allowed = typed.length <= 1 ? 0 : typed.length <= 4 ? 1 : typed.length <= 8 ? 2 : 3;
  const distance = editDistance(typed, known);
  return distance <= allowed ? distance : undefined;
}

type Candidate<T> = { key: string; target: T };

/** The targets whose keys are closest to any of the typed keys, best first, at most `max`. */
function closest<T>(
  typed: readonly string[],
  candidates: readonly Candidate<T>[],
  max = MAX_SUGGESTIONS,
): T[] {
  const best = new Map<T, number>();
  for (const { key, target } of candidates) {
    for (const t of typed) {
      const score = closeness(t, key);
      if (score === undefined) continue;
      const previous = best.get(target);
      if (previous === undefined || score < previous) best.set(target, score);
    }
  }
  // Map keeps insertion order, so equal scores stay in catalog order (the sort is stable).
  return [...best.entries()]
    .sort((a, b) => a[1] - b[1])
    .slice(0, max)
    .map(([target]) => target);
}

/** A word the user typed: where it is in the text, and its normalized form. */
type Word = { key: string; start: number; end: number };

/**
 * Splits typed text into words at spaces, hyphens, underscores and light punctuation
 * (a dot too, so a framework id such as `solutions-architect.e-commerce` reads as role and domain).
 */
function splitWords(text: string): Word[] {
  const words: Word[] = [];
  for (const match of text.matchAll(/[^\s\-_,;:./|]+/g)) {
    const key = normalizeKey(match[0]);
    if (key !== '') words.push({ key, start: match.index, end: match.index + match[0].length });
  }
  return words;
}

const joinKeys = (words: readonly Word[], from: number, to: number): string =>
  words
    .slice(from, to)
    .map((w) => w.key)
    .join('-');

/** The text the user typed for a run of words, exactly as typed. */
function typedText(text: string, words: readonly Word[]): string {
  const first = words[0];
  const last = words[words.length - 1];
  return first && last ? text.slice(first.start, last.end) : '';
}

/** Ids, names and aliases are at most 60 characters (schema.ts), so at most 30 words. */
const MAX_KEY_WORDS = 30;

/**
 * The longest run of words starting at `from` that `get` recognises (a multi-word name such as
 * "solutions architect" or "lead principal" wins over a one-word alias).
 */
function longestMatch<T>(
  words: readonly Word[],
  from: number,
  get: (key: string) => T | undefined,
): { end: number; value: T } | undefined {
  // No id, name or alias is longer than 60 characters, so none has more than 30 words: looking
  // further would only make a long typed text cost time that grows with its length cubed.
  for (let end = Math.min(words.length, from + MAX_KEY_WORDS); end > from; end--) {
    const value = get(joinKeys(words, from, end));
    if (value !== undefined) return { end, value };
  }
  return undefined;
}

/** What the catalog knows about one role, prepared for lookups. */
type RoleIndex = {
  entry: RoleEntry;
  domainByKey: Map<string, Framework>;
  domainCandidates: Candidate<Framework>[];
  /** Level keys of any of the role's frameworks. */
  levelKeys: Set<string>;
  levelCandidates: Candidate<string>[];
};

/** What came after the role: a level, a domain, and words that were neither. */
type RoleTail = {
  levelKey?: string;
  levelWords: Word[];
  domain?: Framework;
  /** Runs of unrecognised words, each run as typed. */
  unknown: Word[][];
};

/** How many recent lookups the catalog remembers (answers are small; the texts are at most 200 characters). */
const RECENT_LOOKUPS = 1000;

export class Catalog {
  /** Sorted by role name, then domain name. */
  readonly frameworks: readonly Framework[];
  readonly #byId = new Map<string, Framework>();
  readonly #recent = new Map<string, LookupResult>();
  readonly #roles: RoleIndex[] = [];
  readonly #roleByKey = new Map<string, RoleIndex>();
  readonly #roleCandidates: Candidate<RoleIndex>[] = [];
  /** Per framework id: level key → level. */
  readonly #levelsByFramework = new Map<string, Map<string, Level>>();
  readonly #levelCandidatesByFramework = new Map<string, Candidate<Level>[]>();
  /** Level and domain keys of every framework, to tell where a mistyped role ends. */
  readonly #tailKeys = new Set<string>();

  constructor(frameworks: readonly Framework[]) {
    this.frameworks = [...frameworks].sort(
      (a, b) => compareText(a.role.name, b.role.name) || compareText(a.domain.name, b.domain.name),
    );

    const rolesById = new Map<string, RoleIndex>();
    for (const f of this.frameworks) {
      this.#byId.set(f.id, f);

      const levels = new Map<string, Level>();
      const levelCandidates: Candidate<Level>[] = [];
      for (const level of f.levels) {
        for (const key of keysOf(level)) {
          if (!levels.has(key)) levels.set(key, level);
          levelCandidates.push({ key, target: level });
          this.#tailKeys.add(key);
        }
      }
      this.#levelsByFramework.set(f.id, levels);
      this.#levelCandidatesByFramework.set(f.id, levelCandidates);

      let role = rolesById.get(f.role.id);
      if (!role) {
        role = {
          entry: { id: f.role.id, name: f.role.name, aliases: [], frameworks: [] },
          domainByKey: new Map(),
          domainCandidates: [],
          levelKeys: new Set(),
          levelCandidates: [],
        };
        rolesById.set(f.role.id, role);
        this.#roles.push(role);
      }
      role.entry.frameworks.push(f);
      for (const alias of f.role.aliases) {
        if (!role.entry.aliases.includes(alias)) role.entry.aliases.push(alias);
      }
      for (const key of keysOf(f.role)) {
        // The first role to claim a key keeps it (the loader reports such clashes).
        if (!this.#roleByKey.has(key)) this.#roleByKey.set(key, role);
        this.#roleCandidates.push({ key, target: role });
      }
      for (const key of keysOf(f.domain)) {
        if (!role.domainByKey.has(key)) role.domainByKey.set(key, f);
        role.domainCandidates.push({ key, target: f });
        this.#tailKeys.add(key);
      }
      for (const [key, level] of levels) {
        role.levelKeys.add(key);
        role.levelCandidates.push({ key, target: level.id });
      }
    }
  }

  get(id: string): Framework | undefined {
    return this.#byId.get(id);
  }

  /** The roles, by name, each with its frameworks (one per domain). */
  roles(): RoleEntry[] {
    return this.#roles.map((r) => ({ ...r.entry, frameworks: [...r.entry.frameworks] }));
  }

  /** Finds the framework and level for what the user typed after `/competency`. */
  lookup(text: string): LookupResult {
    // The catalog never changes, and most people type the same few things: remember recent answers.
    const known = this.#recent.get(text);
    if (known) return known;
    const result = this.#lookup(text);
    if (text.length <= 200) {
      if (this.#recent.size >= RECENT_LOOKUPS) this.#recent.clear();
      this.#recent.set(text, result);
    }
    return result;
  }

  #lookup(text: string): LookupResult {
    const words = splitWords(text);
    if (words.length === 0) return { kind: 'empty' };

    const roleMatch = longestMatch(words, 0, (key) => this.#roleByKey.get(key));
    if (!roleMatch) return this.#unknownRole(text, words);

    const role = roleMatch.value;
    const tail = this.#readTail(role, words.slice(roleMatch.end));
    return this.#resolve(text, role, tail);
  }

  /** Reads level and domain, in either order, from the words after the role. */
  #readTail(role: RoleIndex, words: Word[]): RoleTail {
    const tail: RoleTail = { levelWords: [], unknown: [] };
    let run: Word[] = [];
    const endRun = () => {
      if (run.length > 0) tail.unknown.push(run);
      run = [];
    };
    let i = 0;
    while (i < words.length) {
      const asLevel =
        tail.levelKey === undefined
          ? longestMatch(words, i, (key) => (role.levelKeys.has(key) ? key : undefined))
          : undefined;
      const asDomain =
        tail.domain === undefined ? longestMatch(words, i, (key) => role.domainByKey.get(key)) : undefined;
      if (asLevel && (!asDomain || asLevel.end >= asDomain.end)) {
        endRun();
        tail.levelKey = asLevel.value;
        tail.levelWords = words.slice(i, asLevel.end);
        i = asLevel.end;
      } else if (asDomain) {
        endRun();
        tail.domain = asDomain.value;
        i = asDomain.end;
      } else {
        const word = words[i];
        if (word) run.push(word);
        i++;
      }
    }
    endRun();
    return tail;
  }

  #resolve(text: string, role: RoleIndex, tail: RoleTail): LookupResult {
    const { entry } = role;
    const only = entry.frameworks.length === 1 ? entry.frameworks[0] : undefined;
    const framework = tail.domain ?? only;
    const unknownInput = tail.unknown.map((run) => typedText(text, run)).join(' ');
    const unknownKeys = unknownKeysOf(tail.unknown);
    // Name the domain in suggested queries when the role has several, or when the user typed one.
    const withDomain = entry.frameworks.length > 1 || tail.domain !== undefined;

    if (!framework) {
      // Several domains, none recognised.
      if (tail.unknown.length === 0) return this.#missingDomain(role, tail.levelKey);
      const domains = closest(unknownKeys, role.domainCandidates);
      const levelGuess =
        tail.levelKey === undefined ? closest(unknownKeys, role.levelCandidates, 1)[0] : undefined;
      if (levelGuess !== undefined && domains.length === 0) {
        // The stray word looks like a misspelled level: ask for the domain, with the level corrected.
        return this.#missingDomain(role, levelGuess);
      }
      return {
        kind: 'unknown-domain',
        roleName: entry.name,
        input: unknownInput,
        frameworks: [...entry.frameworks],
        suggestions: this.#domainSuggestions(role, domains, tail.levelKey),
      };
    }

    if (tail.levelKey === undefined) {
      if (tail.unknown.length === 0) return { kind: 'missing-level', framework };
      return this.#unknownLevel(role, framework, unknownInput, unknownKeys, withDomain);
    }

    const level = this.#levelsByFramework.get(framework.id)?.get(tail.levelKey);
    if (!level) {
      // A level of another domain of this role, not of this one.
      const input = typedText(text, tail.levelWords);
      return this.#unknownLevel(role, framework, input, [tail.levelKey], withDomain);
    }
    if (tail.unknown.length > 0) {
      // Role and level are clear; the extra words must have been meant as the domain.
      return {
        kind: 'unknown-domain',
        roleName: entry.name,
        input: unknownInput,
        frameworks: [...entry.frameworks],
        suggestions: this.#domainSuggestions(
          role,
          closest(unknownKeys, role.domainCandidates),
          tail.levelKey,
        ),
      };
    }
    return { kind: 'found', framework, level };
  }

  #missingDomain(role: RoleIndex, levelKey: string | undefined): LookupResult {
    return {
      kind: 'missing-domain',
      roleName: role.entry.name,
      frameworks: [...role.entry.frameworks],
      suggestions: this.#domainSuggestions(role, role.entry.frameworks, levelKey),
    };
  }

  /** One suggestion per domain (all of them when none is close), keeping the level if known. */
  #domainSuggestions(role: RoleIndex, close: Framework[], levelKey: string | undefined): Suggestion[] {
    const domains = close.length > 0 ? close : role.entry.frameworks.slice(0, MAX_SUGGESTIONS);
    return domains.map((f) => {
      const level = levelKey === undefined ? undefined : this.#levelsByFramework.get(f.id)?.get(levelKey);
      return { label: f.domain.name, query: queryOf(role.entry.id, level?.id, f.domain.id) };
    });
  }

  #unknownLevel(
    role: RoleIndex,
    framework: Framework,
    input: string,
    typedKeys: string[],
    withDomain: boolean,
  ): LookupResult {
    const close = closest(typedKeys, this.#levelCandidatesByFramework.get(framework.id) ?? []);
    const levels = close.length > 0 ? close : framework.levels;
    const domain = withDomain ? framework.domain.id : undefined;
    return {
      kind: 'unknown-level',
      framework,
      input,
      suggestions: levels.map((level) => ({
        label: level.name,
        query: queryOf(role.entry.id, level.id, domain),
      })),
    };
  }

  #unknownRole(text: string, words: Word[]): LookupResult {
    // Where the recognised level/domain words at the end begin: the role is what comes before.
    let tailStart = words.length;
    for (let s = words.length - 1; s >= 0; s--) {
      if (!this.#isAllTailKeys(words.slice(s))) break;
      tailStart = s;
    }

    // Try the first 1, 2, … words as the role; keep the closest role names.
    const found = new Map<RoleIndex, { score: number; end: number }>();
    for (let end = 1; end <= Math.max(tailStart, 1); end++) {
      const typed = joinKeys(words, 0, end);
      for (const { key, target } of this.#roleCandidates) {
        const score = closeness(typed, key);
        if (score === undefined) continue;
        const previous = found.get(target);
        if (!previous || score < previous.score || (score === previous.score && end > previous.end)) {
          found.set(target, { score, end });
        }
      }
    }
    const ranked = [...found.entries()].sort((a, b) => a[1].score - b[1].score).slice(0, MAX_SUGGESTIONS);

    const suggestions = ranked.map(([role, { end }]) => this.#roleSuggestion(role, words.slice(end)));
    if (suggestions.length === 0 && tailStart === 0) {
      // Only a level or domain was typed: offer the roles that have it.
      for (const role of this.#roles) {
        if (suggestions.length >= MAX_SUGGESTIONS) break;
        const suggestion = this.#roleSuggestion(role, words);
        if (suggestion.query !== role.entry.id) suggestions.push(suggestion);
      }
    }
    const roleWords = words.slice(0, tailStart > 0 ? tailStart : words.length);
    return { kind: 'unknown-role', input: typedText(text, roleWords), suggestions };
  }

  /** A suggestion for `role`, keeping the level and domain the user typed when this role has them. */
  #roleSuggestion(role: RoleIndex, rest: Word[]): Suggestion {
    const tail = this.#readTail(role, rest);
    const framework = tail.domain ?? role.entry.frameworks.find((f) => this.#hasLevel(f, tail.levelKey));
    const level =
      tail.levelKey === undefined || !framework
        ? undefined
        : this.#levelsByFramework.get(framework.id)?.get(tail.levelKey);
    return { label: role.entry.name, query: queryOf(role.entry.id, level?.id, tail.domain?.domain.id) };
  }

  #hasLevel(framework: Framework, levelKey: string | undefined): boolean {
    return levelKey !== undefined && (this.#levelsByFramework.get(framework.id)?.has(levelKey) ?? false);
  }

  /** True when the words read entirely as level and domain names. */
  #isAllTailKeys(words: Word[]): boolean {
    let i = 0;
    while (i < words.length) {
      const match = longestMatch(words, i, (key) => (this.#tailKeys.has(key) ? key : undefined));
      if (!match) return false;
      i = match.end;
    }
    return true;
  }
}

/** The keys to compare unknown words by: all of them together, and each run on its own. */
function unknownKeysOf(runs: readonly Word[][]): string[] {
  const each = runs.map((run) => joinKeys(run, 0, run.length));
  return [...new Set([each.join('-'), ...each])].filter((k) => k !== '');
}

function queryOf(roleId: string, levelId: string | undefined, domainId: string | undefined): string {
  return [roleId, levelId, domainId].filter((part) => part !== undefined).join(' ');
}

function compareText(a: string, b: string): number {
  return a.localeCompare(b, 'en', { sensitivity: 'base' });
}
