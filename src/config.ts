import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_FRAMEWORK_CACHE_DIR } from './frameworks/cache.js';
import { TEAM_MIN_PEOPLE, TEAM_VIEW_MEMORY_DAYS } from './model/team-rules.js';
import { parseKey } from './util/token-cipher.js';

/**
 * Configuration comes from the environment, is read once at start, and is checked here.
 * A mistake stops the start with one clear line per problem (see main.ts).
 */

type LogLevel = 'debug' | 'info' | 'warn' | 'error';

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
  /**
   * TEAM_MIN_PEOPLE: K, how many people must have shared a role and level before a team view
   * (`/competency team`) shows anything of it; 3–10. loadConfig always sets it (5 unless told).
   */
  teamMinPeople?: number;
  /**
   * TEAM_VIEW_MEMORY_DAYS: how many days an answered team view is kept (ids only) to compare later
   * answers with, so that two answers cannot be subtracted; 1–365. loadConfig always sets it (30 unless told).
   */
  teamViewMemoryDays?: number;
  /**
   * REMINDERS=off: this copy of the app sends no check-in reminders (another copy sharing the store
   * does). Absent means on.
   */
  reminders?: boolean;
  /**
   * METRICS_TOKEN: the bearer token a scraper sends to read GET /metrics from another machine. Unset:
   * only this machine may read it (see app.ts).
   */
  metricsToken?: string;
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
  /**
   * Many workspaces and Enterprise Grid orgs, each installing the app through Slack's OAuth flow
   * (HTTP; install page at /slack/install). Tokens are kept in the store, encrypted.
   */
  | (Common & {
      mode: 'distributed';
      signingSecret: string;
      clientId: string;
      clientSecret: string;
      stateSecret: string;
      /** Seals every token the app stores (SLACK_TOKEN_ENCRYPTION_KEY). */
      tokenKey: Buffer;
      /** Keys being rotated out: they still open tokens they sealed (SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS). */
      previousTokenKeys: Buffer[];
      /** SLACK_REDIRECT_URI: needed when the app has more than one redirect URL in its settings. */
      redirectUri: string | undefined;
      /** Where Slack's OAuth authorize page is (SLACK_AUTHORIZE_URL); Slack's own unless told otherwise. */
      authorizeUrl: string;
      /** SLACK_DIRECT_INSTALL=true: /slack/install goes straight to Slack, for an "Add to Slack" link elsewhere. */
      directInstall: boolean;
      port: number;
      host: string | undefined;
    })
  /** No Slack credentials at all. */
  | (Common & { mode: 'none' });

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
export const DEFAULT_AUTHORIZE_URL = 'https://slack.com/oauth/v2/authorize';

/** What distributed mode needs, besides the signing secret. */
const OAUTH_VARIABLES = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

const KEY_PROBLEM =
  'should be 32 random bytes written as base64 or as 64 hex digits; make one with: openssl rand -base64 32';

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const LOCK_STALE_PROBLEM =
  "should be a whole number of seconds from 2 to 3600: how long the data folder's lock may go " +
  'unrefreshed before another copy of the app takes it over (default 10)';

const TEAM_MIN_PEOPLE_PROBLEM =
  `should be a whole number from ${TEAM_MIN_PEOPLE.min} to ${TEAM_MIN_PEOPLE.max}: how many people must have ` +
  `shared a role and level before a team view shows anything of it (default ${TEAM_MIN_PEOPLE.default})`;

const TEAM_VIEW_MEMORY_PROBLEM =
  `should be a whole number of days from ${TEAM_VIEW_MEMORY_DAYS.min} to ${TEAM_VIEW_MEMORY_DAYS.max}: how long ` +
  `an answered team view is kept to compare later ones with (default ${TEAM_VIEW_MEMORY_DAYS.default})`;

