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

/** The most typos a typed name may have and still be suggested (see `allowedTypos`). */
const MAX_TYPOS = 3;

/**
 * The work one lookup did, counted so that tests can check it stays small whatever is typed
 * (the time it takes is measured by `npm run bench`, side by side with a normal command).
 */
export type LookupWork = {
  /** Words of the typed text split off and normalized. */
  wordsRead: number;
  /** Runs of typed words joined into a key and looked up. */
  keyReads: number;
  /** Typed keys compared with known names, for suggestions. */
  comparisons: number;
  /** Cells of edit-distance tables filled in. */
  distanceCells: number;
};

const noWork = (): LookupWork => ({ wordsRead: 0, keyReads: 0, comparisons: 0, distanceCells: 0 });

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
 *
 * With `max`, only distances up to `max` are worked out exactly: anything further returns `max + 1`,
 * and costs far less. Each insertion or deletion moves a path through the table one step off its
 * diagonal, so only the cells within `max` of the diagonal are filled in, and the work stops as soon
 * as two rows in a row are all over `max` (a swap can skip one row, never two).
 */
export function editDistance(
  a: string,
  b: string,
  max = Number.POSITIVE_INFINITY,
  work?: LookupWork,
): number {
  return distances(a, b, max, work).whole;
}

/**
 * How far `a` is from the nearest start of `b` (`rol-15` is one typo from `role-15`, the start of
 * `role-150`), in the same units and with the same bound as `editDistance`. Only starts of `b` at most
 * `max` characters longer than `a` can be that close, so at most those are compared.
 */
export function prefixDistance(
  a: string,
  b: string,
  max = Number.POSITIVE_INFINITY,
  work?: LookupWork,
): number {
  return distances(a, b, max, work).start;
}

/**
 * Three rows of an edit-distance table, kept between calls: a lookup fills in thousands of small
 * tables (one per known name), and allocating their rows cost more than filling them in.
 */
let scratch = [new Int32Array(64), new Int32Array(64), new Int32Array(64)] as const;

/** What `distances` found; one object, reused (read it before the next call). */
const measured = { whole: 0, start: 0 };

/**
 * The distances of `a` to all of `b` (`whole`) and to its nearest start (`start`), from one table:
 * its last row holds the distance of all of `a` to each start of `b`. Starts of `b` more than `max`
 * characters longer than `a` are not compared: they are further than `max`. Distances over `max`
 * are `max + 1`.
 */
function distances(
  a: string,
  whole: string,
  most: number,
  work?: LookupWork,
): { readonly whole: number; readonly start: number } {
  // No distance is more than both lengths together: a larger `max` (infinity) is the same as that.
  const max = Math.min(most, a.length + whole.length);
  const over = max + 1;
  measured.whole = over;
  measured.start = over;
  if (a === whole) {
    measured.whole = 0;
    measured.start = 0;
    return measured;
  }
  if (whole.startsWith(a)) measured.start = 0;
  const b = whole.length > a.length + max ? whole.slice(0, a.length + max) : whole;
  // Lengths further apart than `max` need more than `max` insertions or deletions.
  if (Math.abs(a.length - b.length) > max) return measured;
  if (a.length === 0 || b.length === 0) {
    if (b === whole) measured.whole = Math.min(a.length + b.length, over);
    measured.start = Math.min(measured.start, a.length, over);
    return measured;
  }
  const band = Math.min(max, Math.max(a.length, b.length));
  const width = b.length + 1;
  if (scratch[0].length < width) {
    const size = 2 * width;
    scratch = [new Int32Array(size), new Int32Array(size), new Int32Array(size)];
  }
  // Three rows of the usual table are enough: the one before last, the last, and the current. Cells
  // outside the band are `over`: each row sets those next to its band, which is all the next reads.
  let [before, last, current] = scratch;
  for (let j = 0; j < width; j++) last[j] = j <= band ? j : over;
  let lastMin = 0;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - band);
    const to = Math.min(b.length, i + band);
    current.fill(over, from - 1, Math.min(width, to + 2));
    if (i <= band) current[0] = i;
    let rowMin = from === 1 ? (current[0] ?? over) : over;
    const ai = a.charCodeAt(i - 1);
    const aBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    for (let j = from; j <= to; j++) {
      const bj = b.charCodeAt(j - 1);
      let best = (last[j - 1] ?? over) + (ai === bj ? 0 : 1);
      const up = (last[j] ?? over) + 1;
      if (up < best) best = up;
      const left = (current[j - 1] ?? over) + 1;
      if (left < best) best = left;
      if (j > 1 && aBefore === bj && ai === b.charCodeAt(j - 2)) {
        const swap = (before[j - 2] ?? over) + 1;
        if (swap < best) best = swap;
      }
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    if (work) work.distanceCells += to - from + 1;
    // A swap can skip one row, never two: past two rows over `max`, everything is.
    if (rowMin > max && lastMin > max) return measured;
    const spare = before;
    before = last;
    last = current;
    current = spare;
    lastMin = rowMin;
  }
  if (b === whole) measured.whole = Math.min(last[b.length] ?? over, over);
  measured.start = Math.min(measured.start, lastMin, over);
  return measured;
}

