import { randomBytes } from 'node:crypto';
import type { Catalog } from '../frameworks/catalog.js';
import type { FrameworksOfOrgs } from '../frameworks/org-catalogs.js';
import { type Competency, expectedAt, type Framework, type Level } from '../frameworks/schema.js';
import { nextLevels } from '../frameworks/tracks.js';
import { forgetAdminIn } from '../model/org-data.js';
import { orgOfPerson, type PersonKey, userOfPerson } from '../model/person.js';
import {
  type AssessmentRecord,
  countRecords,
  type Draft,
  noteWorkspace,
  type PersonData,
  type RatingValue,
  type StoredRating,
} from '../model/records.js';
import type { Store } from '../store/store.js';
import { own } from '../util/own.js';
import { type Change, changesSince, type Moves, movesSince } from './gaps.js';
import { Reviews } from './reviews.js';
import { forgetSharesAround } from './shares.js';

/**
 * Self-assessment: a person goes through a framework's competencies one at a time and rates
 * themselves; the last answer turns the run into a finished assessment in their history.
 * Plain TypeScript over the Store interface: nothing here knows about Slack.
 */

/** What a rating button carries. The person is never part of it: it is always whoever clicked. */
export type Answer = {
  frameworkId: string;
  frameworkVersion: string;
  sessionId: string;
  competencyId: string;
  choice: RatingValue | 'skip' | 'back';
};

/** One competency to rate, with the person's current rating of it. */
export type Step = {
  kind: 'step';
  framework: Framework;
  level: Level;
  draft: Draft;
  index: number;
  competency: Competency;
  current: RatingValue | null;
  /** The person's note on this competency, if they wrote one (see PersonData.notes). */
  note?: string | undefined;
};

export type Finished = { kind: 'finished'; record: AssessmentRecord };

/** Why a click was not applied. Nothing is written in any of these cases. */
export type Refusal =
  | {
      kind: 'refused';
      reason: 'unknown-framework' | 'unknown-level' | 'unknown-competency';
      frameworkId: string;
    }
  | { kind: 'refused'; reason: 'framework-changed'; framework: Framework; levelId: string | undefined }
  | { kind: 'refused'; reason: 'not-started'; framework: Framework }
  | { kind: 'refused'; reason: 'out-of-date'; step: Step };

export type HistoryEntry = { record: AssessmentRecord; changes: Change[] | null };

export type Unfinished = { framework: Framework; level: Level; draft: Draft };

/**
 * The role and level a person worked on last (their latest run, finished or not), for the Home tab,
 * help and `/competency compare` with no role: what to offer them first.
 */
export type LastRole = {
  framework: Framework;
  level: Level;
  /** Their run of it in progress, when it can be carried on ("Continue rating (3 of 8)"). */
  progress: Progress | undefined;
  /** Their latest finished assessment of that framework and level, if any. */
  latest: AssessmentRecord | undefined;
};

/**
 * What including an assessment in team views (or leaving them) did: the assessment as it is now,
 * and those of the same framework and level that it replaced there (at most one counts per person).
 */
export type TeamViewsChoice =
  | { kind: 'done'; record: AssessmentRecord; replaced: AssessmentRecord[] }
  | { kind: 'not-found' };

export class Assessments {
  constructor(
    private readonly store: Store,
    /** The frameworks of each org: a person rates what their own org sees. */
    private readonly frameworks: FrameworksOfOrgs,
    private readonly now: () => Date = () => new Date(),
    private readonly newSessionId: () => string = () => randomBytes(6).toString('base64url'),
    /**
     * Colleagues' reviews of finished assessments, on the same store: `forget` deletes those about
     * the person and by them too. The app passes the one its listeners use (Deps.reviews).
     */
    readonly reviews: Reviews = new Reviews(store, frameworks, now),
  ) {}

  /** The frameworks the person's org sees. */
  private catalogOf(person: PersonKey): Promise<Catalog> {
    return this.frameworks.for(orgOfPerson(person));
  }

