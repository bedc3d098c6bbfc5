import { beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { OrgCatalogs } from '../../src/frameworks/org-catalogs.js';
import type { OrgData } from '../../src/model/org-data.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { stewardYaml } from '../support/own-framework.js';

const bundled = new Catalog(await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]));

/** The seed framework as an org of its own would publish it: another role, at `version`. */
function ownFramework(version: string): { id: string; yaml: string } {
  return { id: 'data-steward.e-commerce', yaml: stewardYaml(version) };
}

function publish(data: OrgData, version: string, at = '2026-12-06T10:00:00.000Z'): void {
  const { id, yaml } = ownFramework(version);
  const entry = { version, yaml, publishedAt: at, publishedBy: 'U0ADMIN' };
  const known = data.frameworks.find((f) => f.id === id);
  if (known) known.versions.push(entry);
  else data.frameworks.push({ id, versions: [entry] });
}

let store: MemoryStore;
let clock: number;
let catalogs: OrgCatalogs;

beforeEach(() => {
  store = new MemoryStore();
  clock = 0;
  catalogs = new OrgCatalogs(bundled, store, { now: () => clock });
});

describe('the frameworks each org sees', () => {
  it('an org with nothing of its own sees the bundled catalog itself', async () => {
    expect(await catalogs.for('T1')).toBe(bundled);
  });

  it('an org sees what it published; another org never does, by id, lookup or list', async () => {
    await store.updateOrgData('T1', (d) => publish(d, '1'));
    const own = await catalogs.for('T1');
    expect(own.get('data-steward.e-commerce')?.role.name).toBe('Data Steward');
    expect(own.lookup('data steward senior').kind).toBe('found');
    expect(own.frameworks).toHaveLength(bundled.frameworks.length + 1);

    const other = await catalogs.for('T2');
    expect(other.get('data-steward.e-commerce')).toBeUndefined();
    expect(other.lookup('data steward senior').kind).not.toBe('found');
    expect(other.frameworks.map((f) => f.role.name)).not.toContain('Data Steward');
  });

  it('the newest version is the one looked up; a retired framework and a hidden bundled one are not seen', async () => {
    await store.updateOrgData('T1', (d) => {
      publish(d, '1');
      publish(d, '2');
      d.hiddenBundled.push('tech-lead.software-engineering');
    });
    let catalog = await catalogs.for('T1');
    expect(catalog.get('data-steward.e-commerce')?.version).toBe('2');
    expect(catalog.get('tech-lead.software-engineering')).toBeUndefined();
    expect(catalog.get('solutions-architect.e-commerce')).toBeDefined();

    await store.updateOrgData('T1', (d) => {
      const own = d.frameworks[0];
      if (own) own.retired = { at: '2026-12-06T11:00:00.000Z', by: 'U0ADMIN' };
      d.hiddenBundled = [];
    });
    catalogs.changed('T1');
    catalog = await catalogs.for('T1');
    expect(catalog.get('data-steward.e-commerce')).toBeUndefined();
    expect(catalog.get('tech-lead.software-engineering')).toBeDefined();
  });

  it('another instance sees a publish once its short wait is over, and builds nothing while nothing changed', async () => {
    const elsewhere = new OrgCatalogs(bundled, store, { now: () => clock, freshnessMs: 2_000 });
    expect(await elsewhere.for('T1')).toBe(bundled);
    await store.updateOrgData('T1', (d) => publish(d, '1'));

    clock = 1_999;
    expect((await elsewhere.for('T1')).get('data-steward.e-commerce')).toBeUndefined();
    clock = 2_000;
    const seen = await elsewhere.for('T1');
    expect(seen.get('data-steward.e-commerce')).toBeDefined();
    clock = 10_000;
    expect(await elsewhere.for('T1')).toBe(seen);
  });

  it('a version the checks of today refuse is left out, and the rest of the org’s catalog still works', async () => {
    await store.updateOrgData('T1', (d) => {
      d.frameworks.push({
        id: 'broken.e-commerce',
        versions: [
          { version: '1', yaml: 'role: [', publishedAt: '2026-12-06T10:00:00.000Z', publishedBy: 'U0ADMIN' },
        ],
      });
      publish(d, '1');
    });
    const catalog = await catalogs.for('T1');
    expect(catalog.get('broken.e-commerce')).toBeUndefined();
    expect(catalog.get('data-steward.e-commerce')).toBeDefined();
  });
});
