import type { PersonKey } from '../model/person.js';
import type { ClaimedReminder, PersonData, ReminderSetting } from '../model/records.js';
import { completeReminder, dropClaimedReminder, releaseReminder } from '../model/reminders.js';
import type { Store, StoreLogger } from '../store/store.js';

/**
 * Sends check-in reminders when they are due, from any number of app instances sharing one store.
 *
 * Each run claims what is due in batches (`Store.claimDueReminders`: a claim is a lease, durable, and
 * two instances never hold the same one), sends each through `send`, and then, only while its claim
 * still holds, completes it (next one due), releases it (due again later) or drops it (gone). An
 * instance that dies mid-send leaves claims that run out after `leaseMs`: someone else sends them.
 * So a reminder goes at least once, and twice only if an instance dies between Slack accepting the
 * message and the store recording it.
 */

export type Clock = { now(): Date; sleep(ms: number): Promise<void> };

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * A clock for tests: time moves only when told. `sleep(ms)` resolves at once, having moved the clock
 * to (at least) the time it was called plus `ms`: two sleeps started together, as concurrent sends
 * to two workspaces do, end at the same time rather than one after the other.
 */
export class ManualClock implements Clock {
  private t: number;

  constructor(start: Date) {
    this.t = start.getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  async sleep(ms: number): Promise<void> {
    const until = this.t + Math.max(0, ms);
    // Let whatever else runs at this moment start its own sleep from the same time first.
    await Promise.resolve();
    if (until > this.t) this.t = until;
  }

  advance(ms: number): void {
    this.t += ms;
  }

  set(d: Date): void {
    this.t = d.getTime();
  }
}

/**
 * What became of one send. `sent`: Slack took it (with the person's time zone, when Slack gave it);
 * `retry`: not now (429, Slack down), try again at `at`; `gone`: the person or the install can no
 * longer be reached, so the reminder is stopped.
 */
export type SendOutcome =
  | { kind: 'sent'; timeZone?: string }
  /** `rateLimited`: Slack asked this workspace to wait until `at` (a 429): its other sends wait too. */
  | { kind: 'retry'; at: Date; rateLimited?: boolean }
  | { kind: 'gone' };

/** Sends one claimed reminder; `data` is the person's data as it was claimed (their ratings, their plan). */
export type ReminderSender = (
  person: PersonKey,
  reminder: ReminderSetting,
  data: Readonly<PersonData>,
) => Promise<SendOutcome>;

export type ReminderSchedulerOptions = {
  store: Store;
  send: ReminderSender;
  logger: StoreLogger;
  clock?: Clock;
  /** How many reminders one claim takes at most (50). */
  batchSize?: number;
  /** How long a claim holds (10 minutes): longer than sending one batch takes. */
  leaseMs?: number;
  /**
   * Sends to one workspace are at least this far apart (none unless given): Slack's limit on
   * chat.postMessage is per conversation, and a wave sends one message to each; the workspace's
   * other limits answer 429, which pauses that workspace's sends for the Retry-After.
   */
  perWorkspaceGapMs?: number;
  /** How many of one workspace's reminders are sent at once when no gap paces them (LANE_CONCURRENCY unless given). */
  perWorkspaceConcurrency?: number;
};

export type RunResult = { sent: number; retried: number; stopped: number };

/** A sender that throws counts as "retry in 5 minutes". */
const THROWN_RETRY_MS = 5 * 60_000;
/**
 * A 429 asking to wait this long or less is waited out in the run: the workspace's sends pause, and
 * the reminder is tried again after them (at most IN_RUN_TRIES times). A longer wait gives it back,
 * due at its Retry-After, for a later run.
 */
const IN_RUN_PAUSE_MS = 10_000;
const IN_RUN_TRIES = 3;

/**
 * How many reminders of one workspace are sent at once when no gap paces them: each goes to its own
 * conversation, so Slack's per-conversation limit is not what binds; a few at a time keep the
 * instance's share of a wave moving while one send waits on Slack.
 */
const LANE_CONCURRENCY = 8;
/**
 * A claim this close to running out (30 s, or a quarter of a shorter lease) is not sent on: another
 * instance may take it over any moment.
 */
const LEASE_MARGIN_MS = 30_000;
/**
 * While claims keep failing for the same reason (a data file that is full, a database that is down),
 * the log says so when it starts, then at most this often, and once more when claims work again: a
 * run every minute would otherwise repeat the same warning 1,440 times a day.
 */
const CLAIM_FAILURE_REPEAT_MS = 60 * 60_000;

export class ReminderScheduler {
  private readonly store: Store;
  private readonly send: ReminderSender;
  private readonly logger: StoreLogger;
  private readonly clock: Clock;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly gapMs: number;
  private readonly marginMs: number;
  /** When each workspace was last sent to (ms on the clock), across runs. */
  private readonly lastSend = new Map<string, number>();
  /** Until when Slack asked each workspace to wait (a 429's Retry-After; ms on the clock), across runs. */
  private readonly pausedUntil = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RunResult> | undefined;
  private started = false;
  /** Set while stop() waits: the run in progress sends nothing more and gives back what it claimed. */
  private stopping = false;
  private readonly concurrency: number;
  /** Since when claims have failed, and why (the error's name), while they do. */
  private claimFailing: { reason: string; since: Date; runs: number; loggedAt: number } | undefined;

