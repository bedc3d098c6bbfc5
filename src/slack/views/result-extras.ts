import { evidenceFor } from '../../assessments/evidence.js';
import type { Evidence } from '../../model/growth.js';
import type { AssessmentRecord } from '../../model/records.js';
import { code, link } from './mrkdwn.js';
import { escapedWithin, evenShare, oneLine } from './notes.js';
import { COMMAND } from './types.js';

/**
 * What a person's own summary shows under each competency besides the rating: their note, and the
 * Slack messages they added as evidence (links that open them, the most recent first). Within the
 * room the message has left: evidence first, fewer links per competency when there are many; then the
 * notes, each cut to the same length when they do not all fit ("…"; the export has every word).
 */

/** The most links shown per competency; the rest are counted ("+2 more in your export"). */
const EVIDENCE_LINKS_SHOWN = 3;

/** Below this many characters a note is not worth showing cut: the row says it is in the export. */
const SHORTEST_NOTE = 40;

const NOTE_PREFIX = ':memo: ';

/**
 * Whose summary it is: the person's own (`own`: what did not fit is in their export), or the one a
 * colleague they share with reads (`shared`: the colleague has no export of it, so nothing points there).
 */
export type ExtrasReader = 'own' | 'shared';

/** What a row says of a note too long to show even cut, and of links left out. */
const WORDS = {
  own: {
    noteElsewhere: ':memo: _a note, in your export_',
    more: (n: number) => ` +${n} more in your export`,
    none: (n: number) => `:link: ${n} ${n === 1 ? 'message' : 'messages'} as evidence, listed in your export`,
  },
  shared: {
    noteElsewhere: ':memo: _a note, too long to show here_',
    more: (n: number) => ` +${n} more`,
    none: (n: number) => `:link: ${n} ${n === 1 ? 'message' : 'messages'} as evidence, too many to list here`,
  },
} as const satisfies Record<ExtrasReader, unknown>;

const POSTED = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** `3 Mar 2025`: the day the message was posted (UTC), as the link's text. */
function postedDay(evidence: Evidence): string {
  const date = new Date(evidence.postedAt);
  return Number.isNaN(date.getTime()) ? 'a message' : POSTED.format(date);
}

/** `:link: <…|3 Mar 2025> · <…|1 Feb 2025> +2 more in your export`, with at most `shown` links. */
function evidenceLine(pieces: readonly Evidence[], shown: number, reader: ExtrasReader): string {
  if (pieces.length === 0) return '';
  if (shown === 0) return WORDS[reader].none(pieces.length);
  const links = pieces.slice(0, shown).map((e) => link(e.permalink, postedDay(e)));
  const more = pieces.length > shown ? WORDS[reader].more(pieces.length - shown) : '';
  return `:link: Evidence: ${links.join(' · ')}${more}`;
}

/** One competency's row: its note (if any), its evidence (most recent first), and the room its section has left. */
type Row = { note: string | undefined; evidence: readonly Evidence[]; room: number };

/**
 * The lines to add to each row (`''` for none), within `budget` characters in all, and whether any
 * note had to be cut or left to the export.
 */
function fitExtras(
  rows: readonly Row[],
  budget: number,
  reader: ExtrasReader,
): { lines: string[]; shortened: boolean } {
  const noteElsewhere = WORDS[reader].noteElsewhere;
  const hasNotes = rows.some((r) => r.note !== undefined);
  // Evidence first: as many links per competency as fit in half the room (all of it without notes).
  const evidenceRoom = hasNotes ? budget / 2 : budget;
  let evidence: string[] = [];
  for (const shown of [EVIDENCE_LINKS_SHOWN, 1, 0]) {
    evidence = rows.map((r) => {
      let line = evidenceLine(r.evidence, shown, reader);
      if (line.length > r.room) line = evidenceLine(r.evidence, 0, reader);
      return line;
    });
    if (evidence.reduce((sum, line) => sum + line.length + 1, 0) <= evidenceRoom) break;
  }
  const evidenceTotal = evidence.reduce((sum, line) => sum + (line ? line.length + 1 : 0), 0);
  if (evidenceTotal > budget) evidence = evidence.map(() => '');

  // Then the notes, each cut to the same length when they do not all fit.
  const notes = rows.map((r) => (r.note === undefined ? undefined : oneLine(r.note)));
  const noteRoom = budget - evidence.reduce((sum, line) => sum + (line ? line.length + 1 : 0), 0);
  const wanted = notes
    .filter((n): n is string => n !== undefined)
    .map((n) => NOTE_PREFIX.length + n.length + 1);
  const cap = evenShare(wanted, noteRoom);
  const stubs = wanted.length * (noteElsewhere.length + 1) <= noteRoom;
  let shortened = false;
  const lines = rows.map((row, i) => {
    const parts: string[] = [];
    const note = notes[i];
    if (note !== undefined) {
      const room = Math.min(cap, row.room - (evidence[i]?.length ?? 0) - 2) - NOTE_PREFIX.length - 1;
      const fitted = escapedWithin(note, Math.max(0, room));
      if (room >= SHORTEST_NOTE || !fitted.cut) parts.push(`${NOTE_PREFIX}${fitted.text}`);
      else if (stubs) parts.push(noteElsewhere);
      shortened ||= fitted.cut;
    }
    if (evidence[i]) parts.push(evidence[i] ?? '');
    return parts.join('\n');
  });
  return { lines, shortened };
}

/** Said once, on the overall line, when some notes are shortened (the longer of the two, for budgets). */
export const SHORTENED_NOTICE = {
  own: `_Some notes are shortened to fit here; ${code(`${COMMAND} export`)} has every word, and all your evidence._`,
  shared: '_Some notes are shortened to fit here._',
} as const satisfies Record<ExtrasReader, string>;

/**
 * The note and evidence lines of each competency of `record` (in its order; `''` for one with
 * neither), for rows whose texts are `rowTexts`, within `budget` characters in all.
 */
export function resultExtras(
  record: AssessmentRecord,
  evidence: readonly Evidence[],
  rowTexts: readonly string[],
  budget: number,
  reader: ExtrasReader,
): { lines: string[]; shortened: boolean } {
  const rows = record.competencies.map(
    (c, i): Row => ({
      note: c.note,
      evidence: evidenceFor(evidence, record.frameworkId, c.id),
      // A section's text holds 3000 characters; the rating line takes its share first.
      room: 3000 - (rowTexts[i]?.length ?? 3000) - 1,
    }),
  );
  return fitExtras(rows, budget, reader);
}
