import type { PersonKey } from '../model/person.js';
import type { AssessmentRecord, PersonData, RatingValue, ReminderSetting, Review } from '../model/records.js';
import { guardCell } from '../util/csv-guard.js';
import type { GivenReviewExport } from './reviews.js';

/**
 * "Export my data": everything the app keeps about one person, as JSON (complete, for machines and
 * for the record) and as CSV (one table, for spreadsheets). Plain functions with no Slack imports;
 * the caller decides how the file reaches the person.
 */

const ABOUT =
  'Everything this app keeps about you. "ratings" holds your current self-rating of each competency, ' +
  'by framework id and then competency id, with when you gave it and the framework version you saw. ' +
  '"inProgress" holds, per framework, the assessment you last started: the level and how far you got. ' +
  '"history" lists your finished assessments, oldest first, each with the expected levels as they were ' +
  'when you finished it; "inTeamViews": true marks the one you chose to include in team views. Ratings ' +
  'run from 1 to 5; "na" means not applicable to your work, and null means you skipped that competency. ' +
  '"reviewsOfYou" lists the reviews you asked colleagues for, by assessment id, with the reviewer\'s ' +
  'answers once they finished (answers of a review still under way are theirs until then). ' +
  '"reviewsYouGave" lists the reviews colleagues asked you for, with the answers you gave. ' +
  '"checkInReminder", when you asked for one, is your check-in reminder: how often, about which ' +
  'framework and level, your time zone, when the next one is due and when the last one was sent. ' +
  '"workspaces", in an Enterprise Grid org, lists the workspaces of the org you used the app from (when the ' +
  'app is removed from some of them, it keeps your data only while one you used still has it). Besides this, ' +
  'for each team view given in the last weeks that counted an assessment of yours, the app keeps your user id ' +
  "and that assessment's id among its contributors (no rating), so that no later answer can be subtracted " +
  'from it; forgetting your data replaces them with an anonymous stand-in.';

/** The person's check-in reminder as their export shows it (without the sending instance's claim). */
function reminderExport(reminder: ReminderSetting) {
  return {
    cadence: reminder.cadence,
    frameworkId: reminder.frameworkId,
    levelId: reminder.levelId,
    userId: reminder.userId,
    teamId: reminder.teamId,
    ...(reminder.enterpriseId === undefined ? {} : { enterpriseId: reminder.enterpriseId }),
    timeZone: reminder.timeZone,
    nextDueAt: reminder.dueAt,
    ...(reminder.lastSentAt === undefined ? {} : { lastSentAt: reminder.lastSentAt }),
    ...(reminder.snoozedAt === undefined ? {} : { snoozedAt: reminder.snoozedAt }),
    setAt: reminder.setAt,
  };
}

/** A review of the person, as their export shows it: the reviewer's answers only once finished. */
function reviewOfYou(review: Review) {
  return {
    id: review.id,
    assessmentId: review.assessmentId,
    reviewerUserId: review.reviewerUserId,
    status: review.status,
    askedAt: review.askedAt,
    ...(review.finishedAt ? { finishedAt: review.finishedAt } : {}),
    answers: review.status === 'finished' ? review.answers : {},
  };
}

/** Pretty JSON (two spaces, trailing newline) of everything kept about the person. */
export function exportJson(
  person: PersonKey,
  data: Readonly<PersonData>,
  exportedAt: Date,
  given: readonly GivenReviewExport[] = [],
  adminChanges: readonly { at: string; what: string }[] = [],
): string {
  const content = {
    about: ABOUT,
    exportedAt: exportedAt.toISOString(),
    person,
    ratings: data.ratings,
    inProgress: data.drafts,
    history: data.history,
    reviewsOfYou: (data.reviews ?? []).map(reviewOfYou),
    reviewsYouGave: given,
    ...(data.reminder === undefined ? {} : { checkInReminder: reminderExport(data.reminder) }),
    ...(data.workspaces === undefined ? {} : { workspaces: data.workspaces }),
    // An admin's changes to their organisation's frameworks and settings, kept with their id.
    ...(adminChanges.length === 0 ? {} : { changesYouMadeAsAdmin: adminChanges }),
  };
  return `${JSON.stringify(content, null, 2)}\n`;
}

/** What the caller knows about a framework and competency, for current ratings, which keep ids only. */
export type NameLookup = (
  frameworkId: string,
  competencyId: string,
) => { role?: string; domain?: string; competency?: string } | undefined;

export const CSV_COLUMNS = [
  'kind',
  'finished_at_or_rated_at',
  'framework_id',
  'framework_version',
  'role',
  'domain',
  'level',
  'competency_id',
  'competency',
  'tier',
  'rating',
  'expected',
  'next_level_expected',
] as const;

