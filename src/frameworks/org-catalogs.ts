import type { OrgData, OrgSettings } from '../model/org-data.js';
import type { Store } from '../store/store.js';
import { Catalog } from './catalog.js';
import { parseFramework } from './loader.js';
import type { Framework } from './schema.js';

/** Where the domain finds the frameworks of an org (a workspace id, or an Enterprise Grid org id). */
export type FrameworksOfOrgs = { for(org: string): Promise<Catalog> };

/** The same frameworks for every org: for the CLI, and for tests about one catalog. */
export function sameForEveryOrg(catalog: Catalog): FrameworksOfOrgs {
  return { for: async () => catalog };
}

/**
 * The frameworks each organisation sees: the bundled ones it has not hidden, and the ones it
 * published itself (their newest version), unless retired. Another org never sees them.
 *
 * An org with nothing of its own gets the bundled catalog itself, so its lookups cost what they did
 * before orgs could publish. An org's catalog is built once and kept while the org's revision in the
 * store stays the same; the revision is read again at most every `freshnessMs`, so a publish on
 * one instance is seen by the others within that time (two seconds unless given).
 */
export class OrgCatalogs implements FrameworksOfOrgs {
  readonly #known = new Map<string, Known>();
  readonly #freshnessMs: number;
  readonly #now: () => number;

  constructor(
    /** The bundled frameworks, as every org sees them before it changes anything. */
    readonly bundled: Catalog,
    private readonly store: Pick<Store, 'orgData' | 'orgRevision'>,
    options: { freshnessMs?: number; now?: () => number } = {},
  ) {
    this.#freshnessMs = options.freshnessMs ?? 2_000;
    this.#now = options.now ?? Date.now;
  }

  /** The catalog of one org (a workspace id, or an Enterprise Grid org id). */
  async for(org: string): Promise<Catalog> {
    return (await this.known(org)).catalog;
  }

  /** The org's settings, kept beside its catalog and as fresh (the summary's check-in picker reads them). */
  async settingsOf(org: string): Promise<Readonly<OrgSettings>> {
    return (await this.known(org)).settings;
  }

  private async known(org: string): Promise<Known> {
    const known = this.#known.get(org);
    const now = this.#now();
    if (known && now - known.checkedAt < this.#freshnessMs) return known;
    const revision = await this.store.orgRevision(org);
    if (known && known.revision === revision) {
      known.checkedAt = now;
      return known;
    }
    const data = revision === 0 ? undefined : await this.store.orgData(org);
    const fresh: Known = {
      revision,
      catalog: data ? catalogOf(this.bundled, org, data) : this.bundled,
      settings: data?.settings ?? {},
      checkedAt: now,
    };
    this.#known.set(org, fresh);
    return fresh;
  }

  /** Forgets what was built for the org, so the next request reads it afresh (after this instance changed it). */
  changed(org: string): void {
    this.#known.delete(org);
  }
}

type Known = { revision: number; catalog: Catalog; settings: Readonly<OrgSettings>; checkedAt: number };

/** The bundled frameworks less the hidden ones, and the org's own newest versions less the retired ones. */
function catalogOf(bundled: Catalog, org: string, data: Readonly<OrgData>): Catalog {
  const hidden = new Set(data.hiddenBundled);
  const own: Framework[] = [];
  for (const framework of data.frameworks) {
    const newest = framework.versions.at(-1);
    if (framework.retired || !newest) continue;
    // Checked when it was published; a version the code of today no longer accepts is left out
    // rather than taking the org's whole catalog down.
    try {
      own.push(parseFramework(newest.yaml, `orgs/${org}/${framework.id}.yml`));
    } catch {}
  }
  if (hidden.size === 0 && own.length === 0) return bundled;
  const ownIds = new Set(own.map((f) => f.id));
  return new Catalog([...bundled.frameworks.filter((f) => !hidden.has(f.id) && !ownIds.has(f.id)), ...own]);
}
