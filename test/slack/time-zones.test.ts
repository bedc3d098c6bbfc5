import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/reminders/scheduler.js';
import { WorkspaceZones } from '../../src/slack/time-zones.js';

/**
 * People's time zones learnt a workspace at a time (users.list pages): those who want a zone wait
 * for the first pages only; the rest is read at the pace of the method's tier, so a large workspace
 * read by two copies of the app does not run into Slack's 429s; a 429 is waited out.
 */

const START = new Date('2027-01-04T09:00:00.000Z');
const silent = { warn: () => {} };

/** A workspace of `pages` pages of 200 people each (`U<page>_<n>`, all in Europe/Paris); when each page was asked for. */
function workspace(
  clock: ManualClock,
  pages: number,
  refuse: (call: number) => number | undefined = () => undefined,
) {
  const asked: number[] = [];
  const readPage = async (cursor: string) => {
    const call = asked.length;
    asked.push(clock.now().getTime() - START.getTime());
    const wait = refuse(call);
    if (wait !== undefined) {
      throw Object.assign(new Error('rate limited'), {
        code: webApi.ErrorCode.RateLimitedError,
        retryAfter: wait,
      });
    }
    const page = cursor === '' ? 0 : Number(cursor);
    return {
      members: Array.from({ length: 200 }, (_, n) => ({ id: `U${page}_${n}`, tz: 'Europe/Paris' })),
      nextCursor: page + 1 < pages ? String(page + 1) : '',
    };
  };
  return { asked, readPage };
}

describe('WorkspaceZones', () => {
  it('a small workspace is read whole before the zone is given', async () => {
    const clock = new ManualClock(START);
    const zones = new WorkspaceZones(clock, silent);
    const { asked, readPage } = workspace(clock, 3);
    expect(await zones.zoneOf('T1', 'U2_7', readPage)).toEqual({ kind: 'zone', timeZone: 'Europe/Paris' });
    expect(asked).toEqual([0, 0, 0]);
    // Someone not in a complete list is asked for alone; the list is not read again within a day.
    expect(await zones.zoneOf('T1', 'U9_9', readPage)).toEqual({ kind: 'unlisted' });
    expect(asked).toHaveLength(3);
  });

  it('a large one: the first 10 pages at once, then one page every 6 s in the background; nobody waits for those', async () => {
    const clock = new ManualClock(START);
    const zones = new WorkspaceZones(clock, silent);
    const { asked, readPage } = workspace(clock, 25);
    // Someone on the first pages is known; someone further on is not yet, and the caller goes on.
    expect(await zones.zoneOf('T1', 'U3_1', readPage)).toEqual({ kind: 'zone', timeZone: 'Europe/Paris' });
    expect(await zones.zoneOf('T1', 'U24_1', readPage)).toEqual({ kind: 'unknown' });
    // The reading goes on by itself: wait for it to end (the manual clock moves as it sleeps).
    for (let i = 0; i < 200 && asked.length < 25; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(asked.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(asked.slice(10)).toEqual(Array.from({ length: 15 }, (_, i) => (i + 1) * 6_000));
    expect(await zones.zoneOf('T1', 'U24_1', readPage)).toEqual({ kind: 'zone', timeZone: 'Europe/Paris' });
  });

  it('a 429 is waited out: the page is asked for again after Retry-After and a random part of one gap', async () => {
    const clock = new ManualClock(START);
    const zones = new WorkspaceZones(clock, silent, undefined, () => 0.5);
    const { asked, readPage } = workspace(clock, 2, (call) => (call === 1 ? 3 : undefined));
    // The first page came, the second was refused: the caller goes on with what is known.
    expect(await zones.zoneOf('T1', 'U0_0', readPage)).toEqual({ kind: 'zone', timeZone: 'Europe/Paris' });
    for (let i = 0; i < 200 && asked.length < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual([0, 0, 3_000 + 3_000]);
    expect(await zones.zoneOf('T1', 'U1_5', readPage)).toEqual({ kind: 'zone', timeZone: 'Europe/Paris' });
  });
});
