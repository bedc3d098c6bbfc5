import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { EVIDENCE_MAX, NOTE_MAX, PLAN_ITEMS_MAX, PLAN_STATUSES, SHARES_MAX } from '../model/growth.js';
import {
  boundLog,
  type OrgChange,
  type OrgData,
  type OrgFramework,
  type OrgSettings,
  type PublishedVersion,
} from '../model/org-data.js';
import type { PersonKey } from '../model/person.js';
import type {
  AssessedCompetency,
  AssessmentRecord,
  Cadence,
  Draft,
  InstallationRecord,
  KeptTeamView,
  PersonData,
  RatingValue,
  ReminderSetting,
  Review,
  ReviewGiven,
  StoredRating,
} from '../model/records.js';
import { valueAt } from '../util/value-at.js';
import { InvalidOrgDataError, InvalidPersonDataError } from './store.js';

/**
 * The one definition of the data file (competency-data.json), checked every time the file is read,
 * so a hand-edited or damaged file stops the start instead of being half-read and then overwritten.
 *
 * Objects are strict: a field this version does not know would otherwise be dropped silently on the
 * next write. A change of shape bumps FORMAT_VERSION and gets a migration.
 */

/** The format this version of the app reads and writes. */
export const FORMAT_VERSION = 1;

export type StoreData = {
  formatVersion: typeof FORMAT_VERSION;
  people: Record<PersonKey, PersonData>;
  /** Where the app is installed (when it serves many workspaces); absent when there is none. */
  installations?: Record<string, InstallationRecord>;
  /** Team views answered recently, by `teamViewsKey` of their scope; absent when there are none. */
  teamViews?: Record<string, KeptTeamView[]>;
  /** What orgs keep of their own (OrgData), by org id; absent when no org has any. */
  orgData?: Record<string, OrgData>;
};

export const emptyStoreData = (): StoreData => ({ formatVersion: FORMAT_VERSION, people: {} });

const isoDateTime = z.iso.datetime({
  offset: true,
  error: 'expected a date and time in ISO 8601, e.g. 2025-01-31T09:30:00.000Z',
});

const levelError = { error: 'expected a whole number from 1 to 5' };
const level = z.int(levelError).min(1, levelError).max(5, levelError);
const positionError = { error: 'expected a whole number, 0 or more' };

const RatingValueSchema = z.union(
  [z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal('na')],
  { error: 'expected 1–5 or "na"' },
);

const StoredRatingSchema = z.strictObject({
  value: RatingValueSchema,
  at: isoDateTime,
  frameworkVersion: z.string(),
});

const DraftSchema = z.strictObject({
  sessionId: z.string(),
  frameworkId: z.string(),
  frameworkVersion: z.string(),
  levelId: z.string(),
  position: z.int(positionError).min(0, positionError),
  status: z.enum(['rating', 'finished']),
  startedAt: isoDateTime,
  updatedAt: isoDateTime,
});

const AssessedCompetencySchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  tier: z.enum(['primary', 'supporting']),
  expected: level,
  nextExpected: level.nullable(),
  rating: RatingValueSchema.nullable(),
  note: z.string().max(NOTE_MAX).optional(),
});

const AssessmentRecordSchema = z.strictObject({
  id: z.string(),
  frameworkId: z.string(),
  frameworkVersion: z.string(),
  roleName: z.string(),
  domainName: z.string(),
  levelId: z.string(),
  levelName: z.string(),
  nextLevelName: z.string().nullable(),
  finishedAt: isoDateTime,
  competencies: z.array(AssessedCompetencySchema),
  // Only `true` or absent: "not included" is written by leaving the field out, so files from before
  // team views (format version 1 all the same) read as they are.
  inTeamViews: z.literal(true, { error: 'expected true, or no such field' }).optional(),
});