/** How many typos a typed key may have: longer words may carry more. */
function allowedTypos(typed: string): number {
  return typed.length <= 1 ? 0 : typed.length <= 4 ? 1 : typed.length <= 8 ? 2 : MAX_TYPOS;
}

/** How close a typed key is to a known key, and how to rank it (see `closeness`). */
export type Closeness = {
  /**
   * 0 is the same, 0.5 is "the start of it", 1, 2, 3 are typos in the whole name, and 1.5, 2.5, 3.5
   * are typos in the start of it (`rol-15` for `role-150`): a start with one typo comes before a
   * whole name with two.
   */
  score: number;
  /** How many characters the known key has more or fewer than the typed one: of equal scores, the
   * name closest in length comes first (`role-15` suggests `role-150` before `role-1500`). */
  spread: number;
  /** How many first characters the two have in common: then, the one that differs later comes
   * first (`role-1500` suggests `role-150` before `role-100`, each one typo away). */
  shared: number;
};

/** Typed keys shorter than this are not compared with the starts of names allowing typos (too many would match). */
const MIN_FUZZY_START = 4;

/** How close a typed key is to a known key; undefined when it is too far to be worth suggesting. */
function closeness(typed: string, known: string, work: LookupWork): Closeness | undefined {
  work.comparisons++;
  if (typed === known) return { score: 0, spread: 0, shared: typed.length };
  const spread = Math.abs(known.length - typed.length);
  if (typed.length >= 2 && known.startsWith(typed)) return { score: 0.5, spread, shared: typed.length };
  const allowed = allowedTypos(typed);
  // The start of a name with typos is tried only for keys long enough to say something, and names
  // that begin with the same letter (few typos are in the first one): the rest are compared whole.
  const starts = typed.length >= MIN_FUZZY_START && typed.charCodeAt(0) === known.charCodeAt(0);
  if (!starts && spread > allowed) return undefined;
  const { whole, start } = distances(typed, known, allowed, work);
  // A start of the name with fewer typos than the whole ranks by those (`rol-15` for `role-150`).
  if (starts && start < whole) return { score: start + 0.5, spread, shared: sharedStart(typed, known) };
  return whole <= allowed ? { score: whole, spread, shared: sharedStart(typed, known) } : undefined;
}

