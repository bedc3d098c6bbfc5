import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AssessmentRecord,
  type InstallationRecord,
  noteWorkspace,
  type PersonData,
  type RatingValue,
  type ReminderSetting,
} from '../../src/model/records.js';
import { completeReminder, releaseReminder, stopReminder } from '../../src/model/reminders.js';
import { openLowdbStore } from '../../src/store/lowdb-store.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { openPostgresStore } from '../../src/store/postgres-store.js';
import {
  DeletedMeanwhileError,
  InvalidPersonDataError,
  type Store,
  type StoreKind,
} from '../../src/store/store.js';
import { SEED_COMPETENCIES } from '../fixtures/seed-facts.js';
import { AT, createTestDatabase, makeTempDir, rate, type TestDatabase, withClient } from './helpers.js';

/**
 * The Store contract (src/store/store.ts), the same tests for every implementation: memory, the
 * lowdb file in a temp folder, and PostgreSQL in a database of this run's own on the real server.
 */

type Place = {
  /** Opens a store on this test's data; called again after close, it opens the same data. */
  open: () => Promise<Store>;
  remove: () => Promise<void>;
};

type Implementation = {
  kind: StoreKind;
  /** Whether the data outlives the store object (everything but memory). */
  durable: boolean;
  setUp?: () => Promise<void>;
  tearDown?: () => Promise<void>;
  /** An empty place for one test. */
  place: () => Promise<Place>;
};

const memory: Implementation = {
  kind: 'memory',
  durable: false,
  place: async () => ({ open: async () => new MemoryStore(), remove: async () => {} }),
};

const lowdb: Implementation = {
  kind: 'lowdb',
  durable: true,
  place: async () => {
    const { dir, remove } = await makeTempDir();
    return { open: () => openLowdbStore(dir), remove };
  },
};

let database: TestDatabase | undefined;
const postgres: Implementation = {
  kind: 'postgres',
  durable: true,
  setUp: async () => {
    database = await createTestDatabase('contract');
    // The first open creates the schema; each test then starts from empty tables.
    await (await openPostgresStore(database.url)).close();
  },
  tearDown: async () => {
    await database?.drop();
  },
  place: async () => {
    const url = database?.url;
    if (url === undefined) throw new Error('no test database');
    await withClient(url, async (client) => {
      const { rows } = await client.query<{ name: string }>(
        "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'pgmigrations'",
      );
      await client.query(`TRUNCATE ${rows.map((row) => row.name).join(', ')} CASCADE`);
    });
    return { open: () => openPostgresStore(url), remove: async () => {} };
  },
};

const FRAMEWORK = 'solutions-architect.e-commerce';

const draft = (position: number): PersonData['drafts'][string] => ({
  sessionId: 's1',
  frameworkId: FRAMEWORK,
  frameworkVersion: '1',
  levelId: 'senior',
  position,
  status: 'rating',
  startedAt: AT,
  updatedAt: AT,
});

const finished = (id: string): AssessmentRecord => ({
  id,
  frameworkId: FRAMEWORK,
  frameworkVersion: '1',
  roleName: 'Solutions Architect',
  domainName: 'E-commerce',
  levelId: 'senior',
  levelName: 'Senior',
  nextLevelName: 'Lead-Principal',
  finishedAt: AT,
  competencies: SEED_COMPETENCIES.map(([name, category, tier, , senior, lead], i) => ({
    id: `c${i}`,
    name,
    category,
    tier,
    expected: senior,
    nextExpected: lead,
    rating: i === 7 ? null : (((i % 5) + 1) as RatingValue),
  })),
});

/** Someone with data (`somebody`) who used the app from these workspaces of their Grid org. */
function somebodyFrom(person: string, ...workspaces: string[]) {
  return (data: PersonData): void => {
    somebody(data);
    for (const workspace of workspaces) noteWorkspace(data, person, workspace);
  };
}

/** Someone half way through their second assessment: 8 ratings, a draft, one finished assessment (10 records). */
function somebody(data: PersonData): void {
  data.ratings[FRAMEWORK] = {};
  SEED_COMPETENCIES.forEach((_, i) => {
    rate(FRAMEWORK, `c${i}`, i === 3 ? 'na' : (((i % 5) + 1) as RatingValue))(data);
  });
  data.drafts[FRAMEWORK] = draft(3);
  data.history.push(finished('first'));
}

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

