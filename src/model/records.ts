import type { CompetencyNote, Evidence, Plan, Share, ShareReceived } from './growth.js';
import type { PersonKey } from './person.js';
import { orgOfPerson } from './person.js';

/**
 * What the app keeps about people, as data: the shapes every store keeps and every part of the app
 * reads (self-ratings, runs, finished assessments, reviews, check-in reminders, installations, the
 * team views kept). The bottom layer: it imports nothing of the app's but other model files.
 */

/** A self-rating on the 1–5 scale, or "not applicable" to this person's work. */
export type RatingValue = 1 | 2 | 3 | 4 | 5 | 'na';

export type StoredRating = {
  value: RatingValue;
  /** When it was given (ISO 8601). */
  at: string;
  /** The framework version the person saw when they rated. */
  frameworkVersion: string;
};

/** An assessment in progress, one per person and framework: where they are, so they can come back to it. */
export type Draft = {
  /** New for each run through the competencies; a finished assessment keeps it as its id. */
  sessionId: string;
  frameworkId: string;
  frameworkVersion: string;
  levelId: string;
  /** Index of the competency being shown (0-based); equal to the number of competencies once finished. */
  position: number;
  status: 'rating' | 'finished';
  startedAt: string;
  updatedAt: string;
};

/** One competency of a finished assessment, with the expectations as they were at the time. */
export type AssessedCompetency = {
  id: string;
  name: string;
  category: string;
  tier: 'primary' | 'supporting';
  expected: number;
  /** Expected at the next level up, when there is one. */
  nextExpected: number | null;
  /** `null` when the person skipped it. */
  rating: RatingValue | null;
  /** The person's note on it when they finished (see PersonData.notes); absent when none. */
  note?: string;
};

/** A finished assessment: a snapshot, so later edits of the framework do not move past goalposts. */
export type AssessmentRecord = {
  id: string;
  frameworkId: string;
  frameworkVersion: string;
  roleName: string;
  domainName: string;
  levelId: string;
  levelName: string;
  nextLevelName: string | null;
  finishedAt: string;
  competencies: AssessedCompetency[];
  /**
   * The person chose to include this assessment in team views (`/competency team`): only totals of
   * everyone who chose so, never who said what. Absent (the default) means not included; data files
   * from before team views have no such field and load as they are. At most one assessment per
   * framework and level carries it: including one leaves the others of the same framework and level.
   */
  inTeamViews?: true;
};

/**
 * Where a review request stands: `asked` (sent, not started), `rating` (the reviewer is going through
 * the competencies), `finished`, `declined` (by the reviewer) or `withdrawn` (by the person reviewed).
 */
type ReviewStatus = 'asked' | 'rating' | 'finished' | 'declined' | 'withdrawn';

/**
 * A colleague's review of one finished assessment: asked for by the person reviewed, who chose the
 * reviewer; never taken. Kept in the record of the person reviewed (`PersonData.reviews`), so every
 * change of a review — asked, started, each answer, finished, declined, withdrawn — is one
 * `store.update` of that one person, like every other change. The reviewer's record keeps only an
 * index of the reviews they were asked for (`PersonData.reviewsGiven`), so that forgetting the
 * reviewer can find and delete what they gave, and their export can include it.
 */
export type Review = {
  /** Random; new for each request, so buttons of an older request of the same pair do nothing. */
  id: string;
  /** The finished assessment this review is about: its id in the reviewed person's history. */
  assessmentId: string;
  /** The reviewer's person key (same org or workspace as the person reviewed). */
  reviewer: PersonKey;
  /** The reviewer's Slack user id, to send them the request and to mention them. */
  reviewerUserId: string;
  /** The reviewer's name as Slack gave it (a mention's label, or their clicks), for the chart's legend. */
  reviewerName?: string;
  status: ReviewStatus;
  /** Index of the competency the reviewer is on (0-based); the number of competencies once finished. */
  position: number;
  /**
   * The reviewer's answers: competency id (of the assessment) → rating, `null` when skipped. Empty
   * until they start; emptied again when the request is declined or withdrawn before it finished.
   */
  answers: Record<string, RatingValue | null>;
  /**
   * The reviewer's notes: competency id → text (at most NOTE_MAX characters). The person reviewed sees
   * them only once the review is finished; emptied with the answers when it is declined or withdrawn.
   */
  notes?: Record<string, string>;
  askedAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** The direct message the request was sent as, to mark it withdrawn there. */
  requestMessage?: { channel: string; ts: string };
};

/** An entry of a reviewer's index: the review `id` kept in the record of person `of`. */
export type ReviewGiven = { of: PersonKey; id: string };

/** How often a check-in reminder comes. */
export type Cadence = 'monthly' | 'quarterly';

/**
 * A person's check-in reminder (see src/model/reminders.ts), kept in their record so that
 * forgetting them, uninstalling and exporting reach it like everything else.
 */
export type ReminderSetting = {
  cadence: Cadence;
  /** What the check-in asks about. */
  frameworkId: string;
  levelId: string;
  /** Whom, and through which workspace or org install. */
  userId: string;
  teamId: string;
  enterpriseId?: string;
  /** IANA zone from Slack's users.info; 'UTC' when unknown. */
  timeZone: string;
  /** ISO 8601 UTC: when the next one is due. */
  dueAt: string;
  /** A sending instance holds it until `until` (ISO 8601 UTC); then anyone may claim it again. */
  claim?: { id: string; until: string };
  lastSentAt?: string;
  snoozedAt?: string;
  setAt: string;
};

