import type { Competency, Framework } from './schema.js';
import { compareText, editDistance } from './text-match.js';

/**
 * `/competency find <words>`: frameworks and competencies whose names, categories and descriptions
 * contain the words, best first.
 *
 * Ranking, in order: more of the words found beats fewer (all words above some); then a higher score,
 * where a word found in a name counts more than in a domain or category, and that more than in a
 * description, and a whole word more than its start, and that more than a word with a typo; then
 * frameworks before competencies, then by name, so equal results always come in the same order.
 *
 * The index is built once per catalog, the first time someone searches (not at start), and holds
 * every word of every framework once, with where it was found. A search reads at most `MAX_WORDS`
 * words of at most `MAX_WORD_LENGTH` characters, so however long the text, it costs a few passes over
 * the index's words (their number grows with the catalog's vocabulary, not with its size: 500 copies
 * of one framework have the words of one and 500 role names).
 */

export type SearchHit = {
  framework: Framework;
  /** Absent for a framework result. */
  competency?: Competency;
  /** How many of the words were found. */
  matched: number;
  score: number;
};

export type SearchResult = {
  /** The words searched for, normalized, without repeats and without words such as "and" or "the". */
  words: string[];
  /** How many frameworks and competencies matched at least one of the words. */
  total: number;
  /** How many of those matched all of the words. */
  allWords: number;
  /** The best `limit` of them, best first. */
  hits: SearchHit[];
};

/** The most words of a search that are read (the rest are left out). */
export const MAX_WORDS = 8;
/** Words longer than this are cut to it (no name has longer words; it bounds the typo tables). */
export const MAX_WORD_LENGTH = 30;

/** How much a word counts by where it was found. */
const WEIGHT = {
  /** A role's name, id or alias; a competency's name or id. */
  name: 4,
  /** A framework's domain; a competency's category. */
  tag: 2,
  /** A role's summary; a competency's description. */
  text: 1,
  /**
   * For a competency: its framework's role and domain. Counts only beside a word found in the
   * competency itself (`architect stakeholder`: the stakeholder competency of the architects).
   */
  context: 0.5,
} as const;

/** How much a word counts by how it was found. */
const QUALITY = { whole: 1, start: 0.75, oneTypo: 0.5, twoTypos: 0.35 } as const;

/** Words that say nothing about what to find. */
const STOP_WORDS = new Set(
  'a an and are as at be by for from in into is it its of on or that the this to with'.split(' '),
);

/** What separates words: anything but letters and digits (after accents are taken off). */
const NOT_WORD = /[^a-z0-9]+/;
const SPACES = /[\s,;:./|()]+/;

/**
 * The words of some text as the index keeps them: lower case, without accents, split at anything but
 * letters and digits, without stop words or single letters. With `compounds`, a hyphenated word is
 * also kept whole ("E-commerce" is found by "ecommerce" too). The text is normalized once, not word
 * by word: the index reads every description of every framework.
 */
function wordsOf(text: string, compounds: boolean): string[] {
  const plain = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const words: string[] = [];
  for (const chunk of plain.split(SPACES)) {
    const parts = chunk.split(NOT_WORD).filter((p) => p !== '');
    for (const part of parts) if (part.length > 1 && !STOP_WORDS.has(part)) words.push(part);
    if (compounds && parts.length > 1) words.push(parts.join(''));
  }
  return words;
}

/** The words of a search: like the index's, at most MAX_WORDS, each at most MAX_WORD_LENGTH long. */
export function searchWords(text: string): string[] {
  const words = new Set<string>();
  // A search is a few words: what is past the first thousand characters cannot be among them.
  for (const word of wordsOf(text.slice(0, MAX_WORDS * (MAX_WORD_LENGTH + 1) * 4), false)) {
    if (words.size >= MAX_WORDS) break;
    words.add(word.slice(0, MAX_WORD_LENGTH));
  }
  return [...words];
}

/** How many typos a searched word may have. */
const allowedTypos = (word: string): number => (word.length <= 3 ? 0 : word.length <= 6 ? 1 : 2);

