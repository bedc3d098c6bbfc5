import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PersonKey } from '../../src/model/person.js';
import type { ReminderSetting } from '../../src/model/records.js';
import { type ReminderInput, setReminder } from '../../src/model/reminders.js';
import {
  ManualClock,
  ReminderScheduler,
  type ReminderSender,
  type SendOutcome,
  systemClock,
} from '../../src/reminders/scheduler.js';
import { openFileStore } from '../../src/store/file/open.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Store, StoreLogger } from '../../src/store/store.js';
import { makeTempDir } from '../store/helpers.js';

const silent: StoreLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** Set on Friday 20 February 2026, monthly in London: due Friday 20 March, 10:00 GMT = 10:00Z. */
const SET_AT = new Date('2026-02-20T12:00:00Z');
const DUE = new Date('2026-03-20T10:00:00Z');

const input = (person: PersonKey, timeZone = 'Europe/London'): ReminderInput => {
  const [teamId = 'T1', userId = 'U1'] = person.split(':');
  return { cadence: 'monthly', frameworkId: 'fw', levelId: 'senior', userId, teamId, timeZone };
};

async function remind(store: Store, people: PersonKey[], at = SET_AT): Promise<void> {
  await Promise.all(people.map((p) => store.update(p, (d) => setReminder(d, input(p), at))));
}

type Sent = { person: PersonKey; at: number; reminder: ReminderSetting };

/** A sender that records what it was asked to send and when (on `clock`), and answers `outcome`. */
function recorder(
  clock: ManualClock,
  outcome: (person: PersonKey) => SendOutcome | Promise<SendOutcome> = () => ({ kind: 'sent' }),
) {
  const sent: Sent[] = [];
  const send: ReminderSender = async (person, reminder) => {
    sent.push({ person, at: clock.now().getTime(), reminder });
    return outcome(person);
  };
  return { sent, send };
}