  /**
   * Starts rating a framework at a level, or carries on where the person stopped.
   * `restart` begins a new run at the first competency (the current ratings are kept and shown).
   * Decided and written in one update: what the person has is read where it is changed. `madeAt`:
   * when the person asked (see Store.update), so that a click made before they deleted their data
   * does not bring it back.
   */
  async start(
    person: PersonKey,
    frameworkId: string,
    levelId: string,
    options: { restart?: boolean; madeAt?: Date } = {},
  ): Promise<Step | Refusal> {
    const framework = (await this.catalogOf(person)).get(frameworkId);
    if (!framework) return { kind: 'refused', reason: 'unknown-framework', frameworkId };
    const level = framework.levels.find((l) => l.id === levelId);
    if (!level) return { kind: 'refused', reason: 'unknown-level', frameworkId };
    const at = this.now().toISOString();
    const sessionId = this.newSessionId();

    return this.store.update(
      person,
      (data) => {
        const existing = own(data.drafts, frameworkId);
        const resumable =
          !options.restart &&
          existing?.status === 'rating' &&
          existing.frameworkVersion === framework.version &&
          existing.position < framework.competencies.length;
        let draft: Draft;
        if (resumable) {
          draft = existing.levelId === levelId ? existing : { ...existing, levelId, updatedAt: at };
        } else {
          draft = {
            sessionId,
            frameworkId,
            frameworkVersion: framework.version,
            levelId,
            position: 0,
            status: 'rating',
            startedAt: at,
            updatedAt: at,
          };
        }
        // Carrying on at the same level changes nothing, and so writes nothing.
        data.drafts[frameworkId] = draft;
        return stepAt(data, framework, level, draft, draft.position);
      },
      madeAtOption(options.madeAt),
    );
  }

  /**
   * Applies one click on a rating step: a rating, Not applicable, Skip or Back. Every check and the
   * change happen in one update, so two deliveries of a click (Slack retries) or two instances of the
   * app handling the same person's clicks cannot both apply it.
   */
  async answer(person: PersonKey, answer: Answer): Promise<Step | Finished | Refusal> {
    const framework = (await this.catalogOf(person)).get(answer.frameworkId);
    if (!framework) return { kind: 'refused', reason: 'unknown-framework', frameworkId: answer.frameworkId };
    const index = framework.competencies.findIndex((c) => c.id === answer.competencyId);
    const at = this.now().toISOString();

    return this.store.update(person, (d): Step | Finished | Refusal => {
      const draft = own(d.drafts, framework.id);
      if (answer.frameworkVersion !== framework.version) {
        return { kind: 'refused', reason: 'framework-changed', framework, levelId: draft?.levelId };
      }
      if (index < 0) return { kind: 'refused', reason: 'unknown-competency', frameworkId: framework.id };
      // The same click delivered again after the run finished: show the same summary, write nothing.
      const finished = d.history.find((r) => r.id === answer.sessionId);
      if (finished) return { kind: 'finished', record: finished };
      if (!draft) return { kind: 'refused', reason: 'not-started', framework };
      const level = framework.levels.find((l) => l.id === draft.levelId);
      if (!level) return { kind: 'refused', reason: 'unknown-level', frameworkId: framework.id };
      if (draft.sessionId !== answer.sessionId || draft.status !== 'rating') {
        const where = Math.min(draft.position, framework.competencies.length - 1);
        return { kind: 'refused', reason: 'out-of-date', step: stepAt(d, framework, level, draft, where) };
      }

      const position = answer.choice === 'back' ? Math.max(0, index - 1) : index + 1;
      if (answer.choice !== 'skip' && answer.choice !== 'back') {
        const rating: StoredRating = { value: answer.choice, at, frameworkVersion: framework.version };
        d.ratings[framework.id] = { ...own(d.ratings, framework.id), [answer.competencyId]: rating };
      }
      const done = position >= framework.competencies.length;
      const next: Draft = { ...draft, position, status: done ? 'finished' : 'rating', updatedAt: at };
      d.drafts[framework.id] = next;
      if (!done) return stepAt(d, framework, level, next, position);
      const record = snapshotOf(framework, level, d, draft.sessionId, at);
      d.history.push(record);
      return { kind: 'finished', record };
    });
  }

  /** How far the person got in a framework, for "Continue (3 of 8)". */
  async progress(person: PersonKey, frameworkId: string): Promise<Progress | undefined> {
    return progressIn(await this.store.get(person), (await this.catalogOf(person)).get(frameworkId));
  }

  /** Runs the person started and did not finish, for the App Home tab. */
  async unfinished(person: PersonKey): Promise<Unfinished[]> {
    return this.unfinishedIn(await this.store.get(person), await this.catalogOf(person));
  }

