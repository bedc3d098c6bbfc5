import type { Assessments } from '../assessments/assessments.js';
import type { Catalog } from '../frameworks/catalog.js';
import type { PersonKey } from '../store/store.js';
import type { HomeData } from './views/home.js';

/** What the listeners need from the domain. */
export type Deps = { catalog: Catalog; assessments: Assessments };

/** The Home tab's front page for a person: their unfinished runs, their history, the frameworks. */
export async function homeDataOf(deps: Deps, person: PersonKey): Promise<HomeData> {
  return { frameworks: deps.catalog.frameworks, ...(await deps.assessments.overview(person)) };
}
