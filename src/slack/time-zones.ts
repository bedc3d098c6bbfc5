import type { Logger } from '@slack/bolt';
import { isKnownTimeZone } from '../model/reminders.js';
import type { Clock } from '../reminders/scheduler.js';
import { rateLimitedFor } from './failures.js';

/**
 * People's time zones, learnt a workspace at a time: `users.list` pages (Tier 2, 200 people a page)
 * instead of a `users.info` per person (Tier 4, 100 a minute: a 5,000-person workspace would take 50
 * minutes of them). A workspace's list is read when a zone of it is first wanted, and again when the
 * last complete reading is older than `refreshMs` (a day). Its first PAGES_AT_ONCE pages are read
 * one after the other, and whoever wants a zone of that workspace waits for them; the rest are read
 * in the background, PAGE_GAP_MS apart, so that the reading stays within the method's tier even when
 * another copy of the app reads the same workspace, and those waiting go on with what is known so
 * far (the zone kept with each reminder, for anyone not read yet). If Slack still asks it to wait
 * (429), the reading goes on after Retry-After and a random part of one gap, so that two copies told
 * to wait the same time do not ask again together.
 */

/** Pages read before those who want a zone go on: half of users.list's burst (Tier 2), 2,000 people. */
const PAGES_AT_ONCE = 10;

/** Between later pages: twice Tier 2's 3 s, leaving the other half for another copy of the app. */
const PAGE_GAP_MS = 6_000;

/** What is known of one person: their zone; that their account is deleted; or nothing yet. */
export type KnownZone =
  | { kind: 'zone'; timeZone: string }
  | { kind: 'deleted' }
  /** The workspace's list was read whole and they are not in it (they joined since): ask for them alone. */
  | { kind: 'unlisted' }
  /**
   * The list is not read yet (Slack asked to wait), or Slack refused it (then it would refuse
   * users.info too, which needs the same scope): go on with the zone kept.
   */
  | { kind: 'unknown' };

/** One page of a workspace's people, as users.list gives it. */
type PeoplePage = {
  members: { id?: string; tz?: string; deleted?: boolean }[];
  nextCursor: string;
};

/** Reads one page (the first with cursor ''): users.list, with the workspace's token. */
export type ReadPage = (cursor: string) => Promise<PeoplePage>;

type Workspace = {
  /** user id → zone, or null for a deleted account. */
  zones: Map<string, string | null>;
  /** When the last complete reading ended (clock ms). */
  readAt: number | undefined;
  /** The reading under way, and a promise that settles when it ends or first has to wait. */
  reading: { waitable: Promise<void> } | undefined;
  /** After a reading failed, none before this (clock ms). */
  notBefore: number;
};

/** How long after a failed reading (not a 429) a workspace's list is asked for again. */
const RETRY_FAILED_MS = 15 * 60_000;

export class WorkspaceZones {
  private readonly workspaces = new Map<string, Workspace>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Pick<Logger, 'warn'>,
    /** How old a complete reading may be before the next zone wanted reads the list again (a day). */
    private readonly refreshMs = 24 * 60 * 60_000,
    /** A number in [0, 1), for the random part of a wait after a 429. */
    private readonly random: () => number = Math.random,
  ) {}

  /** The zone of `userId` in `workspace` (a key of the caller's: one per installation and team). */
  async zoneOf(workspace: string, userId: string, readPage: ReadPage): Promise<KnownZone> {
    const w = this.workspace(workspace);
    const now = this.clock.now().getTime();
    const stale = w.readAt === undefined || now - w.readAt >= this.refreshMs;
    if (stale && w.reading === undefined && now >= w.notBefore) this.read(workspace, w, readPage);
    if (w.reading !== undefined) await w.reading.waitable;
    const zone = w.zones.get(userId);
    if (zone === null) return { kind: 'deleted' };
    if (zone !== undefined) return { kind: 'zone', timeZone: zone };
    return w.readAt !== undefined ? { kind: 'unlisted' } : { kind: 'unknown' };
  }

  /** What Slack said of one person some other way (users.info), kept until the next reading. */
  remember(workspace: string, userId: string, timeZone: string | null): void {
    this.workspace(workspace).zones.set(userId, timeZone);
  }

  private workspace(key: string): Workspace {
    let w = this.workspaces.get(key);
    if (w === undefined) {
      w = { zones: new Map(), readAt: undefined, reading: undefined, notBefore: 0 };
      this.workspaces.set(key, w);
    }
    return w;
  }

  /** Reads the whole list, page by page, in the background; a 429 pauses it for its Retry-After. */
  private read(key: string, w: Workspace, readPage: ReadPage): void {
    let settle: () => void = () => {};
    const waitable = new Promise<void>((resolve) => {
      settle = resolve;
    });
    w.reading = { waitable };
    void (async () => {
      let cursor = '';
      let pages = 0;
      try {
        for (;;) {
          if (pages >= PAGES_AT_ONCE) {
            // Those waiting go on with what is known; the rest is read at the pace of the tier.
            settle();
            await this.clock.sleep(PAGE_GAP_MS);
          }
          let page: PeoplePage;
          try {
            page = await readPage(cursor);
          } catch (error) {
            const wait = rateLimitedFor(error);
            if (wait === undefined) throw error;
            // Those waiting go on with what is known; the reading goes on after Retry-After.
            settle();
            await this.clock.sleep(Math.max(1, wait) * 1000 + Math.floor(this.random() * PAGE_GAP_MS));
            continue;
          }
          pages++;
          for (const member of page.members) {
            if (typeof member.id !== 'string') continue;
            if (member.deleted === true) w.zones.set(member.id, null);
            else if (typeof member.tz === 'string' && isKnownTimeZone(member.tz))
              w.zones.set(member.id, member.tz);
          }
          if (page.nextCursor === '') break;
          cursor = page.nextCursor;
        }
        w.readAt = this.clock.now().getTime();
      } catch (error) {
        w.notBefore = this.clock.now().getTime() + RETRY_FAILED_MS;
        this.logger.warn(
          `Reminders: could not read the people of ${key} (users.list); using the zones kept until it can`,
          error,
        );
      } finally {
        w.reading = undefined;
        settle();
      }
    })();
  }
}
