import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App, Logger } from '@slack/bolt';
import { type Config, describeConfig, loadConfig } from './config.js';
import { FrameworkCache } from './frameworks/cache.js';
import { Catalog } from './frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from './frameworks/loader.js';
import { FrameworkError } from './frameworks/problems.js';
import { createLogger, type LogLevel } from './log.js';
import { Metrics } from './metrics.js';
import { type Clock, ReminderScheduler, systemClock } from './reminders/scheduler.js';
import { createSlackApp, INSTALL_PATH, type InstallationAuthorizer } from './slack/app.js';
import { createDeps, type Deps } from './slack/deps.js';
import type { RequestsInFlight } from './slack/in-flight.js';
import { NotInstalledError, SealedInstallationStore } from './slack/installations.js';
import { type ClientFor, createReminderSender } from './slack/reminder-sender.js';
import { openConfiguredStore } from './store/open.js';
import { type Store, StoreError } from './store/store.js';
import { TokenCipher } from './util/token-cipher.js';

/** Said when no Slack credentials are set, so a newcomer knows exactly what to do next. */
const NO_TOKENS_MESSAGE = [
  'No Slack credentials are set, so there is nothing to connect to yet.',
  'To run the app in your workspace, create the Slack app from manifest.yml and set either:',
  '  SLACK_BOT_TOKEN and SLACK_APP_TOKEN          (Socket Mode: nothing needs to reach this machine), or',
  '  SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET     (HTTP: Slack posts to http://<this host>:$PORT/slack/events)',
  'To let many workspaces install it, create it from manifest.distributed.yml and set SLACK_CLIENT_ID,',
  '  SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, SLACK_SIGNING_SECRET and SLACK_TOKEN_ENCRYPTION_KEY.',
  'The README explains each step, under "Connect it to Slack" (many workspaces: docs/operations.md).',
].join('\n');

export type Running = {
  app: App;
  store: Store;
  stop: () => Promise<void>;
  port: number | undefined;
  /** Sends check-in reminders when due (every minute); the sandbox also runs it on demand. */
  reminders: ReminderScheduler;
};

export type StartOptions = {
  /** The clock check-in reminders are sent by; the system's unless given (the sandbox moves its own). */
  reminderClock?: Clock;
  /** How long a stop waits for the requests in flight before it closes the store anyway; 7 s unless given. */
  stopWaitMs?: number;
  /** For tests only: a lower limit on the data file's length than the app can read (see FileStoreOptions). */
  dataFileLimitForTests?: number;
};

/** How often the app looks for check-in reminders that are due. */
const REMINDER_CHECK_MS = 60_000;
/**
 * The first look comes sooner: reminders that fell due while the app was down (a deploy, a restart)
 * go out soon after it is back, and a copy restarted more often than once a minute still sends.
 */
const REMINDER_FIRST_CHECK_MS = 5_000;

/**
 * How long a stop waits for the requests in flight (and a reminder being sent) before it closes the
 * store anyway: what was acknowledged gets this long to be saved and answered. Inside main.ts's 10 s
 * limit, and `docker stop`'s default 10 s before SIGKILL.
 */
const STOP_WAIT_MS = 7_000;

/**
 * Check-in reminders, sent through the app's Slack client: with its own token (one workspace), or
 * with each installation's, found and refreshed by Bolt's OAuth installer (distributed mode).
 */
function reminderScheduler(
  app: App,
  authorize: InstallationAuthorizer | undefined,
  deps: Deps,
  store: Store,
  log: Logger,
  clock: Clock,
): ReminderScheduler {
  const clientFor: ClientFor = async (reminder) => {
    if (!authorize) return { client: app.client };
    try {
      const { botToken } = await authorize({
        teamId: reminder.teamId,
        enterpriseId: reminder.enterpriseId,
        isEnterpriseInstall: false,
      });
      return botToken ? { client: app.client, token: botToken } : undefined;
    } catch (error) {
      const original = (error as { original?: unknown }).original ?? error;
      if (original instanceof NotInstalledError) return undefined;
      throw error;
    }
  };
  const send = createReminderSender({
    frameworks: deps.frameworks,
    clientFor,
    logger: log,
    now: () => clock.now(),
    sleep: (ms) => clock.sleep(ms),
  });
  return new ReminderScheduler({ store, send, logger: log, clock });
}

/** A problem that stops the start; main prints its lines and exits with status 1. */
export class StartError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

async function loadCatalog(config: Config, log: Logger): Promise<Catalog> {
  const dirs = [BUNDLED_FRAMEWORKS_DIR, ...(config.frameworksDir ? [config.frameworksDir] : [])];
  const cache = config.frameworksCacheDir ? await FrameworkCache.open(config.frameworksCacheDir) : undefined;
  try {
    const catalog = new Catalog(await loadFrameworks(dirs, { cache }));
    const notSaved = await cache?.save();
    if (notSaved)
      log.debug(`The frameworks cache in ${config.frameworksCacheDir} was not written: ${notSaved}`);
    log.info(
      `Loaded ${catalog.frameworks.length} framework(s) from ${dirs.join(', ')}: ${catalog.frameworks.map((f) => f.id).join(', ')}`,
    );
    return catalog;
  } catch (error) {
    if (error instanceof FrameworkError)
      throw new StartError(['The frameworks did not load:', error.message]);
    throw error;
  }
}

/** The store the configuration names, announced in the log; a StartError when it does not open. */
async function openStore(config: Config, log: Logger, dataFileLimitForTests?: number): Promise<Store> {
  try {
    const store = await openConfiguredStore(config, log, dataFileLimitForTests);
    log.info(`Ratings are kept in ${store.location} (${await store.size()} people so far)`);
    return store;
  } catch (error) {
    if (error instanceof StoreError) throw new StartError(['The data store did not open:', error.message]);
    throw error;
  }
}

