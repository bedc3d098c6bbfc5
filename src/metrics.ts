import { performance } from 'node:perf_hooks';
import type { webApi } from '@slack/bolt';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { MonthlyCount, OrgData } from './model/org-data.js';
import type { PersonKey } from './model/person.js';
import type {
  AssessmentRecord,
  ClaimedReminder,
  InstallationRecord,
  KeptTeamView,
  PersonData,
  TeamViewScope,
} from './model/records.js';
import {
  NotSavedError,
  type Store,
  type StoreHealth,
  type UninstallResult,
  type UninstallTarget,
  type UpdateOptions,
} from './store/store.js';

/**
 * What `GET /metrics` says, in Prometheus' text format (prom-client). Every label takes one of a few
 * fixed words or a Slack Web API method name: never a token, a person, a channel or a URL, so the
 * number of series stays small whatever people do.
 */

/** Where a request came from in Slack. */
const SURFACES = ['command', 'block_actions', 'view_submission', 'event', 'other'] as const;
export type Surface = (typeof SURFACES)[number];

/**
 * What became of a request: a listener answered it; it was signed but malformed, and dropped at the
 * door; no listener claimed it (the fallback answered); a listener or Bolt failed on it.
 */
const OUTCOMES = ['answered', 'malformed', 'unclaimed', 'failed'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What the app's door (src/slack/guard.ts) reports about each request. */
export type RequestObserver = {
  /** The request was acknowledged, `seconds` after it reached the app. */
  acknowledged(surface: Surface, seconds: number): void;
  /** Everything the app does for the request is done. */
  finished(surface: Surface, outcome: Outcome): void;
};

/** How a request to the Slack Web API failed. */
type SlackApiFailure = 'platform' | 'rate_limited' | 'http' | 'network';

type FetchResponse = Awaited<ReturnType<webApi.FetchFunction>>;

/** Slack wants an acknowledgement within 3 seconds; the buckets are finer where answers should be. */
const ACK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5];
const WRITE_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const WRITES = ['update', 'forget', 'install', 'uninstall', 'team_view', 'org_data'] as const;

/** A Web API method name as the client sends them (`chat.postEphemeral`); anything else counts as `other`. */
const METHOD_NAME = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/;