  /** Finished assessments, latest first, each with what changed since the one before it of the same framework. */
  async history(person: PersonKey): Promise<HistoryEntry[]> {
    return historyOf((await this.store.get(person)).history);
  }

  /** Both, and the role they worked on last, for the Home tab, from one read of the person's data. */
  async overview(
    person: PersonKey,
  ): Promise<{ unfinished: Unfinished[]; history: HistoryEntry[]; last: LastRole | undefined }> {
    const [data, catalog] = await Promise.all([this.store.get(person), this.catalogOf(person)]);
    return {
      unfinished: this.unfinishedIn(data, catalog),
      history: historyOf(data.history),
      last: this.lastRoleIn(data, catalog),
    };
  }

  /** The role and level the person worked on last, if it is still in the catalog. */
  async lastRole(person: PersonKey): Promise<LastRole | undefined> {
    return this.lastRoleIn(await this.store.get(person), await this.catalogOf(person));
  }

  /**
   * The latest of the person's runs (unfinished or finished) and finished assessments whose
   * framework and level the catalog still has; on equal times, a run in progress first.
   */
  private lastRoleIn(data: Readonly<PersonData>, catalog: Catalog): LastRole | undefined {
    const candidates = [
      ...Object.values(data.drafts).map((d) => ({
        frameworkId: d.frameworkId,
        levelId: d.levelId,
        at: d.updatedAt,
        rank: d.status === 'rating' ? 0 : 1,
      })),
      ...data.history.map((r) => ({
        frameworkId: r.frameworkId,
        levelId: r.levelId,
        at: r.finishedAt,
        rank: 1,
      })),
    ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.rank - b.rank));
    for (const candidate of candidates) {
      const framework = catalog.get(candidate.frameworkId);
      const level = framework?.levels.find((l) => l.id === candidate.levelId);
      if (!framework || !level) continue;
      const draft = own(data.drafts, framework.id);
      const progress = draft?.levelId === level.id ? progressIn(data, framework) : undefined;
      const latest = data.history.findLast((r) => r.frameworkId === framework.id && r.levelId === level.id);
      return { framework, level, progress, latest };
    }
    return undefined;
  }

  /**
   * What moved since the assessment before this one of the same framework (any level), for a
   * check-in's summary; undefined when it is the first of its framework, or not the person's.
   */
  async movesOf(person: PersonKey, recordId: string): Promise<Moves | undefined> {
    const { history } = await this.store.get(person);
    const at = history.findIndex((r) => r.id === recordId);
    const current = history[at];
    if (!current) return undefined;
    const previous = history.slice(0, at).findLast((r) => r.frameworkId === current.frameworkId);
    return previous ? movesSince(previous, current) : undefined;
  }

  private unfinishedIn(data: Readonly<PersonData>, catalog: Catalog): Unfinished[] {
    const result: Unfinished[] = [];
    for (const draft of Object.values(data.drafts)) {
      const framework = catalog.get(draft.frameworkId);
      const level = framework?.levels.find((l) => l.id === draft.levelId);
      if (framework && level && progressIn(data, framework)) result.push({ framework, level, draft });
    }
    return result;
  }

  /** One of the person's own finished assessments, by id. */
  async record(person: PersonKey, recordId: string): Promise<AssessmentRecord | undefined> {
    return (await this.store.get(person)).history.find((r) => r.id === recordId);
  }

  /** The person's current ratings of a framework, for prefilling the Rate all form. */
  async currentRatings(person: PersonKey, frameworkId: string): Promise<Record<string, RatingValue>> {
    return currentRatingsIn(await this.store.get(person), frameworkId);
  }

  /**
   * Rates every competency at once (the Rate all form), as one durable write that also finishes an
   * assessment. `null` leaves a competency as it was. `submissionId` makes a repeated submission count once.
   */
  async rateAll(
    person: PersonKey,
    input: {
      frameworkId: string;
      frameworkVersion: string;
      levelId: string;
      ratings: Record<string, RatingValue | null>;
      submissionId: string;
      /** When the form was opened (see Store.update): a deletion since then is not undone by it. */
      madeAt?: Date;
    },
  ): Promise<Finished | Refusal | { kind: 'empty' }> {
    const framework = (await this.catalogOf(person)).get(input.frameworkId);
    if (!framework) return { kind: 'refused', reason: 'unknown-framework', frameworkId: input.frameworkId };
    if (input.frameworkVersion !== framework.version) {
      return { kind: 'refused', reason: 'framework-changed', framework, levelId: input.levelId };
    }
    const level = framework.levels.find((l) => l.id === input.levelId);
    if (!level) return { kind: 'refused', reason: 'unknown-level', frameworkId: framework.id };
    const known = new Set(framework.competencies.map((c) => c.id));
    if (Object.keys(input.ratings).some((id) => !known.has(id))) {
      return { kind: 'refused', reason: 'unknown-competency', frameworkId: framework.id };
    }
    const given = Object.entries(input.ratings).filter((e): e is [string, RatingValue] => e[1] !== null);
    if (given.length === 0) return { kind: 'empty' };

    const at = this.now().toISOString();
    const record = await this.store.update(
      person,
      (d) => {
        const already = d.history.find((r) => r.id === input.submissionId);
        if (already) return already;
        const ratings = { ...own(d.ratings, framework.id) };
        for (const [id, value] of given) ratings[id] = { value, at, frameworkVersion: framework.version };
        d.ratings[framework.id] = ratings;
        d.drafts[framework.id] = {
          sessionId: input.submissionId,
          frameworkId: framework.id,
          frameworkVersion: framework.version,
          levelId: level.id,
          position: framework.competencies.length,
          status: 'finished',
          startedAt: at,
          updatedAt: at,
        };
        const snapshot = snapshotOf(framework, level, d, input.submissionId, at);
        d.history.push(snapshot);
        return snapshot;
      },
      madeAtOption(input.madeAt),
    );
    return { kind: 'finished', record };
  }

  /**
   * Includes one of the person's finished assessments in team views, or leaves them. Including it
   * leaves every other assessment of the same framework and level out, so the one the person chose is
   * the one that counts, and leaving never lets an older one count instead. Saying what is already so
   * writes nothing (a click delivered twice changes nothing the second time).
   */
  async setInTeamViews(person: PersonKey, recordId: string, include: boolean): Promise<TeamViewsChoice> {
    return this.store.update(person, (d): TeamViewsChoice => {
      const record = d.history.find((r) => r.id === recordId);
      if (!record) return { kind: 'not-found' };
      const replaced: AssessmentRecord[] = [];
      if (include) {
        for (const other of d.history) {
          if (other === record || other.inTeamViews !== true) continue;
          if (other.frameworkId !== record.frameworkId || other.levelId !== record.levelId) continue;
          delete other.inTeamViews;
          replaced.push(other);
        }
        record.inTeamViews = true;
      } else {
        delete record.inTeamViews;
      }
      return { kind: 'done', record, replaced };
    });
  }

  /**
   * Deletes everything kept about the person; resolves with how many records went, once durable.
   * That includes reviews: first the reviews they gave, kept in the records of the people they
   * reviewed, and the index entries of their reviewers (see Reviews.forgetAround); then their own
   * record, with the reviews of their assessments. A failure part way leaves their own record, so
   * a second `forget` finds whatever is left.
   */
  async forget(person: PersonKey): Promise<number> {
    await this.reviews.forgetAround(person);
    // Shares: those given to the person end, and their colleagues' index entries of theirs go.
    await forgetSharesAround(this.store, person);
    // An admin's id in their org's record (who published, retired, changed what) goes too.
    await this.store.updateOrgData(orgOfPerson(person), (org) => forgetAdminIn(org, userOfPerson(person)));
    return this.store.forget(person);
  }

  /**
   * Notes that the person used the app from this workspace of their Enterprise Grid org, if they have
   * data and it is not noted yet (see PersonData.workspaces); writes nothing otherwise. Resolves with
   * whether it is on their record now (false for someone with no data).
   */
  async noteWorkspace(person: PersonKey, workspace: string): Promise<boolean> {
    return this.store.update(person, (data) => {
      noteWorkspace(data, person, workspace);
      return data.workspaces?.includes(workspace) === true;
    });
  }

  /** What `forget` would delete, for the confirmation (reviews about them and by them included). */
  async recordCount(person: PersonKey): Promise<number> {
    return countRecords(await this.store.get(person));
  }

  /** Everything kept about the person, for their export. */
  dataOf(person: PersonKey): Promise<Readonly<PersonData>> {
    return this.store.get(person);
  }

  /** The latest finished assessment, if any. */
  async latest(person: PersonKey): Promise<AssessmentRecord | undefined> {
    return (await this.store.get(person)).history.at(-1);
  }
}