  constructor(options: ReminderSchedulerOptions) {
    this.store = options.store;
    this.send = options.send;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.batchSize = Math.max(1, options.batchSize ?? 50);
    this.leaseMs = Math.max(1, options.leaseMs ?? 10 * 60_000);
    this.gapMs = Math.max(0, options.perWorkspaceGapMs ?? 0);
    this.concurrency = Math.max(1, options.perWorkspaceConcurrency ?? LANE_CONCURRENCY);
    this.marginMs = Math.min(LEASE_MARGIN_MS, this.leaseMs / 4);
  }

  /**
   * Claims what is due now (in batches) and sends each, paced: sends to one workspace at least
   * perWorkspaceGapMs apart, and none while Slack asked that workspace to wait (a 429), via
   * clock.sleep; workspaces are sent to side by side, so one workspace's wait never delays another's. A sender that throws counts as retry in 5 minutes; one
   * failure never stops the others. Concurrent calls share one run.
   */
  runOnce(): Promise<RunResult> {
    if (this.running) return this.running;
    const run = this.run().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  /**
   * Runs runOnce every `everyMs` (default 60 s) with an unref'd timer, the first time `firstAfterMs`
   * after the start (`everyMs` unless given); overlapping runs never happen.
   */
  start(everyMs = 60_000, firstAfterMs = everyMs): void {
    if (this.started) return;
    this.started = true;
    const tick = (): void => {
      this.timer = undefined;
      void this.runOnce()
        .catch((error: unknown) => this.logger.error('Reminders: a run failed:', error))
        .finally(() => {
          if (!this.started) return;
          this.timer = setTimeout(tick, everyMs);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, firstAfterMs);
    this.timer.unref();
  }

  /**
   * Stops the timer and waits for a run in progress: it finishes the sends under way and gives back
   * the reminders it claimed but has not sent yet (due again at once, for the next instance or start),
   * so shutting down never waits for a long paced run.
   */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.stopping = true;
    try {
      await this.running?.catch(() => undefined);
    } finally {
      this.stopping = false;
    }
  }

  private async run(): Promise<RunResult> {
    const result: RunResult = { sent: 0, retried: 0, stopped: 0 };
    const seen = new Set<PersonKey>();
    while (!this.stopping) {
      let claimed: ClaimedReminder[];
      try {
        claimed = await this.store.claimDueReminders(this.clock.now(), this.batchSize, this.leaseMs);
      } catch (error) {
        this.claimFailed(error);
        break;
      }
      this.claimWorked();
      if (claimed.length === 0) break;
      // A reminder due again within this run (a retry time already past) waits for the next run.
      const fresh: ClaimedReminder[] = [];
      for (const item of claimed) {
        if (seen.has(item.person)) await this.putBack(item);
        else {
          seen.add(item.person);
          fresh.push(item);
        }
      }
      const lanes = new Map<string, ClaimedReminder[]>();
      for (const item of fresh) {
        const key = workspaceOf(item);
        const lane = lanes.get(key);
        if (lane) lane.push(item);
        else lanes.set(key, [item]);
      }
      await Promise.all([...lanes].map(([workspace, items]) => this.sendLane(workspace, items, result)));
      if (claimed.length < this.batchSize || fresh.length === 0) break;
    }
    if (result.sent + result.retried + result.stopped > 0) {
      this.logger.info(
        `Reminders: ${result.sent} sent, ${result.retried} to retry, ${result.stopped} stopped (no longer reachable).`,
      );
    }
    return result;
  }

  /**
   * A claim failed: no reminder is sent until one works (sending without a claim could send twice).
   * Logged when it starts, or when the reason changes; then hourly while it lasts.
   */
  private claimFailed(error: unknown): void {
    const reason = error instanceof Error ? error.name : typeof error;
    const now = this.clock.now();
    const failing = this.claimFailing;
    if (failing === undefined || failing.reason !== reason) {
      this.claimFailing = { reason, since: now, runs: 1, loggedAt: now.getTime() };
      this.logger.warn(
        'Reminders: could not claim due reminders, so none is sent until a claim works; each run tries again (this is logged again hourly while it lasts):',
        error,
      );
      return;
    }
    failing.runs++;
    if (now.getTime() - failing.loggedAt < CLAIM_FAILURE_REPEAT_MS) return;
    failing.loggedAt = now.getTime();
    this.logger.warn(
      `Reminders: still could not claim due reminders (${failing.runs} runs since ${failing.since.toISOString()}); no reminder is sent meanwhile:`,
      error,
    );
  }

  /** A claim worked: if claims had been failing, the log says they work again. */
  private claimWorked(): void {
    const failing = this.claimFailing;
    if (failing === undefined) return;
    this.claimFailing = undefined;
    this.logger.info(
      `Reminders: claims work again, after ${failing.runs} failed run(s) since ${failing.since.toISOString()}; due reminders go out now.`,
    );
  }

  /**
   * Sends one workspace's reminders (one after the other, at least the gap apart, when there is a
   * gap; else perWorkspaceConcurrency at a time), never while Slack asked the workspace to wait. A reminder refused with a short 429 is tried again after the
   * pause, on the same claim, so it is neither lost nor sent twice.
   */
  private async sendLane(workspace: string, items: ClaimedReminder[], result: RunResult): Promise<void> {
    const queue = items.map((item) => ({ item, tries: 0 }));
    // Paced by a gap: one send at a time. Otherwise several at once, since each reminder goes to a
    // conversation of its own (Slack limits chat.postMessage per conversation); a 429 still pauses
    // every one of them, as each looks at the workspace's pause before it sends.
    const workers = this.gapMs > 0 ? 1 : Math.min(this.concurrency, queue.length);
    await Promise.all(Array.from({ length: workers }, () => this.drainLane(workspace, queue, result)));
  }

  /** One of a lane's senders: takes the next reminder of the lane's queue until it is empty. */
  private async drainLane(
    workspace: string,
    queue: { item: ClaimedReminder; tries: number }[],
    result: RunResult,
  ): Promise<void> {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const { item } = next;
      const claim = item.reminder.claim;
      if (claim === undefined) continue;
      if (this.stopping) {
        await this.putBack(item);
        continue;
      }
      const last = this.lastSend.get(workspace);
      const readyAt = Math.max(
        last === undefined ? 0 : last + this.gapMs,
        this.pausedUntil.get(workspace) ?? 0,
      );
      const wait = readyAt - this.clock.now().getTime();
      if (wait > 0) await this.clock.sleep(wait);
      if (this.stopping) {
        await this.putBack(item);
        continue;
      }
      if (this.clock.now().getTime() > Date.parse(claim.until) - this.marginMs) {
        // Too late to send on this claim: it runs out soon and becomes due again by itself.
        this.logger.warn(
          `Reminders: the claim on ${item.person}'s reminder ran out before it was sent; left for later.`,
        );
        continue;
      }
      this.lastSend.set(workspace, this.clock.now().getTime());
      const outcome = await this.attempt(item);
      if (outcome.kind === 'retry' && outcome.rateLimited === true && outcome.at instanceof Date) {
        const until = outcome.at.getTime();
        if (until > (this.pausedUntil.get(workspace) ?? 0)) this.pausedUntil.set(workspace, until);
        next.tries++;
        if (until - this.clock.now().getTime() <= IN_RUN_PAUSE_MS && next.tries < IN_RUN_TRIES) {
          queue.unshift(next);
          continue;
        }
      }
      await this.record(item, claim.id, outcome, result);
    }
  }

  /** One send; a sender that throws counts as "retry in 5 minutes". */
  private async attempt(item: ClaimedReminder): Promise<SendOutcome> {
    try {
      return await this.send(item.person, item.reminder, item.data);
    } catch (error) {
      this.logger.warn(`Reminders: sending ${item.person}'s reminder failed; retrying in 5 minutes:`, error);
      return { kind: 'retry', at: new Date(this.clock.now().getTime() + THROWN_RETRY_MS) };
    }
  }

  /** Records what became of a send, only while its claim still holds. */
  private async record(
    item: ClaimedReminder,
    claimId: string,
    outcome: SendOutcome,
    result: RunResult,
  ): Promise<void> {
    try {
      switch (outcome.kind) {
        case 'sent': {
          const sentAt = this.clock.now();
          const done = await this.store.update(item.person, (data) =>
            completeReminder(data, claimId, sentAt, outcome.timeZone),
          );
          if (done) result.sent++;
          else
            this.logger.warn(
              `Reminders: ${item.person}'s reminder was sent, but changed meanwhile (claim lost).`,
            );
          break;
        }
        case 'retry': {
          // A retry time that is no time at all counts as one of a sender that threw.
          const valid = outcome.at instanceof Date && !Number.isNaN(outcome.at.getTime());
          const at = valid ? outcome.at : new Date(this.clock.now().getTime() + THROWN_RETRY_MS);
          await this.store.update(item.person, (data) => releaseReminder(data, claimId, at));
          result.retried++;
          break;
        }
        case 'gone': {
          await this.store.update(item.person, (data) => dropClaimedReminder(data, claimId));
          result.stopped++;
          break;
        }
      }
    } catch (error) {
      // The claim stays until it runs out; then the reminder is due again (a 'sent' one may go twice).
      this.logger.error(
        `Reminders: could not record the outcome (${outcome.kind}) of ${item.person}'s reminder:`,
        error,
      );
    }
  }

  /** Gives a claim back without sending: due again when it was due. */
  private async putBack(item: ClaimedReminder): Promise<void> {
    const claimId = item.reminder.claim?.id;
    if (claimId === undefined) return;
    const at = new Date(item.reminder.dueAt);
    try {
      await this.store.update(item.person, (data) => releaseReminder(data, claimId, at));
    } catch (error) {
      this.logger.warn(`Reminders: could not give back the claim on ${item.person}'s reminder:`, error);
    }
  }
}

/** Which workspace (or org install) a reminder goes through, for pacing. */
function workspaceOf(item: ClaimedReminder): string {
  return item.reminder.teamId || item.person.split(':')[0] || item.person;
}
