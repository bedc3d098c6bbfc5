import { type PersonKey, userOfPerson } from '../model/person.js';
import type { AssessmentRecord, PersonData, RatingValue, ReminderSetting, Review } from '../model/records.js';
import { guardCell } from '../util/csv-guard.js';
import { own } from '../util/own.js';
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
  '"notes" holds your note on each competency you wrote one for, by framework id and then competency id; ' +
  'each finished assessment keeps the notes you had when you finished it ("note"). "evidence" lists the ' +
  'Slack messages you added as evidence for a competency: a link to each message, its channel and ' +
  'timestamp, when it was posted and when you added it, and your own note on it, never the words of the ' +
  'message. A reviewer\'s notes ("notes" of a review) come with their answers once they finish; the notes ' +
  'you wrote as a reviewer are with the reviews you gave. ' +
  '"workspaces", in an Enterprise Grid org, lists the workspaces of the org you used the app from (when the ' +
  'app is removed from some of them, it keeps your data only while one you used still has it). Besides this, ' +
  'for each team view given in the last weeks that counted an assessment of yours, the app keeps your user id ' +
  "and that assessment's id among its contributors (no rating), so that no later answer can be subtracted " +
  'from it; forgetting your data replaces them with an anonymous stand-in. ' +
  '"plan", when you made one, is your plan for your gaps: the assessment it was made from, your time zone ' +
  '(its dates are days there), and each item: the competency, your goal, your next step, the target date, ' +
  'how it goes (open, moving, stuck, done, dropped) and the day it was finished; and the canvas it was ' +
  'opened as, if any. ' +
  '"sharesYouGave" lists the people you share your latest self-assessment, notes, evidence and plan with ' +
  '(their user id, since when, and when you last had a 1:1 summary together); "sharesWithYou" lists who ' +
  'shares theirs with you (their user id).';

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
    // A reviewer's notes reach the person reviewed with the finished review only.
    ...(review.status === 'finished' && review.notes ? { notes: review.notes } : {}),
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
    notes: data.notes ?? {},
    evidence: data.evidence ?? [],
    reviewsOfYou: (data.reviews ?? []).map(reviewOfYou),
    reviewsYouGave: given,
    ...(data.reminder === undefined ? {} : { checkInReminder: reminderExport(data.reminder) }),
    ...(data.workspaces === undefined ? {} : { workspaces: data.workspaces }),
    ...(data.plan === undefined ? {} : { plan: data.plan }),
    // Whom the person shares with, and who shares with them (see Share in model/growth.ts).
    sharesYouGave: (data.shares ?? []).map((share) => ({
      with: share.withUserId,
      since: share.at,
      ...(share.lastOneOnOne ? { lastOneOnOneSummary: share.lastOneOnOne.at } : {}),
    })),
    sharesWithYou: (data.sharesReceived ?? []).map((entry) => ({ from: userOfPerson(entry.of) })),
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
  'goal',
  'next_step',
  'target_date',
  // A note (the person's on a rating, a reviewer's, or one on a piece of evidence), and the link to the
  // Slack message a piece of evidence is: blank where there is none.
  'note',
  'evidence_link',
  // The Slack user id of the colleague a share is with (`share you gave`) or from (`share with you`).
  'person',
] as const;

type CsvRow = Omit<Record<(typeof CSV_COLUMNS)[number], string>, 'note' | 'evidence_link' | 'person'> & {
  note?: string;
  evidence_link?: string;
  person?: string;
};

/** A row with every column blank: each kind of row fills in its own. */
const BLANK_ROW = Object.fromEntries(CSV_COLUMNS.map((column) => [column, ''])) as CsvRow;

/** A row for one competency of a finished assessment: its expectations, and the rating given (by whom, `kind` says). */
function assessedRow(
  kind: string,
  at: string,
  record: AssessmentRecord,
  c: AssessmentRecord['competencies'][number],
  rating: RatingValue | null,
  note?: string,
): CsvRow {
  return {
    ...BLANK_ROW,
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
    ...(note === undefined ? {} : { note }),
  };
}

/**
 * One CSV table: a row per competency of each finished assessment (oldest first), then a row per
 * current rating. Current ratings keep only ids, so their names come from `names` when given, and
 * stay blank when unknown; they have no level, and so no expected levels either. Then a row per
 * competency of each finished review of the person (`review of you`: the reviewer's rating), and of
 * each review they gave (`review you gave`: their own rating). Last, their check-in reminder, if
 * any, as one row (`check-in reminder (monthly)`, when the next is due, its framework and level id).
 * Then a row per item of their plan (`plan item (moving)`: its goal, next step and target date in
 * their own columns, and the day it was finished). Notes are in the `note` column of the rows they
 * belong to; the person's current notes and evidence have rows of their own (see growthRows). Last,
 * a row per share they gave (`share you gave`, since when) and were given (`share with you`), with
 * the other person's Slack user id in `person`.
 */