const ReviewSchema = z.strictObject({
  id: z.string().min(1),
  assessmentId: z.string().min(1),
  reviewer: z.string().min(1),
  reviewerUserId: z.string().min(1),
  reviewerName: z.string().optional(),
  status: z.enum(['asked', 'rating', 'finished', 'declined', 'withdrawn']),
  position: z.int(positionError).min(0, positionError),
  answers: z.record(z.string(), RatingValueSchema.nullable()),
  notes: z.record(z.string(), z.string().max(NOTE_MAX)).optional(),
  askedAt: isoDateTime,
  updatedAt: isoDateTime,
  finishedAt: isoDateTime.optional(),
  requestMessage: z.strictObject({ channel: z.string().min(1), ts: z.string().min(1) }).optional(),
});

const ReviewGivenSchema = z.strictObject({ of: z.string().min(1), id: z.string().min(1) });

const CadenceSchema = z.enum(['monthly', 'quarterly']);

const ReminderSettingSchema = z.strictObject({
  cadence: CadenceSchema,
  frameworkId: z.string().min(1),
  levelId: z.string().min(1),
  userId: z.string().min(1),
  teamId: z.string().min(1),
  enterpriseId: z.string().min(1).optional(),
  timeZone: z.string().min(1),
  dueAt: isoDateTime,
  claim: z.strictObject({ id: z.string().min(1), until: isoDateTime }).optional(),
  lastSentAt: isoDateTime.optional(),
  snoozedAt: isoDateTime.optional(),
  setAt: isoDateTime,
});

// Growth (src/model/growth.ts): notes, evidence, a plan, shares. All came later within format version 1:
// absent means none.
const noteText = z.string().min(1).max(NOTE_MAX);
const day = z.iso.date({ error: 'expected a date as YYYY-MM-DD' });

const CompetencyNoteSchema = z.strictObject({ text: noteText, at: isoDateTime });

const EvidenceSchema = z.strictObject({
  id: z.string().min(1),
  frameworkId: z.string().min(1),
  competencyId: z.string().min(1),
  competencyName: z.string(),
  permalink: z.url({ protocol: /^https?$/ }),
  channelId: z.string().min(1),
  messageTs: z.string().min(1),
  postedAt: isoDateTime,
  addedAt: isoDateTime,
  addedBy: z.string().min(1),
  note: noteText.optional(),
});

const PlanItemSchema = z.strictObject({
  id: z.string().min(1),
  competencyId: z.string().min(1),
  competencyName: z.string(),
  goal: noteText,
  nextStep: noteText,
  targetDate: day,
  status: z.enum(PLAN_STATUSES),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  finishedOn: day.optional(),
});

const PlanSchema = z.strictObject({
  frameworkId: z.string().min(1),
  levelId: z.string().min(1),
  assessmentId: z.string().min(1),
  roleName: z.string(),
  levelName: z.string(),
  timeZone: z.string().min(1),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  items: z.array(PlanItemSchema).max(PLAN_ITEMS_MAX),
  canvas: z.strictObject({ id: z.string().min(1) }).optional(),
});

const ShareSchema = z.strictObject({
  id: z.string().min(1),
  withUserId: z.string().min(1),
  with: z.string().min(1),
  ownerUserId: z.string().min(1),
  at: isoDateTime,
  message: z.strictObject({ channel: z.string().min(1), ts: z.string().min(1) }).optional(),
  lastOneOnOne: z
    .strictObject({
      at: isoDateTime,
      assessmentId: z.string().min(1).optional(),
      items: z.record(z.string(), z.enum(PLAN_STATUSES)),
    })
    .optional(),
});

const ShareReceivedSchema = z.strictObject({ of: z.string().min(1), id: z.string().min(1) });

