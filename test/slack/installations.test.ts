import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import {
  NotInstalledError,
  SealedInstallationStore,
  uninstallTargetOf,
} from '../../src/slack/installations.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { TokenCipher } from '../../src/util/token-cipher.js';

const silent = { info: () => {}, warn: () => {} };

const workspace = (team: string, token: string, enterprise?: string): Installation => ({
  team: { id: team, name: `Team ${team}` },
  enterprise: enterprise ? { id: enterprise, name: `Org ${enterprise}` } : undefined,
  user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
  bot: {
    id: `B${team}`,
    userId: `U${team}BOT`,
    token,
    refreshToken: `xoxe-1-refresh-${team}`,
    expiresAt: 1_900_000_000,
    scopes: ['commands', 'chat:write'],
  },
  isEnterpriseInstall: false,
  authVersion: 'v2',
});

const orgWide = (enterprise: string, token: string): Installation =>
  ({
    team: undefined,
    enterprise: { id: enterprise, name: `Org ${enterprise}` },
    user: { id: 'UADMIN', token: undefined, scopes: undefined },
    bot: { id: `B${enterprise}`, userId: `U${enterprise}BOT`, token, scopes: ['commands'] },
    isEnterpriseInstall: true,
    authVersion: 'v2',
  }) as Installation;

function setUp(key = randomBytes(32)) {
  const store = new MemoryStore();
  const installations = new SealedInstallationStore(store, new TokenCipher(key), silent);
  return { store, installations, key };
}

