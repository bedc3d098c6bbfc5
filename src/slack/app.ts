import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type App,
  ErrorCode,
  HTTPReceiver,
  type Installation,
  type InstallationQuery,
  type InstallationStore,
  type Logger,
  SocketModeReceiver,
  type webApi,
} from '@slack/bolt';
import { type Config, DEFAULT_AUTHORIZE_URL } from '../config.js';
import { Metrics } from '../metrics.js';
import type { Deps } from './deps.js';
import { answerBoltFailure, GuardedApp, unclaimedFallback } from './guard.js';
import { admitHttpRequests, RequestsInFlight } from './in-flight.js';
import { authorizeAcrossCopies } from './installations.js';
import { registerListeners } from './listeners.js';
import { SingleUseStateStore } from './oauth-state.js';
import { identify } from './person.js';
import { responseProperty } from './prepared.js';
import { keptAliveFetch } from './response-url.js';
import { explainUnclaimed } from './unclaimed.js';
import { installedPage, installFailedPage, installPage } from './views/install-pages.js';

type SlackConfig = Extract<Config, { mode: 'socket' | 'http' | 'distributed' }>;

/**
 * What the app asks Slack for when it is installed (manifest.yml lists the same): its command, its
 * own messages, export files in a direct message, and, for team views, the members of a channel
 * (`conversations.members`: public and private channels) and of a user group (`usergroups.users.list`,
 * `usergroups.list`); and, for check-in reminders at 10:00 in each person's own time zone, their
 * profile's time zone (`users.info`: `users:read`, which also tells who is an admin, for
 * `/competency admin`); and the framework file an admin brings (`files:read`); and a person's plan
 * as a canvas (`canvases:write`; where a workspace does not allow it, the plan stays on Home).
 */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'im:write',
  'files:write',
  'files:read',
  'channels:read',
  'groups:read',
  'usergroups:read',
  'users:read',
  'canvases:write',
];

export const INSTALL_PATH = '/slack/install';
const REDIRECT_PATH = '/slack/oauth_redirect';

/**
 * Whether the app can serve, and why not in a few words for operators. GET /healthz answers only
 * `ok` (200) or `unavailable` (503): it is on the port Slack reaches, so the `problem` goes to the
 * log (once per change) and never into the answer.
 */
type HealthReport = { ok: boolean; problem?: string };

export type SlackAppOptions = {
  config: SlackConfig;
  deps: Deps;
  logger: Logger;
  /**
   * Whether the app is ready besides having frameworks (its store can take changes, say), asked at
   * each GET /healthz and each scrape of /metrics (`competency_ready`) in HTTP mode: 200 only when
   * `ok` and frameworks are loaded, else 503.
   */
  health?: () => Promise<HealthReport>;
  /** Wait for each listener to finish before answering Slack's HTTP request (tests use it). */
  processBeforeResponse?: boolean;
  /** Extra Web API client options, e.g. `retryConfig: { retries: 0 }` in tests. */
  clientOptions?: Omit<webApi.WebClientOptions, 'slackApiUrl' | 'logger'>;
  /**
   * Where requests, acknowledgements and Slack API errors are counted; served at GET /metrics in
   * HTTP mode. A fresh set when not given.
   */
  metrics?: Metrics;
  /** Distributed mode: where installations are kept (tokens encrypted). */
  installationStore?: InstallationStore;
};

// convoStore: false — Bolt's conversation store keeps state per conversation for apps that use it;
// this one does not, and would only pay for its bookkeeping on every request.

/** How long the Socket Mode connection keeps trying to reopen: about seven minutes in all. */
const RECONNECT_RETRIES = { retries: 12, factor: 2, minTimeout: 1000, maxTimeout: 60_000 };

/** Finds an installation's bot token (refreshing it when it is about to expire), as Bolt does per request. */
export type InstallationAuthorizer = (query: InstallationQuery<boolean>) => Promise<{ botToken?: string }>;

