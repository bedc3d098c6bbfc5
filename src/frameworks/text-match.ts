/**
 * How typed text is compared with the names of roles, levels and domains: the normal form every name
 * and typed word is compared in, splitting typed text into words, edit distances, how close a typed key
 * is to a known one (and ranking by that), and the order names are sorted in. The catalog's lookup and
 * suggestions, `/competency find`, the shortcut's role menu, the framework checks and the importers all
 * compare text this way.
 */

/** The most typos a typed name may have and still be suggested (see `allowedTypos`). */
export const MAX_TYPOS = 3;

/**
 * The work one lookup did, counted so that tests can check it stays small whatever is typed
 * (the time it takes is measured by `npm run bench`, side by side with a normal command). The catalog
 * counts its lookups in one (its `work` option); the functions here add what they do to the one given.
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
export function closeness(typed: string, known: string, work: LookupWork): Closeness | undefined {
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
export const byCloseness = (a: Closeness, b: Closeness): number =>
  a.score - b.score || a.spread - b.spread || b.shared - a.shared;

/** A known key (a normalized id, name or alias) and what it names. */
export type Candidate<T> = { key: string; target: T };

/** A word the user typed: where it is in the text, and its normalized form. */
export type Word = { key: string; start: number; end: number };

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
export function splitWords(text: string, limit: number, longest: number, work: LookupWork): Word[] {
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

/** The keys of the words from `from` up to (not including) `to`, joined by hyphens into one key. */
export const joinKeys = (words: readonly Word[], from: number, to: number): string =>
  words
    .slice(from, to)
    .map((w) => w.key)
    .join('-');

/** The text the user typed for a run of words, exactly as typed. */
export function typedText(text: string, words: readonly Word[]): string {
  const first = words[0];
  const last = words[words.length - 1];
  return first && last ? text.slice(first.start, last.end) : '';
}

/**
 * One collator for every comparison of names: `localeCompare` with a locale and options builds a new
 * collator on each call, which costs far more than the comparison when hundreds of frameworks are sorted.
 */
const collator = new Intl.Collator('en', { sensitivity: 'base' });

/** Names in the order people expect: case and accents aside (`Developer` before `engineer`). */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}
