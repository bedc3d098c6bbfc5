import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_FRAMEWORK_CACHE_DIR } from './frameworks/cache.js';

/**
 * Configuration comes from the environment, is read once at start, and is checked here.
 * A mistake stops the start with one clear line per problem (see main.ts).
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

type Common = {
  /** Base URL of the Slack Web API, ending in `/`. Slack's own unless SLACK_API_URL says otherwise. */
  slackApiUrl: string;
  /**
   * DATABASE_URL: a PostgreSQL database shared by every instance of the app, instead of the file in
   * DATA_DIR (which one process at a time may use).
   */
  databaseUrl: string | undefined;
  dataDir: string;
  /**
   * DATA_LOCK_STALE_SECONDS: how long the data folder's lock may go without its holder's heartbeat
   * before a starting copy of the app takes it over (the holder was killed, or its container moved).
   * Unset: the store's default, 10 s.
   */
  dataLockStaleSeconds?: number;
  frameworksDir: string | undefined;
  /**
   * FRAMEWORKS_CACHE_DIR: where framework files that passed every check are remembered, so a
   * restart need not parse them again; `off` for no cache. Unset: the app's node_modules/.cache.
   */
  frameworksCacheDir: string | undefined;
  logLevel: LogLevel;
};

export type Config =
  /** Socket Mode: the app opens a WebSocket to Slack; nothing needs to reach this machine. */
  | (Common & { mode: 'socket'; botToken: string; appToken: string; signingSecret: string | undefined })
  /** HTTP: Slack sends requests to POST /slack/events on this machine. */
  | (Common & {
      mode: 'http';
      botToken: string;
      signingSecret: string;
      port: number;
      host: string | undefined;
    })
  /** No Slack credentials at all. */
  | (Common & { mode: 'none' });

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const LOCK_STALE_PROBLEM =
  "should be a whole number of seconds from 2 to 3600: how long the data folder's lock may go " +
  'unrefreshed before another copy of the app takes it over (default 10)';

const EnvSchema = z.object({
  SLACK_BOT_TOKEN: optionalText.pipe(
    z
      .string()
      .startsWith('xoxb-', 'should be a bot token, starting with "xoxb-" (OAuth & Permissions page)')
      .optional(),
  ),
  SLACK_APP_TOKEN: optionalText.pipe(
    z
      .string()
      .startsWith('xapp-', 'should be an app-level token, starting with "xapp-" (Basic Information page)')
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-zA-Z]{8,}$/, 'should be the signing secret from the Basic Information page')
      .optional(),
  ),
  SLACK_API_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: 'should be an http(s) URL such as https://slack.com/api/' })
      .optional(),
  ),
  PORT: optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, 'should be a port number from 1 to 65535')
      .transform(Number)
      .pipe(z.number().max(65535, 'should be a port number from 1 to 65535 (or 0 for any free port)'))
      .optional(),
  ),
  HOST: optionalText,
  DATABASE_URL: optionalText.pipe(
    z
      .url({
        protocol: /^postgres(ql)?$/,
        error: 'should be a PostgreSQL connection URL such as postgres://user:password@host:5432/database',
      })
      .optional(),
  ),
  DATA_DIR: optionalText,
  DATA_LOCK_STALE_SECONDS: optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, LOCK_STALE_PROBLEM)
      .transform(Number)
      .pipe(z.number().min(2, LOCK_STALE_PROBLEM).max(3600, LOCK_STALE_PROBLEM))
      .optional(),
  ),
  FRAMEWORKS_DIR: optionalText,
  FRAMEWORKS_CACHE_DIR: optionalText,
  LOG_LEVEL: optionalText.pipe(
    z
      .string()
      .toLowerCase()
      .pipe(
        z.enum(['debug', 'info', 'warn', 'error'], { error: 'should be one of debug, info, warn, error' }),
      )
      .optional(),
  ),
});

export function loadConfig(env: Record<string, string | undefined>, cwd = process.cwd()): ConfigResult {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`),
    };
  }
  const e = parsed.data;
  const common: Common = {
    slackApiUrl: withTrailingSlash(e.SLACK_API_URL ?? DEFAULT_SLACK_API_URL),
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(cwd, e.DATA_DIR ?? 'data'),
    ...(e.DATA_LOCK_STALE_SECONDS === undefined ? {} : { dataLockStaleSeconds: e.DATA_LOCK_STALE_SECONDS }),
    frameworksDir: e.FRAMEWORKS_DIR === undefined ? undefined : path.resolve(cwd, e.FRAMEWORKS_DIR),
    frameworksCacheDir:
      e.FRAMEWORKS_CACHE_DIR === undefined
        ? DEFAULT_FRAMEWORK_CACHE_DIR
        : e.FRAMEWORKS_CACHE_DIR.toLowerCase() === 'off'
          ? undefined
          : path.resolve(cwd, e.FRAMEWORKS_CACHE_DIR),
    logLevel: e.LOG_LEVEL ?? 'info',
  };

  if (e.SLACK_BOT_TOKEN === undefined) {
    if (e.SLACK_APP_TOKEN !== undefined || e.SLACK_SIGNING_SECRET !== undefined) {
      return {
        ok: false,
        problems: [
          'SLACK_BOT_TOKEN is missing: set it to the bot token ("xoxb-…") from the OAuth & Permissions page',
        ],
      };
    }
    return { ok: true, config: { ...common, mode: 'none' } };
  }
  if (e.SLACK_APP_TOKEN !== undefined) {
    return {
      ok: true,
      config: {
        ...common,
        mode: 'socket',
        botToken: e.SLACK_BOT_TOKEN,
        appToken: e.SLACK_APP_TOKEN,
        signingSecret: e.SLACK_SIGNING_SECRET,
      },
    };
  }
  if (e.SLACK_SIGNING_SECRET !== undefined) {
    return {
      ok: true,
      config: {
        ...common,
        mode: 'http',
        botToken: e.SLACK_BOT_TOKEN,
        signingSecret: e.SLACK_SIGNING_SECRET,
        port: e.PORT ?? 3000,
        host: e.HOST,
      },
    };
  }
  return {
    ok: false,
    problems: [
      'SLACK_BOT_TOKEN is set, but the app also needs SLACK_APP_TOKEN (for Socket Mode) or SLACK_SIGNING_SECRET (for HTTP)',
    ],
  };
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** Describes the configuration for the start-up log line, without secrets. */
export function describeConfig(config: Config): string {
  switch (config.mode) {
    case 'socket':
      return 'Socket Mode';
    case 'http':
      return `HTTP on ${config.host ?? '0.0.0.0'}:${config.port}`;
    case 'none':
      return 'no Slack credentials';
  }
}
