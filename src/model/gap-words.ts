import type { AssessedCompetency } from './records.js';

/**
 * The words for a rating against its expected level, defined once. Every surface that says how a
 * rating compares with what is expected (the summary, the shared post, history, the Home tab, a
 * review's comparison, team views, the check-in's summary) takes its words from here, so no two of
 * them can disagree. Plain text, no Slack: views add their own emoji and mrkdwn around it.
 *
 * For a competency rated 1–5 against its expected level:
 * - above: rated higher than expected;
 * - meets: rated exactly the expected level;
 * - one below: worth a conversation;
 * - two or more below: a focus area;
 * and, when there is no rating to compare: not applicable, or skipped.
 */

export const STATUSES = ['above', 'meets', 'one-below', 'focus', 'not-applicable', 'not-rated'] as const;

export type Status = (typeof STATUSES)[number];

type Words = {
  /** The status itself: `above`, `meets`, `one below`, `two or more below`, `not applicable`, `skipped`. */
  label: string;
  /** As a count of several (`3 meet`); the label when it does not change. */
  many: string;
  /** What it means for the person, where a gap has a meaning beyond its size. */
  meaning?: { one: string; many: string; heading: string };
};

export const GAP_WORDS = {
  above: { label: 'above', many: 'above' },
  meets: { label: 'meets', many: 'meet' },
  'one-below': {
    label: 'one below',
    many: 'one below',
    meaning: { one: 'worth a conversation', many: 'worth a conversation', heading: 'Worth a conversation' },
  },
  focus: {
    label: 'two or more below',
    many: 'two or more below',
    meaning: { one: 'focus area', many: 'focus areas', heading: 'Focus areas' },
  },
  'not-applicable': { label: 'not applicable', many: 'not applicable' },
  'not-rated': { label: 'skipped', many: 'skipped' },
} as const satisfies Record<Status, Words>;

/**
 * One below and two or more below taken together, where the two are not told apart (team views,
 * which give three totals per competency: meet, above, below).
 */
export const BELOW_WORD = 'below';

/**
 * The status of one competency in a few words, with the size of the gap: `1 above`, `meets`,
 * `1 below`, `2 below`, `not applicable`, `skipped`. `gap` is expected minus rating (null when unrated).
 */
export function gapShort(status: Status, gap: number | null): string {
  switch (status) {
    case 'above':
      return `${-(gap ?? 0)} above`;
    case 'one-below':
    case 'focus':
      return `${gap ?? 0} below`;
    default:
      return GAP_WORDS[status].label;
  }
}

/** As `gapShort`, with what a gap means: `1 below · worth a conversation`, `2 below · focus area`. */
export function gapLabel(status: Status, gap: number | null): string {
  const short = gapShort(status, gap);
  return status === 'one-below' || status === 'focus' ? `${short} · ${GAP_WORDS[status].meaning.one}` : short;
}

/** `3 meet`, `1 meets`, `2 focus areas (two or more below)`: a count with the words for it. */
function countText(status: Status, n: number): string {
  if (status === 'one-below' || status === 'focus') {
    const { meaning, label } = GAP_WORDS[status];
    return `${n} ${n === 1 ? meaning.one : meaning.many} (${label})`;
  }
  return `${n} ${n === 1 ? GAP_WORDS[status].label : GAP_WORDS[status].many}`;
}

/**
 * The exact count of each status among `statuses`, leaving out those with none (a zero there says
 * nothing): `1 above, 4 meet, 1 worth a conversation (one below), 2 focus areas (two or more below)`.
 * Empty when none of them has any.
 */
export function countsText(counts: Readonly<Record<Status, number>>, statuses: readonly Status[]): string {
  return statuses
    .filter((s) => counts[s] > 0)
    .map((s) => countText(s, counts[s]))
    .join(', ');
}

/**
 * A rating as a word or number, where a rating is said on its own (what moved between two
 * assessments): `3`, and for no rating to compare, the words of its status: `not applicable`,
 * `skipped`.
 */
export function ratingWord(rating: number | 'na' | null): string {
  if (rating === null) return GAP_WORDS['not-rated'].label;
  if (rating === 'na') return GAP_WORDS['not-applicable'].label;
  return String(rating);
}

/** The statuses of a rating 1–5, from above to furthest below. */
export const RATED_STATUSES = ['above', 'meets', 'one-below', 'focus'] as const satisfies readonly Status[];

/** The statuses of a competency with no rating to compare. */
export const UNRATED_STATUSES = ['not-applicable', 'not-rated'] as const satisfies readonly Status[];

/** Where a rating stands against its expected level, and the gap (expected minus rating, when rated 1–5). */
export function statusOf(
  rating: AssessedCompetency['rating'],
  expected: number,
): { gap: number | null; status: Status } {
  if (rating === null) return { gap: null, status: 'not-rated' };
  if (rating === 'na') return { gap: null, status: 'not-applicable' };
  const gap = expected - rating;
  return { gap, status: gap < 0 ? 'above' : gap === 0 ? 'meets' : gap === 1 ? 'one-below' : 'focus' };
}