export type SlackApp = {
  app: App;
  /**
   * Distributed mode: how work outside a request (check-in reminders) gets a workspace's token — the
   * same OAuth installer Bolt authorizes requests with, so a rotating token is refreshed in one
   * place. Undefined for an app with a token of its own.
   */
  authorizeInstallation: InstallationAuthorizer | undefined;
  /**
   * The requests taken and not finished (their listeners still at work after the acknowledgement):
   * closing it refuses new ones, and a stop waits for the rest (`settled`) before the store closes.
   */
  requests: RequestsInFlight;
};

/** Builds the Bolt app and registers every listener. Nothing here knows where frameworks or ratings are kept. */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const { config, deps, logger } = options;
  const metrics = options.metrics ?? new Metrics();
  const clientOptions: webApi.WebClientOptions = {
    // A person is waiting on every call this app makes: retry briefly, never for the default half hour.
    retryConfig: { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 2000 },
    ...options.clientOptions,
    // One client serves everyone: by default a 429 would pause every call of every person for its
    // Retry-After. Rejected instead, each caller decides: interactive work tells the person, background
    // work (an export) waits and tries again (see failures.ts and answers/export.ts).
    rejectRateLimitedCalls: true,
    slackApiUrl: config.slackApiUrl,
    // Every Web API client Bolt makes from these options counts its failed requests, by method.
    // Its calls, and Bolt's `respond` posts to response_urls, go on kept-alive connections of the
    // app's own, far cheaper than Node's fetch (response-url.ts); file uploads still go through fetch.
    fetch: metrics.slackApiFetch(config.slackApiUrl, keptAliveFetch(options.clientOptions?.fetch)),
  };
  const readiness = readinessCheck(deps, options.health ?? (async () => ({ ok: true })), logger);
  if (config.mode !== 'socket') {
    metrics.reportReadiness(async () => (await readiness()).ok, deps.frameworks.bundled.frameworks.length);
  }
  const receiver =
    config.mode === 'socket'
      ? new SocketModeReceiver({
          appToken: config.appToken,
          logger,
          // The SocketModeClient calls apps.connections.open (with the app-level token) through a WebClient
          // of its own, built from installerOptions.clientOptions: the same Web API URL (GovSlack, the local
          // Slack in tests) and options as the app's, in a copy (it writes its defaults into the object it
          // gets). It reopens the connection through that client whenever Slack asks it to reconnect, so it
          // gets more patience than a person waiting on a click: minutes of retries, not seconds.
          installerOptions: {
            clientOptions: {
              ...clientOptions,
              rejectRateLimitedCalls: false,
              retryConfig: options.clientOptions?.retryConfig ?? RECONNECT_RETRIES,
            },
          },
          processEventErrorHandler: async ({ error, logger: log }) => {
            log.error('Bolt could not process a request; acknowledged it so Slack does not retry it', error);
            return true;
          },
        })
      : new HTTPReceiver({
          signingSecret: config.signingSecret,
          logger,
          processBeforeResponse: options.processBeforeResponse ?? false,
          processEventErrorHandler: answerBoltFailure,
          // Where each request is answered, for answers serialised once (prepared.ts).
          customPropertiesExtractor: responseProperty,
          customRoutes: [
            {
              path: '/healthz',
              method: ['GET'],
              handler: healthHandler(readiness),
            },
            {
              path: '/metrics',
              method: ['GET'],
              handler: metricsHandler(metrics, logger, config.metricsToken),
            },
          ],
          ...(config.mode === 'distributed'
            ? oauthOptions(config, clientOptions, options.installationStore, logger)
            : {}),
        });
  // Bolt takes the installer's authorize when the app is made: wrapped first, so that a refresh
  // another copy of the app won is waited for rather than failing the request (installations.ts).
  if (receiver instanceof HTTPReceiver && receiver.installer && options.installationStore) {
    receiver.installer.authorize = authorizeAcrossCopies(
      receiver.installer.authorize,
      options.installationStore,
      logger,
    );
  }
  const requests = new RequestsInFlight();
  const app = new GuardedApp({
    // Distributed mode has no token of its own: each request's comes from its installation.
    ...(config.mode === 'distributed' ? {} : { token: config.botToken }),
    receiver,
    convoStore: false,
    logger,
    // Bolt sets the logger's level to its own default (info) unless told: keep LOG_LEVEL's.
    logLevel: logger.getLevel(),
    clientOptions,
    observer: metrics,
    inFlight: requests,
    refuseWhenStopping: config.mode === 'socket',
  });
  if (receiver instanceof HTTPReceiver) admitHttpRequests(receiver, requests, logger);

  const installer = receiver instanceof HTTPReceiver ? receiver.installer : undefined;
  const authorizeInstallation: InstallationAuthorizer | undefined =
    installer && ((query) => installer.authorize(query));

  // Runs around every listener: whatever none of them acknowledged is answered here.
  app.use(unclaimedFallback(explainUnclaimed));
  // Says who is acting, once, for every listener (person.ts).
  app.use(
    identify({
      orgOfWorkspace: deps.orgOfWorkspace,
      noteWorkspace: (person, workspace) => deps.assessments.noteWorkspace(person, workspace),
    }),
  );
  registerListeners(app, deps);
  app.error(async (error) => {
    // No installation covers the workspace (distributed mode): refused, and said so to a command.
    if (error.code === ErrorCode.AuthorizationError) {
      logger.warn(`Refused a request: ${error.message}`);
      return;
    }
    logger.error('Unhandled error in a listener', error);
  });
  return { app, authorizeInstallation, requests };
}

