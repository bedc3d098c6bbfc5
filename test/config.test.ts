import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const BOT = 'xoxb-1-2-abc';
const APP = 'xapp-1-A1-2-abc';
const SECRET = 'abcdef0123456789';

describe('configuration from the environment', () => {
  it('chooses Socket Mode with a bot token and an app token', () => {
    const r = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    expect(r.ok && r.config.mode).toBe('socket');
  });

  it('chooses HTTP on port 3000 with a bot token and a signing secret', () => {
    const r = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET });
    expect(r.ok && r.config.mode === 'http' && r.config.port).toBe(3000);
  });

  it('reads PORT, DATA_DIR, FRAMEWORKS_DIR, LOG_LEVEL and SLACK_API_URL', () => {
    const r = loadConfig(
      {
        SLACK_BOT_TOKEN: BOT,
        SLACK_SIGNING_SECRET: SECRET,
        PORT: '8080',
        DATA_DIR: 'store',
        FRAMEWORKS_DIR: '/etc/frameworks',
        LOG_LEVEL: 'DEBUG',
        SLACK_API_URL: 'https://api.slack-gov.com/api',
      },
      '/srv/app',
    );
    if (!r.ok || r.config.mode !== 'http') throw new Error(JSON.stringify(r));
    expect(r.config.port).toBe(8080);
    expect(r.config.dataDir).toBe('/srv/app/store');
    expect(r.config.frameworksDir).toBe('/etc/frameworks');
    expect(r.config.logLevel).toBe('debug');
    expect(r.config.slackApiUrl).toBe('https://api.slack-gov.com/api/');
  });

  it("defaults to Slack's own API and ./data", () => {
    const r = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }, '/srv/app');
    if (!r.ok) throw new Error('expected ok');
    expect(r.config.slackApiUrl).toBe('https://slack.com/api/');
    expect(r.config.dataDir).toBe('/srv/app/data');
  });

  it('reads DATA_LOCK_STALE_SECONDS for the data folder lock; unset, the store keeps its default', () => {
    const r = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, DATA_LOCK_STALE_SECONDS: ' 3 ' });
    expect(r.ok && r.config.dataLockStaleSeconds).toBe(3);
    const unset = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    expect(unset.ok && unset.config.dataLockStaleSeconds).toBeUndefined();
  });

  it.each(['1', '0', '-5', '2.5', 'ten', '3601'])(
    'refuses DATA_LOCK_STALE_SECONDS=%s, saying what it is for',
    (value) => {
      const r = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, DATA_LOCK_STALE_SECONDS: value });
      if (r.ok) throw new Error('expected a problem');
      expect(r.problems).toEqual([
        "DATA_LOCK_STALE_SECONDS should be a whole number of seconds from 2 to 3600: how long the data folder's lock may go unrefreshed before another copy of the app takes it over (default 10)",
      ]);
    },
  );

  it('reads TEAM_MIN_PEOPLE, the K of team views; unset, it is 5', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP }).ok).toBe(true);
    const unset = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    expect(unset.ok && unset.config.teamMinPeople).toBe(5);
    for (const [value, k] of [
      ['3', 3],
      [' 10 ', 10],
      ['7', 7],
    ] as const) {
      const r = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, TEAM_MIN_PEOPLE: value });
      expect(r.ok && r.config.teamMinPeople).toBe(k);
    }
    const none = loadConfig({ TEAM_MIN_PEOPLE: '4' });
    expect(none.ok && none.config.mode === 'none' && none.config.teamMinPeople).toBe(4);
  });

  it('reads TEAM_VIEW_MEMORY_DAYS, how long answered team views are compared with; unset, 30', () => {
    const unset = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    expect(unset.ok && unset.config.teamViewMemoryDays).toBe(30);
    const set = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, TEAM_VIEW_MEMORY_DAYS: '90' });
    expect(set.ok && set.config.teamViewMemoryDays).toBe(90);
    for (const value of ['0', '366', '1.5', 'month']) {
      const r = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, TEAM_VIEW_MEMORY_DAYS: value });
      if (r.ok) throw new Error(`expected a problem with ${value}`);
      expect(r.problems).toEqual([
        'TEAM_VIEW_MEMORY_DAYS should be a whole number of days from 1 to 365: how long an answered team view is kept to compare later ones with (default 30)',
      ]);
    }
  });

  it.each(['2', '0', '11', '4.5', 'five', '-3'])(
    'refuses TEAM_MIN_PEOPLE=%s, saying what it is for',
    (value) => {
      const r = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP, TEAM_MIN_PEOPLE: value });
      if (r.ok) throw new Error('expected a problem');
      expect(r.problems).toEqual([
        'TEAM_MIN_PEOPLE should be a whole number from 3 to 10: how many people must have shared a role and level before a team view shows anything of it (default 5)',
      ]);
    },
  );

  it('with no tokens at all, is not an error: the mode is none', () => {
    const r = loadConfig({ SLACK_BOT_TOKEN: '  ' });
    expect(r.ok && r.config.mode).toBe('none');
  });

  it.each([
    [{ SLACK_BOT_TOKEN: 'xoxp-user', SLACK_APP_TOKEN: APP }, /SLACK_BOT_TOKEN .*xoxb-/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: 'xoxb-wrong' }, /SLACK_APP_TOKEN .*xapp-/],
    [{ SLACK_BOT_TOKEN: BOT }, /SLACK_APP_TOKEN .*or SLACK_SIGNING_SECRET/],
    [{ SLACK_APP_TOKEN: APP }, /SLACK_BOT_TOKEN is missing/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, PORT: '99999' }, /PORT .*65535/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, PORT: 'http' }, /PORT .*port number/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: 'slack' }, /SLACK_API_URL .*URL/],
    [{ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, LOG_LEVEL: 'verbose' }, /LOG_LEVEL .*debug, info/],
  ])('explains a mistake in one line: %j', (env, pattern) => {
    const r = loadConfig(env);
    if (r.ok) throw new Error('expected a problem');
    expect(r.problems.join('\n')).toMatch(pattern);
  });

  it('reports every problem at once, one line each', () => {
    const r = loadConfig({ SLACK_BOT_TOKEN: 'bad', PORT: 'x', LOG_LEVEL: 'y' });
    if (r.ok) throw new Error('expected problems');
    expect(r.problems).toHaveLength(3);
    for (const p of r.problems) expect(p).not.toContain('\n');
  });
});

