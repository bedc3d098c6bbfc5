import { describe, expect, it } from 'vitest';
import type { AssessmentRecord, PersonData } from '../../../src/model/records.js';
import { InvalidPersonDataError, type Store } from '../../../src/store/store.js';
import { AT, rate } from '../helpers.js';
import { FRAMEWORK, finished, implementations, openStoreForEachTest, somebody } from './support.js';

/**
 * The Store contract (src/store/store.ts, this folder's support.ts), on every store: the assessments
 * people include in team views, and the team views kept.
 */

describe.each(implementations())('Store contract: $kind', (implementation) => {
  let store: Store;
  const open = openStoreForEachTest(implementation, (opened) => {
    store = opened;
  });

  describe('sharedAssessments (team views)', () => {
    const included = (id: string, levelId = 'senior'): AssessmentRecord => ({
      ...finished(id),
      levelId,
      inTeamViews: true,
    });
    /** Someone with ratings, a draft, and the given history. */
    const withHistory =
      (...history: AssessmentRecord[]) =>
      (data: PersonData) => {
        somebody(data);
        data.history = structuredClone(history);
      };

    it('gives each person the assessments they included, in their order, as written; nothing else of theirs', async () => {
      await store.update(
        'T1:U1',
        withHistory(finished('a'), included('b'), finished('c'), included('d', 'lead')),
      );
      await store.update('T1:U2', withHistory(finished('e')));
      await store.update('T1:U3', rate(FRAMEWORK, 'c0', 3));
      await store.update('T2:U9', withHistory(included('f')));

      const shared = await store.sharedAssessments(['T1:U1', 'T1:U2', 'T1:U3', 'T1:NOBODY']);
      expect([...shared.keys()]).toEqual(['T1:U1']);
      expect(shared.get('T1:U1')).toEqual([included('b'), included('d', 'lead')]);
      // Only whole assessments: no ratings, no drafts.
      expect(JSON.stringify([...shared])).not.toMatch(/"drafts"|"ratings"|"sessionId"/);
      expect(await store.sharedAssessments([])).toEqual(new Map());
    });

    it('follows changes: a person who leaves team views, or is forgotten, is no longer there', async () => {
      await store.update('T1:U1', withHistory(included('a')));
      await store.update('T1:U2', withHistory(included('b')));
      expect([...(await store.sharedAssessments(['T1:U1', 'T1:U2'])).keys()].sort()).toEqual([
        'T1:U1',
        'T1:U2',
      ]);
      await store.update('T1:U1', (data) => {
        for (const record of data.history) delete record.inTeamViews;
      });
      await store.forget('T1:U2');
      expect(await store.sharedAssessments(['T1:U1', 'T1:U2'])).toEqual(new Map());
    });

    it('takes any number of people (more than one batch), odd keys and keys given twice', async () => {
      const odd = ['__proto__', 'constructor', `quotes ' " and \\ backslash`, 'E0123:U:with:colons'];
      for (const person of odd) await store.update(person, withHistory(included(`r-${person}`)));
      for (let i = 0; i < 30; i++) await store.update(`T1:U${i * 100}`, withHistory(included(`r${i}`)));
      const asked = [...Array.from({ length: 3_000 }, (_, i) => `T1:U${i}`), ...odd, ...odd];
      const shared = await store.sharedAssessments(asked);
      expect(shared.size).toBe(30 + odd.length);
      expect(shared.get('T1:U2400')?.map((r) => r.id)).toEqual(['r24']);
      for (const person of odd) expect(shared.get(person)?.map((r) => r.id)).toEqual([`r-${person}`]);
      expect(shared.has('T1:U1')).toBe(false);
    });

    it('reading them writes nothing', async () => {
      await store.update('T1:U1', withHistory(included('a')));
      const { writes } = await store.health();
      expect((await store.sharedAssessments(['T1:U1', 'T1:U2'])).get('T1:U1')).toEqual([included('a')]);
      expect((await store.health()).writes).toBe(writes);
      expect(await store.size()).toBe(1);
    });

    it.skipIf(!implementation.durable)('the choice lasts after close and reopen', async () => {
      await store.update('T1:U1', withHistory(finished('a'), included('b')));
      await store.close();
      const again = await open();
      expect((await again.sharedAssessments(['T1:U1'])).get('T1:U1')).toEqual([included('b')]);
      expect((await again.get('T1:U1')).history[0]).not.toHaveProperty('inTeamViews');
    });
  });

  describe('team views kept (ids only)', () => {
    const scope = { org: 'T1', frameworkId: FRAMEWORK, levelId: 'senior' };
    const view = (at: string, ...contributors: string[]) => ({ at, contributors, shown: { c0: [] } });

    it('keeps what a change leaves, per org, framework and level, as a copy', async () => {
      expect(await store.updateTeamViews(scope, (kept) => kept.length)).toBe(0);
      await store.updateTeamViews(scope, (kept) => {
        kept.push(view(AT, 'U1#a', 'U2#b'));
      });
      const got = await store.updateTeamViews(scope, (kept) => structuredClone(kept));
      expect(got).toEqual([view(AT, 'U1#a', 'U2#b')]);
      // Another org, or level, has its own.
      expect(await store.updateTeamViews({ ...scope, org: 'T2' }, (kept) => kept.length)).toBe(0);
      expect(await store.updateTeamViews({ ...scope, levelId: 'lead' }, (kept) => kept.length)).toBe(0);
      // A change that throws keeps nothing of it.
      await expect(
        store.updateTeamViews(scope, (kept) => {
          kept.length = 0;
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await store.updateTeamViews(scope, (kept) => kept.length)).toBe(1);
      // Emptied: gone.
      await store.updateTeamViews(scope, (kept) => {
        kept.length = 0;
      });
      expect(await store.updateTeamViews(scope, (kept) => kept.length)).toBe(0);
    });

    it('changes at the same time take turns: each sees the others', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.updateTeamViews(scope, (kept) => {
            kept.push(view(AT, `U${i}#a`));
          }),
        ),
      );
      const kept = await store.updateTeamViews(scope, (k) => structuredClone(k));
      expect(kept.map((v) => v.contributors[0]).sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => `U${i}#a`).sort(),
      );
    });

    it('refuses what does not fit the data file, and keeps nothing of it', async () => {
      await expect(
        store.updateTeamViews(scope, (kept) => {
          kept.push({ at: 'yesterday', contributors: ['U1#a'], shown: {} });
        }),
      ).rejects.toBeInstanceOf(InvalidPersonDataError);
      expect(await store.updateTeamViews(scope, (kept) => kept.length)).toBe(0);
    });

    it('forget takes the person out of every view kept for their org, leaving a stand-in', async () => {
      await store.update('T1:U1', somebody);
      await store.updateTeamViews(scope, (kept) => {
        kept.push(view(AT, 'U1#a', 'U2#b'), view(AT, 'U2#b', 'U3#c'));
      });
      await store.updateTeamViews({ ...scope, org: 'T2' }, (kept) => {
        kept.push(view(AT, 'U1#z'));
      });
      await store.forget('T1:U1');
      const kept = await store.updateTeamViews(scope, (k) => structuredClone(k));
      expect(JSON.stringify(kept)).not.toContain('U1#');
      expect(kept[0]?.contributors).toHaveLength(2);
      expect(kept[0]?.contributors).toContain('U2#b');
      expect(kept[1]).toEqual(view(AT, 'U2#b', 'U3#c'));
      // Another org's U1 is another person.
      expect(await store.updateTeamViews({ ...scope, org: 'T2' }, (k) => structuredClone(k))).toEqual([
        view(AT, 'U1#z'),
      ]);
    });

    it.skipIf(!implementation.durable)('lasts after close and reopen', async () => {
      await store.updateTeamViews(scope, (kept) => {
        kept.push(view(AT, 'U1#a'));
      });
      await store.close();
      const again = await open();
      expect(await again.updateTeamViews(scope, (k) => structuredClone(k))).toEqual([view(AT, 'U1#a')]);
    });
  });
});
