import { describe, expect, it } from 'vitest';
import { type InstallationRecord, noteWorkspace, type PersonData } from '../../../src/model/records.js';
import type { Store } from '../../../src/store/store.js';
import { AT } from '../helpers.js';
import { FRAMEWORK, implementations, openStoreForEachTest, somebody, step } from './support.js';

/**
 * The Store contract (src/store/store.ts, this folder's support.ts), on every store: installations,
 * uninstalls and what goes with them, and replacing an installation as it was read.
 */

/** Someone with data (`somebody`) who used the app from these workspaces of their Grid org. */
function somebodyFrom(person: string, ...workspaces: string[]) {
  return (data: PersonData): void => {
    somebody(data);
    for (const workspace of workspaces) noteWorkspace(data, person, workspace);
  };
}

describe.each(implementations())('Store contract: $kind', (implementation) => {
  let store: Store;
  const open = openStoreForEachTest(implementation, (opened) => {
    store = opened;
  });

  describe('installations', () => {
    const installed = (id: string, enterpriseId: string | null = null): InstallationRecord => ({
      id,
      enterpriseId,
      installation: { team: { id }, bot: { token: `sealed-${id}` }, note: 'nul \u0000 and 😀' },
      installedAt: '2026-01-02T03:04:05.000Z',
      updatedAt: '2026-01-02T03:04:05.000Z',
    });

    it('keeps an installation, replaces it by id, and lists them all', async () => {
      expect(await store.installation('T1')).toBeUndefined();
      await store.saveInstallation(installed('T1'));
      await store.saveInstallation(installed('E1', 'E1'));
      expect(await store.installation('T1')).toEqual(installed('T1'));
      const renewed = { ...installed('T1'), installation: { bot: { token: 'sealed-new' } } };
      await store.saveInstallation(renewed);
      expect(await store.installation('T1')).toEqual(renewed);
      expect((await store.installations()).map((record) => record.id).sort()).toEqual(['E1', 'T1']);
      // What the store hands out is a copy: changing it changes nothing kept.
      const copy = await store.installation('T1');
      if (copy) copy.installation.bot = 'changed';
      expect(await store.installation('T1')).toEqual(renewed);
    });

    it('uninstall deletes the installation and the people of that workspace, and no one else', async () => {
      await store.saveInstallation(installed('T1'));
      await store.saveInstallation({
        id: 'T2',
        enterpriseId: null,
        installation: {},
        installedAt: AT,
        updatedAt: AT,
      });
      await store.update('T1:U1', somebody);
      await store.update('T1:U2', step);
      await store.update('T2:U1', somebody);
      await store.update('T10:U1', step);
      expect(await store.uninstall({ installation: 'T1', people: 'T1' })).toEqual({
        installation: true,
        people: 2,
        records: 11,
        orgData: false,
      });
      expect(await store.installation('T1')).toBeUndefined();
      expect(await store.get('T1:U1')).toEqual({ ratings: {}, drafts: {}, history: [] });
      expect(await store.installation('T2')).toBeDefined();
      expect((await store.get('T2:U1')).history).toHaveLength(1);
      expect((await store.get('T10:U1')).drafts[FRAMEWORK]?.position).toBe(1);
      expect(await store.size()).toBe(2);
      // Again (Slack sends app_uninstalled and tokens_revoked): nothing left to delete.
      expect(await store.uninstall({ installation: 'T1', people: 'T1' })).toEqual({
        installation: false,
        people: 0,
        records: 0,
        orgData: false,
      });
    });

    it("an org's people stay while one of its installations remains, and go with the last", async () => {
      await store.saveInstallation(installed('T1', 'E1'));
      await store.saveInstallation(installed('T2', 'E1'));
      // Someone who used the app from both workspaces of the org.
      await store.update('E1:U1', somebodyFrom('E1:U1', 'T1', 'T2'));
      expect((await store.get('E1:U1')).workspaces).toEqual(['T1', 'T2']);
      expect(await store.uninstall({ installation: 'T1', people: 'E1' })).toEqual({
        installation: true,
        people: 0,
        records: 0,
        orgData: false,
      });
      expect((await store.get('E1:U1')).history).toHaveLength(1);
      expect(await store.uninstall({ installation: 'T2', people: 'E1' })).toMatchObject({
        installation: true,
        people: 1,
      });
      expect(await store.size()).toBe(0);
    });

    describe('an org-wide install and a workspace install of the same org, removed in either order', () => {
      const org = installed('E1', 'E1');
      const ws = installed('T1', 'E1');
      const scope = { org: 'E1', frameworkId: FRAMEWORK, levelId: 'senior' };
      /** A used T1 (kept by T1's install), B used T2 (only the org-wide install reached it), C is from before workspaces were kept. */
      async function people(): Promise<void> {
        await store.saveInstallation(org);
        await store.saveInstallation(ws);
        await store.update('E1:A', somebodyFrom('E1:A', 'T1'));
        await store.update('E1:B', somebodyFrom('E1:B', 'T2'));
        await store.update('E1:C', somebody);
        // B reviewed A, and A reviewed B: one review kept in each record, and each one's index in the other's.
        const review = (reviewer: string, id: string) => ({
          id,
          assessmentId: 'first',
          reviewer,
          reviewerUserId: reviewer.split(':')[1] ?? '',
          status: 'finished' as const,
          position: 8,
          answers: {},
          askedAt: AT,
          updatedAt: AT,
        });
        await store.update('E1:A', (d) => {
          d.reviews = [review('E1:B', 'rb')];
          d.reviewsGiven = [{ of: 'E1:B', id: 'ra' }];
        });
        await store.update('E1:B', (d) => {
          d.reviews = [review('E1:A', 'ra')];
          d.reviewsGiven = [{ of: 'E1:A', id: 'rb' }];
        });
        // A shares with B, and B with A: each share in the giver's record, its index entry in the other's.
        const share = (to: string, id: string) => ({
          id,
          withUserId: to.split(':')[1] ?? '',
          with: to,
          ownerUserId: 'X',
          at: AT,
        });
        await store.update('E1:A', (d) => {
          d.shares = [share('E1:B', 'sa')];
          d.sharesReceived = [{ of: 'E1:B', id: 'sb' }];
        });
        await store.update('E1:B', (d) => {
          d.shares = [share('E1:A', 'sb')];
          d.sharesReceived = [{ of: 'E1:A', id: 'sa' }];
        });
        await store.updateTeamViews(scope, (kept) => {
          kept.push({ at: AT, contributors: ['A#1', 'B#2', 'C#3'], shown: {} });
        });
      }

      it('org-wide first: who used the remaining workspace stays, without what the others gave or kept for them', async () => {
        await people();
        expect(await store.uninstall({ installation: 'E1', people: 'E1' })).toEqual({
          installation: true,
          people: 2,
          records: 24,
          orgData: false,
        });
        const a = await store.get('E1:A');
        expect(a.history).toHaveLength(1);
        expect(a.reviews).toBeUndefined();
        expect(a.reviewsGiven).toBeUndefined();
        // Nothing of A's names B any more: neither the share A gave B nor the index of B's share.
        expect(a.shares).toBeUndefined();
        expect(a.sharesReceived).toBeUndefined();
        expect(await store.size()).toBe(1);
        const kept = JSON.stringify(await store.updateTeamViews(scope, (k) => structuredClone(k)));
        expect(kept).toContain('"A#1"');
        expect(kept).not.toMatch(/"B#|"C#/);
        // Then the workspace: nobody is left, nor any team view of the org.
        expect(await store.uninstall({ installation: 'T1', people: 'E1' })).toMatchObject({ people: 1 });
        expect(await store.size()).toBe(0);
        expect(await store.updateTeamViews(scope, (k) => k.length)).toBe(0);
      });

      it('the workspace first: the org-wide install still reaches everyone; then everyone goes with it', async () => {
        await people();
        expect(await store.uninstall({ installation: 'T1', people: 'E1' })).toEqual({
          installation: true,
          people: 0,
          records: 0,
          orgData: false,
        });
        expect(await store.size()).toBe(3);
        expect((await store.get('E1:A')).reviews).toHaveLength(1);
        expect(await store.uninstall({ installation: 'E1', people: 'E1' })).toMatchObject({
          installation: true,
          people: 3,
        });
        expect(await store.size()).toBe(0);
        expect(await store.updateTeamViews(scope, (k) => k.length)).toBe(0);
      });
    });

    it.skipIf(!implementation.durable)(
      'installations and uninstalls last after close and reopen',
      async () => {
        await store.saveInstallation(installed('T1'));
        await store.saveInstallation(installed('E1', 'E1'));
        await store.update('T1:U1', somebody);
        await store.update('E1:U1', somebody);
        await store.uninstall({ installation: 'E1', people: 'E1' });
        await store.close();
        const again = await open();
        expect(await again.installations()).toEqual([installed('T1')]);
        expect(await again.size()).toBe(1);
        expect((await again.get('T1:U1')).history).toHaveLength(1);
      },
    );

    describe('replaceInstallation (only over the installation as it was read)', () => {
      const resealed = (record: InstallationRecord, token: string): InstallationRecord => ({
        ...record,
        installation: { ...record.installation, bot: { token } },
      });

      it('writes when the installation is as it was read, durably; then the old one no longer matches', async () => {
        await store.saveInstallation(installed('T1'));
        await store.saveInstallation(installed('T2'));
        const read = await store.installation('T1');
        if (!read) throw new Error('not kept');
        expect(await store.replaceInstallation(read, resealed(read, 'sealed-again'))).toBe(true);
        expect(await store.installation('T1')).toEqual(resealed(installed('T1'), 'sealed-again'));
        expect(await store.installation('T2')).toEqual(installed('T2'));
        // What was read before the replacement is not what the store has any more.
        expect(await store.replaceInstallation(read, resealed(read, 'sealed-third'))).toBe(false);
        expect(await store.installation('T1')).toEqual(resealed(installed('T1'), 'sealed-again'));
        if (implementation.durable) {
          await store.close();
          const again = await open();
          expect(await again.installation('T1')).toEqual(resealed(installed('T1'), 'sealed-again'));
        }
      });

      it('refuses when the installation changed meanwhile (its token, its times or its org), and keeps the change', async () => {
        await store.saveInstallation(installed('T1'));
        const read = (await store.installations())[0];
        if (!read) throw new Error('not kept');
        const changes: InstallationRecord[] = [
          resealed(read, 'sealed-refreshed'),
          { ...read, updatedAt: '2026-01-02T03:04:05.001Z' },
          { ...read, installedAt: '2025-12-31T23:59:59.999Z' },
          { ...read, enterpriseId: 'E1' },
          { ...read, installation: { ...read.installation, extra: null } },
        ];
        for (const changed of changes) {
          await store.saveInstallation(changed);
          expect(await store.replaceInstallation(read, resealed(read, 'sealed-stale'))).toBe(false);
          expect(await store.installation('T1')).toEqual(changed);
        }
        // The same installation saved again, unchanged, is still the one read.
        await store.saveInstallation(installed('T1'));
        expect(await store.replaceInstallation(read, resealed(read, 'sealed-new'))).toBe(true);
      });

      it('refuses, and adds nothing, when the installation is gone or was never there', async () => {
        await store.saveInstallation(installed('T1'));
        const read = await store.installation('T1');
        if (!read) throw new Error('not kept');
        await store.uninstall({ installation: 'T1', people: 'T1' });
        expect(await store.replaceInstallation(read, resealed(read, 'sealed-again'))).toBe(false);
        expect(await store.installation('T1')).toBeUndefined();
        expect(await store.replaceInstallation(installed('T9'), installed('T9'))).toBe(false);
        expect(await store.installations()).toEqual([]);
        if (implementation.durable) {
          await store.close();
          expect(await (await open()).installations()).toEqual([]);
        }
      });

      it('matches an installation read back with any text in it: control characters, emoji, odd keys and numbers', async () => {
        const odd: InstallationRecord = {
          ...installed('T1'),
          installation: {
            // Parsed, so that __proto__ is a key of its own, as a JSON document can have it.
            ...JSON.parse('{"b":1,"a":2,"10":"ten","2":"two","__proto__":{"x":1}}'),
            constructor: 'c',
            text: 'nul \u0000, \\u0000, tab \t, line \u2028\u2029, quote " and \\, 😀, lone \ud800',
            numbers: [1e21, 0.1, -5e-7, 1.5e300, 9007199254740991, 0],
            nested: { empty: {}, list: [], yes: true, no: false, none: null },
          },
        };
        await store.saveInstallation(odd);
        const read = await store.installation('T1');
        if (!read) throw new Error('not kept');
        expect(await store.replaceInstallation(read, resealed(read, 'sealed-again'))).toBe(true);
        expect((await store.installation('T1'))?.installation.bot).toEqual({ token: 'sealed-again' });
      });

      it('of several replacements of the same installation at once, exactly one is written', async () => {
        await store.saveInstallation(installed('T1'));
        const read = await store.installation('T1');
        if (!read) throw new Error('not kept');
        const written = await Promise.all(
          Array.from({ length: 8 }, (_, i) => store.replaceInstallation(read, resealed(read, `sealed-${i}`))),
        );
        expect(written.filter(Boolean)).toHaveLength(1);
        const winner = written.indexOf(true);
        expect(await store.installation('T1')).toEqual(resealed(read, `sealed-${winner}`));
      });

      it('cannot change the id', async () => {
        await store.saveInstallation(installed('T1'));
        await expect(store.replaceInstallation(installed('T1'), installed('T2'))).rejects.toThrow(/id/);
        expect(await store.installation('T2')).toBeUndefined();
      });
    });
  });
});
