import { describe, expect, it } from 'vitest';
import type { PersonData, RatingValue } from '../../../src/model/records.js';
import { DeletedMeanwhileError, InvalidPersonDataError, type Store } from '../../../src/store/store.js';
import { AT, rate } from '../helpers.js';
import {
  draft,
  FRAMEWORK,
  finished,
  implementations,
  openStoreForEachTest,
  somebody,
  step,
} from './support.js';

/**
 * The Store contract (src/store/store.ts, this folder's support.ts), on every store: a person's data —
 * get, update, forget, size, concurrent changes, odd keys and text, and changes asked for before a deletion.
 */

/**
 * Rates as the app does, with framework and competency ids that are the names of Object members:
 * own properties, never the prototype (`x['__proto__'] ??= {}` would find Object.prototype).
 */
function rateOwn(frameworkId: string, competencyId: string, value: RatingValue) {
  return (data: PersonData): void => {
    const ratings = Object.hasOwn(data.ratings, frameworkId) ? data.ratings[frameworkId] : undefined;
    const framework = ratings ?? {};
    Object.defineProperty(framework, competencyId, {
      value: { value, at: AT, frameworkVersion: '1' },
      enumerable: true,
      writable: true,
      configurable: true,
    });
    Object.defineProperty(data.ratings, frameworkId, {
      value: framework,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  };
}

describe.each(implementations())('Store contract: $kind', (implementation) => {
  let store: Store;
  const open = openStoreForEachTest(implementation, (opened) => {
    store = opened;
  });

  it('says what it is and that it is healthy', async () => {
    expect(store.kind).toBe(implementation.kind);
    expect(store.location).not.toBe('');
    const health = await store.health();
    expect(health).toMatchObject({ kind: implementation.kind, ok: true, writes: 0 });
    expect(health.problem).toBeUndefined();
  });

  it('has nothing for someone new, and does not count them', async () => {
    expect(await store.get('T1:U1')).toEqual({ ratings: {}, drafts: {}, history: [] });
    expect(await store.size()).toBe(0);
  });

  it('keeps a change: update resolves with what the change returned, and get shows it', async () => {
    const answer = await store.update('T1:U1', (data) => {
      somebody(data);
      return 'done';
    });
    expect(answer).toBe('done');
    const data = await store.get('T1:U1');
    expect(data.ratings[FRAMEWORK]?.c0).toEqual({ value: 1, at: AT, frameworkVersion: '1' });
    expect(data.ratings[FRAMEWORK]?.c3?.value).toBe('na');
    expect(data.drafts[FRAMEWORK]).toEqual(draft(3));
    expect(data.history).toEqual([finished('first')]);
    expect(await store.size()).toBe(1);
    const health = await store.health();
    expect(health.writes).toBeGreaterThan(0);
    expect(health.people).toBe(1);
  });

  it('a change builds on the one before it', async () => {
    await store.update('T1:U1', somebody);
    expect(await store.update('T1:U1', step)).toBe(4);
    expect(await store.update('T1:U1', step)).toBe(5);
    expect((await store.get('T1:U1')).drafts[FRAMEWORK]?.position).toBe(5);
  });

  it('a change that throws: the update rejects with that very error, and nothing changes', async () => {
    await store.update('T1:U1', somebody);
    const before = structuredClone(await store.get('T1:U1'));
    const { writes } = await store.health();
    const oops = new Error('the change gave up');

    await expect(
      store.update('T1:U1', (data) => {
        step(data);
        data.history = [];
        throw oops;
      }),
    ).rejects.toBe(oops);
    await expect(
      store.update('T1:U2', (data) => {
        somebody(data);
        throw oops;
      }),
    ).rejects.toBe(oops);

    expect(await store.get('T1:U1')).toEqual(before);
    expect(await store.get('T1:U2')).toEqual({ ratings: {}, drafts: {}, history: [] });
    expect(await store.size()).toBe(1);
    expect((await store.health()).writes).toBe(writes);
  });

  it('a change that does not fit the format: InvalidPersonDataError naming the field, and nothing changes', async () => {
    await store.update('T1:U1', somebody);
    const before = structuredClone(await store.get('T1:U1'));
    const { writes } = await store.health();

    const refused = store.update('T1:U1', (data) => {
      step(data);
      rate('f', 'c', 7 as RatingValue)(data);
    });
    await expect(refused).rejects.toBeInstanceOf(InvalidPersonDataError);
    const error = (await refused.catch((e: unknown) => e)) as InvalidPersonDataError;
    expect(error.issues).toEqual(['ratings["f"]["c"].value: expected 1–5 or "na", found 7']);
    await expect(
      store.update('T1:U2', (data) => {
        (data as { extra?: number }).extra = 1;
      }),
    ).rejects.toBeInstanceOf(InvalidPersonDataError);

    expect(await store.get('T1:U1')).toEqual(before);
    expect(await store.size()).toBe(1);
    expect((await store.health()).writes).toBe(writes);
  });

  it('a change that leaves the data as it was writes nothing', async () => {
    await store.update('T1:U1', somebody);
    const { writes } = await store.health();

    expect(await store.update('T1:U1', () => 'just looking')).toBe('just looking');
    // Changed and changed back is no change either.
    await store.update('T1:U1', (data) => {
      step(data);
      const current = data.drafts[FRAMEWORK];
      if (current) current.position -= 1;
    });
    // Someone new who stays empty is not kept.
    await store.update('T1:U2', (data) => data.history.length);

    expect((await store.health()).writes).toBe(writes);
    expect(await store.size()).toBe(1);
  });

  it('forget deletes everything about the person and counts each rating, draft and finished assessment', async () => {
    await store.update('T1:U1', somebody);
    await store.update('T1:U2', rate(FRAMEWORK, 'c0', 5));

    expect(await store.forget('T1:U1')).toBe(8 + 1 + 1);
    expect(await store.get('T1:U1')).toEqual({ ratings: {}, drafts: {}, history: [] });
    expect(await store.size()).toBe(1);
    expect((await store.get('T1:U2')).ratings[FRAMEWORK]?.c0?.value).toBe(5);
  });

  it('forget of someone with no data answers 0 and writes nothing', async () => {
    await store.update('T1:U1', somebody);
    const { writes } = await store.health();
    expect(await store.forget('T1:U9')).toBe(0);
    expect(await store.forget('T1:U1')).toBe(10);
    expect(await store.forget('T1:U1')).toBe(0);
    expect((await store.health()).writes).toBe(writes + 1);
  });

  it('size counts the people who have data', async () => {
    for (let i = 0; i < 5; i++) await store.update(`T1:U${i}`, rate(FRAMEWORK, 'c0', 3));
    expect(await store.size()).toBe(5);
    await store.forget('T1:U0');
    expect(await store.size()).toBe(4);
    expect((await store.health()).people).toBe(4);
  });

  it('concurrent updates of one person all apply: no update is lost', async () => {
    const steps = await Promise.all(Array.from({ length: 100 }, () => store.update('T1:U1', step)));
    expect((await store.get('T1:U1')).drafts[FRAMEWORK]?.position).toBe(100);
    // Each update saw the one before it: every position was handed out once.
    expect([...steps].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('concurrent updates of different people all apply', async () => {
    const people = Array.from({ length: 50 }, (_, i) => `T1:U${i}`);
    await Promise.all(
      people.flatMap((person, i) => [
        store.update(person, rate(FRAMEWORK, 'c0', ((i % 5) + 1) as RatingValue)),
        store.update(person, step),
        store.update(person, step),
      ]),
    );
    expect(await store.size()).toBe(50);
    for (const [i, person] of people.entries()) {
      const data = await store.get(person);
      expect(data.ratings[FRAMEWORK]?.c0?.value).toBe((i % 5) + 1);
      expect(data.drafts[FRAMEWORK]?.position).toBe(2);
    }
  });

  const oddKeys = [
    'T1:U1',
    'E0123:U:with:colons',
    `quotes ' " and \\ backslash`,
    '100% _like_ patterns*',
    'ünïcødé 😀 and a\nnewline',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
  ];

  it('person keys with colons, quotes, unicode or the names of Object members are people like any other', async () => {
    for (const person of ['__proto__', 'constructor', 'toString']) {
      expect(await store.get(person)).toEqual({ ratings: {}, drafts: {}, history: [] });
    }
    for (const [i, person] of oddKeys.entries()) {
      await store.update(person, rate(FRAMEWORK, `c${i}`, 4));
    }
    expect(await store.size()).toBe(oddKeys.length);
    for (const [i, person] of oddKeys.entries()) {
      expect(Object.keys((await store.get(person)).ratings[FRAMEWORK] ?? {})).toEqual([`c${i}`]);
    }
    expect(await store.forget('__proto__')).toBe(1);
    expect(await store.size()).toBe(oddKeys.length - 1);
    expect(await store.get('constructor')).toEqual({
      ratings: { [FRAMEWORK]: { c6: { value: 4, at: AT, frameworkVersion: '1' } } },
      drafts: {},
      history: [],
    });
  });

  it('keys inside the data named __proto__ or constructor are kept as data', async () => {
    await store.update('T1:U1', (data) => {
      rateOwn('__proto__', 'constructor', 2)(data);
      rateOwn('constructor', '__proto__', 3)(data);
    });
    const data = await store.get('T1:U1');
    expect(Object.keys(data.ratings).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(data.ratings, '__proto__')?.value).toEqual({
      constructor: { value: 2, at: AT, frameworkVersion: '1' },
    });
    expect(Object.getOwnPropertyDescriptor(data.ratings.constructor, '__proto__')?.value?.value).toBe(3);
  });

  it('text reads back exactly as written: any character, and keys in the order they were added', async () => {
    const odd = 'nul \u0000, tab \t, quote ", emoji 😀, lone surrogate \ud800, <b>&amp;</b>';
    await store.update('T1:U1', (data) => {
      for (const framework of ['zeta', 'alpha', 'mid', '10', '2']) {
        data.drafts[framework] = { ...draft(1), frameworkId: framework, sessionId: odd };
      }
      rate('f', 'z', 1)(data);
      rate('f', 'a', 2)(data);
    });
    const data = await store.get('T1:U1');
    expect(Object.keys(data.drafts)).toEqual(['2', '10', 'zeta', 'alpha', 'mid']);
    expect(Object.keys(data.ratings.f ?? {})).toEqual(['z', 'a']);
    expect(data.drafts.zeta?.sessionId).toBe(odd);
  });

  it.skipIf(!implementation.durable)(
    'what was kept and forgotten is the same after close and reopen',
    async () => {
      for (const [i, person] of oddKeys.entries()) await store.update(person, rate(FRAMEWORK, `c${i}`, 4));
      await store.update('T1:U1', somebody);
      await store.update('T1:U1', rateOwn('__proto__', 'constructor', 2));
      await store.forget('toString');
      const before = new Map<string, unknown>();
      for (const person of oddKeys) before.set(person, structuredClone(await store.get(person)));
      await store.close();

      const again = await open();
      expect(await again.size()).toBe(oddKeys.length - 1);
      for (const person of oddKeys) expect(await again.get(person)).toEqual(before.get(person));
      expect(Object.keys((await again.get('T1:U1')).ratings)).toContain('__proto__');
      expect(await again.update('T1:U1', step)).toBe(4);
      expect((await again.health()).writes).toBe(1);
    },
  );

  describe('a request made before a deletion never brings the person back', () => {
    const aMomentAgo = () => new Date(Date.now() - 1_000);

    it('after forget: refused, nothing written; a request made after it is served', async () => {
      await store.update('T1:U1', somebody);
      const madeAt = aMomentAgo();
      await store.forget('T1:U1');
      await expect(store.update('T1:U1', rate(FRAMEWORK, 'c0', 4), { madeAt })).rejects.toBeInstanceOf(
        DeletedMeanwhileError,
      );
      // A change that writes nothing is not refused: there is nothing to bring back.
      expect(await store.update('T1:U1', () => 'read', { madeAt })).toBe('read');
      expect(await store.size()).toBe(0);
      await store.update('T1:U1', rate(FRAMEWORK, 'c0', 4), { madeAt: new Date() });
      expect(await store.size()).toBe(1);
    });

    it('after an uninstall: refused for everyone of that workspace', async () => {
      await store.saveInstallation({
        id: 'T1',
        enterpriseId: null,
        installation: {},
        installedAt: AT,
        updatedAt: AT,
      });
      await store.update('T1:U1', somebody);
      const madeAt = aMomentAgo();
      await store.uninstall({ installation: 'T1', people: 'T1' });
      for (const person of ['T1:U1', 'T1:U2'])
        await expect(store.update(person, rate(FRAMEWORK, 'c0', 4), { madeAt })).rejects.toBeInstanceOf(
          DeletedMeanwhileError,
        );
      expect(await store.size()).toBe(0);
    });

    it('changes of people who were not deleted go on as usual, whenever they were asked for', async () => {
      await store.update('T1:U1', somebody);
      await store.update('T1:U2', somebody);
      const madeAt = aMomentAgo();
      await store.forget('T1:U1');
      await store.update('T1:U2', rate(FRAMEWORK, 'c0', 2), { madeAt });
      await store.update('T1:U2', rate(FRAMEWORK, 'c1', 2));
      expect((await store.get('T1:U2')).ratings[FRAMEWORK]?.c1?.value).toBe(2);
      expect(await store.size()).toBe(1);
    });
  });
});
