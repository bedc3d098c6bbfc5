import { randomBytes } from 'node:crypto';
import type { Installation } from '@slack/bolt';
import { describe, expect } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { SealedInstallationStore } from '../../src/slack/installations.js';
import { openFileStore } from '../../src/store/file/open.js';
import { TokenCipher } from '../../src/util/token-cipher.js';
import { it } from '../support/fixtures.js';

/** `competency rotate-token-key` on the data file: what it prints, and that it can run again. */

const silent = { info: () => {}, warn: () => {} };
const OLD_KEY = randomBytes(32);
const NEW_KEY = randomBytes(32);

const workspace = (team: string): Installation => ({
  team: { id: team, name: `Team ${team}` },
  enterprise: undefined,
  user: { id: 'UINSTALLER', token: undefined, scopes: undefined },
  bot: {
    id: `B${team}`,
    userId: `U${team}BOT`,
    token: `xoxb-${team}`,
    refreshToken: `xoxe-1-${team}`,
    scopes: [],
  },
  isEnterpriseInstall: false,
  authVersion: 'v2',
});

let dir: string;
it.beforeEach(({ tempDir }) => {
  dir = tempDir;
});

/** Installs these workspaces in the data file, their tokens sealed with `key`. */
async function install(teams: string[], key: Buffer): Promise<void> {
  const store = await openFileStore(dir);
  const installations = new SealedInstallationStore(store, new TokenCipher(key), silent);
  for (const team of teams) await installations.storeInstallation(workspace(team));
  await store.close();
}

async function rotate() {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['rotate-token-key'], {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env: {
      SLACK_CLIENT_ID: '1234567890.0987654321',
      SLACK_CLIENT_SECRET: 'abcdef0123456789abcdef',
      SLACK_STATE_SECRET: 'a-long-random-state-secret',
      SLACK_SIGNING_SECRET: 'abcdef0123456789',
      SLACK_TOKEN_ENCRYPTION_KEY: NEW_KEY.toString('base64'),
      SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS: OLD_KEY.toString('hex'),
      DATA_DIR: dir,
    },
  });
  return { code, out, err };
}

const keyId = new TokenCipher(NEW_KEY).keyId;

describe('competency rotate-token-key', () => {
  it('encrypts every token again with the new key, says how many, and finds nothing to do when run again', async () => {
    await install(['T1', 'T2', 'T3'], OLD_KEY);
    const first = await rotate();
    expect(first.err).toEqual([]);
    expect(first.code).toBe(0);
    expect(first.out[0]).toMatch(
      new RegExp(`^3 installation\\(s\\) in .+: 3 encrypted again with the key ${keyId}, 0 already were\\.$`),
    );
    expect(first.out[1]).toBe(
      'Every token is now under the current key: SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS can be removed.',
    );
    const again = await rotate();
    expect(again.code).toBe(0);
    expect(again.out[0]).toMatch(/: 0 encrypted again with the key \w+, 3 already were\.$/);

    const store = await openFileStore(dir);
    try {
      const newOnly = new SealedInstallationStore(store, new TokenCipher(NEW_KEY), silent);
      const t2 = await newOnly.fetchInstallation({
        teamId: 'T2',
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      });
      expect(t2.bot?.refreshToken).toBe('xoxe-1-T2');
    } finally {
      await store.close();
    }
  });

  it('names the installations no key given opens, exits 1, and still does the rest', async () => {
    await install(['T1', 'T3'], OLD_KEY);
    await install(['T2'], randomBytes(32));
    const run = await rotate();
    expect(run.code).toBe(1);
    expect(run.out).toHaveLength(1);
    expect(run.out[0]).toMatch(
      /^3 installation\(s\) in .+: 2 encrypted again with the key \w+, 0 already were\.$/,
    );
    expect(run.err.join('\n')).toContain('1 could not be read with any key given (T2)');
  });
});
