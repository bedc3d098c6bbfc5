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