/** How many first characters two keys have in common. */
function sharedStart(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/**
 * A table of distances kept between calls of `compareSorted` (row r, column j: how far the first j
 * characters typed are from the first r of a name), grown as needed.
 */
let table = new Int32Array(1024);
/** Per row of `table`: the least of its cells, and the least distance of all that was typed to a start of the name up to that row. */
let rowLeast = new Int32Array(64);
let startLeast = new Int32Array(64);

/**
 * `closeness(typed, key)` for every candidate, sorted by key, calling `visit` for each close one: the
 * same answers, for much less work when many names begin alike (`bench-role-001` … `bench-role-500`).
 * The table is filled in one row per character of the name, so consecutive names share the rows of
 * the start they have in common; and when a start is too far from what was typed (two rows in a row
 * over the typos allowed), every name that begins with it is too, and is passed over.
 */
export function compareSorted<T>(
  typed: string,
  candidates: readonly Candidate<T>[],
  work: LookupWork,
  visit: (target: T, close: Closeness) => void,
): void {
  const n = typed.length;
  const allowed = allowedTypos(typed);
  const over = allowed + 1;
  const width = n + 1;
  const fuzzyStart = n >= MIN_FUZZY_START;
  // Rows past n + allowed are over for a name and for its starts alike.
  const rowsMost = n + allowed;
  if (table.length < (rowsMost + 1) * width) table = new Int32Array(2 * (rowsMost + 1) * width);
  if (rowLeast.length < rowsMost + 1) {
    rowLeast = new Int32Array(2 * (rowsMost + 1));
    startLeast = new Int32Array(2 * (rowsMost + 1));
  }
  for (let j = 0; j < width; j++) table[j] = j <= allowed ? j : over;
  rowLeast[0] = 0;
  startLeast[0] = n <= allowed ? n : over;
  /** The name the rows were last filled in for, how many, and the first row over the typos allowed twice (0: none). */
  let previous = '';
  let filled = 0;
  let dead = 0;
  for (const { key, target } of candidates) {
    work.comparisons++;
    const spread = Math.abs(key.length - n);
    if (key === typed) {
      visit(target, { score: 0, spread: 0, shared: n });
      continue;
    }
    if (n >= 2 && key.startsWith(typed)) {
      visit(target, { score: 0.5, spread, shared: n });
      continue;
    }
    const starts = fuzzyStart && key.charCodeAt(0) === typed.charCodeAt(0);
    if (!starts && spread > allowed) continue;
    const common = sharedStart(previous, key);
    previous = key;
    const rows = Math.min(key.length, rowsMost);
    if (dead > 0 && dead <= common) {
      // Begins with a start already too far from what was typed: the rows before it are the same.
    } else {
      dead = 0;
      let r = Math.min(common, filled);
      for (r++; r <= rows; r++) {
        const at = r * width;
        const from = Math.max(1, r - allowed);
        const to = Math.min(n, r + allowed);
        table[at] = r <= allowed ? r : over;
        if (from > 1) table[at + from - 1] = over;
        if (to < n) table[at + to + 1] = over;
        let least = table[at] ?? over;
        const kr = key.charCodeAt(r - 1);
        const kBefore = r > 1 ? key.charCodeAt(r - 2) : -1;
        for (let j = from; j <= to; j++) {
          const tj = typed.charCodeAt(j - 1);
          let best = (table[at - width + j - 1] ?? over) + (kr === tj ? 0 : 1);
          const up = (table[at - width + j] ?? over) + 1;
          if (up < best) best = up;
          const left = (table[at + j - 1] ?? over) + 1;
          if (left < best) best = left;
          if (j > 1 && kBefore === tj && kr === typed.charCodeAt(j - 2)) {
            const swap = (table[at - 2 * width + j - 2] ?? over) + 1;
            if (swap < best) best = swap;
          }
          table[at + j] = best;
          if (best < least) least = best;
        }
        work.distanceCells += to - from + 1;
        rowLeast[r] = least;
        const last = from <= n && n <= to ? (table[at + n] ?? over) : over;
        startLeast[r] = Math.min(startLeast[r - 1] ?? over, last);
        if (least > allowed && (rowLeast[r - 1] ?? 0) > allowed) {
          dead = r;
          r++;
          break;
        }
      }
      filled = r - 1;
    }
    const reached = dead > 0 ? dead : rows;
    const whole = dead === 0 && spread <= allowed ? (table[key.length * width + n] ?? over) : over;
    const start = starts ? (startLeast[reached] ?? over) : over;
    if (start < whole && start <= allowed) {
      visit(target, { score: start + 0.5, spread, shared: sharedStart(typed, key) });
    } else if (whole <= allowed) {
      visit(target, { score: whole, spread, shared: sharedStart(typed, key) });
    }
  }
}

/** Best first: lower score, then the closer length, then the longer start in common. */
const byCloseness = (a: Closeness, b: Closeness): number =>
  a.score - b.score || a.spread - b.spread || b.shared - a.shared;

export type Candidate<T> = { key: string; target: T };

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

/** A word the user typed: where it is in the text, and its normalized form. */
type Word = { key: string; start: number; end: number };

/** What separates typed words: spaces, hyphens, underscores and light punctuation. */
const SEPARATOR = /[\s\-_,;:./|]/;
const WORD = /[^\s\-_,;:./|]+/g;

/**
 * Splits typed text into words at spaces, hyphens, underscores and light punctuation
 * (a dot too, so a framework id such as `solutions-architect.e-commerce` reads as role and domain).
 *
 * Past `limit` words, all the rest counts as one more word, so however long the text, a lookup reads
 * a bounded number of words. That last word can still be a name when it is a single one; a key longer
 * than `longest` names nothing and is close to nothing, so its key is worked out only that far.
 */
function splitWords(text: string, limit: number, longest: number, work: LookupWork): Word[] {
  const words: Word[] = [];
  for (const match of text.matchAll(WORD)) {
    work.wordsRead++;
    if (words.length === limit) {
      let end = text.length;
      while (end > match.index && SEPARATOR.test(text.charAt(end - 1))) end--;
      const key = keyOfRest(text.slice(match.index, end), longest);
      if (key !== '') words.push({ key, start: match.index, end });
      break;
    }
    const key = normalizeKey(match[0]);
    if (key !== '') words.push({ key, start: match.index, end: match.index + match[0].length });
  }
  return words;
}

/**
 * The key of several words taken as one: their keys joined by hyphens, or, once that is longer than
 * `longest`, the start of it (normalizing drops characters, so a longer start of the text may be needed).
 */
function keyOfRest(rest: string, longest: number): string {
  for (let length = 4 * (longest + 1); ; length *= 4) {
    const key = normalizeKey(rest.slice(0, length).replace(/[,;:./|]+/g, ' '));
    if (key.length > longest || length >= rest.length) return key;
  }
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

/**
 * One collator for every comparison of names: `localeCompare` with a locale and options builds a new
 * one on each call, which made sorting 500 frameworks take about 300 ms (now about 2 ms).
 */
const collator = new Intl.Collator('en', { sensitivity: 'base' });

/** Names in the order people expect: case and accents aside (`Developer` before `engineer`). */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}