/** Node's own figures (CPU, memory, event loop, GC): measured once per process, however many apps it runs. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** One app's metrics, reported by `GET /metrics` with the process' own figures. */
export class Metrics implements RequestObserver {
  private readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'competency_requests_total',
    help: 'Requests from Slack, by surface and by what became of them (answered, malformed, unclaimed, failed).',
    labelNames: ['surface', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly ackSeconds = new Histogram({
    name: 'competency_ack_duration_seconds',
    help: 'Time from a request reaching the app to its acknowledgement; Slack gives up after 3 seconds.',
    labelNames: ['surface'] as const,
    buckets: ACK_BUCKETS,
    registers: [this.registry],
  });
  private readonly writeSeconds = new Histogram({
    name: 'competency_store_write_duration_seconds',
    help: 'Time a change to the store takes until it is durable (update) or deleted (forget), failed ones included.',
    labelNames: ['operation'] as const,
    buckets: WRITE_BUCKETS,
    registers: [this.registry],
  });
  private readonly writeFailures = new Counter({
    name: 'competency_store_write_failures_total',
    help: 'Changes the store could not save or delete (a full disk, a database that cannot be reached).',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });
  private readonly slackApiErrors = new Counter({
    name: 'competency_slack_api_errors_total',
    help:
      'Failed requests to the Slack Web API, by method and by how they failed (platform: ok=false; ' +
      'rate_limited: HTTP 429; http: another HTTP status; network: no answer). Each retry counts.',
    labelNames: ['method', 'failure'] as const,
    registers: [this.registry],
  });

  constructor() {
    processMetrics();
    // Every series a dashboard plots exists from the start, at 0, so rates and ratios work at once.
    for (const surface of SURFACES) {
      this.ackSeconds.zero({ surface });
      for (const outcome of OUTCOMES) this.requests.inc({ surface, outcome }, 0);
    }
    for (const operation of WRITES) {
      this.writeSeconds.zero({ operation });
      this.writeFailures.inc({ operation }, 0);
    }
  }

  acknowledged(surface: Surface, seconds: number): void {
    this.ackSeconds.observe({ surface }, seconds);
  }

  finished(surface: Surface, outcome: Outcome): void {
    this.requests.inc({ surface, outcome });
  }

  /** Reports `competency_people`, from `count`, asked at each scrape. Call it once. */
  countPeople(count: () => Promise<number>): void {
    new Gauge({
      name: 'competency_people',
      help: 'How many people the store keeps data about (NaN while the store cannot say).',
      registers: [this.registry],
      async collect() {
        this.set(await count().catch(() => Number.NaN));
      },
    });
  }

  /**
   * Reports `competency_ready` (1 when GET /healthz answers 200, else 0: the log says why), from
   * `ready`, asked at each scrape, and `competency_frameworks`, how many are loaded. Call it once.
   */
  reportReadiness(ready: () => Promise<boolean>, frameworks: number): void {
    new Gauge({
      name: 'competency_ready',
      help: 'Whether GET /healthz answers 200 (1) or 503 (0): frameworks loaded and the store taking changes. The log says why not.',
      registers: [this.registry],
      async collect() {
        this.set((await ready().catch(() => false)) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'competency_frameworks',
      help: 'How many frameworks the app has loaded.',
      registers: [this.registry],
    }).set(frameworks);
  }

  /**
   * Reports the store's own figures, from one `health()` per scrape: `competency_store_up{store}`
   * (1 while it can take changes; the log says why not) and `competency_store_writes_total{store}`
   * (writes since it was opened: flushes of the data file, or transactions committed). `store` is
   * the kind of store (lowdb, postgres, memory). The file store also reports its data file's length
   * and the most it may be (`competency_store_file_characters`, `competency_store_file_limit_characters`;
   * its log warns from 80%: see src/store/file/limit.ts). Call it once.
   */
  reportStore(health: () => Promise<StoreHealth>): void {
    let asking: Promise<StoreHealth> | undefined;
    // One question for both series of a scrape: prom-client collects them at the same time.
    const now = () => {
      asking ??= health().finally(() => {
        asking = undefined;
      });
      return asking;
    };
    new Gauge({
      name: 'competency_store_up',
      help: 'Whether the store can take changes (1) or not (0): the database unreachable, the data folder lock lost.',
      labelNames: ['store'] as const,
      registers: [this.registry],
      async collect() {
        const report = await now();
        this.reset();
        this.set({ store: report.kind }, report.ok ? 1 : 0);
      },
    });
    new Counter({
      name: 'competency_store_writes_total',
      help: 'Writes the store has made since this process opened it: flushes of the data file (lowdb), transactions committed (PostgreSQL).',
      labelNames: ['store'] as const,
      registers: [this.registry],
      async collect() {
        const report = await now();
        // The store counts; the counter says what it says.
        this.reset();
        this.inc({ store: report.kind }, report.writes);
      },
    });
    new Gauge({
      name: 'competency_store_file_characters',
      help: 'The data file as the next write would write it, in characters (UTF-16 code units, what limits it): lowdb only.',
      labelNames: ['store'] as const,
      registers: [this.registry],
      async collect() {
        const report = await now();
        this.reset();
        if (report.dataFile) this.set({ store: report.kind }, report.dataFile.length);
      },
    });
    new Gauge({
      name: 'competency_store_file_limit_characters',
      help:
        'The longest data file the app can read back when it starts, in characters; changes that would pass it are ' +
        'refused (move to PostgreSQL with `competency migrate`). lowdb only.',
      labelNames: ['store'] as const,
      registers: [this.registry],
      async collect() {
        const report = await now();
        this.reset();
        if (report.dataFile) this.set({ store: report.kind }, report.dataFile.limit);
      },
    });
  }

  /** The store, measured: the time and the failures of every update and forget, whatever the implementation. */
  measure(store: Store): Store {
    return new MeasuredStore(store, (operation, seconds, failed) => {
      this.writeSeconds.observe({ operation }, seconds);
      if (failed) this.writeFailures.inc({ operation });
    });
  }

  /**
   * A fetch for the Slack Web API client that counts the requests that fail, by method. `apiUrl` is
   * the client's `slackApiUrl`: only answers from there are read for Slack's `ok: false`.
   */
  slackApiFetch(apiUrl: string, fetch: webApi.FetchFunction = globalThis.fetch): webApi.FetchFunction {
    const prefix = apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`;
    const count = (method: string, failure: SlackApiFailure) => this.slackApiErrors.inc({ method, failure });
    return async (url, init) => {
      const href = String(url);
      const name = href.startsWith(prefix) ? (href.slice(prefix.length).split('?')[0] ?? '') : '';
      const method = METHOD_NAME.test(name) ? name : 'other';
      let response: FetchResponse;
      try {
        response = await fetch(url, init);
      } catch (error) {
        count(method, 'network');
        throw error;
      }
      if (response.status === 429) count(method, 'rate_limited');
      else if (response.status !== 200) count(method, 'http');
      else if (method !== 'other') return checkingOk(response, () => count(method, 'platform'));
      return response;
    };
  }

  /** The exposition: this app's metrics and the process' own, with the content type to send them with. */
  async exposition(): Promise<{ contentType: string; text: string }> {
    const merged = Registry.merge([processMetrics(), this.registry]);
    return { contentType: merged.contentType, text: await merged.metrics() };
  }
}

/**
 * The same response, whose body is checked for Slack's `ok: false` when the client reads it (as text;
 * only a body that says `"ok": false` somewhere is parsed a second time).
 */
function checkingOk(response: FetchResponse, failed: () => void): FetchResponse {
  return {
    ok: response.ok,
    status: response.status,
    statusText: response.statusText,
    url: response.url,
    headers: response.headers,
    arrayBuffer: () => response.arrayBuffer(),
    json: async () => {
      const body = await response.json();
      if (isNotOk(body)) failed();
      return body;
    },
    text: async () => {
      const text = await response.text();
      if (/"ok"\s*:\s*false/.test(text)) {
        try {
          if (isNotOk(JSON.parse(text))) failed();
        } catch {
          // Not JSON: the client reports that as an error of its own.
        }
      }
      return text;
    },
  };
}

function isNotOk(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'ok' in body && body.ok === false;
}

/** A Store that times its writes; everything else goes straight through. */
class MeasuredStore implements Store {
  constructor(
    private readonly store: Store,
    private readonly record: (operation: (typeof WRITES)[number], seconds: number, failed: boolean) => void,
  ) {}

  get kind() {
    return this.store.kind;
  }

  get location() {
    return this.store.location;
  }

  get(person: PersonKey): Promise<Readonly<PersonData>> {
    return this.store.get(person);
  }

  sharedAssessments(persons: readonly PersonKey[]): Promise<Map<PersonKey, Readonly<AssessmentRecord>[]>> {
    return this.store.sharedAssessments(persons);
  }

  update<T>(person: PersonKey, change: (data: PersonData) => T, options?: UpdateOptions): Promise<T> {
    return this.timed('update', () => this.store.update(person, change, options));
  }

  updateTeamViews<T>(scope: TeamViewScope, change: (kept: KeptTeamView[]) => T): Promise<T> {
    return this.timed('team_view', () => this.store.updateTeamViews(scope, change));
  }

  forget(person: PersonKey): Promise<number> {
    return this.timed('forget', () => this.store.forget(person));
  }

  orgData(org: string): Promise<Readonly<OrgData>> {
    return this.store.orgData(org);
  }

  orgRevision(org: string): Promise<number> {
    return this.store.orgRevision(org);
  }

  finishedPerMonth(org: string): Promise<MonthlyCount[]> {
    return this.store.finishedPerMonth(org);
  }

  updateOrgData<T>(org: string, change: (data: OrgData) => T, options?: UpdateOptions): Promise<T> {
    return this.timed('org_data', () => this.store.updateOrgData(org, change, options));
  }

  size(): Promise<number> {
    return this.store.size();
  }

  health(): Promise<StoreHealth> {
    return this.store.health();
  }

  close(): Promise<void> {
    return this.store.close();
  }

  saveInstallation(record: InstallationRecord): Promise<void> {
    return this.timed('install', () => this.store.saveInstallation(record));
  }

  replaceInstallation(expected: InstallationRecord, next: InstallationRecord): Promise<boolean> {
    return this.timed('install', () => this.store.replaceInstallation(expected, next));
  }

  installation(id: string): Promise<InstallationRecord | undefined> {
    return this.store.installation(id);
  }

  installations(): Promise<InstallationRecord[]> {
    return this.store.installations();
  }

  uninstall(target: UninstallTarget): Promise<UninstallResult> {
    return this.timed('uninstall', () => this.store.uninstall(target));
  }

  claimDueReminders(now: Date, limit: number, leaseMs: number): Promise<ClaimedReminder[]> {
    return this.store.claimDueReminders(now, limit, leaseMs);
  }

  private async timed<T>(operation: (typeof WRITES)[number], write: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let failed = false;
    try {
      return await write();
    } catch (error) {
      // A change that threw on purpose (the person's run was already finished, say) is not a failure
      // of the store; one that was not saved is.
      failed = error instanceof NotSavedError;
      throw error;
    } finally {
      this.record(operation, (performance.now() - started) / 1000, failed);
    }
  }
}
