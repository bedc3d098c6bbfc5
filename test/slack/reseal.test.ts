import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SealedInstallationStore } from '../../src/slack/installations.js';
import { openFileStore } from '../../src/store/file/open.js';
import { openPostgresStore } from '../../src/store/postgres/open.js';
import type { Store } from '../../src/store/store.js';
import { TokenCipher } from '../../src/util/token-cipher.js';
import { createTestDatabase, makeTempDir, type TestDatabase } from '../store/helpers.js';

/**
 * `competency rotate-token-key` (SealedInstallationStore.reseal) while the app runs, on the real
 * stores: thousands of installations, some of whose tokens are refreshed and some of which are
 * uninstalled while the reseal goes through them. None of those changes may be undone.
 */

const COUNT = 2_000;
const silent = { info: () => {}, warn: () => {} };

/** A workspace's installation as Bolt gives it; `generation` 0 at install, 1 after a token refresh. */
const workspace = (team: string, generation: number): Installation => ({
  team: { id: team, name: `Team ${team}` },
  enterprise: undefined,
  user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
  bot: {
    id: `B${team}`,
    userId: `U${team}BOT`,
    token: `xoxb-${team}-${generation}`,
    refreshToken: `xoxe-1-${team}-${generation}`,
    expiresAt: 1_900_000_000 + generation,
    scopes: ['commands', 'chat:write'],
  },
  isEnterpriseInstall: false,
  authVersion: 'v2',
});

const teamOf = (i: number) => `T${String(i).padStart(5, '0')}`;