const madeAtOption = (madeAt: Date | undefined) => (madeAt === undefined ? {} : { madeAt });

const withNote = (note: string | undefined) => (note === undefined ? {} : { note });

/** Finished assessments, latest first, each with what changed since the one before it of the same framework. */
function historyOf(records: readonly AssessmentRecord[]): HistoryEntry[] {
  return records
    .map((record, i) => {
      const previous = records.slice(0, i).findLast((r) => r.frameworkId === record.frameworkId);
      return { record, changes: previous ? changesSince(previous, record) : null };
    })
    .reverse();
}

/** Where a person is in a run of a framework: "3 of 8". */
export type Progress = { position: number; total: number };

/** The run in progress of this framework in the person's data, if it can be carried on. */
function progressIn(data: Readonly<PersonData>, framework: Framework | undefined): Progress | undefined {
  if (!framework) return undefined;
  const draft = own(data.drafts, framework.id);
  if (draft?.status !== 'rating' || draft.frameworkVersion !== framework.version) return undefined;
  return { position: draft.position, total: framework.competencies.length };
}

/** The step at `index` of a run, with the person's current rating of that competency in `data`, and their note. */
export function stepAt(
  data: Readonly<PersonData>,
  framework: Framework,
  level: Level,
  draft: Draft,
  index: number,
): Step {
  const competency = framework.competencies[index] ?? framework.competencies[0];
  if (!competency) throw new Error(`framework ${framework.id} has no competencies`);
  const current = own(own(data.ratings, framework.id), competency.id)?.value ?? null;
  const note = own(own(data.notes, framework.id), competency.id)?.text;
  return {
    kind: 'step',
    framework,
    level,
    draft,
    index: framework.competencies.indexOf(competency),
    competency,
    current,
    note,
  };
}

