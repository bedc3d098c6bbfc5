import type { Assessments } from '../assessments/assessments.js';
import { personKey } from '../assessments/assessments.js';
import type { Catalog } from '../frameworks/catalog.js';
import type { PersonKey } from '../store/store.js';
import type { HomeData } from './views/home.js';

/** What the listeners need from the domain. */
export type Deps = { catalog: Catalog; assessments: Assessments };

/** The person who typed a slash command: their Grid org if any, else their workspace. */
export function personOfCommand(command: {
  user_id: string;
  team_id: string;
  enterprise_id?: string;
}): PersonKey {
  return personKey({ userId: command.user_id, teamId: command.team_id, enterpriseId: command.enterprise_id });
}

/** The person who clicked: always `body.user`, never an id carried by the button. */
export function personOfClick(body: {
  user: { id: string; team_id?: string };
  team: { id: string } | null;
  enterprise?: { id: string } | null;
}): PersonKey {
  return personKey({
    userId: body.user.id,
    teamId: body.user.team_id ?? body.team?.id,
    enterpriseId: body.enterprise?.id,
  });
}

/** The Home tab's front page for a person: their unfinished runs, their history, the frameworks. */
export function homeDataOf(deps: Deps, person: PersonKey): HomeData {
  return {
    frameworks: deps.catalog.frameworks,
    unfinished: deps.assessments.unfinished(person),
    history: deps.assessments.history(person),
  };
}
