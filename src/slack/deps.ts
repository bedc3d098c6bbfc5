import { Assessments } from '../assessments/assessments.js';
import { EvidenceLog } from '../assessments/evidence.js';
import { Notes } from '../assessments/notes.js';
import { Plans } from '../assessments/plans.js';
import { Reviews } from '../assessments/reviews.js';
import { Shares } from '../assessments/shares.js';
import { TeamViews } from '../assessments/team.js';
import type { Catalog } from '../frameworks/catalog.js';
import { OrgCatalogs } from '../frameworks/org-catalogs.js';
import { orgOfPerson, type PersonKey } from '../model/person.js';
import { OrgAdmin } from '../orgs/service.js';
import { Reminders } from '../reminders/service.js';
import type { Store, UninstallResult, UninstallTarget } from '../store/store.js';

/** What the listeners need from the domain. */
export type Deps = {
  /** The frameworks each org sees: the bundled ones it has not hidden, and its own. */
  frameworks: OrgCatalogs;
  /** The frameworks the person's org sees (the catalog to look up, list, find and rate in). */
  catalogFor: (person: PersonKey) => Promise<Catalog>;
  assessments: Assessments;
  /** Colleagues' reviews: asked for, given, declined, withdrawn (the same ones `assessments.forget` deletes). */
  reviews: Reviews;
  /** What a person shares with one chosen colleague (their manager, say), read-only, until they take it back. */
  shares: Shares;
  /** A person's notes on their ratings (a reviewer's are kept with the review, through `reviews`). */
  notes: Notes;
  /** Slack messages a person added as evidence for a competency. */
  evidence: EvidenceLog;
  /** What an org's admins change: its own frameworks, the bundled ones it hides, its settings. */
  orgs: OrgAdmin;
  /** Team views (`/competency team`): totals of what people chose to share, with its K. */
  teams: TeamViews;
  /** Check-in reminders: the cadence a person chose, snooze and stop (src/reminders/service.ts). */
  reminders: Reminders;
  /** A person's plan for their gaps: made from an assessment, how each item goes (src/assessments/plans.ts). */
  plans: Plans;
  /** The app was removed from a workspace or org: deletes its installation and the data of the people it no longer reaches. */
  uninstall: (target: UninstallTarget) => Promise<UninstallResult>;
  /** The Enterprise Grid org a workspace belongs to, when its installation says (see person.ts). */
  orgOfWorkspace: (workspace: string) => Promise<string | undefined>;
};

export type DepsOptions = {
  /** K of team views (TEAM_MIN_PEOPLE); 5 unless given. */
  teamMinPeople?: number;
  /** How many days answered team views are kept to compare later ones with (TEAM_VIEW_MEMORY_DAYS); 30 unless given. */
  teamViewMemoryDays?: number;
  /** The clock of reminder changes (due dates); the system's unless given (tests move their own). */
  now?: () => Date;
};

/** The listeners' dependencies on one store and the bundled catalog (each org's own frameworks come from the store). */
export function createDeps(store: Store, bundled: Catalog, options: DepsOptions = {}): Deps {
  const frameworks = new OrgCatalogs(bundled, store);
  // One Reviews for the listeners and for Assessments, whose `forget` deletes reviews too.
  const reviews = new Reviews(store, frameworks);
  const teams = new TeamViews(store, {
    ...(options.teamMinPeople === undefined ? {} : { minPeople: options.teamMinPeople }),
    ...(options.teamViewMemoryDays === undefined ? {} : { windowDays: options.teamViewMemoryDays }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return {
    orgs: new OrgAdmin(store, frameworks, teams.minPeople, options.now),
    frameworks,
    catalogFor: (person) => frameworks.for(orgOfPerson(person)),
    assessments: new Assessments(store, frameworks, undefined, undefined, reviews),
    reviews,
    shares: new Shares(store, options.now),
    notes: new Notes(store, frameworks, options.now),
    evidence: new EvidenceLog(store, frameworks, options.now),
    teams,
    reminders: new Reminders(store, options.now, (org) => frameworks.settingsOf(org)),
    plans: new Plans(store, options.now),
    uninstall: (target) => store.uninstall(target),
    orgOfWorkspace: async (workspace) => (await store.installation(workspace))?.enterpriseId ?? undefined,
  };
}
