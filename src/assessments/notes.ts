import type { FrameworksOfOrgs } from '../frameworks/org-catalogs.js';
import { NOTE_MAX } from '../model/growth.js';
import { orgOfPerson, type PersonKey } from '../model/person.js';
import type { Store } from '../store/store.js';
import { own } from '../util/own.js';
import { type Step, stepAt } from './assessments.js';

/**
 * A person's notes: one optional note per competency, beside their current rating of it (why they
 * rated so), carried into the assessment they finish (see snapshotOf). A reviewer's notes on a
 * colleague's review are kept with the review (see reviews/answering.ts). Plain TypeScript over the
 * Store interface: nothing here knows about Slack.
 */

/** A note as the person typed it, checked: trimmed, and `undefined` when nothing is left (no note). */
export type NoteCheck =
  | { ok: true; text: string | undefined }
  | { ok: false; reason: 'too-long'; length: number };

/**
 * Checks a note: surrounding spaces go; an empty one means "remove the note"; one longer than
 * NOTE_MAX characters is refused with its length. Characters no store can keep (U+0000, lone
 * surrogates) are dropped first.
 */
export function checkNote(raw: string | null | undefined): NoteCheck {
  const text = (raw ?? '')
    .replaceAll('\u0000', '')
    .replace(/\p{Cs}/gu, '')
    .trim();
  if (text.length === 0) return { ok: true, text: undefined };
  if (text.length > NOTE_MAX) return { ok: false, reason: 'too-long', length: text.length };
  return { ok: true, text };
}

/** What saving a person's own note did. */
export type OwnNoteOutcome =
  | {
      kind: 'saved';
      /** The note now, or undefined when it was removed. */
      note: string | undefined;
      competencyName: string;
      /**
       * The rating step of that competency in the person's run of the framework, to show the card
       * again with the note; undefined when that run is over or is another one (`sessionId`).
       */
      step: Step | undefined;
    }
  | { kind: 'too-long'; length: number }
  | { kind: 'unknown-competency' };

export class Notes {
  constructor(
    private readonly store: Store,
    private readonly frameworks: FrameworksOfOrgs,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The person's current note on a competency, to fill the form with. */
  async own(person: PersonKey, frameworkId: string, competencyId: string): Promise<string | undefined> {
    return own(own((await this.store.get(person)).notes, frameworkId), competencyId)?.text;
  }

  /**
   * Writes (or, with empty text, removes) the person's note on one competency of a framework their
   * org sees, in one update. `sessionId`: the run the form was opened from, whose card shows it.
   */
  async setOwn(
    person: PersonKey,
    input: { frameworkId: string; competencyId: string; text: string; sessionId?: string },
    /** When the person asked (see Store.update): a deletion of their data after it is not undone. */
    madeAt?: Date,
  ): Promise<OwnNoteOutcome> {
    const checked = checkNote(input.text);
    if (!checked.ok) return { kind: 'too-long', length: checked.length };
    const framework = (await this.frameworks.for(orgOfPerson(person))).get(input.frameworkId);
    const competency = framework?.competencies.find((c) => c.id === input.competencyId);
    if (!framework || !competency) return { kind: 'unknown-competency' };
    const at = this.now().toISOString();
    return this.store.update(
      person,
      (d): OwnNoteOutcome => {
        const notes = { ...own(d.notes, framework.id) };
        if (checked.text === undefined) delete notes[competency.id];
        else notes[competency.id] = { text: checked.text, at };
        const all = { ...d.notes };
        if (Object.keys(notes).length === 0) delete all[framework.id];
        else all[framework.id] = notes;
        if (Object.keys(all).length === 0) delete d.notes;
        else d.notes = all;

        const draft = own(d.drafts, framework.id);
        const level = framework.levels.find((l) => l.id === draft?.levelId);
        const onCard =
          draft !== undefined &&
          level !== undefined &&
          draft.status === 'rating' &&
          draft.frameworkVersion === framework.version &&
          (input.sessionId === undefined || draft.sessionId === input.sessionId);
        const step = onCard
          ? stepAt(d, framework, level, draft, framework.competencies.indexOf(competency))
          : undefined;
        return { kind: 'saved', note: checked.text, competencyName: competency.name, step };
      },
      madeAt === undefined ? {} : { madeAt },
    );
  }
}
