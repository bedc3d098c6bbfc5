import type { PersonData, PersonKey, RatingValue } from '../store/store.js';

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
  'run from 1 to 5; "na" means not applicable to your work, and null means you skipped that competency.';

/** Pretty JSON (two spaces, trailing newline) of everything kept about the person. */
export function exportJson(person: PersonKey, data: Readonly<PersonData>, exportedAt: Date): string {
  const content = {
    about: ABOUT,
    exportedAt: exportedAt.toISOString(),
    person,
    ratings: data.ratings,
    inProgress: data.drafts,
    history: data.history,
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

/**
 * One CSV table: a row per competency of each finished assessment (oldest first), then a row per
 * current rating. Current ratings keep only ids, so their names come from `names` when given, and
 * stay blank when unknown; they have no level, and so no expected levels either.
 */
export function exportCsv(data: Readonly<PersonData>, names?: NameLookup): string {
  const rows: CsvRow[] = [];
  for (const record of data.history) {
    for (const c of record.competencies) {
      rows.push({
        kind: 'assessment',
        finished_at_or_rated_at: record.finishedAt,
        framework_id: record.frameworkId,
        framework_version: record.frameworkVersion,
        role: record.roleName,
        domain: record.domainName,
        level: record.levelName,
        competency_id: c.id,
        competency: c.name,
        tier: c.tier,
        rating: ratingText(c.rating),
        expected: String(c.expected),
        next_level_expected: c.nextExpected === null ? '' : String(c.nextExpected),
      });
    }
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
 * One CSV field (RFC 4180). Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` (or a tab
 * or carriage return before one) as a formula, so such a field gets a leading `'` and shows as text.
 * A field with a comma, quote, CR or LF is put in quotes, with its quotes doubled.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
