import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  emptyOrgData,
  ORG_LOG_LIMIT,
  type OrgData,
  type OrgFramework,
  type PublishedVersion,
} from '../../../src/model/org-data.js';
import type { InstallationRecord } from '../../../src/model/records.js';
import { openFileStore } from '../../../src/store/file/open.js';
import {
  DeletedMeanwhileError,
  InvalidOrgDataError,
  type Store,
  StoreError,
} from '../../../src/store/store.js';
import { AT, makeTempDir, readJson } from '../helpers.js';
import { implementations, openStoreForEachTest, somebody } from './support.js';

/**
 * The Store contract (src/store/store.ts, this folder's support.ts), on every store: what an org keeps
 * of its own (src/model/org-data.ts) — its published frameworks, the bundled ones it hides, its
 * settings and change log — one record per org, with a revision, and gone with the org's last
 * installation.
 */

const YAML = 'id: acme.platform-engineer\nrole: Platform Engineer\n# ünïcödé 😀, "quotes" and \\ too\n';

const version = (v: string, yaml = YAML): PublishedVersion => ({
  version: v,
  yaml,
  publishedAt: AT,
  publishedBy: 'U1',
});

const framework = (id: string, ...versions: string[]): OrgFramework => ({
  id,
  versions: versions.map((v) => version(v)),
});

/** An org that published a framework twice, hid a bundled one and chose its settings. */
function published(data: OrgData): void {
  data.frameworks.push(framework('acme.platform-engineer', '1', '2'));
  data.hiddenBundled.push('solutions-architect.e-commerce');
  data.settings = { teamViewMinimum: 4, cadence: 'quarterly' };
  data.log.push({ at: AT, by: 'U1', what: 'Published Platform Engineer, version 2' });
}

const installed = (id: string, enterpriseId: string | null = null): InstallationRecord => ({
  id,
  enterpriseId,
  installation: {},
  installedAt: AT,
  updatedAt: AT,
});

