import type { Framework, Level } from './schema.js';
import {
  byCloseness,
  type Candidate,
  type Closeness,
  closeness,
  compareSorted,
  compareText,
  joinKeys,
  keysOf,
  type LookupWork,
  MAX_TYPOS,
  splitWords,
  typedText,
  type Word,
} from './text-match.js';

/**
 * The frameworks in memory, and the forgiving lookup behind `/competency <role> <level> [domain]`,
 * with the suggestions it makes when something does not match. Everything is precomputed when the
 * catalog is built, so a lookup is a few map reads. How typed text is split, normalized and compared
 * with names is in text-match.ts.
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

const noWork = (): LookupWork => ({ wordsRead: 0, keyReads: 0, comparisons: 0, distanceCells: 0 });

/** The targets whose keys are closest to any of the typed keys, best first, at most `max`. */
function closest<T>(
  typed: readonly string[],
  candidates: readonly Candidate<T>[],
  work: LookupWork,
  max = MAX_SUGGESTIONS,
): T[] {
  const best = new Map<T, Closeness>();
  for (const { key, target } of candidates) {
    for (const t of typed) {
      const close = closeness(t, key, work);
      if (close === undefined) continue;
      const previous = best.get(target);
      if (previous === undefined || byCloseness(close, previous) < 0) best.set(target, close);
    }
  }
  // Map keeps insertion order, so equal ones stay in catalog order (the sort is stable).
  return [...best.entries()]
    .sort((a, b) => byCloseness(a[1], b[1]))
    .slice(0, max)
    .map(([target]) => target);
}

/**
 * Normalized names (ids, names, aliases) and what each stands for, with the length of the longest
 * in words and in characters, so that matching typed words never builds a key longer than that.
 */
class Names<T> {
  readonly #byKey = new Map<string, T>();
  #maxWords = 0;
  #maxLength = 0;