describe('installations kept in the store, tokens encrypted', () => {
  it('keeps no token in clear, and gives each back to the workspace it belongs to', async () => {
    const { store, installations } = setUp();
    await installations.storeInstallation(workspace('T1', 'xoxb-T1-secret'));
    await installations.storeInstallation(workspace('T2', 'xoxb-T2-secret'));
    const kept = JSON.stringify(await store.installations());
    expect(kept).not.toContain('xoxb-');
    expect(kept).not.toContain('xoxe-1-refresh');
    const t1 = await installations.fetchInstallation({
      teamId: 'T1',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(t1.bot?.token).toBe('xoxb-T1-secret');
    expect(t1.bot?.refreshToken).toBe('xoxe-1-refresh-T1');
    expect(t1.bot?.expiresAt).toBe(1_900_000_000);
    const t2 = await installations.fetchInstallation({
      teamId: 'T2',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(t2.bot?.token).toBe('xoxb-T2-secret');
  });

  it('a token copied into another workspace’s record does not open there', async () => {
    const { store, installations } = setUp();
    await installations.storeInstallation(workspace('T1', 'xoxb-T1-secret'));
    await installations.storeInstallation(workspace('T2', 'xoxb-T2-secret'));
    const t1 = await store.installation('T1');
    const t2 = await store.installation('T2');
    if (!t1 || !t2) throw new Error('not kept');
    await store.saveInstallation({ ...t2, installation: { ...t2.installation, bot: t1.installation.bot } });
    await expect(
      installations.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow(/does not decrypt/);
  });

  it('an org-wide install serves every workspace of the org; a workspace never installed is refused', async () => {
    const { installations } = setUp();
    await installations.storeInstallation(orgWide('E1', 'xoxb-E1-secret'));
    const fromOrg = await installations.fetchInstallation({
      teamId: 'T7',
      enterpriseId: 'E1',
      isEnterpriseInstall: true,
    });
    expect(fromOrg.bot?.token).toBe('xoxb-E1-secret');
    const fromWorkspace = await installations.fetchInstallation({
      teamId: 'T8',
      enterpriseId: 'E1',
      isEnterpriseInstall: false,
    });
    expect(fromWorkspace.bot?.token).toBe('xoxb-E1-secret');
    await expect(
      installations.fetchInstallation({ teamId: 'T9', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toBeInstanceOf(NotInstalledError);
  });

  it('a refreshed token replaces the old one and keeps the first install time', async () => {
    const store = new MemoryStore();
    let now = new Date('2026-03-02T09:00:00.000Z');
    const installations = new SealedInstallationStore(
      store,
      new TokenCipher(randomBytes(32)),
      silent,
      () => now,
    );
    await installations.storeInstallation(workspace('T1', 'xoxb-old'));
    expect(await store.installation('T1')).toMatchObject({
      installedAt: '2026-03-02T09:00:00.000Z',
      updatedAt: '2026-03-02T09:00:00.000Z',
    });
    now = new Date('2026-03-02T21:00:00.000Z');
    await installations.storeInstallation(workspace('T1', 'xoxb-new'));
    expect(await store.installation('T1')).toMatchObject({
      installedAt: '2026-03-02T09:00:00.000Z',
      updatedAt: '2026-03-02T21:00:00.000Z',
    });
    const fetched = await installations.fetchInstallation({
      teamId: 'T1',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(fetched.bot?.token).toBe('xoxb-new');
  });

  it('a refresh under way when the app is removed does not bring the installation back', async () => {
    const { store, installations } = setUp();
    await installations.storeInstallation(workspace('T1', 'xoxb-old'));
    // What Bolt does to refresh: fetch, ask Slack for new tokens, then store a copy with them.
    const fetched = await installations.fetchInstallation({
      teamId: 'T1',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    await store.uninstall({ installation: 'T1', people: 'T1' });
    const refreshed = { ...fetched, bot: { ...fetched.bot, token: 'xoxb-refreshed' } } as Installation;
    await installations.storeInstallation(refreshed);
    expect(await store.installation('T1')).toBeUndefined();
    // A new install through the OAuth flow (not a copy of a fetched one) is kept as always.
    await installations.storeInstallation(workspace('T1', 'xoxb-again'));
    expect(await store.installation('T1')).toBeDefined();
  });

  it('a refresh over an installation refreshed meanwhile by another copy of the app keeps the latest', async () => {
    const { store, installations } = setUp();
    await installations.storeInstallation(workspace('T1', 'xoxb-old'));
    const query = { teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false };
    const fetched = await installations.fetchInstallation(query);
    await installations.storeInstallation({
      ...(await installations.fetchInstallation(query)),
      bot: { ...fetched.bot, token: 'xoxb-by-the-other' },
    } as Installation);
    await installations.storeInstallation({
      ...fetched,
      bot: { ...fetched.bot, token: 'xoxb-mine' },
    } as Installation);
    expect((await installations.fetchInstallation(query)).bot?.token).toBe('xoxb-mine');
    expect(JSON.stringify(await store.installations())).not.toContain('read from');
  });

  it('rotating the key: the new key with the old one as previous reads everything, reseal moves it all, then the old key can go', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const { store, installations } = setUp(oldKey);
    await installations.storeInstallation(workspace('T1', 'xoxb-T1-secret'));
    await installations.storeInstallation(orgWide('E1', 'xoxb-E1-secret'));

    const rotating = new SealedInstallationStore(store, new TokenCipher(newKey, [oldKey]), silent);
    expect(
      (
        await rotating.fetchInstallation({
          teamId: 'T1',
          enterpriseId: undefined,
          isEnterpriseInstall: false,
        })
      ).bot?.token,
    ).toBe('xoxb-T1-secret');
    expect(await rotating.reseal()).toEqual({
      resealed: 2,
      current: 0,
      gone: 0,
      unreadable: [],
      changing: [],
    });
    expect(await rotating.reseal()).toEqual({
      resealed: 0,
      current: 2,
      gone: 0,
      unreadable: [],
      changing: [],
    });

    const newOnly = new SealedInstallationStore(store, new TokenCipher(newKey), silent);
    expect(
      (await newOnly.fetchInstallation({ teamId: undefined, enterpriseId: 'E1', isEnterpriseInstall: true }))
        .bot?.token,
    ).toBe('xoxb-E1-secret');
    // The old key alone reads nothing any more.
    const oldOnly = new SealedInstallationStore(store, new TokenCipher(oldKey), silent);
    await expect(
      oldOnly.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false }),
    ).rejects.toThrow(/key this app does not have/);
  });

  it('a token sealed with a key nobody gave is reported by reseal, not lost', async () => {
    const { store } = setUp();
    const other = new SealedInstallationStore(store, new TokenCipher(randomBytes(32)), silent);
    await other.storeInstallation(workspace('T1', 'xoxb-T1-secret'));
    const stranger = new SealedInstallationStore(store, new TokenCipher(randomBytes(32)), silent);
    expect(await stranger.reseal()).toEqual({
      resealed: 0,
      current: 0,
      gone: 0,
      unreadable: ['T1'],
      changing: [],
    });
    expect(JSON.stringify(await store.installation('T1'))).toContain('v1.');
  });

  it('reseal never undoes what happens between its read and its write: a refresh is kept, an uninstall stays', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const { store, installations } = setUp(oldKey);
    for (const team of ['T1', 'T2', 'T3', 'T4'])
      await installations.storeInstallation(workspace(team, `xoxb-${team}-secret`));
    const rotated = new TokenCipher(newKey, [oldKey]);
    const app = new SealedInstallationStore(store, rotated, silent);
    // A copy of the app not restarted yet, refreshing T3 each time the reseal is about to write it.
    const lateCopy = new SealedInstallationStore(store, new TokenCipher(oldKey), silent);
    let refreshedT1 = false;
    let refreshes = 0;
    const racing: ConstructorParameters<typeof SealedInstallationStore>[0] = {
      installation: (id) => store.installation(id),
      installations: () => store.installations(),
      saveInstallation: (record) => store.saveInstallation(record),
      uninstall: (target) => store.uninstall(target),
      replaceInstallation: async (expected, next) => {
        if (expected.id === 'T1' && !refreshedT1) {
          refreshedT1 = true;
          await app.storeInstallation(workspace('T1', 'xoxb-T1-refreshed'));
        }
        if (expected.id === 'T2') await store.uninstall({ installation: 'T2', people: 'T2' });
        if (expected.id === 'T3') await lateCopy.storeInstallation(workspace('T3', `xoxb-T3-${++refreshes}`));
        return store.replaceInstallation(expected, next);
      },
    };
    expect(await new SealedInstallationStore(racing, rotated, silent).reseal()).toEqual({
      resealed: 1,
      current: 1,
      gone: 1,
      unreadable: [],
      changing: ['T3'],
    });
    const newOnly = new SealedInstallationStore(store, new TokenCipher(newKey), silent);
    const token = async (teamId: string, reader = newOnly) =>
      (await reader.fetchInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false })).bot
        ?.token;
    expect(await token('T1')).toBe('xoxb-T1-refreshed');
    expect(await store.installation('T2')).toBeUndefined();
    expect(await token('T3', app)).toBe(`xoxb-T3-${refreshes}`);
    expect(await token('T4')).toBe('xoxb-T4-secret');
    // Run again once T3 is left alone: it is sealed again, and the rest is current.
    expect(await app.reseal()).toEqual({ resealed: 1, current: 2, gone: 0, unreadable: [], changing: [] });
    expect(await token('T3')).toBe(`xoxb-T3-${refreshes}`);
  });
});

describe("deleteInstallation (Bolt's interface)", () => {
  it('deletes the installation and the data of the people it covered', async () => {
    const { store, installations } = setUp();
    await installations.storeInstallation(workspace('T1', 'xoxb-T1-secret'));
    await store.update('T1:U1', (data) => {
      data.drafts.f = {
        sessionId: 's',
        frameworkId: 'f',
        frameworkVersion: '1',
        levelId: 'senior',
        position: 0,
        status: 'rating',
        startedAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      };
    });
    await installations.deleteInstallation({
      teamId: 'T1',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    expect(await store.installation('T1')).toBeUndefined();
    expect(await store.size()).toBe(0);
  });
});

describe('what an uninstall deletes', () => {
  it.each([
    [{ teamId: 'T1' }, { installation: 'T1', people: 'T1' }],
    [
      { teamId: 'T1', enterpriseId: 'E1' },
      { installation: 'T1', people: 'E1' },
    ],
    [
      { teamId: undefined, enterpriseId: 'E1', isEnterpriseInstall: true },
      { installation: 'E1', people: 'E1' },
    ],
    [
      { teamId: 'T3', enterpriseId: 'E1', isEnterpriseInstall: true },
      { installation: 'E1', people: 'E1' },
    ],
    [{}, undefined],
  ])('%j → %j', (context, target) => {
    expect(uninstallTargetOf(context)).toEqual(target);
  });
});