describe('distributed mode: installs into many workspaces through OAuth', () => {
  const KEY = Buffer.alloc(32, 7).toString('base64');
  const OLD_KEY = Buffer.alloc(32, 9).toString('hex');
  const OAUTH = {
    SLACK_CLIENT_ID: '1234567890.0987654321',
    SLACK_CLIENT_SECRET: 'abcdef0123456789abcdef',
    SLACK_STATE_SECRET: 'a-long-random-state-secret',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_TOKEN_ENCRYPTION_KEY: KEY,
  };

  it('is chosen by the client id, secret and state secret, with the signing secret and an encryption key', () => {
    const r = loadConfig({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS: OLD_KEY, PORT: '8080' });
    if (!r.ok || r.config.mode !== 'distributed') throw new Error(JSON.stringify(r));
    expect(r.config.clientId).toBe('1234567890.0987654321');
    expect(r.config.tokenKey).toEqual(Buffer.alloc(32, 7));
    expect(r.config.previousTokenKeys).toEqual([Buffer.alloc(32, 9)]);
    expect(r.config.authorizeUrl).toBe('https://slack.com/oauth/v2/authorize');
    expect(r.config.directInstall).toBe(false);
    expect(r.config.port).toBe(8080);
  });

  it('says which variables are missing, all at once', () => {
    const r = loadConfig({ SLACK_CLIENT_ID: OAUTH.SLACK_CLIENT_ID });
    if (r.ok) throw new Error('expected problems');
    expect(r.problems).toHaveLength(3);
    expect(r.problems[0]).toContain('missing: SLACK_CLIENT_SECRET, SLACK_STATE_SECRET');
    expect(r.problems[1]).toContain('SLACK_SIGNING_SECRET is missing');
    expect(r.problems[2]).toContain('SLACK_TOKEN_ENCRYPTION_KEY is missing');
    expect(r.problems[2]).toContain('openssl rand -base64 32');
  });

  it('refuses a bot token or an app token beside it, saying why', () => {
    const r = loadConfig({ ...OAUTH, SLACK_BOT_TOKEN: BOT, SLACK_APP_TOKEN: APP });
    if (r.ok) throw new Error('expected problems');
    expect(r.problems.join('\n')).toMatch(/not both/);
    expect(r.problems.join('\n')).toMatch(/over HTTP only: unset SLACK_APP_TOKEN/);
  });

  it('refuses an encryption key that is not 32 bytes, without showing it', () => {
    const r = loadConfig({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_KEY: 'hunter2-is-not-a-key' });
    if (r.ok) throw new Error('expected problems');
    expect(r.problems.join('\n')).toContain('SLACK_TOKEN_ENCRYPTION_KEY should be 32 random bytes');
    expect(r.problems.join('\n')).not.toContain('hunter2');
    const old = loadConfig({ ...OAUTH, SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS: `${OLD_KEY},short` });
    expect(!old.ok && old.problems.join('\n')).toContain('SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS should be');
  });
});
