import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Installation } from '@slack/bolt';
import { describe, expect } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { appHomeOpenedEnvelope } from '../../src/sandbox/event-envelopes.js';
import { startLocalSlack } from '../../src/sandbox/local-slack.js';
import { sendEvent } from '../../src/sandbox/signing.js';
import { SealedInstallationStore } from '../../src/slack/installations.js';
import { openFileStore } from '../../src/store/file/open.js';
import { describeDatabaseUrl, openPostgresStore } from '../../src/store/postgres/open.js';
import type { Store } from '../../src/store/store.js';
import { TokenCipher } from '../../src/util/token-cipher.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  type Instance,
  install,
  SIGNING_SECRET,
  startDistributed,
} from '../integration/oauth-deployment.js';
import { createTestDatabase, PROJECT_ROOT } from '../store/helpers.js';
import { it } from '../support/fixtures.js';

/**
 * `competency rotate-token-key` on both stores (the data file and PostgreSQL): what it prints and
 * counts, that running it again finds nothing to do and says so, that a key it was not given is
 * named, and, end to end, that the app still serves a workspace after the key changed and the old
 * key was removed.
 */

const silent = { info: () => {}, warn: () => {} };
const OLD_KEY = randomBytes(32);
const NEW_KEY = randomBytes(32);
const keyId = (key: Buffer) => new TokenCipher(key).keyId;

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

/** The settings the app runs with in distributed mode, with these keys and this store. */
function settings(store: Record<string, string>, key: Buffer, previous: Buffer[]): Record<string, string> {
  return {
    SLACK_CLIENT_ID: CLIENT_ID,
    SLACK_CLIENT_SECRET: CLIENT_SECRET,
    SLACK_STATE_SECRET: 'a-long-random-state-secret',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_TOKEN_ENCRYPTION_KEY: key.toString('base64'),
    ...(previous.length > 0
      ? { SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS: previous.map((k) => k.toString('hex')).join(',') }
      : {}),
    ...store,
  };
}

/** `competency rotate-token-key` with these settings, in this process: exit code, output lines, error lines. */
async function rotate(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['rotate-token-key'], {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    env,
  });
  return { code, out, err };
}

/** The store a test looks into, by kind. */
type Kind = {
  kind: 'data file' | 'PostgreSQL';
  open: (store: Record<string, string>) => Promise<Store>;
  location: RegExp;
};

const KINDS: Kind[] = [
  {
    kind: 'data file',
    open: (store) => openFileStore(store.DATA_DIR ?? ''),
    location: /competency-data\.json/,
  },
  {
    kind: 'PostgreSQL',
    open: (store) => openPostgresStore(store.DATABASE_URL ?? ''),
    location: /postgres:\/\/postgres@127\.0\.0\.1:5432\/competency_test_/,
  },
];

describe.each(KINDS)('competency rotate-token-key on the $kind', ({ kind, open, location }) => {
  let store: Record<string, string>;
  it.beforeEach(async ({ tempDir, sharedDatabase }) => {
    if (kind === 'data file') store = { DATA_DIR: tempDir };
    else {
      store = { DATABASE_URL: sharedDatabase.url };
      // One database for the file: each test starts from no installations.
      const db = await open(store);
      for (const record of await db.installations())
        await db.uninstall({ installation: record.id, people: record.id });
      await db.close();
    }
  });

  /** Installs these workspaces, their tokens sealed with `key`; answers the sealed values as stored. */
  async function installSealedWith(teams: string[], key: Buffer): Promise<void> {
    const db = await open(store);
    const installations = new SealedInstallationStore(db, new TokenCipher(key), silent);
    for (const team of teams) await installations.storeInstallation(workspace(team));
    await db.close();
  }

  /** What the store keeps of every installation, sealed, by id. */
  async function sealed(): Promise<Record<string, unknown>> {
    const db = await open(store);
    try {
      return Object.fromEntries((await db.installations()).map((r) => [r.id, r.installation]));
    } finally {
      await db.close();
    }
  }

  it('encrypts every token again with the new key and says how many; run again, it finds nothing to do and says so', async () => {
    await installSealedWith(['T1', 'T2', 'T3'], OLD_KEY);
    const first = await rotate(settings(store, NEW_KEY, [OLD_KEY]));
    expect(first.err).toEqual([]);
    expect(first.code).toBe(0);
    expect(first.out[0]).toMatch(
      new RegExp(
        `^3 installation\\(s\\) in .+: 3 encrypted again with the key ${keyId(NEW_KEY)}, 0 already were\\.$`,
      ),
    );
    expect(first.out[0]).toMatch(location);
    expect(first.out[1]).toBe(
      'Every token is now under the current key: SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS can be removed.',
    );
    const afterFirst = await sealed();
    expect(JSON.stringify(afterFirst)).not.toContain(`.${keyId(OLD_KEY)}.`);

    const again = await rotate(settings(store, NEW_KEY, [OLD_KEY]));
    expect(again.code).toBe(0);
    expect(again.err).toEqual([]);
    expect(again.out[0]).toMatch(
      new RegExp(
        `^3 installation\\(s\\) in .+: 0 encrypted again with the key ${keyId(NEW_KEY)}, 3 already were\\.$`,
      ),
    );
    // Nothing was written the second time.
    expect(await sealed()).toEqual(afterFirst);

    // The old key can go: the new one alone opens every token.
    const db = await open(store);
    try {
      const newOnly = new SealedInstallationStore(db, new TokenCipher(NEW_KEY), silent);
      const t2 = await newOnly.fetchInstallation({
        teamId: 'T2',
        enterpriseId: undefined,
        isEnterpriseInstall: false,
      });
      expect([t2.bot?.token, t2.bot?.refreshToken]).toEqual(['xoxb-T2', 'xoxe-1-T2']);
    } finally {
      await db.close();
    }
  });

  it('without the previous key: names the key it needs and the installations, exits 1, and changes nothing', async () => {
    await installSealedWith(['T1', 'T2'], OLD_KEY);
    const before = await sealed();
    const run = await rotate(settings(store, NEW_KEY, []));
    expect(run.code).toBe(1);
    expect(run.out[0]).toMatch(
      /^2 installation\(s\) in .+: 0 encrypted again with the key \w+, 0 already were\.$/,
    );
    expect(run.err).toEqual([
      `2 could not be read with any key given (T1, T2): they were encrypted with the key ${keyId(OLD_KEY)}, ` +
        'which is neither SLACK_TOKEN_ENCRYPTION_KEY nor in SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS (a key is ' +
        'named by the first 8 hex digits of its SHA-256): add it to SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS and run this again.',
    ]);
    expect(await sealed()).toEqual(before);

    // Given the key it named, it finishes the job.
    const fixed = await rotate(settings(store, NEW_KEY, [OLD_KEY]));
    expect(fixed.code).toBe(0);
    expect(fixed.out[0]).toMatch(/: 2 encrypted again with the key \w+, 0 already were\.$/);
  });

  it('some under a key nobody gave: names them and that key, exits 1, and still does the rest', async () => {
    const lost = randomBytes(32);
    await installSealedWith(['T1', 'T3'], OLD_KEY);
    await installSealedWith(['T2'], lost);
    const run = await rotate(settings(store, NEW_KEY, [OLD_KEY]));
    expect(run.code).toBe(1);
    expect(run.out).toHaveLength(1);
    expect(run.out[0]).toMatch(
      /^3 installation\(s\) in .+: 2 encrypted again with the key \w+, 0 already were\.$/,
    );
    expect(run.err.join('\n')).toContain(
      `1 could not be read with any key given (T2): they were encrypted with the key ${keyId(lost)},`,
    );
    // Run again: the two are done, T2 is still named.
    const again = await rotate(settings(store, NEW_KEY, [OLD_KEY]));
    expect(again.code).toBe(1);
    expect(again.out[0]).toMatch(/: 0 encrypted again with the key \w+, 2 already were\.$/);
    expect(again.err.join('\n')).toContain(`(T2): they were encrypted with the key ${keyId(lost)},`);
  });
});

