import { describe, expect, it } from 'vitest';
import type { AssessmentRecord, PersonData } from '../../../src/model/records.js';
import type { Store } from '../../../src/store/store.js';
import { finished, implementations, openStoreForEachTest, somebody } from './support.js';

/**
 * The Store contract (src/store/store.ts, this folder's support.ts), on every store: how many of an
 * org's people finished an assessment of each framework and level, per month, for its admins.
 */

describe.each(implementations())('Store contract: $kind', (implementation) => {
  let store: Store;
  openStoreForEachTest(implementation, (opened) => {
    store = opened;
  });

  const at = (id: string, finishedAt: string, levelId = 'senior'): AssessmentRecord => ({
    ...finished(id),
    finishedAt,
    levelId,
  });
  const withHistory =
    (...history: AssessmentRecord[]) =>
    (data: PersonData) => {
      somebody(data);
      data.history = structuredClone(history);
    };
  const sorted = (counts: Awaited<ReturnType<Store['finishedPerMonth']>>) =>
    [...counts].sort((a, b) => `${a.month}${a.levelId}`.localeCompare(`${b.month}${b.levelId}`));

  describe('finishedPerMonth (adoption, for admins)', () => {
    it("counts the org's people per framework, level and month, each once per cell; other orgs are not counted", async () => {
      await store.update(
        'T1:U1',
        withHistory(at('a', '2026-11-02T10:00:00.000Z'), at('b', '2026-11-20T10:00:00.000Z')),
      );
      await store.update(
        'T1:U2',
        withHistory(at('c', '2026-11-30T23:59:59.000Z'), at('d', '2026-12-01T00:00:00.000Z', 'lead')),
      );
      await store.update('T10:U3', withHistory(at('e', '2026-11-05T10:00:00.000Z')));
      await store.update('T2:U4', withHistory(at('f', '2026-11-05T10:00:00.000Z')));

      const framework = finished('x').frameworkId;
      expect(sorted(await store.finishedPerMonth('T1'))).toEqual([
        { frameworkId: framework, levelId: 'senior', month: '2026-11', people: 2 },
        { frameworkId: framework, levelId: 'lead', month: '2026-12', people: 1 },
      ]);
      expect(await store.finishedPerMonth('T9')).toEqual([]);
    });

    it('forgets who forgot', async () => {
      await store.update('T1:U1', withHistory(at('a', '2026-11-02T10:00:00.000Z')));
      await store.update('T1:U2', withHistory(at('b', '2026-11-03T10:00:00.000Z')));
      await store.forget('T1:U1');
      expect((await store.finishedPerMonth('T1')).map((c) => c.people)).toEqual([1]);
    });
  });
});