type Doc = { framework: Framework; competency?: Competency; name: string };

/**
 * The weights, by a number that fits in two bits: a posting (where a word is) is one number,
 * `doc * 4 + code`, so the index holds plain arrays of numbers, not an object per word and document.
 */
const WEIGHTS = [WEIGHT.context, WEIGHT.text, WEIGHT.tag, WEIGHT.name] as const;
const codeOf = (weight: number): number => WEIGHTS.indexOf(weight as (typeof WEIGHTS)[number]);

export class SearchIndex {
  readonly #docs: Doc[] = [];
  /** Per word, where it is: `doc * 4 + code` (see WEIGHTS), each document once, with its most weight. */
  readonly #postings = new Map<string, number[]>();
  /** Every word of the index, sorted, to find those a searched word starts. */
  readonly #sorted: string[];
  /** Every word of the index by its length, to find those a searched word is a typo of. */
  readonly #byLength = new Map<number, string[]>();
  /** Per document, its place among documents by name (then catalog order): the last tie-break. */
  readonly #tieRank: Int32Array;

  constructor(frameworks: readonly Framework[]) {
    // Frameworks often share texts (a role's name in each of its competencies, categories, copies):
    // each distinct text is split into words once.
    const split = new Map<string, string[]>();
    const words = (text: string) => {
      let known = split.get(text);
      if (!known) {
        known = wordsOf(text, true);
        split.set(text, known);
      }
      return known;
    };
    for (const framework of frameworks) {
      const { role, domain } = framework;
      this.#add(
        { framework, name: role.name },
        [
          [WEIGHT.name, [role.name, role.id, ...role.aliases]],
          [WEIGHT.tag, [domain.name, domain.id, ...domain.aliases]],
          [WEIGHT.text, [role.summary]],
        ],
        words,
      );
      for (const competency of framework.competencies) {
        this.#add(
          { framework, competency, name: competency.name },
          [
            [WEIGHT.name, [competency.name, competency.id]],
            [WEIGHT.tag, [competency.category]],
            [WEIGHT.text, [competency.description]],
            [WEIGHT.context, [role.name, ...role.aliases, domain.name]],
          ],
          words,
        );
      }
    }
    // Equal results come by name, then in catalog order: worked out once, so ranking compares numbers.
    const byName = this.#docs.map((_, i) => i);
    byName.sort((x, y) => compareText(this.#docs[x]?.name ?? '', this.#docs[y]?.name ?? '') || x - y);
    this.#tieRank = new Int32Array(this.#docs.length);
    byName.forEach((doc, rank) => {
      this.#tieRank[doc] = rank;
    });
    this.#sorted = [...this.#postings.keys()].sort();
    for (const word of this.#sorted) {
      const same = this.#byLength.get(word.length);
      if (same) same.push(word);
      else this.#byLength.set(word.length, [word]);
    }
  }

  /** One document's words, each with the most it counts there; reused from one document to the next. */
  readonly #best = new Map<string, number>();

  #add(doc: Doc, fields: [number, string[]][], words: (text: string) => string[]): void {
    const id = this.#docs.length;
    this.#docs.push(doc);
    const best = this.#best;
    best.clear();
    for (const [weight, texts] of fields) {
      const code = codeOf(weight);
      for (const text of texts) {
        for (const word of words(text)) {
          if ((best.get(word) ?? -1) < code) best.set(word, code);
        }
      }
    }
    for (const [word, code] of best) {
      const posting = id * 4 + code;
      const postings = this.#postings.get(word);
      if (postings) postings.push(posting);
      else this.#postings.set(word, [posting]);
    }
  }

  /** How many frameworks and competencies the index holds. */
  get size(): number {
    return this.#docs.length;
  }

  /** The best `limit` results for the words of `text` (see the top of this file). */
  search(text: string, limit = 10): SearchResult {
    const words = searchWords(text);
    const size = this.#docs.length;
    const score = new Float64Array(size);
    const matched = new Uint8Array(size);
    const own = new Uint8Array(size);
    const touched: number[] = [];
    // What the current word counts in each document: the most over the index's words it matches.
    const value = new Float64Array(size);
    const valueOwn = new Uint8Array(size);
    const inWord: number[] = [];
    for (const word of words) {
      this.#matches(word, (doc, v, isOwn) => {
        if (value[doc] === 0) inWord.push(doc);
        if ((value[doc] ?? 0) < v) value[doc] = v;
        if (isOwn) valueOwn[doc] = 1;
      });
      for (const doc of inWord) {
        if (matched[doc] === 0) touched.push(doc);
        score[doc] = (score[doc] ?? 0) + (value[doc] ?? 0);
        matched[doc] = (matched[doc] ?? 0) + 1;
        if (valueOwn[doc]) own[doc] = 1;
        value[doc] = 0;
        valueOwn[doc] = 0;
      }
      inWord.length = 0;
    }
    // A competency found only by its framework's names is that framework's result, not its own.
    const ranked = touched.filter((doc) => own[doc] === 1);
    const isCompetency = (doc: number) => (this.#docs[doc]?.competency ? 1 : 0);
    ranked.sort(
      (a, b) =>
        (matched[b] ?? 0) - (matched[a] ?? 0) ||
        (score[b] ?? 0) - (score[a] ?? 0) ||
        isCompetency(a) - isCompetency(b) ||
        (this.#tieRank[a] ?? 0) - (this.#tieRank[b] ?? 0),
    );
    const hits: SearchHit[] = [];
    for (const doc of ranked.slice(0, Math.max(0, limit))) {
      const d = this.#docs[doc];
      if (!d) continue;
      hits.push({
        framework: d.framework,
        ...(d.competency ? { competency: d.competency } : {}),
        matched: matched[doc] ?? 0,
        score: score[doc] ?? 0,
      });
    }
    const allWords = ranked.filter((doc) => matched[doc] === words.length).length;
    return { words, total: ranked.length, allWords, hits };
  }

  /**
   * Every document where one searched word is, found whole, as the start of a word, or with typos:
   * `found(doc, value, own)` for each word of the index it matches there, with what it counts, and
   * whether it is in the document itself (not only in its framework's names).
   */
  #matches(word: string, found: (doc: number, value: number, own: boolean) => void): void {
    const each = (indexed: string, quality: number) => {
      for (const posting of this.#postings.get(indexed) ?? []) {
        const code = posting & 3;
        found(posting >>> 2, (WEIGHTS[code] ?? 0) * quality, code > 0);
      }
    };
    each(word, QUALITY.whole);
    if (word.length >= 2) {
      for (let i = lowerBound(this.#sorted, word); i < this.#sorted.length; i++) {
        const indexed = this.#sorted[i] ?? '';
        if (!indexed.startsWith(word)) break;
        if (indexed !== word) each(indexed, QUALITY.start);
      }
    }
    const allowed = allowedTypos(word);
    for (let length = word.length - allowed; length <= word.length + allowed; length++) {
      for (const indexed of this.#byLength.get(length) ?? []) {
        if (indexed === word || indexed.startsWith(word)) continue;
        const typos = editDistance(word, indexed, allowed);
        if (typos <= allowed) each(indexed, typos <= 1 ? QUALITY.oneTypo : QUALITY.twoTypos);
      }
    }
  }
}

/** The first place in a sorted array where `word` could go. */
function lowerBound(sorted: readonly string[], word: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < word) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One index per list of frameworks (a catalog's never changes), built the first time it is searched. */
const indexes = new WeakMap<readonly Framework[], SearchIndex>();

/** The search index of a catalog's frameworks, built once, the first time it is asked for. */
export function searchIndexOf(catalog: { readonly frameworks: readonly Framework[] }): SearchIndex {
  let index = indexes.get(catalog.frameworks);
  if (!index) {
    index = new SearchIndex(catalog.frameworks);
    indexes.set(catalog.frameworks, index);
  }
  return index;
}