describe('ManualClock', () => {
  it('moves only when told; a sleep moves it at once; sleeps started together end together', async () => {
    const clock = new ManualClock(new Date(0));
    expect(clock.now().getTime()).toBe(0);
    await clock.sleep(100);
    expect(clock.now().getTime()).toBe(100);
    clock.advance(50);
    expect(clock.now().getTime()).toBe(150);
    await Promise.all([clock.sleep(1000), clock.sleep(1000)]);
    expect(clock.now().getTime()).toBe(1150);
    clock.set(new Date(5));
    expect(clock.now().getTime()).toBe(5);
  });

  it('systemClock tells the time of the system, and a sleep ends when its timer fires, not before', async () => {
    // The system's clock and timers, faked: what is checked is which timer a sleep waits for, not how long a real one takes.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: DUE });
    try {
      expect(systemClock.now()).toEqual(DUE);
      let woke = false;
      const sleeping = systemClock.sleep(1100).then(() => {
        woke = true;
      });
      await vi.advanceTimersByTimeAsync(1099);
      expect(woke).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await sleeping;
      expect(woke).toBe(true);
      expect(systemClock.now().getTime()).toBe(DUE.getTime() + 1100);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('ReminderScheduler', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    vi.useRealTimers();
  });

  it('sends exactly what is due, nothing early, and nothing again once sent', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1', 'T1:U2', 'T2:U3']);
    await store.update('T1:U4', (d) => setReminder(d, input('T1:U4'), new Date('2026-02-23T12:00:00Z')));
    const clock = new ManualClock(new Date(DUE.getTime() - 1));
    const { sent, send } = recorder(clock);
    const scheduler = new ReminderScheduler({ store, send, logger: silent, clock, perWorkspaceGapMs: 0 });

    expect(await scheduler.runOnce()).toEqual({ sent: 0, retried: 0, stopped: 0 });
    expect(sent).toEqual([]);
    clock.set(DUE);
    expect(await scheduler.runOnce()).toEqual({ sent: 3, retried: 0, stopped: 0 });
    expect(sent.map((s) => s.person).sort()).toEqual(['T1:U1', 'T1:U2', 'T2:U3']);
    // The sender sees the reminder with the claim it is sent under.
    expect(sent[0]?.reminder.claim?.id).toBeDefined();
    expect(await scheduler.runOnce()).toEqual({ sent: 0, retried: 0, stopped: 0 });

    const done = (await store.get('T1:U1')).reminder;
    expect(done?.lastSentAt).toBe(DUE.toISOString());
    expect(done?.claim).toBeUndefined();
    expect(done?.dueAt).toBe('2026-04-20T09:00:00.000Z'); // Monday 20 April, 10:00 BST

    // U4 (set on the 23rd) is due Monday 23 March; the others next in April.
    clock.set(new Date('2026-03-23T10:00:00Z'));
    expect(await scheduler.runOnce()).toMatchObject({ sent: 1 });
    expect(sent.at(-1)?.person).toBe('T1:U4');
    clock.set(new Date('2026-04-20T09:00:00Z'));
    expect(await scheduler.runOnce()).toMatchObject({ sent: 3 });
    expect(sent).toHaveLength(7);
  });

  it('claims in batches until nothing due is left', async () => {
    const store = new MemoryStore();
    const people = Array.from({ length: 23 }, (_, i) => `T${i % 3}:U${i}`);
    await remind(store, people);
    const clock = new ManualClock(DUE);
    const { sent, send } = recorder(clock);
    const claim = vi.spyOn(store, 'claimDueReminders');
    const scheduler = new ReminderScheduler({ store, send, logger: silent, clock, batchSize: 5 });
    expect(await scheduler.runOnce()).toEqual({ sent: 23, retried: 0, stopped: 0 });
    expect(new Set(sent.map((s) => s.person)).size).toBe(23);
    expect(claim.mock.calls.length).toBeGreaterThanOrEqual(5);
    expect(claim.mock.calls.every(([, limit]) => limit === 5)).toBe(true);
  });

  it('the time zone Slack gives at send time sets the next due time', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1']);
    const clock = new ManualClock(DUE);
    const { send } = recorder(clock, () => ({ kind: 'sent', timeZone: 'Asia/Kolkata' }));
    await new ReminderScheduler({ store, send, logger: silent, clock }).runOnce();
    expect((await store.get('T1:U1')).reminder).toMatchObject({
      timeZone: 'Asia/Kolkata',
      dueAt: '2026-04-20T04:30:00.000Z',
    });
  });

  it('retry: due again at the time the sender gave, not before', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1']);
    const clock = new ManualClock(DUE);
    let busy = true;
    const { sent, send } = recorder(clock, () =>
      busy ? { kind: 'retry', at: new Date(DUE.getTime() + 30_000) } : { kind: 'sent' },
    );
    const scheduler = new ReminderScheduler({ store, send, logger: silent, clock });
    expect(await scheduler.runOnce()).toEqual({ sent: 0, retried: 1, stopped: 0 });
    expect((await store.get('T1:U1')).reminder).toMatchObject({ dueAt: '2026-03-20T10:00:30.000Z' });
    expect((await store.get('T1:U1')).reminder?.claim).toBeUndefined();
    clock.set(new Date(DUE.getTime() + 29_999));
    expect(await scheduler.runOnce()).toEqual({ sent: 0, retried: 0, stopped: 0 });
    busy = false;
    clock.set(new Date(DUE.getTime() + 30_000));
    expect(await scheduler.runOnce()).toEqual({ sent: 1, retried: 0, stopped: 0 });
    expect(sent.map((s) => s.at)).toEqual([DUE.getTime(), DUE.getTime() + 30_000]);
  });

  it('a retry time already past waits for the next run, so one run never loops', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1']);
    const clock = new ManualClock(DUE);
    const { sent, send } = recorder(clock, () => ({ kind: 'retry', at: new Date(0) }));
    const scheduler = new ReminderScheduler({ store, send, logger: silent, clock, batchSize: 1 });
    expect(await scheduler.runOnce()).toEqual({ sent: 0, retried: 1, stopped: 0 });
    expect(sent).toHaveLength(1);
    expect((await store.get('T1:U1')).reminder?.claim).toBeUndefined();
    expect(await scheduler.runOnce()).toEqual({ sent: 0, retried: 1, stopped: 0 });
  });

  it('a sender that throws counts as retry in 5 minutes, and the others are still sent', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1', 'T1:U2', 'T2:U3']);
    const clock = new ManualClock(DUE);
    const warn = vi.fn();
    const { sent, send } = recorder(clock, (person) => {
      if (person === 'T1:U1') throw new Error('socket hang up');
      return { kind: 'sent' };
    });
    const scheduler = new ReminderScheduler({ store, send, logger: { ...silent, warn }, clock });
    expect(await scheduler.runOnce()).toEqual({ sent: 2, retried: 1, stopped: 0 });
    expect(warn).toHaveBeenCalled();
    const failedAt = sent.find((s) => s.person === 'T1:U1')?.at ?? 0;
    expect((await store.get('T1:U1')).reminder?.dueAt).toBe(new Date(failedAt + 5 * 60_000).toISOString());
  });

  it('gone: the reminder is stopped', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1', 'T1:U2']);
    const clock = new ManualClock(DUE);
    const { send } = recorder(clock, (person) => (person === 'T1:U1' ? { kind: 'gone' } : { kind: 'sent' }));
    const scheduler = new ReminderScheduler({ store, send, logger: silent, clock });
    expect(await scheduler.runOnce()).toEqual({ sent: 1, retried: 0, stopped: 1 });
    expect((await store.get('T1:U1')).reminder).toBeUndefined();
    clock.set(new Date('2027-01-01T00:00:00Z'));
    expect(await scheduler.runOnce()).toEqual({ sent: 1, retried: 0, stopped: 0 });
  });

  it('a reminder stopped or changed while it was being sent is left as the person made it', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1', 'T1:U2']);
    const clock = new ManualClock(DUE);
    const { send } = recorder(clock, async (person) => {
      // The person acts while the message is on its way.
      if (person === 'T1:U1') await store.update(person, (d) => delete d.reminder);
      else await store.update(person, (d) => setReminder(d, { ...input(person), cadence: 'quarterly' }, DUE));
      return { kind: 'sent' };
    });
    const scheduler = new ReminderScheduler({ store, send, logger: silent, clock });
    expect(await scheduler.runOnce()).toEqual({ sent: 0, retried: 0, stopped: 0 });
    expect((await store.get('T1:U1')).reminder).toBeUndefined();
    expect((await store.get('T1:U2')).reminder).toMatchObject({
      cadence: 'quarterly',
      dueAt: '2026-06-22T09:00:00.000Z',
    });
  });

  it('paces sends to one workspace at least the gap apart; other workspaces are not held up by it', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1', 'T1:U2', 'T1:U3', 'T2:U4', 'T2:U5', 'T3:U6']);
    const clock = new ManualClock(DUE);
    const { sent, send } = recorder(clock);
    const scheduler = new ReminderScheduler({ store, send, logger: silent, clock, perWorkspaceGapMs: 1100 });
    expect(await scheduler.runOnce()).toMatchObject({ sent: 6 });
    const times = (team: string) => sent.filter((s) => s.person.startsWith(`${team}:`)).map((s) => s.at);
    for (const team of ['T1', 'T2']) {
      const t = times(team);
      for (let i = 1; i < t.length; i++) expect((t[i] ?? 0) - (t[i - 1] ?? 0)).toBeGreaterThanOrEqual(1100);
    }
    // Each workspace's first send goes at once, whatever the others are waiting for.
    expect(times('T1')[0]).toBe(DUE.getTime());
    expect(times('T2')[0]).toBe(DUE.getTime());
    expect(times('T3')[0]).toBe(DUE.getTime());
    // Three sends to T1 take two gaps, not five (the sends of all workspaces) in a row.
    expect(clock.now().getTime() - DUE.getTime()).toBe(2200);
  });

  it('keeps the gap across runs too', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1']);
    await store.update('T1:U2', (d) => setReminder(d, input('T1:U2'), SET_AT));
    const clock = new ManualClock(DUE);
    const { sent, send } = recorder(clock);
    const scheduler = new ReminderScheduler({
      store,
      send,
      logger: silent,
      clock,
      batchSize: 1,
      perWorkspaceGapMs: 1100,
    });
    await scheduler.runOnce();
    expect(sent.map((s) => s.at)).toEqual([DUE.getTime(), DUE.getTime() + 1100]);
    await store.update('T1:U3', (d) => setReminder(d, input('T1:U3'), SET_AT));
    await scheduler.runOnce();
    expect(sent[2]?.at).toBe(DUE.getTime() + 2200);
  });

  it('a 429 pauses that workspace for its Retry-After: a short one is waited out and the reminder sent once, a long one gives it back', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1', 'T1:U2', 'T2:U3']);
    const clock = new ManualClock(DUE);
    const refused = new Map<PersonKey, number>([
      ['T1:U1', 3_000],
      ['T3:U4', 60_000],
    ]);
    const { sent, send } = recorder(clock, (person) => {
      const wait = refused.get(person);
      if (wait === undefined) return { kind: 'sent' };
      refused.delete(person);
      return { kind: 'retry', at: new Date(clock.now().getTime() + wait), rateLimited: true };
    });
    // One at a time per workspace, so that the order shows what waits (see the next test for several).
    const scheduler = new ReminderScheduler({
      store,
      send,
      logger: silent,
      clock,
      perWorkspaceConcurrency: 1,
    });
    const at = (person: PersonKey, from: number) =>
      sent.filter((s) => s.person === person).map((s) => s.at - from);

    expect(await scheduler.runOnce()).toEqual({ sent: 3, retried: 0, stopped: 0 });
    // T1: U1 refused for 3 s; nothing else of T1 goes meanwhile; then U1 again (sent once), then U2.
    expect(at('T1:U1', DUE.getTime())).toEqual([0, 3_000]);
    expect(at('T1:U2', DUE.getTime())).toEqual([3_000]);
    // Another workspace does not wait.
    expect(at('T2:U3', DUE.getTime())).toEqual([0]);

    // A minute's wait is not waited out in the run: U4 is due again then; U5 goes after the pause.
    await remind(store, ['T3:U4', 'T3:U5']);
    const second = clock.now().getTime();
    expect(await scheduler.runOnce()).toEqual({ sent: 1, retried: 1, stopped: 0 });
    expect(at('T3:U4', second)).toEqual([0]);
    expect((await store.get('T3:U4')).reminder?.dueAt).toBe(new Date(second + 60_000).toISOString());
    expect(at('T3:U5', second)).toEqual([60_000]);
    for (const person of ['T1:U1', 'T1:U2', 'T2:U3', 'T3:U5'] as const) {
      expect((await store.get(person)).reminder?.lastSentAt, person).toBeDefined();
    }
  });

  it('sends several reminders of one workspace at once; a send that starts after a 429 waits for its Retry-After', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1', 'T1:U2', 'T1:U3', 'T1:U4']);
    const clock = new ManualClock(DUE);
    let refusedOnce = false;
    const { sent, send } = recorder(clock, (person) => {
      if (person !== 'T1:U1' || refusedOnce) return { kind: 'sent' };
      refusedOnce = true;
      return { kind: 'retry', at: new Date(clock.now().getTime() + 3_000), rateLimited: true };
    });
    const scheduler = new ReminderScheduler({
      store,
      send,
      logger: silent,
      clock,
      perWorkspaceConcurrency: 2,
    });
    expect(await scheduler.runOnce()).toEqual({ sent: 4, retried: 0, stopped: 0 });
    const at = (person: PersonKey) =>
      sent.filter((s) => s.person === person).map((s) => s.at - DUE.getTime());
    // U1 and U2 go together; U1 is refused, so everything after waits 3 s; U1 is sent once more.
    expect(at('T1:U1')).toEqual([0, 3_000]);
    expect(at('T1:U2')).toEqual([0]);
    expect([...at('T1:U3'), ...at('T1:U4')]).toEqual([3_000, 3_000]);
    expect(sent.filter((s) => s.person === 'T1:U1')).toHaveLength(2);
  });

  it('does not send on a claim about to run out: it is left to become due again', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1', 'T1:U2', 'T1:U3']);
    const clock = new ManualClock(DUE);
    const { sent, send } = recorder(clock);
    // A lease of 4 s with a margin of 1 s: the third send (at +2.2 s) would come too late… nearly.
    const scheduler = new ReminderScheduler({
      store,
      send,
      logger: silent,
      clock,
      leaseMs: 4000,
      perWorkspaceGapMs: 1600,
    });
    expect(await scheduler.runOnce()).toMatchObject({ sent: 2 });
    expect(sent).toHaveLength(2);
    clock.advance(4000);
    expect(await scheduler.runOnce()).toMatchObject({ sent: 1 });
    expect(new Set(sent.map((s) => s.person)).size).toBe(3);
  });

  it('a retry time that is no time counts as retry in 5 minutes', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1']);
    const clock = new ManualClock(DUE);
    const { send } = recorder(clock, () => ({ kind: 'retry', at: new Date(Number.NaN) }));
    const scheduler = new ReminderScheduler({ store, send, logger: silent, clock });
    expect(await scheduler.runOnce()).toEqual({ sent: 0, retried: 1, stopped: 0 });
    expect((await store.get('T1:U1')).reminder?.dueAt).toBe(
      new Date(DUE.getTime() + 5 * 60_000).toISOString(),
    );
  });

  it('stop during a long run: the send under way finishes, the rest is given back, due at once', async () => {
    const store = new MemoryStore();
    const people = Array.from({ length: 8 }, (_, i) => `T${i % 2}:U${i}`);
    await remind(store, people);
    const clock = new ManualClock(DUE);
    let stopping: Promise<void> | undefined;
    const { sent, send } = recorder(clock, () => {
      stopping ??= scheduler.stop();
      return { kind: 'sent' };
    });
    const scheduler = new ReminderScheduler({ store, send, logger: silent, clock, batchSize: 4 });
    const result = await scheduler.runOnce();
    await stopping;
    // The first send of each workspace lane was already under way.
    expect(result.sent).toBe(sent.length);
    expect(sent.length).toBeLessThanOrEqual(2);
    const left = people.filter((p) => !sent.some((s) => s.person === p));
    for (const p of left) {
      const reminder = (await store.get(p)).reminder;
      expect(reminder?.claim).toBeUndefined();
      expect(reminder?.dueAt).toBe(DUE.toISOString());
    }
    // The next run (or another instance) sends the rest.
    const next = new ReminderScheduler({ store, send: recorder(clock).send, logger: silent, clock });
    expect(await next.runOnce()).toMatchObject({ sent: left.length });
  });

  it('a store that cannot claim: the run ends quietly, and the next one tries again', async () => {
    const store = new MemoryStore();
    await remind(store, ['T1:U1']);
    const clock = new ManualClock(DUE);
    const { send } = recorder(clock);
    const claim = vi.spyOn(store, 'claimDueReminders').mockRejectedValueOnce(new Error('database down'));
    const scheduler = new ReminderScheduler({ store, send, logger: silent, clock });
    expect(await scheduler.runOnce()).toEqual({ sent: 0, retried: 0, stopped: 0 });
    expect(await scheduler.runOnce()).toEqual({ sent: 1, retried: 0, stopped: 0 });
    expect(claim).toHaveBeenCalledTimes(2);
  });

  it('a data file too full to claim in: nothing sent, the warning logged once and then hourly, and the recovery said', async () => {
    const { dir, remove } = await makeTempDir();
    const warned: string[] = [];
    const told: string[] = [];
    const logger: StoreLogger = {
      info: (...parts: unknown[]) => told.push(parts.map(String).join(' ')),
      warn: (...parts: unknown[]) => warned.push(parts.map(String).join(' ')),
      error: () => {},
    };
    let store = await openFileStore(dir, { logger: silent });
    try {
      await remind(store, ['T1:U1']);
      await store.update('T1:U9', (d) => {
        d.notes = { fw: { c: { text: 'n'.repeat(300), at: SET_AT.toISOString() } } };
      });
      const length = (await store.health()).dataFile?.length ?? 0;
      await store.close();
      // The file as long as it may be: claiming the reminder (which adds the claim to it) is refused.
      store = await openFileStore(dir, { logger: silent, lengthLimitForTests: length });
      const clock = new ManualClock(DUE);
      const { send, sent } = recorder(clock);
      const scheduler = new ReminderScheduler({ store, send, logger, clock });
      for (let minute = 0; minute <= 60; minute++) {
        expect(await scheduler.runOnce()).toEqual({ sent: 0, retried: 0, stopped: 0 });
        clock.advance(60_000);
      }
      expect(sent).toEqual([]);
      // At the first run, and an hour later: not 61 times.
      expect(warned).toHaveLength(2);
      expect(warned[0]).toContain('could not claim due reminders, so none is sent until a claim works');
      expect(warned[0]).toContain('DataFileFullError');
      expect(warned[0]).toContain('`competency migrate --to postgres`');
      expect(warned[1]).toContain(
        'still could not claim due reminders (61 runs since 2026-03-20T10:00:00.000Z)',
      );
      expect(told).toEqual([]);

      // Room again (someone's data deleted): the next run claims, sends once, and says so.
      await store.forget('T1:U9');
      expect(await scheduler.runOnce()).toEqual({ sent: 1, retried: 0, stopped: 0 });
      expect(sent.map((s) => s.person)).toEqual(['T1:U1']);
      expect(told[0]).toContain('claims work again, after 61 failed run(s) since 2026-03-20T10:00:00.000Z');
      expect(warned).toHaveLength(2);
    } finally {
      await store.close();
      await remove();
    }
  });

  it('survives a restart: a new store on the same file and a new scheduler send what is due', async () => {
    const { dir, remove } = await makeTempDir();
    cleanups.push(remove);
    const first = await openFileStore(dir);
    await remind(first, ['T1:U1', 'T1:U2', 'T1:U3']);
    const clock = new ManualClock(DUE);
    // The first instance claims two of them and dies before sending.
    const claimed = await first.claimDueReminders(clock.now(), 2, 60_000);
    expect(claimed).toHaveLength(2);
    await first.close();

    const second = await openFileStore(dir);
    cleanups.push(() => second.close());
    const { sent, send } = recorder(clock);
    const scheduler = new ReminderScheduler({ store: second, send, logger: silent, clock, leaseMs: 60_000 });
    expect(await scheduler.runOnce()).toMatchObject({ sent: 1 });
    // The dead instance's claims hold until their lease runs out; then they are sent, once.
    clock.set(new Date(DUE.getTime() + 59_999));
    expect(await scheduler.runOnce()).toMatchObject({ sent: 0 });
    clock.set(new Date(DUE.getTime() + 60_000));
    expect(await scheduler.runOnce()).toMatchObject({ sent: 2 });
    expect(sent.map((s) => s.person).sort()).toEqual(['T1:U1', 'T1:U2', 'T1:U3']);
    await second.close();

    const third = await openFileStore(dir);
    cleanups.push(() => third.close());
    expect((await third.get('T1:U1')).reminder?.lastSentAt).toBeDefined();
    expect(
      await new ReminderScheduler({ store: third, send, logger: silent, clock }).runOnce(),
    ).toMatchObject({
      sent: 0,
    });
  });

  it('start runs on a timer without overlapping runs; stop waits for the run in progress', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const store = new MemoryStore();
    await remind(store, ['T1:U1', 'T2:U2']);
    const clock = new ManualClock(DUE);
    const waiting: (() => void)[] = [];
    let inFlight = 0;
    let most = 0;
    const { sent, send } = recorder(clock, async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((resolve) => {
        waiting.push(resolve);
      });
      inFlight--;
      return { kind: 'sent' };
    });
    const scheduler = new ReminderScheduler({ store, send, logger: silent, clock });
    const claim = vi.spyOn(store, 'claimDueReminders');
    scheduler.start(1000);
    expect(claim).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(claim).toHaveBeenCalledTimes(1);
    // The run waits on the sends; no new run starts however long it takes.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(claim).toHaveBeenCalledTimes(1);
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    // Both workspaces' sends are under way at once; let them finish.
    expect(waiting).toHaveLength(2);
    expect(most).toBe(2);
    for (const resolve of waiting.splice(0)) resolve();
    await stopping;
    expect(stopped).toBe(true);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(claim.mock.calls.length).toBeLessThanOrEqual(2);
    const calls = claim.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(claim.mock.calls.length).toBe(calls);
  });

  it('the first run may come sooner than the rest', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const store = new MemoryStore();
    const clock = new ManualClock(DUE);
    const { send } = recorder(clock);
    const claim = vi.spyOn(store, 'claimDueReminders');
    const scheduler = new ReminderScheduler({ store, send, logger: silent, clock });
    scheduler.start(60_000, 5_000);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(claim).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(claim).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(claim).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(claim).toHaveBeenCalledTimes(2);
    await scheduler.stop();
  });

  it('a timer run that finds nothing schedules the next one', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const store = new MemoryStore();
    const clock = new ManualClock(DUE);
    const { send } = recorder(clock);
    const claim = vi.spyOn(store, 'claimDueReminders');
    const scheduler = new ReminderScheduler({ store, send, logger: silent, clock });
    scheduler.start(60_000);
    await vi.advanceTimersByTimeAsync(180_000);
    expect(claim).toHaveBeenCalledTimes(3);
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(claim).toHaveBeenCalledTimes(3);
  });
});