/**
 * A reminder claimed by `Store.claimDueReminders`, with its claim, and the person's data as it was
 * claimed (the claim in it): what the reminder shows of their ratings and plan comes from it, without
 * reading the person again.
 */
export type ClaimedReminder = { person: PersonKey; reminder: ReminderSetting; data: Readonly<PersonData> };

export type PersonData = {
  /** Current self-ratings: framework id → competency id → rating. */
  ratings: Record<string, Record<string, StoredRating>>;
  /** Assessment in progress (or last finished) per framework id. */
  drafts: Record<string, Draft>;
  /** Finished assessments, oldest first. */
  history: AssessmentRecord[];
  /**
   * Reviews of this person's assessments that they asked colleagues for (see Review), oldest first.
   * Absent in data files from before reviews (format version 1 all the same) and for people who never
   * asked: both read as "none".
   */
  reviews?: Review[];
  /** Reviews this person was asked to give, kept in the records of the people reviewed (see Review). */
  reviewsGiven?: ReviewGiven[];
  /** The person's check-in reminder, when they asked for one. */
  reminder?: ReminderSetting;
  /**
   * The workspaces of an Enterprise Grid org this person used the app from (their key is the org's,
   * so it does not say): when an installation goes, whether another one still reaches them depends on
   * it (see `Store.uninstall`). Absent outside Grid, and for data written before it was kept.
   */
  workspaces?: string[];
  /** Notes on current ratings: framework id → competency id → note (see growth.ts). Absent: none. */
  notes?: Record<string, Record<string, CompetencyNote>>;
  /** Slack messages added as evidence, oldest first. */
  evidence?: Evidence[];
  /** The person's plan for their gaps. */
  plan?: Plan;
  /** Colleagues the person shares their latest assessment, notes, evidence and plan with. */
  shares?: Share[];
  /** Shares other people gave this person (kept in their records, see Share). */
  sharesReceived?: ShareReceived[];
};

export const emptyPerson = (): PersonData => ({ ratings: {}, drafts: {}, history: [] });

/**
 * Counts what `forget` removes: each rating, draft and finished assessment is one record; so is each
 * review of the person's assessments, and each review they gave (kept in someone else's record, and
 * deleted along with theirs: see reviews.ts), and a check-in reminder; each note on a current rating,
 * piece of evidence and plan item; each share they gave, and each one they were given (ended with it).
 */
export function countRecords(data: Readonly<PersonData>): number {
  const ratings = Object.values(data.ratings).reduce((sum, r) => sum + Object.keys(r).length, 0);
  const notes = Object.values(data.notes ?? {}).reduce((sum, n) => sum + Object.keys(n).length, 0);
  const reviews = (data.reviews?.length ?? 0) + (data.reviewsGiven?.length ?? 0);
  const reminder = data.reminder === undefined ? 0 : 1;
  const growth =
    notes +
    (data.evidence?.length ?? 0) +
    (data.plan?.items.length ?? 0) +
    (data.shares?.length ?? 0) +
    (data.sharesReceived?.length ?? 0);
  return ratings + Object.keys(data.drafts).length + data.history.length + reviews + reminder + growth;
}

/** Whether the person has any record at all (a key with nothing under it is not kept). */
function hasRecords(data: Readonly<PersonData>): boolean {
  return countRecords(data) > 0;
}

/**
 * Adds `workspace` to the workspaces the person used the app from, when they belong to an Enterprise
 * Grid org (their key is the org's, not the workspace's) and have records to keep. Returns whether
 * it changed anything.
 */
export function noteWorkspace(data: PersonData, person: PersonKey, workspace: string): boolean {
  if (workspace === orgOfPerson(person) || !hasRecords(data)) return false;
  if (data.workspaces?.includes(workspace)) return false;
  data.workspaces = [...(data.workspaces ?? []), workspace];
  return true;
}

/**
 * A team view that was answered: who contributed to one role × level, and who rated each competency
 * it showed — ids only, no rating — kept so that a later answer that differs from it by fewer than K
 * people is not given (src/assessments/team.ts explains the rule). Kept per org, framework and level.
 */
export type KeptTeamView = {
  /** When it was last answered (ISO 8601); forgotten once older than the window. */
  at: string;
  /**
   * The contributors, one per person: `<user id>#<assessment id>`, so that a person who includes
   * another assessment is another contributor. Forgetting a person replaces theirs with an anonymous
   * stand-in (see team-views.ts), which still counts as one person who changed.
   */
  contributors: string[];
  /** The competencies it showed, each with the contributors who did not rate it 1–5 (n/a or skipped). */
  shown: Record<string, string[]>;
};

/** Which kept team views a change is about: one org's, for one framework and level. */
export type TeamViewScope = { org: string; frameworkId: string; levelId: string };

/**
 * Where the app is installed: one workspace, or a whole Enterprise Grid org (an org-wide install).
 * What Slack gave at install time is kept as it is, with its tokens already encrypted by the caller:
 * the store never sees a token in clear.
 */
export type InstallationRecord = {
  /** The org's id (`E…`) for an org-wide install, else the workspace's (`T…`). */
  id: string;
  /** The Enterprise Grid org this installation belongs to (its own id for an org-wide install); null outside Grid. */
  enterpriseId: string | null;
  /** Slack's installation (Bolt's `Installation`), tokens encrypted. */
  installation: Record<string, unknown>;
  /** When it was first installed and last changed (ISO 8601). */
  installedAt: string;
  updatedAt: string;
};