export const PersonDataSchema = z.strictObject({
  ratings: z.record(z.string(), z.record(z.string(), StoredRatingSchema)),
  drafts: z.record(z.string(), DraftSchema),
  history: z.array(AssessmentRecordSchema),
  // Reviews (a colleague's ratings of an assessment) came later within format version 1: optional,
  // so files written before them load as they are.
  reviews: z.array(ReviewSchema).optional(),
  reviewsGiven: z.array(ReviewGivenSchema).optional(),
  // Check-in reminders came later within format version 1 too: absent means none.
  reminder: ReminderSettingSchema.optional(),
  // So did the workspaces a person of an Enterprise Grid org used: absent means none known.
  workspaces: z.array(z.string().min(1)).optional(),
  notes: z.record(z.string(), z.record(z.string(), CompetencyNoteSchema)).optional(),
  evidence: z.array(EvidenceSchema).max(EVIDENCE_MAX).optional(),
  plan: PlanSchema.optional(),
  shares: z.array(ShareSchema).max(SHARES_MAX).optional(),
  sharesReceived: z.array(ShareReceivedSchema).optional(),
});

const KeptTeamViewSchema = z.strictObject({
  at: isoDateTime,
  contributors: z.array(z.string()),
  shown: z.record(z.string(), z.array(z.string())),
});

// What orgs keep of their own (src/model/org-data.ts). Its text never holds U+0000 or a lone
// surrogate, which PostgreSQL's jsonb cannot keep: refused here, so every store refuses the same.
const orgText = z.string().refine((text) => !text.includes('\u0000') && !/\p{Cs}/u.test(text), {
  error: 'expected text without NUL characters (U+0000) or lone surrogates',
});
const orgName = orgText.min(1, { error: 'expected a non-empty string' });

/** A refinement: no two items of a list with the same `key`. */
function unique<T>(what: string, key: (item: T) => string) {
  return (items: T[], context: z.core.$RefinementCtx<T[]>): void => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const id = key(item);
      if (seen.has(id))
        context.addIssue({
          code: 'custom',
          path: [index],
          message: `${what} ${JSON.stringify(id)} comes twice`,
        });
      seen.add(id);
    });
  };
}

const PublishedVersionSchema = z.strictObject({
  version: orgName,
  yaml: orgText,
  publishedAt: isoDateTime,
  publishedBy: orgName,
});

const OrgFrameworkSchema = z.strictObject({
  id: orgName,
  versions: z
    .array(PublishedVersionSchema)
    .min(1, { error: 'expected at least one published version' })
    .superRefine(unique('the version', (version: PublishedVersion) => version.version)),
  retired: z.strictObject({ at: isoDateTime, by: orgName }).optional(),
});

const OrgChangeSchema = z.strictObject({ at: isoDateTime, by: orgName, what: orgName });

const minimumError = { error: 'expected a whole number, 1 or more' };
const OrgSettingsSchema = z.strictObject({
  teamViewMinimum: z.int(minimumError).min(1, minimumError).optional(),
  cadence: CadenceSchema.optional(),
  editorsGroup: z
    .string()
    .regex(/^S[A-Z0-9]{2,40}$/, { error: 'expected a user group id (S…)' })
    .optional(),
});

const revisionError = { error: 'expected a whole number, 0 or more' };
const OrgDataSchema = z.strictObject({
  frameworks: z
    .array(OrgFrameworkSchema)
    .superRefine(unique('the framework', (framework: OrgFramework) => framework.id)),
  hiddenBundled: z.array(orgName).superRefine(unique('the framework', (id: string) => id)),
  settings: OrgSettingsSchema,
  log: z.array(OrgChangeSchema),
  revision: z.int(revisionError).min(0, revisionError),
});

const InstallationRecordSchema = z.strictObject({
  id: z.string().min(1),
  enterpriseId: z.string().min(1).nullable(),
  installation: z.record(z.string(), z.unknown()),
  installedAt: isoDateTime,
  updatedAt: isoDateTime,
});

const StoreDataSchema = z.strictObject({
  formatVersion: z.literal(FORMAT_VERSION),
  people: z.record(z.string(), PersonDataSchema),
  installations: z.record(z.string(), InstallationRecordSchema).optional(),
  teamViews: z.record(z.string(), z.array(KeptTeamViewSchema)).optional(),
  // Came later within format version 1: files from before it load as they are.
  orgData: z.record(z.string(), OrgDataSchema).optional(),
});

