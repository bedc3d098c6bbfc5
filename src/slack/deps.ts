import { Assessments } from '../assessments/assessments.js';
import { TeamViews } from '../assessments/team.js';
import type { Catalog } from '../frameworks/catalog.js';
import type { PersonKey } from '../model/person.js';
import { Reminders } from '../reminders/service.js';
import type { Store, UninstallResult, UninstallTarget } from '../store/store.js';
import type { HomeData } from './views/home.js';

/** What the listeners need from the domain. */
export type Deps = {
  catalog: Catalog;
  assessments: Assessments;
  /** Team views (`/competency team`): totals of what people chose to share, with its K. */
  teams: TeamViews;
  /** Check-in reminders: the cadence a person chose, snooze and stop (src/reminders/service.ts). */
  reminders: Reminders;
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

/** The listeners' dependencies on one store and catalog. */
export function createDeps(store: Store, catalog: Catalog, options: DepsOptions = {}): Deps {
  return {
    catalog,
    assessments: new Assessments(store, catalog),
    teams: new TeamViews(store, {
      ...(options.teamMinPeople === undefined ? {} : { minPeople: options.teamMinPeople }),
      ...(options.teamViewMemoryDays === undefined ? {} : { windowDays: options.teamViewMemoryDays }),
      ...(options.now === undefined ? {} : { now: options.now }),
    }),
    reminders: new Reminders(store, options.now),
    uninstall: (target) => store.uninstall(target),
    orgOfWorkspace: async (workspace) => (await store.installation(workspace))?.enterpriseId ?? undefined,
  };
}

/**
 * The Home tab's front page for a person: their last role and level, their unfinished runs, the
 * reviews colleagues asked them to give and those they asked for, their history, their reminder,
 * the frameworks.
 */
export async function homeDataOf(deps: Deps, person: PersonKey): Promise<HomeData> {
  const [overview, reminder, reviewsToDo, reviewsAsked] = await Promise.all([
    deps.assessments.overview(person),
    deps.reminders.of(person),
    deps.assessments.reviews.toGive(person),
    deps.assessments.reviews.requests(person),
  ]);
  const framework = reminder ? deps.catalog.get(reminder.frameworkId) : undefined;
  const level = framework?.levels.find((l) => l.id === reminder?.levelId);
  return {
    frameworks: deps.catalog.frameworks,
    ...overview,
    reviewsToDo,
    reviewsAsked,
    reminder: reminder ?? null,
    ...(framework && level
      ? { reminderAbout: { roleName: framework.role.name, levelName: level.name } }
      : {}),
  };
}
