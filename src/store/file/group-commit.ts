import { NotSavedError, type StoreLogger } from '../store.js';
import type { FileContents } from './contents.js';
import type { DurableJsonFile } from './durable-file.js';
import type { FolderLock } from './lock.js';

/**
 * Group commit: changes land in memory at once (FileContents); one write encodes the file for all
 * the changes waiting, and each caller hears back only when a write that includes its change is
 * durable. A failed write is undone: everyone whose change was in it goes back to what the file
 * holds, so memory equals the file once writes settle, and no later write carries a refused change.
 */

/**
 * A caller waiting for its change to be durable, and whose change it was (a person key,
 * INSTALLATIONS, TEAM_VIEWS or ORG_DATA).
 */
type Waiter = { key: string; resolve: () => void; reject: (error: unknown) => void };

export class GroupCommit {
  /** Changes in memory that no write has started on yet. */
  private waiting: Waiter[] = [];
  private flushScheduled = false;
  private flushing: Promise<void> | null = null;
  private flushes = 0;
  private closing = false;

  constructor(
    private readonly contents: FileContents,
    private readonly file: DurableJsonFile,
    private readonly lock: FolderLock,
    private readonly logger: StoreLogger,
  ) {}

  /** How many writes of the file have completed. */
  get count(): number {
    return this.flushes;
  }

  /** Resolves once a write that starts after this call has made the file durable (`key`: whose change). */
  afterNextFlush(key: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ key, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Writes what is waiting, and takes no more writes of its own accord; rejects if that write failed. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.flushing) await this.flushing;
    if (this.waiting.length > 0) {
      const failed = await this.flush();
      if (failed !== undefined) throw failed;
    }
  }

  private scheduleFlush(): void {
    // A running flush schedules the next one when it ends, so flushes never overlap.
    if (this.flushScheduled || this.flushing) return;
    this.flushScheduled = true;
    // setImmediate, not a microtask: every change made in this turn of the event loop shares one write.
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.flushing && this.waiting.length > 0) void this.flush();
    });
  }

  /** One write for every change waiting; resolves with the error if it failed (never rejects). */
  private flush(): Promise<unknown> {
    const batch = this.waiting;
    this.waiting = [];
    const snapshot = this.contents.beforeWrite();
    let failure: unknown;
    // The file is encoded here, before the first await, so changes made from here on go in the next write.
    const running = this.write().then(
      () => {
        this.flushes++;
        this.contents.written(snapshot);
        for (const waiter of batch) waiter.resolve();
      },
      (error: unknown) => {
        failure = error;
        this.undo(this.contents.undo(snapshot), batch, error);
      },
    );
    this.flushing = running.finally(() => {
      this.flushing = null;
      if (this.waiting.length > 0 && !this.closing) this.scheduleFlush();
    });
    return this.flushing.then(() => failure);
  }

  private async write(): Promise<void> {
    // A lost lock may mean another process owns the folder now: write nothing over its file.
    const lost = this.lock.lost;
    if (lost) throw lost;
    // Checked against the file's limit there, before anything is written (a DataFileFullError is undone
    // like any failed write).
    await this.file.write(this.contents.serialize());
  }

  /**
   * After a failed write, undone in memory: every change of those it took (`undone`) is refused —
   * those in the write, and those queued since, which were made on top of the state that failed.
   * Other people's queued changes go in the next write.
   */
  private undo(undone: ReadonlySet<string>, batch: Waiter[], error: unknown): void {
    const location = this.file.file;
    const notSaved =
      error instanceof NotSavedError
        ? error
        : new NotSavedError(`Could not save to ${location}. Nothing was saved.`, { cause: error });
    const later = this.waiting.filter((waiter) => undone.has(waiter.key));
    this.waiting = this.waiting.filter((waiter) => !undone.has(waiter.key));
    this.logger.error(
      `Could not save ${batch.length} change(s) of ${undone.size} person(s) to ${location}; ` +
        `they were undone, with ${later.length} later change(s) of the same people (memory equals the file again):`,
      error,
    );
    for (const waiter of batch) waiter.reject(notSaved);
    const builtOnFailed = new NotSavedError(
      `Not applied: an earlier change of the same person could not be saved to ${location}. Nothing was saved.`,
      { cause: notSaved },
    );
    for (const waiter of later) waiter.reject(builtOnFailed);
  }
}