type CsvRow = Record<(typeof CSV_COLUMNS)[number], string>;

/** A row for one competency of a finished assessment: its expectations, and the rating given (by whom, `kind` says). */
function assessedRow(
  kind: string,
  at: string,
  record: AssessmentRecord,
  c: AssessmentRecord['competencies'][number],
  rating: RatingValue | null,
): CsvRow {
  return {
    kind,
    finished_at_or_rated_at: at,
    framework_id: record.frameworkId,
    framework_version: record.frameworkVersion,
    role: record.roleName,
    domain: record.domainName,
    level: record.levelName,
    competency_id: c.id,
    competency: c.name,
    tier: c.tier,
    rating: ratingText(rating),
    expected: String(c.expected),
    next_level_expected: c.nextExpected === null ? '' : String(c.nextExpected),
  };
}

/**
 * One CSV table: a row per competency of each finished assessment (oldest first), then a row per
 * current rating. Current ratings keep only ids, so their names come from `names` when given, and
 * stay blank when unknown; they have no level, and so no expected levels either. Then a row per
 * competency of each finished review of the person (`review of you`: the reviewer's rating), and of
 * each review they gave (`review you gave`: their own rating). Last, their check-in reminder, if
 * any, as one row (`check-in reminder (monthly)`, when the next is due, its framework and level id).
 */
export function exportCsv(
  data: Readonly<PersonData>,
  names?: NameLookup,
  given: readonly GivenReviewExport[] = [],
): string {
  const rows: CsvRow[] = [];
  for (const record of data.history) {
    for (const c of record.competencies)
      rows.push(assessedRow('assessment', record.finishedAt, record, c, c.rating));
  }
  for (const [frameworkId, ratings] of Object.entries(data.ratings)) {
    for (const [competencyId, rating] of Object.entries(ratings)) {
      const known = names?.(frameworkId, competencyId);
      rows.push({
        kind: 'current rating',
        finished_at_or_rated_at: rating.at,
        framework_id: frameworkId,
        framework_version: rating.frameworkVersion,
        role: known?.role ?? '',
        domain: known?.domain ?? '',
        level: '',
        competency_id: competencyId,
        competency: known?.competency ?? '',
        tier: '',
        rating: ratingText(rating.value),
        expected: '',
        next_level_expected: '',
      });
    }
  }
  for (const review of data.reviews ?? []) {
    if (review.status !== 'finished') continue;
    const record = data.history.find((r) => r.id === review.assessmentId);
    if (!record) continue;
    for (const c of record.competencies) {
      if (!Object.hasOwn(review.answers, c.id)) continue;
      const at = review.finishedAt ?? review.updatedAt;
      rows.push(assessedRow('review of you', at, record, c, review.answers[c.id] ?? null));
    }
  }
  for (const review of given) {
    for (const answer of review.answers) {
      rows.push({
        kind: 'review you gave',
        finished_at_or_rated_at: review.finishedAt ?? review.askedAt,
        framework_id: '',
        framework_version: '',
        role: review.roleName,
        domain: review.domainName,
        level: review.levelName,
        competency_id: answer.competencyId,
        competency: answer.competency,
        tier: '',
        rating: ratingText(answer.rating),
        expected: '',
        next_level_expected: '',
      });
    }
  }
  const reminder = data.reminder;
  if (reminder !== undefined) {
    rows.push({
      kind: `check-in reminder (${reminder.cadence})`,
      finished_at_or_rated_at: reminder.dueAt,
      framework_id: reminder.frameworkId,
      framework_version: '',
      role: '',
      domain: '',
      level: reminder.levelId,
      competency_id: '',
      competency: '',
      tier: '',
      rating: '',
      expected: '',
      next_level_expected: '',
    });
  }
  const lines = [
    CSV_COLUMNS.map(csvField),
    ...rows.map((row) => CSV_COLUMNS.map((column) => csvField(row[column]))),
  ];
  return lines.map((fields) => `${fields.join(',')}\r\n`).join('');
}

/** `competency-export-2026-11-27.json`: the date (UTC) only, so the name gives away no user id. */
export function exportFileName(_person: PersonKey, at: Date, ext: 'json' | 'csv'): string {
  return `competency-export-${at.toISOString().slice(0, 10)}.${ext}`;
}

function ratingText(rating: RatingValue | null): string {
  return rating === null ? '' : String(rating);
}

/**
 * One CSV field (RFC 4180). A field a spreadsheet would run as a formula gets a leading `'` (see
 * guardCell), so it shows as text. A field with a comma, quote, CR or LF is put in quotes, with its
 * quotes doubled.
 */
function csvField(value: string): string {
  const safe = guardCell(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