/**
 * The finished assessment as it stands now, with the expected levels copied in. Throws rather than
 * return an assessment the data file would refuse: every competency must give an expected level at
 * `level` and at the next one (the loader guarantees it; a framework built otherwise may not).
 */
export function snapshotOf(
  framework: Framework,
  level: Level,
  data: PersonData,
  sessionId: string,
  finishedAt: string,
): AssessmentRecord {
  if (!framework.levels.some((l) => l.id === level.id))
    throw new Error(`the framework ${framework.id} has no level "${level.id}"`);
  // The next level on the person's track; none at the top of a track, nor at a fork, where the next
  // step depends on the track they take (Compare levels shows each).
  const following = nextLevels(framework, level);
  const next = following.length === 1 ? following[0] : undefined;
  const expected = (c: Competency, at: Level): number => {
    const value = expectedAt(c, at.id);
    if (value === undefined) {
      throw new Error(`the framework ${framework.id} gives no expected level for "${c.id}" at "${at.id}"`);
    }
    return value;
  };
  // Framework and competency ids are data: read the person's ratings as own fields only.
  const ratings = own(data.ratings, framework.id);
  const ratingOf = (c: Competency) => own(ratings, c.id)?.value ?? null;
  // Each current note goes with the assessment, as the person left it.
  const notes = own(data.notes, framework.id);
  const noteOf = (c: Competency) => own(notes, c.id)?.text;
  return {
    id: sessionId,
    frameworkId: framework.id,
    frameworkVersion: framework.version,
    roleName: framework.role.name,
    domainName: framework.domain.name,
    levelId: level.id,
    levelName: level.name,
    nextLevelName: next?.name ?? null,
    finishedAt,
    competencies: framework.competencies.map((c) => ({
      id: c.id,
      name: c.name,
      category: c.category,
      tier: c.tier,
      expected: expected(c, level),
      nextExpected: next ? expected(c, next) : null,
      rating: ratingOf(c),
      ...withNote(noteOf(c)),
    })),
  };
}

/** A person's current ratings of a framework, by competency id, from their data. */
export function currentRatingsIn(
  data: Readonly<PersonData>,
  frameworkId: string,
): Record<string, RatingValue> {
  const stored = own(data.ratings, frameworkId) ?? {};
  return Object.fromEntries(Object.entries(stored).map(([id, r]) => [id, r.value]));
}