/**
 * Bolt's OAuth: the install page, the redirect that finishes an install, and `authorize`, which
 * finds each request's installation (refreshing its token first when it is about to expire).
 */
function oauthOptions(
  config: Extract<SlackConfig, { mode: 'distributed' }>,
  clientOptions: webApi.WebClientOptions,
  installationStore: InstallationStore | undefined,
  logger: Logger,
) {
  if (!installationStore) throw new Error('Distributed mode needs an installation store');
  return {
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    stateSecret: config.stateSecret,
    scopes: BOT_SCOPES,
    installationStore,
    ...(config.redirectUri ? { redirectUri: config.redirectUri } : {}),
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      stateStore: new SingleUseStateStore(config.stateSecret),
      // The install page explains what the app keeps before the button; SLACK_DIRECT_INSTALL skips it.
      directInstall: config.directInstall,
      renderHtmlForInstallPath: installPage,
      authorizationUrl: config.authorizeUrl,
      // oauth.v2.access (install and token refresh) and auth.test go to the same Web API as the rest.
      clientOptions: { ...clientOptions, rejectRateLimitedCalls: false },
      callbackOptions: {
        success: (
          installation: Installation,
          _options: unknown,
          _req: IncomingMessage,
          res: ServerResponse,
        ) => {
          const org = installation.isEnterpriseInstall === true;
          sendPage(
            res,
            200,
            installedPage({
              name: org ? installation.enterprise?.name : installation.team?.name,
              org,
              // Slack's own "open the app" link; not for a stand-in (the sandbox's local Slack).
              appUrl: config.authorizeUrl === DEFAULT_AUTHORIZE_URL ? appUrlOf(installation) : undefined,
            }),
          );
        },
        failure: (
          error: Error & { code?: string },
          _options: unknown,
          _req: IncomingMessage,
          res: ServerResponse,
        ) => {
          const page = installFailedPage(error.code, INSTALL_PATH);
          if (page.status >= 500) logger.error('An install could not be finished', error);
          sendPage(res, page.status, page.html);
        },
      },
    },
  };
}