/** An optional whole number from `min` to `max`, written in digits; `problem` says what it should be. */
function wholeNumber(min: number, max: number, problem: string) {
  return optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, problem)
      .transform(Number)
      .pipe(z.number().min(min, problem).max(max, problem))
      .optional(),
  );
}

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
  DATA_LOCK_STALE_SECONDS: wholeNumber(2, 3600, LOCK_STALE_PROBLEM),
  FRAMEWORKS_DIR: optionalText,
  FRAMEWORKS_CACHE_DIR: optionalText,
  TEAM_MIN_PEOPLE: wholeNumber(TEAM_MIN_PEOPLE.min, TEAM_MIN_PEOPLE.max, TEAM_MIN_PEOPLE_PROBLEM),
  TEAM_VIEW_MEMORY_DAYS: wholeNumber(
    TEAM_VIEW_MEMORY_DAYS.min,
    TEAM_VIEW_MEMORY_DAYS.max,
    TEAM_VIEW_MEMORY_PROBLEM,
  ),
  SLACK_CLIENT_ID: optionalText.pipe(
    z
      .string()
      .regex(
        /^[0-9]+\.[0-9]+$/,
        'should be the client ID from the Basic Information page, e.g. 1234567890.1234567890',
      )
      .optional(),
  ),
  SLACK_CLIENT_SECRET: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-zA-Z]{8,}$/, 'should be the client secret from the Basic Information page')
      .optional(),
  ),
  SLACK_STATE_SECRET: optionalText.pipe(
    z
      .string()
      .min(
        16,
        'should be a random text of 16 characters or more (it signs the OAuth state); e.g. openssl rand -hex 16',
      )
      .optional(),
  ),
  SLACK_TOKEN_ENCRYPTION_KEY: optionalText.pipe(
    z
      .string()
      .transform((text, ctx) => {
        const key = parseKey(text);
        if (key === undefined) ctx.addIssue({ code: 'custom', message: KEY_PROBLEM });
        return key ?? z.NEVER;
      })
      .optional(),
  ),
  SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS: optionalText.pipe(
    z
      .string()
      .transform((text, ctx) => {
        const keys = text.split(',').map((part) => parseKey(part));
        if (keys.some((key) => key === undefined)) {
          ctx.addIssue({
            code: 'custom',
            message: `should be a comma-separated list of keys; each ${KEY_PROBLEM}`,
          });
          return z.NEVER;
        }
        return keys as Buffer[];
      })
      .optional(),
  ),
  SLACK_REDIRECT_URI: optionalText.pipe(
    z
      .url({
        protocol: /^https?$/,
        error: 'should be the full redirect URL, such as https://competency.example.com/slack/oauth_redirect',
      })
      .optional(),
  ),
  SLACK_DIRECT_INSTALL: optionalText.pipe(
    z
      .string()
      .toLowerCase()
      .pipe(z.enum(['true', 'false'], { error: 'should be true or false' }))
      .transform((value) => value === 'true')
      .optional(),
  ),
  SLACK_AUTHORIZE_URL: optionalText.pipe(
    z
      .url({
        protocol: /^https?$/,
        error: 'should be an http(s) URL such as https://slack.com/oauth/v2/authorize',
      })
      .optional(),
  ),
  REMINDERS: optionalText.pipe(
    z
      .string()
      .toLowerCase()
      .pipe(
        z.enum(['on', 'off'], { error: 'should be on or off: whether this copy sends check-in reminders' }),
      )
      .transform((v) => v === 'on')
      .optional(),
  ),
  METRICS_TOKEN: optionalText.pipe(
    z
      .string()
      .min(
        16,
        'should be 16 characters or more, e.g. from `openssl rand -hex 16`: the token a scraper sends to read /metrics',
      )
      .optional(),
  ),
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
    teamMinPeople: e.TEAM_MIN_PEOPLE ?? TEAM_MIN_PEOPLE.default,
    teamViewMemoryDays: e.TEAM_VIEW_MEMORY_DAYS ?? TEAM_VIEW_MEMORY_DAYS.default,
    ...(e.REMINDERS === undefined ? {} : { reminders: e.REMINDERS }),
    ...(e.METRICS_TOKEN === undefined ? {} : { metricsToken: e.METRICS_TOKEN }),
    logLevel: e.LOG_LEVEL ?? 'info',
  };

  const oauthSet = OAUTH_VARIABLES.filter((name) => e[name] !== undefined);
  if (oauthSet.length > 0) return distributed(e, common, oauthSet);

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

/** Distributed mode: every variable it needs, and none of the single-workspace ones. */
function distributed(
  e: z.infer<typeof EnvSchema>,
  common: Common,
  oauthSet: (typeof OAUTH_VARIABLES)[number][],
): ConfigResult {
  const problems: string[] = [];
  const missing = OAUTH_VARIABLES.filter((name) => !oauthSet.includes(name));
  if (missing.length > 0)
    problems.push(
      `To install into many workspaces, the app needs ${OAUTH_VARIABLES.join(', ')} (Basic Information page; ` +
        `the state secret is any random text you choose); missing: ${missing.join(', ')}`,
    );
  if (e.SLACK_SIGNING_SECRET === undefined)
    problems.push(
      'SLACK_SIGNING_SECRET is missing: Slack signs every request with it (Basic Information page)',
    );
  if (e.SLACK_TOKEN_ENCRYPTION_KEY === undefined)
    problems.push(
      'SLACK_TOKEN_ENCRYPTION_KEY is missing: the app encrypts the tokens of every installation with it. ' +
        'Make one with: openssl rand -base64 32 (and keep it safe: without it the stored tokens cannot be read)',
    );
  if (e.SLACK_BOT_TOKEN !== undefined)
    problems.push(
      'SLACK_BOT_TOKEN is set as well as SLACK_CLIENT_ID: use one workspace with a bot token, or many ' +
        'workspaces through OAuth, not both; unset one of them',
    );
  if (e.SLACK_APP_TOKEN !== undefined)
    problems.push(
      'SLACK_APP_TOKEN is set, but installing into many workspaces works over HTTP only: unset SLACK_APP_TOKEN',
    );
  const [clientId, clientSecret, stateSecret, signingSecret, tokenKey] = [
    e.SLACK_CLIENT_ID,
    e.SLACK_CLIENT_SECRET,
    e.SLACK_STATE_SECRET,
    e.SLACK_SIGNING_SECRET,
    e.SLACK_TOKEN_ENCRYPTION_KEY,
  ];
  if (
    problems.length > 0 ||
    clientId === undefined ||
    clientSecret === undefined ||
    stateSecret === undefined ||
    signingSecret === undefined ||
    tokenKey === undefined
  )
    return { ok: false, problems };
  return {
    ok: true,
    config: {
      ...common,
      mode: 'distributed',
      signingSecret,
      clientId,
      clientSecret,
      stateSecret,
      tokenKey,
      previousTokenKeys: e.SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS ?? [],
      redirectUri: e.SLACK_REDIRECT_URI,
      authorizeUrl: e.SLACK_AUTHORIZE_URL ?? DEFAULT_AUTHORIZE_URL,
      directInstall: e.SLACK_DIRECT_INSTALL ?? false,
      port: e.PORT ?? 3000,
      host: e.HOST,
    },
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
    case 'distributed':
      return `HTTP on ${config.host ?? '0.0.0.0'}:${config.port}, installable into many workspaces (install page: /slack/install)`;
    case 'none':
      return 'no Slack credentials';
  }
}