describe.each(implementations())('Store contract: $kind', (implementation) => {
  let store: Store;
  const open = openStoreForEachTest(implementation, (opened) => {
    store = opened;
  });

  /** A change that keeps what `published` leaves: the org's own part of it, without the revision. */
  const ownPart = async (org: string): Promise<Omit<OrgData, 'revision'>> => {
    const { revision: _, ...rest } = await store.orgData(org);
    return rest;
  };

  describe("an org's own data", () => {
    it('is empty, with revision 0, for an org with none; reading it writes nothing', async () => {
      const { writes } = await store.health();
      expect(await store.orgData('T1')).toEqual(emptyOrgData());
      expect(await store.orgRevision('T1')).toBe(0);
      // A change that leaves it as it was keeps nothing either.
      expect(await store.updateOrgData('T1', (data) => data.frameworks.length)).toBe(0);
      expect(await store.orgRevision('T1')).toBe(0);
      expect((await store.health()).writes).toBe(writes);
    });

    it('keeps what a change leaves, and reads it back as a copy', async () => {
      expect(
        await store.updateOrgData('T1', (data) => {
          published(data);
          return 'done';
        }),
      ).toBe('done');
      const expected = emptyOrgData();
      published(expected);
      const { revision, ...kept } = await store.orgData('T1');
      const { revision: _, ...own } = expected;
      expect(kept).toEqual(own);
      expect(revision).toBeGreaterThan(0);
      expect(await store.orgRevision('T1')).toBe(revision);
      // The YAML text comes back character for character.
      expect((await store.orgData('T1')).frameworks[0]?.versions[1]?.yaml).toBe(YAML);
      // What the store hands out is a copy: changing it changes nothing kept.
      const copy = (await store.orgData('T1')) as OrgData;
      copy.frameworks.length = 0;
      copy.settings.cadence = 'monthly';
      expect(await ownPart('T1')).toEqual(own);
      // The change is given what is kept, and may retire and restore.
      await store.updateOrgData('T1', (data) => {
        const first = data.frameworks[0];
        if (first) first.retired = { at: AT, by: 'U2' };
      });
      expect((await store.orgData('T1')).frameworks[0]?.retired).toEqual({ at: AT, by: 'U2' });
      await store.updateOrgData('T1', (data) => {
        delete data.frameworks[0]?.retired;
      });
      expect(await ownPart('T1')).toEqual(own);
    });

    it('the revision grows with every change that writes, and only then', async () => {
      await store.updateOrgData('T1', published);
      const first = await store.orgRevision('T1');
      expect(first).toBeGreaterThan(0);
      const { writes } = await store.health();
      // Nothing changed: nothing written, the same revision.
      await store.updateOrgData('T1', (data) => {
        data.settings.cadence = 'quarterly';
      });
      // The revision is the store's: a change that sets it is not a change.
      await store.updateOrgData('T1', (data) => {
        data.revision = 1;
      });
      await store.updateOrgData('T1', (data) => {
        data.revision = first + 100;
      });
      expect(await store.orgRevision('T1')).toBe(first);
      expect((await store.health()).writes).toBe(writes);

      await store.updateOrgData('T1', (data) => {
        data.settings.cadence = 'monthly';
      });
      const second = await store.orgRevision('T1');
      expect(second).toBeGreaterThan(first);
      expect((await store.orgData('T1')).revision).toBe(second);
      await store.updateOrgData('T1', (data) => {
        data.frameworks[0]?.versions.push(version('3'));
      });
      expect(await store.orgRevision('T1')).toBeGreaterThan(second);
    });

    it('a change that throws keeps nothing of it', async () => {
      await store.updateOrgData('T1', published);
      const before = await store.orgData('T1');
      await expect(
        store.updateOrgData('T1', (data) => {
          data.frameworks.length = 0;
          data.settings = {};
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await store.orgData('T1')).toEqual(before);
      // Nor for an org that had nothing: it still has nothing.
      await expect(
        store.updateOrgData('T2', (data) => {
          published(data);
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await store.orgData('T2')).toEqual(emptyOrgData());
    });

    it('refuses what does not fit the data file, says what is wrong, and keeps nothing of it', async () => {
      await store.updateOrgData('T1', published);
      const before = await store.orgData('T1');
      const refusals: [string, (data: OrgData) => void][] = [
        [
          'frameworks[1].versions: expected at least one published version',
          (d) => d.frameworks.push(framework('x')),
        ],
        [
          'frameworks[1]: the framework "acme.platform-engineer" comes twice',
          (d) => d.frameworks.push(framework('acme.platform-engineer', '9')),
        ],
        [
          'frameworks[0].versions[2]: the version "2" comes twice',
          (d) => d.frameworks[0]?.versions.push(version('2')),
        ],
        [
          'frameworks[0].versions[2].publishedAt: expected a date and time in ISO 8601',
          (d) => d.frameworks[0]?.versions.push({ ...version('3'), publishedAt: 'yesterday' }),
        ],
        [
          'frameworks[0].versions[2].yaml: expected text without NUL characters',
          (d) => d.frameworks[0]?.versions.push(version('3', 'id: x\u0000')),
        ],
        [
          'log[1].what: expected text without NUL characters (U+0000) or lone surrogates',
          (d) => d.log.push({ at: AT, by: 'U1', what: 'half an emoji \ud83d' }),
        ],
        [
          'settings.teamViewMinimum: expected int, found 2.5',
          (d) => {
            d.settings.teamViewMinimum = 2.5;
          },
        ],
        [
          'settings: unknown field: colour',
          (d) => {
            Object.assign(d.settings, { colour: 'red' });
          },
        ],
        [
          'hiddenBundled[1]: the framework "solutions-architect.e-commerce" comes twice',
          (d) => d.hiddenBundled.push('solutions-architect.e-commerce'),
        ],
        ['log[1].by: expected a non-empty string', (d) => d.log.push({ at: AT, by: '', what: 'x' })],
      ];
      for (const [issue, change] of refusals) {
        const refused = await store.updateOrgData('T1', change).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(refused, issue).toBeInstanceOf(InvalidOrgDataError);
        expect((refused as InvalidOrgDataError).issues.join('\n')).toContain(issue);
        expect(await store.orgData('T1')).toEqual(before);
      }
      // For an org with nothing yet, likewise: it stays with nothing.
      await expect(
        store.updateOrgData('T2', (data) => {
          data.frameworks.push(framework('x'));
        }),
      ).rejects.toBeInstanceOf(InvalidOrgDataError);
      expect(await store.orgRevision('T2')).toBe(0);
    });

    it('keeps the last ORG_LOG_LIMIT entries of the change log', async () => {
      const entry = (i: number) => ({ at: AT, by: 'U1', what: `change ${i}` });
      await store.updateOrgData('T1', (data) => {
        for (let i = 0; i < ORG_LOG_LIMIT + 10; i++) data.log.push(entry(i));
      });
      let log = (await store.orgData('T1')).log;
      expect(log).toHaveLength(ORG_LOG_LIMIT);
      expect(log[0]).toEqual(entry(10));
      expect(log.at(-1)).toEqual(entry(ORG_LOG_LIMIT + 9));
      await store.updateOrgData('T1', (data) => {
        data.log.push(entry(ORG_LOG_LIMIT + 10));
      });
      log = (await store.orgData('T1')).log;
      expect(log).toHaveLength(ORG_LOG_LIMIT);
      expect(log[0]).toEqual(entry(11));
    });

    it('keeps each org its own: a workspace, another, and a Grid org', async () => {
      await store.updateOrgData('T1', published);
      await store.updateOrgData('E1', (data) => {
        data.frameworks.push(framework('grid.only', '1'));
      });
      expect(await store.orgData('T2')).toEqual(emptyOrgData());
      expect(await store.orgRevision('T2')).toBe(0);
      expect((await store.orgData('E1')).frameworks.map((f) => f.id)).toEqual(['grid.only']);
      expect((await store.orgData('T1')).frameworks.map((f) => f.id)).toEqual(['acme.platform-engineer']);
      const e1 = await store.orgRevision('E1');
      await store.updateOrgData('T1', (data) => {
        data.settings.teamViewMinimum = 7;
      });
      // Another org's change leaves its revision as it was.
      expect(await store.orgRevision('E1')).toBe(e1);
      expect((await store.orgData('E1')).settings).toEqual({});
    });

    it('changes of one org at the same time take turns: each sees the others, none is lost', async () => {
      const seen = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.updateOrgData('T1', (data) => {
            data.log.push({ at: AT, by: `U${i}`, what: `change ${i}` });
            data.settings.teamViewMinimum = (data.settings.teamViewMinimum ?? 0) + 1;
            return data.log.length;
          }),
        ),
      );
      // Each change ran last on what all the ones before it had left.
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      const data = await store.orgData('T1');
      expect(data.settings.teamViewMinimum).toBe(20);
      expect(data.log.map((entry) => entry.by).sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => `U${i}`).sort(),
      );
    });

    it.skipIf(!implementation.durable)('lasts after close and reopen, revision and all', async () => {
      await store.updateOrgData('T1', published);
      const before = await store.orgData('T1');
      await store.close();
      const again = await open();
      expect(await again.orgData('T1')).toEqual(before);
      expect(await again.orgRevision('T1')).toBe(before.revision);
      // And the revision goes on growing from there.
      await again.updateOrgData('T1', (data) => {
        data.hiddenBundled = [];
      });
      expect(await again.orgRevision('T1')).toBeGreaterThan(before.revision);
    });
  });

  describe("uninstall and an org's own data", () => {
    it('a change asked for before the uninstall does not make the org a record again; one asked for after does', async () => {
      await store.saveInstallation(installed('T1'));
      await store.updateOrgData('T1', published);
      const madeAt = new Date(Date.now() - 1_000);
      await store.uninstall({ installation: 'T1', people: 'T1' });
      await expect(store.updateOrgData('T1', published, { madeAt })).rejects.toBeInstanceOf(
        DeletedMeanwhileError,
      );
      expect(await store.orgRevision('T1')).toBe(0);
      // Reading, or a change that writes nothing, is not refused.
      expect(await store.updateOrgData('T1', () => 'read', { madeAt })).toBe('read');
      // Another org, and the same org asked for after the uninstall, go on as usual.
      await store.updateOrgData('T2', published, { madeAt });
      await store.updateOrgData('T1', published, { madeAt: new Date() });
      expect((await store.orgData('T1')).frameworks).toHaveLength(1);
    });

    it("a workspace's goes with its installation; another workspace keeps its own", async () => {
      await store.saveInstallation(installed('T1'));
      await store.saveInstallation(installed('T2'));
      await store.update('T1:U1', somebody);
      await store.updateOrgData('T1', published);
      await store.updateOrgData('T2', published);
      const t2 = await store.orgData('T2');
      expect(await store.uninstall({ installation: 'T1', people: 'T1' })).toEqual({
        installation: true,
        people: 1,
        records: 10,
        orgData: true,
      });
      expect(await store.orgData('T1')).toEqual(emptyOrgData());
      expect(await store.orgRevision('T1')).toBe(0);
      expect(await store.orgData('T2')).toEqual(t2);
      // Again: nothing left to delete.
      expect(await store.uninstall({ installation: 'T1', people: 'T1' })).toEqual({
        installation: false,
        people: 0,
        records: 0,
        orgData: false,
      });
      // Also without an installation kept (single-workspace mode): nothing then serves the workspace.
      expect(await store.uninstall({ installation: 'T3', people: 'T3' })).toMatchObject({ orgData: false });
      await store.updateOrgData('T3', published);
      expect(await store.uninstall({ installation: 'T3', people: 'T3' })).toEqual({
        installation: false,
        people: 0,
        records: 0,
        orgData: true,
      });
      expect(await store.orgRevision('T3')).toBe(0);
    });

    it("a Grid org's stays while an installation of the org is left, and goes with the last", async () => {
      // The org installed org-wide, and two of its workspaces with installs of their own.
      await store.saveInstallation(installed('E1', 'E1'));
      await store.saveInstallation(installed('T1', 'E1'));
      await store.saveInstallation(installed('T2', 'E1'));
      await store.updateOrgData('E1', published);
      await store.updateOrgData('T1', published);
      await store.updateOrgData('T2', published);
      await store.updateOrgData('E2', published);
      const e1 = await store.orgData('E1');

      // A workspace's install goes: its own data goes, the org keeps its own.
      expect(await store.uninstall({ installation: 'T1', people: 'E1' })).toMatchObject({
        installation: true,
        orgData: true,
      });
      expect(await store.orgRevision('T1')).toBe(0);
      expect(await store.orgData('E1')).toEqual(e1);
      // The org-wide install goes while a workspace of the org keeps one: the org's data stays, as its
      // people do.
      expect(await store.uninstall({ installation: 'E1', people: 'E1' })).toMatchObject({
        installation: true,
        orgData: false,
      });
      expect(await store.orgData('E1')).toEqual(e1);
      // The last installation of the org goes: so does everything the org kept of its own.
      expect(await store.uninstall({ installation: 'T2', people: 'E1' })).toMatchObject({
        installation: true,
        orgData: true,
      });
      expect(await store.orgRevision('E1')).toBe(0);
      expect(await store.orgRevision('T2')).toBe(0);
      expect(await store.orgData('E1')).toEqual(emptyOrgData());
      // Another Grid org is another org.
      expect((await store.orgData('E2')).frameworks).toHaveLength(1);
    });

    it('an org made again after an uninstall never has a revision it had before', async () => {
      await store.updateOrgData('T1', published);
      for (let i = 0; i < 3; i++)
        await store.updateOrgData('T1', (data) => {
          data.log.push({ at: AT, by: 'U1', what: `change ${i}` });
        });
      const before = await store.orgRevision('T1');
      await store.uninstall({ installation: 'T1', people: 'T1' });
      await store.updateOrgData('T1', published);
      expect(await store.orgRevision('T1')).toBeGreaterThan(before);
    });
  });
});

describe('the data file keeps orgs’ own data in its section `orgData`', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, remove } = await makeTempDir());
  });
  afterEach(async () => {
    await remove();
  });
  const file = () => path.join(dir, 'competency-data.json');

  it('written beside the people, left out when no org has any; a file without it opens', async () => {
    const store = await openFileStore(dir);
    await store.update('T1:U1', somebody);
    await store.close();
    expect(await readJson(file())).not.toHaveProperty('orgData');

    const again = await openFileStore(dir);
    await again.updateOrgData('T1', published);
    const kept = await again.orgData('T1');
    await again.close();
    expect(await readJson(file())).toMatchObject({ orgData: { T1: kept } });
  });

  it('a file whose orgData does not fit the format is refused at start, and left as it was', async () => {
    const store = await openFileStore(dir);
    await store.updateOrgData('T1', published);
    await store.close();
    const text = (await readFile(file(), 'utf8')).replace('"publishedAt":"', '"publishedAt":"not ');
    await writeFile(file(), text);
    const opening = openFileStore(dir);
    await expect(opening).rejects.toBeInstanceOf(StoreError);
    await expect(opening).rejects.toThrow(/orgData\["T1"\]\.frameworks\[0\]\.versions\[0\]\.publishedAt/);
    expect(await readFile(file(), 'utf8')).toBe(text);
  });
});