/**
 * Configuration → frameworks → store → Slack app → start.
 * Throws StartError for anything a person must fix, having released whatever it had taken.
 */
export async function start(
  env: Record<string, string | undefined>,
  logger?: Logger,
  options: StartOptions = {},
): Promise<Running> {
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    throw new StartError([
      'The app cannot start; please fix the configuration:',
      ...loaded.problems.map((p) => `  ${p}`),
    ]);
  }
  const config: Config = loaded.config;
  const log = logger ?? createLogger(config.logLevel as LogLevel);
  if (config.mode === 'none') throw new StartError([NO_TOKENS_MESSAGE]);

  const catalog = await loadCatalog(config, log);
  const store = await openStore(config, log, options.dataFileLimitForTests);
  let phase: 'starting' | 'ready' | 'stopping' = 'starting';
  let app: App;
  let requests: RequestsInFlight;
  let server: Server | undefined;
  let port: number | undefined;
  let reminders: ReminderScheduler;
  // GET /metrics: requests, acknowledgements, Slack API errors, and the store's writes, timed the
  // same way whichever store is in use.
  const metrics = new Metrics();
  metrics.countPeople(() => store.size());
  metrics.reportStore(() => store.health());
  try {
    const measured = metrics.measure(store);
    const deps = createDeps(measured, catalog, {
      teamMinPeople: config.teamMinPeople,
      teamViewMemoryDays: config.teamViewMemoryDays,
    });
    const slack = createSlackApp({
      config,
      deps,
      logger: log,
      metrics,
      ...(config.mode === 'distributed'
        ? {
            installationStore: new SealedInstallationStore(
              measured,
              new TokenCipher(config.tokenKey, config.previousTokenKeys),
              log,
            ),
          }
        : {}),
      // 503 while starting or stopping, and while the store cannot take changes (the database is
      // unreachable, the file store lost its lock): the log says which store, and why.
      health: async () => {
        if (phase !== 'ready') return { ok: false, problem: `the app is ${phase}` };
        const report = await store.health();
        if (report.ok) return { ok: true };
        return {
          ok: false,
          problem: `the ${report.kind} store cannot take changes: ${report.problem ?? 'it did not say why'}`,
        };
      },
    });
    app = slack.app;
    requests = slack.requests;
    reminders = reminderScheduler(
      app,
      slack.authorizeInstallation,
      deps,
      measured,
      log,
      options.reminderClock ?? systemClock,
    );
    if (config.mode === 'http' || config.mode === 'distributed') {
      // A deeper accept queue than Node's 511, so a burst of clicks is queued rather than dropped
      // (a dropped connection is retried only a second later). The kernel may cap it (somaxconn).
      server = (await app.start({
        port: config.port,
        backlog: 4096,
        ...(config.host ? { host: config.host } : {}),
      })) as Server;
      port = (server.address() as AddressInfo | null)?.port;
      log.info(
        `Listening in HTTP mode on ${config.host ?? '0.0.0.0'}:${port}: POST /slack/events, GET /healthz, GET /metrics` +
          (config.mode === 'distributed' ? `, and the install page GET ${INSTALL_PATH}` : ''),
      );
    } else {
      await app.start();
      log.info('Connected to Slack in Socket Mode');
    }
  } catch (error) {
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && (config.mode === 'http' || config.mode === 'distributed')) {
      throw new StartError([
        `Port ${config.port} is already in use. Stop what is using it, or choose another: PORT=3001 npm start`,
      ]);
    }
    throw error;
  }
  if (config.slackApiUrl !== 'https://slack.com/api/') log.info(`Slack Web API: ${config.slackApiUrl}`);
  phase = 'ready';
  if (config.reminders === false)
    log.info('Check-in reminders are off in this copy of the app (REMINDERS=off)');
  else reminders.start(REMINDER_CHECK_MS, REMINDER_FIRST_CHECK_MS);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      phase = 'stopping';
      // From here on nothing new is taken: HTTP answers 503 (and stops accepting connections just
      // below), Socket Mode leaves new envelopes unacknowledged so that Slack delivers them again.
      requests.close();
      log.info(
        `Stopping (${describeConfig(config)}): refusing new requests, finishing the ${requests.size} in flight`,
      );
      try {
        const listening = server ? app.stop() : undefined;
        // Awaited below, once the requests in flight are done; a failure is not unhandled meanwhile.
        listening?.catch(() => undefined);
        // What was acknowledged is saved and answered, and a reminder being sent is sent and
        // recorded (the ones claimed but not sent yet are given back), before the store closes.
        const waitMs = options.stopWaitMs ?? STOP_WAIT_MS;
        const until = Date.now() + waitMs;
        const remindersStopped = reminders.stop();
        const left = await requests.settled(waitMs);
        if (left > 0)
          log.warn(`Stopping: ${left} request(s) still unfinished after ${waitMs / 1000} s; stopping anyway`);
        if (!(await withinMs(remindersStopped, until - Date.now())))
          log.warn('Stopping: a check-in reminder was still being sent; stopping anyway');
        if (server) {
          // Every answer is sent by now: connections kept open for more requests are closed.
          server.closeAllConnections();
          await listening;
        } else {
          // Socket Mode: the connection stayed open until now, so the requests in flight could still
          // be acknowledged through it.
          await app.stop();
        }
      } finally {
        await store.close();
      }
      log.info('Stopped');
    })();
    return stopping;
  };
  return { app, store, stop, port, reminders };
}

/** Whether `work` finished within `ms`; it goes on regardless. */
async function withinMs(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => true,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
