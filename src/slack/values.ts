import { z } from 'zod';

/**
 * What buttons carry, kept small and checked with zod when clicked: a click can be forged or stale,
 * so a value that does not parse is refused and nothing is written. Values never name a person:
 * the person is always whoever clicked.
 */

const id = z.string().min(1).max(130);

export const StartValue = z.object({
  /** framework id */
  f: id,
  /** level id */
  l: id,
  /** start over at the first competency */
  r: z.literal(1).optional(),
});
export type StartValue = z.infer<typeof StartValue>;

export const AnswerValue = z.object({
  f: id,
  /** framework version the step was shown with */
  v: z.string().min(1).max(40),
  /** session id of the run */
  s: z.string().min(1).max(40),
  /** competency id */
  c: id,
  /** the choice */
  a: z.union([z.literal([1, 2, 3, 4, 5]), z.enum(['na', 'skip', 'back'])]),
});
export type AnswerValue = z.infer<typeof AnswerValue>;

/**
 * The commands a button may run as if typed (ActionId.runCommand): those that only show something,
 * or ask for a confirmation first (forget), or send the person their own data (export). Not `ask`
 * or `team`, which act on other people: those are typed.
 */
const BUTTON_COMMANDS = [
  'help',
  'list',
  'find',
  'history',
  'reviews',
  'compare',
  'share',
  'export',
  'forget',
  'shares',
] as const;
export type ButtonCommand = (typeof BUTTON_COMMANDS)[number];

/** A command to run, and what follows it (`find <words>`, `compare <role>`, `list <page>`). */
export const CommandValue = z.object({
  c: z.enum(BUTTON_COMMANDS),
  q: z.string().max(500).optional(),
});
export type CommandValue = z.infer<typeof CommandValue>;

/** A finished assessment of the person who clicked. */
export const RecordValue = z.object({ id: z.string().min(1).max(60) });
export type RecordValue = z.infer<typeof RecordValue>;

/**
 * Include in team views (`t: 1`) or leave them (`t: 0`): one of the clicker's own finished
 * assessments. The button says what to do rather than "toggle", so a click delivered twice, or on
 * an old copy of the message, does what its label said.
 */
export const TeamViewsValue = z.object({
  id: z.string().min(1).max(60),
  t: z.union([z.literal(0), z.literal(1)]),
});
export type TeamViewsValue = z.infer<typeof TeamViewsValue>;

/**
 * See it as a chart, on a team view: which team to draw again, as asked (`c`: the channel the view
 * is in; `g`: a user group, with the label shown; `h`: a handle typed as text).
 */
export const TeamChartValue = z.union([
  z.object({ k: z.literal('c') }),
  z.object({ k: z.literal('g'), id: z.string().regex(/^S[A-Z0-9]{2,30}$/), l: z.string().max(101) }),
  z.object({ k: z.literal('h'), h: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,79}$/i) }),
]);
export type TeamChartValue = z.infer<typeof TeamChartValue>;

/**
 * A person key (`T0123:U0456`), carried by a reviewer's buttons to name whose record the review is
 * in. It grants nothing: every reviewer click is refused unless the clicker is the reviewer that
 * person chose (see reviews.ts).
 */
const personKey = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9]+:[A-Za-z0-9]+$/);
const reviewId = z.string().min(1).max(40);

/** A review request, on the reviewer's buttons: whose record (`o`) and which review (`r`). */
export const ReviewValue = z.object({ o: personKey, r: reviewId });
export type ReviewValue = z.infer<typeof ReviewValue>;

/** A reviewer's answer on one competency. */
export const ReviewAnswerValue = z.object({
  o: personKey,
  r: reviewId,
  /** competency id (of the assessment reviewed) */
  c: id,
  a: z.union([z.literal([1, 2, 3, 4, 5]), z.enum(['na', 'skip', 'back'])]),
});
export type ReviewAnswerValue = z.infer<typeof ReviewAnswerValue>;

/** One of the clicker's own review requests (Withdraw, See the comparison): the person is whoever clicked. */
export const OwnReviewValue = z.object({ r: reviewId });
export type OwnReviewValue = z.infer<typeof OwnReviewValue>;

/** Where a form's outcome goes, kept in its private_metadata. */
const FormOrigin = z.object({
  /** response_url of the message the form was opened from, to replace it with the outcome */
  u: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  /** the channel it was opened in, to tell the person privately there if the response_url has expired */
  c: z
    .string()
    .regex(/^[A-Z0-9]{1,40}$/)
    .optional(),
  /**
   * ts of the message it was opened from when that is one the app posted in the person's direct
   * messages (`c` is then that DM): the outcome goes in its place with chat.update
   */
  t: z
    .string()
    .regex(/^\d{1,20}\.\d{1,10}$/)
    .optional(),
});

/**
 * What the Ask for a review form keeps in private_metadata: where to say what happened, next to
 * which buttons (`b`, the block clicked), and on the summary of which assessment (`r`).
 */
export const AskReviewMetadata = FormOrigin.extend({
  r: z.string().min(1).max(60).optional(),
  b: z.string().min(1).max(255).optional(),
});
export type AskReviewMetadata = z.infer<typeof AskReviewMetadata>;

/** What the Rate all modal keeps in private_metadata: the framework and level, and where to show the summary. */
export const RateAllMetadata = FormOrigin.extend({
  f: id,
  v: z.string().min(1).max(40),
  l: id,
  /** Opened in place of another modal (the lookup shortcut's): the summary replaces the form there. */
  m: z.literal(1).optional(),
  /**
   * When the form was opened (Unix milliseconds): it shows the ratings as they were then, so a deletion of
   * the person's data since then is not undone by saving it (Store.update's `madeAt`).
   */
  o: z.int().min(0).optional(),
});
export type RateAllMetadata = z.infer<typeof RateAllMetadata>;