// The schema and the types in src/model/records.ts must describe the same thing: these fail to compile otherwise.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameTypes: [
  Same<z.infer<typeof RatingValueSchema>, RatingValue>,
  Same<z.infer<typeof StoredRatingSchema>, StoredRating>,
  Same<z.infer<typeof DraftSchema>, Draft>,
  Same<z.infer<typeof AssessedCompetencySchema>, AssessedCompetency>,
  Same<z.infer<typeof AssessmentRecordSchema>, AssessmentRecord>,
  Same<z.infer<typeof ReviewSchema>, Review>,
  Same<z.infer<typeof ReviewGivenSchema>, ReviewGiven>,
  Same<z.infer<typeof CadenceSchema>, Cadence>,
  Same<z.infer<typeof ReminderSettingSchema>, ReminderSetting>,
  Same<z.infer<typeof PersonDataSchema>, PersonData>,
  Same<z.infer<typeof InstallationRecordSchema>, InstallationRecord>,
  Same<z.infer<typeof KeptTeamViewSchema>, KeptTeamView>,
  Same<z.infer<typeof PublishedVersionSchema>, PublishedVersion>,
  Same<z.infer<typeof OrgFrameworkSchema>, OrgFramework>,
  Same<z.infer<typeof OrgChangeSchema>, OrgChange>,
  Same<z.infer<typeof OrgSettingsSchema>, OrgSettings>,
  Same<z.infer<typeof OrgDataSchema>, OrgData>,
  Same<z.infer<typeof StoreDataSchema>, StoreData>,
] = [
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
  true,
];
void sameTypes;

export type DataFileCheck =
  | { ok: true; data: StoreData }
  | { ok: false; problem: 'newer-format'; formatVersion: number }
  | { ok: false; problem: 'invalid'; issues: string[] };

/**
 * Checks parsed JSON against the format. A newer formatVersion is reported on its own: its fields
 * may be valid there, and the only useful advice is to run the newer app.
 */
export function checkDataFile(json: unknown): DataFileCheck {
  if (json !== null && typeof json === 'object' && 'formatVersion' in json) {
    const version = json.formatVersion;
    if (typeof version === 'number' && Number.isInteger(version) && version > FORMAT_VERSION) {
      return { ok: false, problem: 'newer-format', formatVersion: version };
    }
  }
  const parsed = StoreDataSchema.safeParse(json);
  // The schema has no defaults or transforms, so valid input is the data as it is. Keep JSON.parse's
  // objects rather than zod's copies: they keep keys such as "__proto__" as plain properties.
  if (parsed.success) return { ok: true, data: json as StoreData };
  return {
    ok: false,
    problem: 'invalid',
    issues: parsed.error.issues.map((issue) =>
      issue.path.length === 0
        ? `expected an object { "formatVersion": ${FORMAT_VERSION}, "people": {...} }, found ${show(json)}`
        : `${formatPath(issue.path)}: ${explain(issue, json)}`,
    ),
  };
}

/**
 * What is wrong with one person's data, in the same plain words as checkDataFile, with paths from
 * the person (`history[0].competencies[0].expected: ...`); empty when it fits the data file.
 * Stores check each change with it, so a change the next start would refuse never reaches the file.
 */
export function personDataProblems(data: unknown): string[] {
  const parsed = PersonDataSchema.safeParse(data);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) =>
    issue.path.length === 0
      ? `expected an object { "ratings": {...}, "drafts": {...}, "history": [...] }, found ${show(data)}`
      : `${formatPath(issue.path, PersonDataSchema)}: ${explain(issue, data)}`,
  );
}

/** What is wrong with the team views kept for one scope, in the same plain words; empty when they fit. */
export function teamViewsProblems(kept: unknown): string[] {
  const parsed = z.array(KeptTeamViewSchema).safeParse(kept);
  if (parsed.success) return [];
  return parsed.error.issues.map(
    (issue) => `teamViews${formatPath(issue.path, z.array(KeptTeamViewSchema))}: ${explain(issue, kept)}`,
  );
}

