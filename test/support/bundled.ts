import { Catalog } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import type { Framework } from '../../src/frameworks/schema.js';

/** The id of the first framework, from the seed page: the one most tests rate against. */
const SEED_FRAMEWORK_ID = 'solutions-architect.e-commerce';

/** The bundled frameworks as a catalog, and the seed framework of it (a test cannot go on without it). */
export async function bundledCatalog(): Promise<{ catalog: Catalog; framework: Framework }> {
  const catalog = new Catalog(await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]));
  const framework = catalog.get(SEED_FRAMEWORK_ID);
  if (!framework) throw new Error(`the bundled framework ${SEED_FRAMEWORK_ID} is missing`);
  return { catalog, framework };
}