export function exportCsv(
  data: Readonly<PersonData>,
  names?: NameLookup,
  given: readonly GivenReviewExport[] = [],
): string {
  const rows: CsvRow[] = [];
  for (const record of data.history) {
    for (const c of record.competencies)
      rows.push(assessedRow('assessment', record.finishedAt, record, c, c.rating, c.note));
  }
  for (const [frameworkId, ratings] of Object.entries(data.ratings)) {
    for (const [competencyId, rating] of Object.entries(ratings)) {
      const known = names?.(frameworkId, competencyId);
      rows.push({
        ...BLANK_ROW,
        kind: 'current rating',
        finished_at_or_rated_at: rating.at,
        framework_id: frameworkId,
        framework_version: rating.frameworkVersion,
        role: known?.role ?? '',
        domain: known?.domain ?? '',
        competency_id: competencyId,
        competency: known?.competency ?? '',
        rating: ratingText(rating.value),
      });
    }
  }
  rows.push(...growthRows(data, names));
  for (const review of data.reviews ?? []) {
    if (review.status !== 'finished') continue;
    const record = data.history.find((r) => r.id === review.assessmentId);
    if (!record) continue;
    for (const c of record.competencies) {
      if (!Object.hasOwn(review.answers, c.id)) continue;
      const at = review.finishedAt ?? review.updatedAt;
      rows.push(
        assessedRow('review of you', at, record, c, review.answers[c.id] ?? null, own(review.notes, c.id)),
      );
    }
  }
  for (const review of given) {
    for (const answer of review.answers) {
      rows.push({
        ...BLANK_ROW,
        kind: 'review you gave',
        finished_at_or_rated_at: review.finishedAt ?? review.askedAt,
        role: review.roleName,
        domain: review.domainName,
        level: review.levelName,
        competency_id: answer.competencyId,
        competency: answer.competency,
        rating: ratingText(answer.rating),
        note: own(review.notes, answer.competencyId) ?? '',
      });
    }
  }
  const reminder = data.reminder;
  if (reminder !== undefined) {
    rows.push({
      ...BLANK_ROW,
      kind: `check-in reminder (${reminder.cadence})`,
      finished_at_or_rated_at: reminder.dueAt,
      framework_id: reminder.frameworkId,
      level: reminder.levelId,
    });
  }
  // The plan's items: how each goes in `kind`, and the day it finished (else when it last changed).
  const plan = data.plan;
  for (const item of plan?.items ?? []) {
    rows.push({
      ...BLANK_ROW,
      kind: `plan item (${item.status})`,
      finished_at_or_rated_at: item.finishedOn ?? item.updatedAt,
      framework_id: plan?.frameworkId ?? '',
      role: plan?.roleName ?? '',
      level: plan?.levelName ?? '',
      competency_id: item.competencyId,
      competency: item.competencyName,
      goal: item.goal,
      next_step: item.nextStep,
      target_date: item.targetDate,
    });
  }
  // Whom the person shares with (since when), and who shares with them: a row each.
  const share = (kind: string, at: string, person: string): CsvRow => ({
    ...BLANK_ROW,
    kind,
    finished_at_or_rated_at: at,
    person,
  });
  for (const given of data.shares ?? []) rows.push(share('share you gave', given.at, given.withUserId));
  for (const entry of data.sharesReceived ?? [])
    rows.push(share('share with you', '', userOfPerson(entry.of)));
  const lines = [
    CSV_COLUMNS.map(csvField),
    ...rows.map((row) => CSV_COLUMNS.map((column) => csvField(row[column] ?? ''))),
  ];
  return lines.map((fields) => `${fields.join(',')}\r\n`).join('');
}

/** `competency-export-2026-11-27.json`: the date (UTC) only, so the name gives away no user id. */
export function exportFileName(_person: PersonKey, at: Date, ext: 'json' | 'csv'): string {
  return `competency-export-${at.toISOString().slice(0, 10)}.${ext}`;
}

/**
 * The person's current notes (`current note`: one per competency, beside the current rating) and
 * their evidence (`evidence`: when the message was posted, the competency, their note, the link).
 */
function growthRows(data: Readonly<PersonData>, names: NameLookup | undefined): CsvRow[] {
  const rows: CsvRow[] = [];
  for (const [frameworkId, notes] of Object.entries(data.notes ?? {})) {
    for (const [competencyId, note] of Object.entries(notes)) {
      const known = names?.(frameworkId, competencyId);
      rows.push({
        ...BLANK_ROW,
        kind: 'current note',
        finished_at_or_rated_at: note.at,
        framework_id: frameworkId,
        role: known?.role ?? '',
        domain: known?.domain ?? '',
        competency_id: competencyId,
        competency: known?.competency ?? '',
        note: note.text,
      });
    }
  }
  for (const evidence of data.evidence ?? []) {
    const known = names?.(evidence.frameworkId, evidence.competencyId);
    rows.push({
      ...BLANK_ROW,
      kind: 'evidence',
      finished_at_or_rated_at: evidence.postedAt,
      framework_id: evidence.frameworkId,
      role: known?.role ?? '',
      domain: known?.domain ?? '',
      competency_id: evidence.competencyId,
      competency: evidence.competencyName,
      note: evidence.note ?? '',
      evidence_link: evidence.permalink,
    });
  }
  return rows;
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