/** One item of the clicker's own plan (a check-in's Done / Moving / Stuck / Dropped). */
export const PlanItemValue = z.object({ i: z.string().min(1).max(40) });
export type PlanItemValue = z.infer<typeof PlanItemValue>;

/** An option of a plan item's status menu: the item, and the status chosen. */
export const PlanStatusValue = PlanItemValue.extend({
  s: z.enum(['open', 'moving', 'stuck', 'done', 'dropped']),
});
export type PlanStatusValue = z.infer<typeof PlanStatusValue>;

/**
 * What the Make a plan form keeps in private_metadata: where it was opened from, the assessment
 * (`r`), the person's time zone then (`z`, whose today the dates are checked against) and when it
 * was opened (`o`, Unix milliseconds: a deletion of the person's data since is not undone by it).
 */
export const PlanFormMetadata = FormOrigin.extend({
  r: z.string().min(1).max(60),
  z: z.string().min(1).max(64),
  o: z.int().min(0),
});
export type PlanFormMetadata = z.infer<typeof PlanFormMetadata>;

/** Add a note, on a rating card: the framework, the run (`s`) and the competency. */
export const NoteValue = z.object({ f: id, s: z.string().min(1).max(40), c: id });
export type NoteValue = z.infer<typeof NoteValue>;

/** Add a note, on a reviewer's card: whose record (`o`), which review (`r`), which competency. */
export const ReviewNoteValue = z.object({ o: personKey, r: reviewId, c: id });
export type ReviewNoteValue = z.infer<typeof ReviewNoteValue>;

/**
 * What the note form keeps in private_metadata: where the card it was opened from is, and whose note
 * it is — the person's own (`k: 's'`, with NoteValue's fields) or a reviewer's (`k: 'r'`, ReviewNoteValue's).
 */
const CardInModal = FormOrigin.extend({
  /** The modal the card was in (a run started in a form), to show it there again, and its title. */
  v: z.string().min(1).max(40).optional(),
  vt: z.string().max(24).optional(),
});
export const NoteMetadata = z.union([
  // `a`: when the person asked for the form (Unix ms), so that a deletion of their data since is not
  // undone by saving it (Store.update's `madeAt`).
  CardInModal.extend({
    k: z.literal('s'),
    f: id,
    s: z.string().min(1).max(40),
    c: id,
    a: z.int().min(0).optional(),
  }),
  CardInModal.extend({ k: z.literal('r'), o: personKey, r: reviewId, c: id }),
]);
export type NoteMetadata = z.infer<typeof NoteMetadata>;

/** A piece of the clicker's own evidence. */
export const EvidenceValue = z.object({ e: z.string().min(1).max(40) });
export type EvidenceValue = z.infer<typeof EvidenceValue>;

/**
 * What the Add as evidence form keeps in private_metadata: the framework and level offered (`f`,
 * `l`), the message (`m`: its channel; `ts`: its timestamp) and where to confirm (`u`, the
 * shortcut's response_url; `c`, its channel).
 */
export const EvidenceMetadata = FormOrigin.extend({
  f: id,
  l: id,
  m: z.string().regex(/^[A-Z0-9]{1,40}$/),
  ts: z.string().regex(/^\d{1,12}\.\d{1,10}$/),
  /** When the person ran the shortcut (Unix ms): a deletion of their data since is not undone by the form. */
  a: z.int().min(0).optional(),
});
export type EvidenceMetadata = z.infer<typeof EvidenceMetadata>;

/**
 * A share, on the buttons of its colleague and its owner: whose record it is in (`o`, the owner) and
 * which share (`s`). It grants nothing: every click is refused unless that share is in that record now
 * and the clicker is its colleague (or its owner, for the 1:1 summary).
 */
export const ShareValue = z.object({ o: personKey, s: z.string().min(1).max(40) });
export type ShareValue = z.infer<typeof ShareValue>;

/** One of the clicker's own shares (Take back). */
export const OwnShareValue = z.object({ s: z.string().min(1).max(40) });
export type OwnShareValue = z.infer<typeof OwnShareValue>;

/** What the Share with… form keeps in private_metadata: where it was opened, on which summary (`r`), next to which buttons (`b`). */
export const ShareWithMetadata = FormOrigin.extend({
  r: z.string().min(1).max(60).optional(),
  b: z.string().min(1).max(255).optional(),
});
export type ShareWithMetadata = z.infer<typeof ShareWithMetadata>;

export const encodeValue = (
  value:
    | ShareValue
    | OwnShareValue
    | ShareWithMetadata
    | NoteValue
    | ReviewNoteValue
    | NoteMetadata
    | EvidenceValue
    | EvidenceMetadata
    | PlanItemValue
    | PlanStatusValue
    | PlanFormMetadata
    | StartValue
    | AnswerValue
    | RecordValue
    | TeamViewsValue
    | TeamChartValue
    | RateAllMetadata
    | ReviewValue
    | ReviewAnswerValue
    | OwnReviewValue
    | AskReviewMetadata
    | CommandValue,
): string => JSON.stringify(value);

/** The parsed value, or undefined when the button did not carry what it should. */
export function decodeValue<T>(schema: z.ZodType<T>, raw: string | undefined): T | undefined {
  if (raw === undefined || raw.length > 2000) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