/** The same shuffle on every run (mulberry32), so a failure can be run again as it was. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

type Place = { open: () => Promise<Store>; remove: () => Promise<void> };

let database: TestDatabase | undefined;
const places: Record<'lowdb' | 'postgres', () => Promise<Place>> = {
  lowdb: async () => {
    const { dir, remove } = await makeTempDir();
    return { open: () => openFileStore(dir), remove };
  },
  postgres: async () => {
    database = await createTestDatabase('reseal');
    const url = database.url;
    return { open: () => openPostgresStore(url), remove: async () => {} };
  },
};

describe.each(['lowdb', 'postgres'] as const)('reseal while the app runs: %s', (kind) => {
  let place: Place;
  const opened: Store[] = [];
  const open = async () => {
    const store = await place.open();
    opened.push(store);
    return store;
  };

  beforeAll(async () => {
    place = await places[kind]();
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  afterAll(async () => {
    await place.remove();
    await database?.drop();
  });

  it(`${COUNT} installations: refreshes and uninstalls made meanwhile are never undone`, async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const store = await open();
    const before = new SealedInstallationStore(store, new TokenCipher(oldKey), silent);
    const ids = Array.from({ length: COUNT }, (_, i) => teamOf(i));
    for (let start = 0; start < COUNT; start += 500)
      await Promise.all(
        ids.slice(start, start + 500).map((id) => before.storeInstallation(workspace(id, 0))),
      );

    // The app restarted with the new key (the old one as previous), as the README says to do first.
    const rotated = new TokenCipher(newKey, [oldKey]);
    const app = new SealedInstallationStore(store, rotated, silent);
    // A copy of the app that has not restarted yet still seals with the old key.
    const lateCopy = new SealedInstallationStore(store, new TokenCipher(oldKey), silent);
    const refresh = (id: string) => app.storeInstallation(workspace(id, 1));
    const uninstall = (id: string) => store.uninstall({ installation: id, people: id }).then(() => {});

    // Disjoint random picks. "Between" ones happen after the reseal read that installation and
    // before it writes it back (the race, every time); "meanwhile" ones run concurrently with the
    // reseal, started one after another as it goes, and are not waited for by it.
    const picks = shuffled(ids, 20260301);
    const take = (n: number) => new Set(picks.splice(0, n));
    const between = { refreshed: take(100), refreshedByLateCopy: take(100), uninstalled: take(100) };
    const meanwhile = { refreshed: take(200), uninstalled: take(200) };
    const refreshed = new Set([...between.refreshed, ...between.refreshedByLateCopy, ...meanwhile.refreshed]);
    const uninstalled = new Set([...between.uninstalled, ...meanwhile.uninstalled]);
    const queue = shuffled(
      [
        ...[...meanwhile.refreshed].map((id) => () => refresh(id)),
        ...[...meanwhile.uninstalled].map((id) => () => uninstall(id)),
      ],
      7,
    );
    const spacing = Math.max(1, Math.floor(COUNT / 2 / queue.length));
    const running: Promise<void>[] = [];

    let writes = 0;
    const seen = new Set<string>();
    const beforeWrite = async (id: string) => {
      writes++;
      if (writes % spacing === 0) {
        const next = queue.shift();
        if (next) running.push(next());
      }
      if (seen.has(id)) return;
      seen.add(id);
      if (between.refreshed.has(id)) await refresh(id);
      if (between.refreshedByLateCopy.has(id)) await lateCopy.storeInstallation(workspace(id, 1));
      if (between.uninstalled.has(id)) await uninstall(id);
    };
    // The store as the reseal sees it: every write it makes passes through beforeWrite first.
    const watched: ConstructorParameters<typeof SealedInstallationStore>[0] = {
      installation: (id) => store.installation(id),
      installations: () => store.installations(),
      uninstall: (target) => store.uninstall(target),
      saveInstallation: async (record) => {
        await beforeWrite(record.id);
        return store.saveInstallation(record);
      },
      replaceInstallation: async (expected, next) => {
        await beforeWrite(expected.id);
        return store.replaceInstallation(expected, next);
      },
    };

    const result = await new SealedInstallationStore(watched, rotated, silent).reseal();
    for (const next of queue.splice(0)) running.push(next());
    await Promise.all(running);

    // No uninstalled installation is back.
    const left = await store.installations();
    expect(left.filter((record) => uninstalled.has(record.id)).map((record) => record.id)).toEqual([]);
    expect(left).toHaveLength(COUNT - uninstalled.size);
    // Every token left is under the new key (the new key alone opens it), and is the latest one.
    const newOnly = new SealedInstallationStore(store, new TokenCipher(newKey), silent);
    const wrong: string[] = [];
    await Promise.all(
      left.map(async ({ id }) => {
        const bot = (
          await newOnly.fetchInstallation({ teamId: id, enterpriseId: undefined, isEnterpriseInstall: false })
        ).bot;
        const generation = refreshed.has(id) ? 1 : 0;
        if (bot?.token !== `xoxb-${id}-${generation}` || bot.refreshToken !== `xoxe-1-${id}-${generation}`)
          wrong.push(`${id}: ${bot?.refreshToken}`);
      }),
    );
    expect(wrong).toEqual([]);
    // The counts add up, and say what happened to the installations changed between read and write.
    expect(result.unreadable).toEqual([]);
    expect(result.changing).toEqual([]);
    expect(result.resealed + result.current + result.gone).toBe(COUNT);
    expect(result.gone).toBeGreaterThanOrEqual(between.uninstalled.size);
    expect(result.gone).toBeLessThanOrEqual(uninstalled.size);
    expect(result.current).toBeGreaterThanOrEqual(between.refreshed.size);
    expect(result.current).toBeLessThanOrEqual(between.refreshed.size + meanwhile.refreshed.size);
    // Those nobody touched, and those a late copy refreshed under the old key (sealed again on the retry).
    expect(result.resealed).toBeGreaterThanOrEqual(
      COUNT - uninstalled.size - refreshed.size + between.refreshedByLateCopy.size,
    );

    // Safe to run again: everything is current; and it all lasts after a restart.
    expect(await app.reseal()).toEqual({
      resealed: 0,
      current: COUNT - uninstalled.size,
      gone: 0,
      unreadable: [],
      changing: [],
    });
    await store.close();
    const reopened = await open();
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect((await reopened.installations()).sort(byId)).toEqual(left.sort(byId));
  });
});