it('on the data file, while the app holds it: refused, saying the data folder is in use, nothing changed', async ({
  tempDir,
}) => {
  const store = { DATA_DIR: tempDir };
  const db = await openFileStore(tempDir);
  const installations = new SealedInstallationStore(db, new TokenCipher(OLD_KEY), silent);
  await installations.storeInstallation(workspace('T1'));
  const before = (await db.installation('T1'))?.installation;
  try {
    const run = await competency(['rotate-token-key'], settings(store, NEW_KEY, [OLD_KEY]));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Could not open the store: .*in use by another copy of the app/);
    expect((await db.installation('T1'))?.installation).toEqual(before);
  } finally {
    await db.close();
  }
});

/** The real command line (bin/competency.js), as an operator runs it. */
function competency(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin/competency.js'), ...args], {
      cwd: PROJECT_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('end to end on PostgreSQL: installed through Slack under the old key, rotated by the command line while the app serves, then the app with the new key alone still serves the workspace', async ({
  onTestFinished,
}) => {
  const database = await createTestDatabase('rotate');
  onTestFinished(() => database.drop());
  const TEAM = 'T0ROTATE001';
  const slack = await startLocalSlack({
    workspaces: [{ id: TEAM, domain: 'rotate', name: 'Rotate' }],
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tokenLifetimeSeconds: 12 * 3600 },
  });
  const store = { DATABASE_URL: database.url };
  const running: Instance[] = [];
  const openHome = async (app: Instance) => {
    slack.reset();
    const opened = await sendEvent(
      app.eventsUrl,
      SIGNING_SECRET,
      appHomeOpenedEnvelope({ user: 'U0ROTATE001', team: TEAM }),
    );
    expect(opened.status).toBe(200);
    return (await slack.waitForCalls('views.publish', 1))[0];
  };
  try {
    const old = await startDistributed(slack, store, OLD_KEY.toString('base64'));
    running.push(old);
    expect((await install(old, slack, TEAM)).status).toBe(200);
    await old.running.stop();

    // Step 1: the app restarted with the new key, the old one kept as previous.
    const both = await startDistributed(slack, store, NEW_KEY.toString('base64'), {
      SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS: OLD_KEY.toString('base64'),
    });
    running.push(both);
    // Step 2: the command line, as an operator runs it, while that copy serves.
    const run = await competency(['rotate-token-key'], settings(store, NEW_KEY, [OLD_KEY]));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `1 installation(s) in ${describeDatabaseUrl(database.url)}: 1 encrypted again with the key ${keyId(NEW_KEY)}, 0 already were.`,
    );
    expect(await openHome(both)).toMatchObject({ ok: true, team: TEAM });
    await both.running.stop();

    // Step 3: the old key removed: the new key alone opens the token Slack gave, and the app serves.
    const after = await startDistributed(slack, store, NEW_KEY.toString('base64'));
    running.push(after);
    expect(await openHome(after)).toMatchObject({ ok: true, team: TEAM });
  } finally {
    for (const instance of running) await instance.running.stop();
    await slack.close();
  }
}, 60_000);