/** A monthly check-in reminder due at `dueAt`, as setReminder would leave it. */
const reminderDue = (dueAt: string, teamId = 'T1'): ReminderSetting => ({
  cadence: 'monthly',
  frameworkId: FRAMEWORK,
  levelId: 'senior',
  userId: 'U1',
  teamId,
  timeZone: 'Europe/London',
  dueAt,
  setAt: AT,
});

const withReminder =
  (dueAt: string, teamId?: string) =>
  (data: PersonData): void => {
    data.reminder = reminderDue(dueAt, teamId);
  };

/** One step further in the draft: a counter that loses steps if any update is lost. */
function step(data: PersonData): number {
  const current = data.drafts[FRAMEWORK] ?? draft(0);
  current.position += 1;
  data.drafts[FRAMEWORK] = current;
  return current.position;
}

describe.each([memory, lowdb, postgres])('Store contract: $kind', (implementation) => {
  let place: Place;
  let opened: Store[] = [];
  let store: Store;

  const open = async () => {
    const s = await place.open();
    opened.push(s);
    return s;
  };

  beforeAll(async () => {
    await implementation.setUp?.();
  });
  afterAll(async () => {
    await implementation.tearDown?.();
  });
  beforeEach(async () => {
    place = await implementation.place();
    store = await open();
  });
  afterEach(async () => {
    for (const s of opened) await s.close();
    opened = [];
    await place.remove();
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
        await store.updateTeamViews(scope, (kept) => {
          kept.push({ at: AT, contributors: ['A#1', 'B#2', 'C#3'], shown: {} });
        });
      }

      it('org-wide first: who used the remaining workspace stays, without what the others gave or kept for them', async () => {
        await people();
        expect(await store.uninstall({ installation: 'E1', people: 'E1' })).toEqual({
          installation: true,
          people: 2,
          records: 22,
        });
        const a = await store.get('E1:A');
        expect(a.history).toHaveLength(1);
        expect(a.reviews).toBeUndefined();
        expect(a.reviewsGiven).toBeUndefined();
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

  describe('check-in reminders (claimDueReminders)', () => {
    const NOW = new Date('2026-03-02T10:00:00.000Z');
    const LEASE = 10 * 60_000;
    const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000).toISOString();

    it('claims only what is due, earliest first, up to the limit, with a claim until now + lease', async () => {
      await store.update('T1:U1', withReminder(minutes(-5)));
      await store.update('T1:U2', withReminder(minutes(-60)));
      await store.update('T1:U3', withReminder(minutes(0)));
      await store.update('T1:U4', withReminder(minutes(1)));
      await store.update('T1:U5', somebody);

      const first = await store.claimDueReminders(NOW, 2, LEASE);
      expect(first.map((c) => c.person)).toEqual(['T1:U2', 'T1:U1']);
      for (const { person, reminder } of first) {
        expect(reminder.claim?.until).toBe(minutes(10));
        expect(reminder.claim?.id).toMatch(/./);
        // Durably: the person's data holds the same claim.
        expect((await store.get(person)).reminder).toEqual(reminder);
      }
      expect(first[0]?.reminder.claim?.id).not.toBe(first[1]?.reminder.claim?.id);

      const rest = await store.claimDueReminders(NOW, 10, LEASE);
      expect(rest.map((c) => c.person)).toEqual(['T1:U3']);
      expect(await store.claimDueReminders(NOW, 10, LEASE)).toEqual([]);
      expect(await store.claimDueReminders(new Date(minutes(1)), 10, LEASE)).toHaveLength(1);
      expect(await store.claimDueReminders(NOW, 0, LEASE)).toEqual([]);
    });

    it('a claim holds until its lease runs out; then the reminder is claimed again, with a new id', async () => {
      await store.update('T1:U1', withReminder(minutes(-1)));
      const [first] = await store.claimDueReminders(NOW, 10, LEASE);
      expect(await store.claimDueReminders(new Date(minutes(9)), 10, LEASE)).toEqual([]);
      const [again] = await store.claimDueReminders(new Date(minutes(10)), 10, LEASE);
      expect(again?.person).toBe('T1:U1');
      expect(again?.reminder.claim?.id).not.toBe(first?.reminder.claim?.id);
      expect(again?.reminder.claim?.until).toBe(minutes(20));
      // The first instance's claim is stale now: completing with it does nothing.
      const claimId = first?.reminder.claim?.id ?? '';
      expect(await store.update('T1:U1', (d) => completeReminder(d, claimId, NOW))).toBe(false);
      expect((await store.get('T1:U1')).reminder?.claim).toEqual(again?.reminder.claim);
    });

    it('a completed reminder is due next at its new time; a released one at its retry time', async () => {
      await store.update('T1:U1', withReminder(minutes(-1)));
      await store.update('T1:U2', withReminder(minutes(-1)));
      const claimed = await store.claimDueReminders(NOW, 10, LEASE);
      const idOf = (person: string) => claimed.find((c) => c.person === person)?.reminder.claim?.id ?? '';
      expect(await store.update('T1:U1', (d) => completeReminder(d, idOf('T1:U1'), NOW))).toBe(true);
      expect(
        await store.update('T1:U2', (d) => releaseReminder(d, idOf('T1:U2'), new Date(minutes(5)))),
      ).toBe(true);
      const u1 = (await store.get('T1:U1')).reminder;
      expect(u1?.claim).toBeUndefined();
      expect(u1?.dueAt).toBe('2026-04-02T09:00:00.000Z'); // 10:00 in London, summer time
      const [retried] = await store.claimDueReminders(new Date(minutes(20)), 10, LEASE);
      expect(retried?.person).toBe('T1:U2');
      const retriedId = retried?.reminder.claim?.id ?? '';
      expect(await store.update('T1:U2', (d) => completeReminder(d, retriedId, new Date(minutes(20))))).toBe(
        true,
      );
      expect(await store.claimDueReminders(new Date('2026-04-02T08:59:59.999Z'), 10, LEASE)).toEqual([]);
      // Both are due next on 2 April at 10:00 in London (summer time by then): 09:00 UTC.
      const april = await store.claimDueReminders(new Date('2026-04-02T09:00:00.000Z'), 10, LEASE);
      expect(april.map((c) => c.person)).toEqual(['T1:U1', 'T1:U2']);
    });

    it('a stopped, forgotten or uninstalled person is never claimed; the reminder counts as a record', async () => {
      await store.saveInstallation({
        id: 'T2',
        enterpriseId: null,
        installation: {},
        installedAt: AT,
        updatedAt: AT,
      });
      await store.update('T1:U1', withReminder(minutes(-1)));
      await store.update('T1:U2', withReminder(minutes(-1)));
      await store.update('T2:U3', withReminder(minutes(-1), 'T2'));
      await store.update('T1:U4', withReminder(minutes(-1)));
      await store.update('T1:U1', (d) => stopReminder(d));
      expect(await store.forget('T1:U2')).toBe(1);
      expect(await store.uninstall({ installation: 'T2', people: 'T2' })).toEqual({
        installation: true,
        people: 1,
        records: 1,
      });
      expect((await store.claimDueReminders(NOW, 10, LEASE)).map((c) => c.person)).toEqual(['T1:U4']);
    });

    it('claims made at the same time never share a reminder', async () => {
      for (let i = 0; i < 30; i++) await store.update(`T1:U${i}`, withReminder(minutes(-i)));
      const batches = await Promise.all([1, 2, 3].map(() => store.claimDueReminders(NOW, 7, LEASE)));
      const people = batches.flat().map((c) => c.person);
      expect(people).toHaveLength(21);
      expect(new Set(people).size).toBe(21);
    });

    it('a change of the person while claimed keeps the claim (it is part of their data)', async () => {
      await store.update('T1:U1', withReminder(minutes(-1)));
      const [claimed] = await store.claimDueReminders(NOW, 10, LEASE);
      await store.update('T1:U1', somebody);
      expect((await store.get('T1:U1')).reminder).toEqual(claimed?.reminder);
      expect(await store.claimDueReminders(NOW, 10, LEASE)).toEqual([]);
    });

    it.skipIf(!implementation.durable)('reminders and claims last after close and reopen', async () => {
      await store.update('T1:U1', withReminder(minutes(-1)));
      await store.update('T1:U2', withReminder(minutes(-2)));
      const [claimed] = await store.claimDueReminders(new Date(minutes(-1.5)), 1, LEASE);
      expect(claimed?.person).toBe('T1:U2');
      await store.close();
      const again = await open();
      expect((await again.get('T1:U2')).reminder).toEqual(claimed?.reminder);
      expect((await again.claimDueReminders(NOW, 10, LEASE)).map((c) => c.person)).toEqual(['T1:U1']);
      // U2's lease from before the restart has run out; U1's, taken just now, holds for ten minutes more.
      expect((await again.claimDueReminders(new Date(minutes(9)), 10, LEASE)).map((c) => c.person)).toEqual([
        'T1:U2',
      ]);
    });
  });
});