/** Where "Open Slack" goes after an install: the app's Home tab in that workspace, when Slack said which. */
function appUrlOf(installation: Installation): string | undefined {
  const team = installation.team?.id ?? installation.enterprise?.id;
  if (!installation.appId || !team) return undefined;
  return `https://slack.com/app_redirect?app=${encodeURIComponent(installation.appId)}&team=${encodeURIComponent(team)}`;
}

/**
 * Who may read /metrics: a scraper that sends METRICS_TOKEN as its bearer token; without a token set,
 * only this machine — a connection from 127.0.0.1 or ::1 that no proxy forwarded (a proxy on the same
 * machine adds `x-forwarded-for`, `forwarded` or `x-real-ip`).
 */
export function mayReadMetrics(
  req: Pick<IncomingMessage, 'headers'> & { socket: { remoteAddress?: string | undefined } },
  token: string | undefined,
): boolean {
  if (token !== undefined) {
    const given = Buffer.from(req.headers.authorization ?? '');
    const expected = Buffer.from(`Bearer ${token}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  const address = req.socket.remoteAddress ?? '';
  const local = address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
  const forwarded = ['x-forwarded-for', 'forwarded', 'x-real-ip'].some((h) => req.headers[h] !== undefined);
  return local && !forwarded;
}

function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

/**
 * The app's readiness, asked afresh each time: frameworks loaded, and `health` ok. Each change is
 * logged once, when it is first seen (why it became unavailable, and when it is ready again): what
 * GET /healthz does not say, the log does. While unavailable, a new reason is a change when what it
 * says before its first `:` differs (starting, then the store down), not when only its details do (the
 * database's error from one attempt to the next). Never rejects.
 */
function readinessCheck(
  deps: Deps,
  health: () => Promise<HealthReport>,
  logger: Logger,
): () => Promise<HealthReport> {
  let last: HealthReport = { ok: true };
  return async () => {
    const report: HealthReport =
      deps.frameworks.bundled.frameworks.length === 0
        ? { ok: false, problem: 'no frameworks are loaded' }
        : await health().catch((error: unknown) => ({
            ok: false,
            problem: `the health check failed: ${error instanceof Error ? error.message : String(error)}`,
          }));
    const now: HealthReport = report.ok
      ? { ok: true }
      : { ok: false, problem: report.problem ?? 'it did not say why' };
    const gist = (r: HealthReport) => r.problem?.split(':')[0];
    if (now.ok !== last.ok || gist(now) !== gist(last)) {
      last = now;
      if (now.ok) logger.info('Ready again: GET /healthz answers 200');
      else logger.warn(`Unavailable: GET /healthz answers 503 because ${now.problem}`);
    }
    return now;
  };
}

/**
 * `ok` (200) or `unavailable` (503), and nothing else: the port is public (Slack reaches it), so
 * why is in the log and in /metrics, never here. Never throws.
 */
function healthHandler(readiness: () => Promise<HealthReport>) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    readiness()
      .catch((): HealthReport => ({ ok: false }))
      .then(({ ok }) => {
        res.writeHead(ok ? 200 : 503, {
          'content-type': 'text/plain; charset=utf-8',
          'cache-control': 'no-store',
        });
        res.end(ok ? 'ok' : 'unavailable');
      });
  };
}

/**
 * Prometheus' text format, for whoever may read it (`mayReadMetrics`): the port is public, because
 * Slack must reach `/slack/events` on it, and the figures are for operators. Anyone else gets 404, as
 * for a path that is not there. A failure to collect is logged and answered 500, never thrown.
 */
function metricsHandler(metrics: Metrics, logger: Logger, token: string | undefined) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!mayReadMetrics(req, token)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
      return;
    }
    metrics.exposition().then(
      ({ contentType, text }) => {
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
        res.end(text);
      },
      (error: unknown) => {
        logger.error('Could not collect the metrics', error);
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Could not collect the metrics; see the log.\n');
      },
    );
  };
}