  /** The first to claim a key keeps it (the loader reports such clashes). */
  add(key: string, value: T): void {
    this.#maxWords = Math.max(this.#maxWords, key.split('-').length);
    this.#maxLength = Math.max(this.#maxLength, key.length);
    if (!this.#byKey.has(key)) this.#byKey.set(key, value);
  }

  /** The most words a name has (a typed word is at least one of a name's hyphen-separated parts). */
  get maxWords(): number {
    return this.#maxWords;
  }

  /** The most characters a name has. */
  get maxLength(): number {
    return this.#maxLength;
  }

  /**
   * The longest run of words starting at `from` that is one of these names (a multi-word name such
   * as "solutions architect" or "lead principal" wins over a one-word alias). Only runs no longer
   * than the longest name, in words and in characters, are tried.
   */
  longestMatch(
    words: readonly Word[],
    from: number,
    work: LookupWork,
  ): { end: number; value: T } | undefined {
    let end = from;
    let length = -1;
    while (end < words.length && end - from < this.#maxWords) {
      const next = length + 1 + (words[end]?.key.length ?? 0);
      if (next > this.#maxLength) break;
      length = next;
      end++;
    }
    for (; end > from; end--) {
      work.keyReads++;
      const value = this.#byKey.get(joinKeys(words, from, end));
      if (value !== undefined) return { end, value };
    }
    return undefined;
  }
}

/** What the catalog knows about one role, prepared for lookups. */
type RoleIndex = {
  entry: RoleEntry;
  /** Its place in the catalog, by role name. */
  order: number;
  domainNames: Names<Framework>;
  domainCandidates: Candidate<Framework>[];
  /** Level keys of any of the role's frameworks. */
  levelNames: Names<string>;
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
  readonly #roleNames = new Names<RoleIndex>();
  readonly #roleCandidates: Candidate<RoleIndex>[] = [];
  /** The same, sorted by key, for compareSorted. */
  readonly #roleCandidatesByKey: Candidate<RoleIndex>[];
  /** Per framework id: level key → level. */
  readonly #levelsByFramework = new Map<string, Map<string, Level>>();
  readonly #levelCandidatesByFramework = new Map<string, Candidate<Level>[]>();
  /** Level and domain keys of every framework, to tell where a mistyped role ends. */
  readonly #tailNames = new Names<string>();
  /** How many typed words a lookup reads before it takes the rest as one word (see the constructor). */
  readonly #wordLimit: number;
  /** The longest key that can name something or be close to a name: longer ones are all alike. */
  readonly #longestName: number;
  readonly #work: LookupWork;

  /** `work`: a counter of what each lookup does, for tests. */
  constructor(frameworks: readonly Framework[], options: { work?: LookupWork } = {}) {
    this.#work = options.work ?? noWork();
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
          this.#tailNames.add(key, key);
        }
      }
      this.#levelsByFramework.set(f.id, levels);
      this.#levelCandidatesByFramework.set(f.id, levelCandidates);

      let role = rolesById.get(f.role.id);
      if (!role) {
        role = {
          entry: { id: f.role.id, name: f.role.name, aliases: [], frameworks: [] },
          order: this.#roles.length,
          domainNames: new Names(),
          domainCandidates: [],
          levelNames: new Names(),
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
        this.#roleNames.add(key, role);
        this.#roleCandidates.push({ key, target: role });
      }
      for (const key of keysOf(f.domain)) {
        role.domainNames.add(key, f);
        role.domainCandidates.push({ key, target: f });
        this.#tailNames.add(key, key);
      }
      for (const [key, level] of levels) {
        role.levelNames.add(key, key);
        role.levelCandidates.push({ key, target: level.id });
      }
    }

    // How many words a lookup reads. A command names a role, a level and a domain, each at most
    // `maxWords` words long (2 in the bundled framework: "solutions architect", "lead principal"),
    // and a typo may split a word in two, up to MAX_TYPOS times. Room for four such names: the three,
    // and as much again for words that are none of them (20 words for the bundled framework).
    // Nobody types more; reading more would only let a long text cost time (the rest is one word).
    const maxWords = Math.max(1, this.#roleNames.maxWords, this.#tailNames.maxWords);
    this.#wordLimit = 4 * (maxWords + MAX_TYPOS);
    this.#longestName = Math.max(this.#roleNames.maxLength, this.#tailNames.maxLength) + MAX_TYPOS;
    this.#roleCandidatesByKey = [...this.#roleCandidates].sort((a, b) =>
      a.key < b.key ? -1 : a.key > b.key ? 1 : 0,
    );
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
    const words = splitWords(text, this.#wordLimit, this.#longestName, this.#work);
    if (words.length === 0) return { kind: 'empty' };

    const roleMatch = this.#roleNames.longestMatch(words, 0, this.#work);
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
        tail.levelKey === undefined ? role.levelNames.longestMatch(words, i, this.#work) : undefined;
      const asDomain =
        tail.domain === undefined ? role.domainNames.longestMatch(words, i, this.#work) : undefined;
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
      const domains = closest(unknownKeys, role.domainCandidates, this.#work);
      const levelGuess =
        tail.levelKey === undefined
          ? closest(unknownKeys, role.levelCandidates, this.#work, 1)[0]
          : undefined;
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
          closest(unknownKeys, role.domainCandidates, this.#work),
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
    const close = closest(typedKeys, this.#levelCandidatesByFramework.get(framework.id) ?? [], this.#work);
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
    // Where the level and domain words at the end begin: the role is what comes before. One pass
    // from the end: the words from `tailStart` on read as level and domain names (each name read
    // longest first), and the tail grows while one of those names starts at the word before it.
    let tailStart = words.length;
    while (tailStart > 0 && this.#tailNames.longestMatch(words, tailStart - 1, this.#work)) tailStart--;

    // Try the first 1, 2, … words as the role; keep the closest role names. A key longer than the
    // longest role name by more than the typos allowed is close to none, nor is any longer one.
    // The role is all the words before the tail, taken as a whole: a start of them that leaves words
    // out counts each character left out as a typo, so `rol-150` suggests `role-150` (one typo)
    // before `role-000` (whose start `rol` leaves `150` out).
    const runEnd = Math.max(tailStart, 1);
    let runLength = -1;
    for (let i = 0; i < runEnd; i++) runLength += 1 + (words[i]?.key.length ?? 0);
    const found = new Map<RoleIndex, { rank: Closeness; end: number }>();
    const longest = this.#roleNames.maxLength + MAX_TYPOS;
    let typed = '';
    for (let end = 1; end <= runEnd; end++) {
      const word = words[end - 1]?.key ?? '';
      if ((end === 1 ? 0 : typed.length + 1) + word.length > longest) break;
      typed = end === 1 ? word : `${typed}-${word}`;
      const leftOut = runLength - typed.length;
      compareSorted(typed, this.#roleCandidatesByKey, this.#work, (target, close) => {
        const rank = { ...close, score: close.score + leftOut };
        const previous = found.get(target);
        if (!previous || byCloseness(rank, previous.rank) <= 0) found.set(target, { rank, end });
      });
    }
    // The best few, equal ones in catalog order (by role name): picked in one pass, not sorted.
    const before = (a: [RoleIndex, { rank: Closeness }], b: [RoleIndex, { rank: Closeness }]) =>
      byCloseness(a[1].rank, b[1].rank) || a[0].order - b[0].order;
    const ranked: [RoleIndex, { rank: Closeness; end: number }][] = [];
    for (const entry of found) {
      if (ranked.length === MAX_SUGGESTIONS && before(entry, ranked[MAX_SUGGESTIONS - 1] ?? entry) >= 0)
        continue;
      let at = ranked.length;
      while (at > 0 && before(entry, ranked[at - 1] ?? entry) < 0) at--;
      ranked.splice(at, 0, entry);
      if (ranked.length > MAX_SUGGESTIONS) ranked.pop();
    }

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
}

/** The keys to compare unknown words by: all of them together, and each run on its own. */
function unknownKeysOf(runs: readonly Word[][]): string[] {
  const each = runs.map((run) => joinKeys(run, 0, run.length));
  return [...new Set([each.join('-'), ...each])].filter((k) => k !== '');
}

function queryOf(roleId: string, levelId: string | undefined, domainId: string | undefined): string {
  return [roleId, levelId, domainId].filter((part) => part !== undefined).join(' ');
}