/** What is wrong with what an org keeps of its own, in the same plain words; empty when it fits. */
function orgDataProblems(data: unknown): string[] {
  const parsed = OrgDataSchema.safeParse(data);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) =>
    issue.path.length === 0
      ? `expected an object { "frameworks": [...], "hiddenBundled": [...], "settings": {...}, "log": [...], "revision": 0 }, found ${show(data)}`
      : `${formatPath(issue.path, OrgDataSchema)}: ${explain(issue, data)}`,
  );
}

/**
 * A change of what an org keeps of its own, as every store makes it: `change` runs on a copy of
 * `current`; the copy comes back as `next` to be stored — with its change log cut to ORG_LOG_LIMIT
 * entries, and `current`'s revision (whatever `change` set it to is undone: the store gives `next`
 * its new revision as it writes it) — or undefined when it is left as it was (nothing to write).
 * Throws what `change` throws, or InvalidOrgDataError when the copy does not fit the data file.
 */
export function applyOrgDataChange<T>(
  current: Readonly<OrgData>,
  change: (data: OrgData) => T,
): { result: T; next: OrgData | undefined } {
  const copy = structuredClone(current) as OrgData;
  const result = change(copy);
  // An object, so that the revision can be put back; anything else is refused below.
  if (copy !== null && typeof copy === 'object') copy.revision = current.revision;
  if (isDeepStrictEqual(copy, current)) return { result, next: undefined };
  boundLog(copy);
  const problems = orgDataProblems(copy);
  if (problems.length > 0) throw new InvalidOrgDataError(problems);
  return { result, next: copy };
}

/**
 * One change, as every store makes it: `change` runs on a copy of `current`; the copy comes back as
 * `next` to be stored, or undefined when it is left as it was (nothing to write). Throws what `change`
 * throws, or InvalidPersonDataError when the copy does not fit the data file.
 */
export function applyChange<T>(
  current: Readonly<PersonData>,
  change: (data: PersonData) => T,
): { result: T; next: PersonData | undefined } {
  const copy = structuredClone(current) as PersonData;
  const result = change(copy);
  if (isDeepStrictEqual(copy, current)) return { result, next: undefined };
  const problems = personDataProblems(copy);
  if (problems.length > 0) throw new InvalidPersonDataError(problems);
  return { result, next: copy };
}

// ---------------------------------------------------------------------------------------------
// Plain-words issues: `people["T1:U1"].ratings["x"]["y"].value: expected 1–5 or "na", found 7`

type Schema = z.core.$ZodType;
type Path = PropertyKey[];

/** Fields as `.name`, record keys as `["key"]` (person keys contain `:`), array items as `[0]`. */
function formatPath(path: Path, root: Schema = StoreDataSchema): string {
  let schema: Schema | undefined = root;
  let out = '';
  for (const segment of path) {
    schema = unwrap(schema);
    if (typeof segment === 'number') {
      out += `[${segment}]`;
      schema = schema instanceof z.ZodArray ? schema.element : undefined;
    } else if (schema instanceof z.ZodObject) {
      out += `${out === '' ? '' : '.'}${String(segment)}`;
      schema = schema.shape[String(segment)];
    } else {
      out += `[${JSON.stringify(String(segment))}]`;
      schema = schema instanceof z.ZodRecord ? schema.valueType : undefined;
    }
  }
  return out;
}

function unwrap(schema: Schema | undefined): Schema | undefined {
  let s = schema;
  while (s instanceof z.ZodNullable || s instanceof z.ZodOptional) s = s.unwrap();
  return s;
}

function explain(issue: z.core.$ZodIssue, json: unknown): string {
  const found = valueAt(json, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (found === undefined) return `required field is missing (expected ${issue.expected})`;
      return `expected ${issue.expected}, found ${show(found)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}`;
    case 'invalid_value':
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, found ${show(found)}`;
    default:
      // Our own messages (levels, ratings, dates) already speak plainly.
      return `${issue.message}, found ${show(found)}`;
  }
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
