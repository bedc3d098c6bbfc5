import { webApi } from '@slack/bolt';
import { describe, expect } from 'vitest';
import { sameForEveryOrg } from '../../src/frameworks/org-catalogs.js';
import { createLogger, LogLevel } from '../../src/log.js';
import { nextDueAt, snoozedDueAt } from '../../src/model/reminders.js';
import { ManualClock, ReminderScheduler, type ReminderSender } from '../../src/reminders/scheduler.js';
import { appHomeOpenedEnvelope } from '../../src/sandbox/event-envelopes.js';
import { blockActionPayload } from '../../src/sandbox/interaction-payloads.js';
import { type ApiCall, type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { startSandbox } from '../../src/sandbox/sandbox.js';
import { sendEvent, sendInteraction } from '../../src/sandbox/signing.js';
import type { Deps } from '../../src/slack/deps.js';
import { createReminderSender } from '../../src/slack/reminder-sender.js';
import type { Store } from '../../src/store/store.js';
import { test } from '../support/fixtures.js';
import { pageApi, pressOnPage } from '../support/page-api.js';
import {
  findButton,
  finishSeniorAssessment,
  type Harness,
  pressInDm,
  SIGNING_SECRET,
  textOf,
} from './harness.js';

/**
 * Check-in reminders end to end: the real app on the local Slack, its deps and the scheduler on one
 * ManualClock, so due times, snoozes, retries and pacing are checked without sleeping.
 */

const NEW_YORK = 'America/New_York';
const FRAMEWORK = 'solutions-architect.e-commerce';
/** A Wednesday, 07:00 in New York. */
const START = new Date('2026-01-14T12:00:00Z');
const MINUTE = 60_000;

type Setup = {
  slack: LocalSlack;
  store: Store;
  deps: Deps;
  clock: ManualClock;
  scheduler: ReminderScheduler;
  /** When each send started, on the clock, and for whom. */
  sends: { at: number; userId: string }[];
  eventsUrl: string;
  harness: Harness;
};

/**
 * The usual harness with its domain on a ManualClock, and a scheduler on the same clock: a fresh one
 * for each test, the scheduler stopped and the harness closed after it.
 */
const it = test.extend('checkIns', async ({ startHarness }, { onCleanup }): Promise<Setup> => {
  const clock = new ManualClock(START);
  const harness = await startHarness({ now: () => clock.now() });
  const logger = createLogger(LogLevel.INFO, (line) => harness.logs.push(line));
  const sender = createReminderSender({
    frameworks: sameForEveryOrg(harness.catalog),
    clientFor: async () => ({ client: harness.app.client }),
    logger,
    now: () => clock.now(),
  });
  const sends: Setup['sends'] = [];
  const send: ReminderSender = (person, reminder, data) => {
    sends.push({ at: clock.now().getTime(), userId: reminder.userId });
    return sender(person, reminder, data);
  };
  // Paced as the tests of pacing below expect (the app's scheduler sets no gap: see scheduler.ts).
  const scheduler = new ReminderScheduler({
    store: harness.store,
    send,
    logger,
    clock,
    perWorkspaceGapMs: 1100,
  });
  onCleanup(() => scheduler.stop());
  return {
    slack: harness.slack,
    store: harness.store,
    deps: harness.deps,
    clock,
    scheduler,
    sends,
    eventsUrl: harness.eventsUrl,
    harness,
  };
});

let s: Setup;

const personOf = (userId: string) => `${s.slack.team.id}:${userId}`;

/** A finished Senior assessment for `userId`, its summary as the app answered. */
function summaryFor(userId: string): Promise<Record<string, unknown>> {
  return finishSeniorAssessment(s.harness, userId, [3, 3, 3, 3, 3, 3, 3, 3]);
}

/** The reminders the app sent by direct message (chat.postMessage to a user id). */
function reminderDms(userId?: string): ApiCall[] {
  return s.slack.calls.filter(
    (c) =>
      c.method === 'chat.postMessage' &&
      c.ok &&
      typeof c.args.channel === 'string' &&
      c.args.channel.startsWith('U') &&
      (userId === undefined || c.args.channel === userId),
  );
}

/**
 * Presses a button on a message the app sent to `userId`'s direct messages; returns the message as
 * the app then changed it in place (chat.update, with its channel and ts).
 */
function clickInDm(dm: ApiCall, label: string, userId: string): Promise<Record<string, unknown>> {
  return pressInDm(s.harness, { ts: dm.ts, text: dm.args.text, blocks: dm.args.blocks }, label, userId);
}

/** Picks a cadence on a summary, as `userId`; returns the answer (the summary again). */
async function pick(
  summary: Record<string, unknown>,
  cadence: 'off' | 'monthly' | 'quarterly',
  userId: string,
): Promise<Record<string, unknown>> {
  return s.harness.press(summary, `reminder_cadence:${cadence}`, { userId });
}

describe('check-in reminders', () => {
  it.beforeEach(({ checkIns }) => {
    s = checkIns;
  });

  it('quarterly on a summary is kept with the time zone from users.info, and the summary shows it; off removes it', async () => {
    const user = 'U0REMIND001';
    s.slack.setUserTimeZone(user, NEW_YORK);
    const summary = await summaryFor(user);
    expect(textOf(summary)).toContain('Check-in reminders: off');

    const answer = await pick(summary, 'quarterly', user);
    const reminder = (await s.store.get(personOf(user))).reminder;
    const due = nextDueAt(START, 'quarterly', NEW_YORK);
    expect(reminder).toMatchObject({
      cadence: 'quarterly',
      frameworkId: FRAMEWORK,
      levelId: 'senior',
      userId: user,
      teamId: s.slack.team.id,
      timeZone: NEW_YORK,
      dueAt: due.toISOString(),
    });
    // 10:00 in New York, on a working day.
    expect(due.toISOString()).toBe('2026-04-14T14:00:00.000Z');
    expect(s.slack.calls.some((c) => c.method === 'users.info' && c.args.user === user)).toBe(true);
    // The summary again, with the choice and the next date in Slack's date formatting.
    expect(answer.replace_original).toBe(true);
    expect(textOf(answer)).toContain('Your self-assessment');
    expect(textOf(answer)).toContain('Check-in reminders: quarterly');
    expect(textOf(answer)).toContain(`<!date^${due.getTime() / 1000}^`);
    expect(findButton(answer, 'reminder_cadence:quarterly').text).toBe('✓ Quarterly');

    // Share to channel, then Cancel: the summary comes back with the choice still shown.
    const preview = await s.harness.press(answer, 'share_preview', { userId: user });
    const cancelled = await s.harness.press(preview, 'share_cancel', { userId: user });
    expect(textOf(cancelled)).toContain('Not shared.');
    expect(findButton(cancelled, 'reminder_cadence:quarterly').text).toBe('✓ Quarterly');

    // The same choice again writes nothing: the date does not move.
    s.clock.advance(3 * 24 * 60 * MINUTE);
    await pick(answer, 'quarterly', user);
    expect((await s.store.get(personOf(user))).reminder?.dueAt).toBe(due.toISOString());

    const off = await pick(answer, 'off', user);
    expect((await s.store.get(personOf(user))).reminder).toBeUndefined();
    expect(textOf(off)).toContain('Check-in reminders are off');
    expect(findButton(off, 'reminder_cadence:off').text).toBe('✓ Off');
  });

  it('sends the reminder at 10:00 in the person’s time zone and not before; its first question starts a run', async () => {
    const user = 'U0REMIND002';
    s.slack.setUserTimeZone(user, NEW_YORK);
    await pick(await summaryFor(user), 'quarterly', user);
    const due = nextDueAt(START, 'quarterly', NEW_YORK);

    s.clock.set(new Date(due.getTime() - MINUTE));
    expect(await s.scheduler.runOnce()).toEqual({ sent: 0, retried: 0, stopped: 0 });
    expect(reminderDms()).toHaveLength(0);

    s.clock.set(due);
    expect((await s.scheduler.runOnce()).sent).toBe(1);
    const [dm] = reminderDms(user);
    if (!dm) throw new Error('no reminder was sent');
    expect(dm.args.text).toContain('Time for your quarterly check-in: Solutions Architect · Senior');
    expect(textOf(dm.args)).toContain('Time for your quarterly check-in');
    expect(textOf(dm.args)).toContain('1 of 8');
    expect(findButton(dm.args, 'Snooze a week').action_id).toBe('reminder_snooze');
    expect(findButton(dm.args, 'Stop reminders').action_id).toBe('reminder_stop');
    // Asked Slack for the time zone at send time too, and recorded the send.
    const stored = (await s.store.get(personOf(user))).reminder;
    expect(stored?.lastSentAt).toBe(due.toISOString());
    expect(stored?.dueAt).toBe(nextDueAt(due, 'quarterly', NEW_YORK).toISOString());
    // Nothing more this run or the next minute.
    s.clock.advance(MINUTE);
    expect((await s.scheduler.runOnce()).sent).toBe(0);

    const before = (await s.store.get(personOf(user))).drafts[FRAMEWORK]?.sessionId;
    const second = await clickInDm(dm, '4 · Advanced', user);
    // The reminder itself became the next question: nothing new in the conversation.
    expect(second.ts).toBe(dm.ts);
    expect(s.slack.messagesIn(`D${user.slice(1)}`)).toHaveLength(1);
    expect(textOf(second)).toContain('2 of 8');
    const data = await s.store.get(personOf(user));
    expect(data.drafts[FRAMEWORK]).toMatchObject({ position: 1, status: 'rating', levelId: 'senior' });
    expect(data.drafts[FRAMEWORK]?.sessionId).not.toBe(before);
    const first = s.deps.frameworks.bundled.get(FRAMEWORK)?.competencies[0]?.id ?? '';
    expect(data.ratings[FRAMEWORK]?.[first]?.value).toBe(4);

    // The run carries on in the same message, to the summary, which says when the next one comes.
    let step = second;
    for (let i = 2; i <= 8; i++) step = await pressInDm(s.harness, step, '5 · Expert', user);
    expect(textOf(step)).toContain('Check-in done');
    expect(textOf(step)).toContain('Check-in reminders: quarterly');
    const history = (await s.store.get(personOf(user))).history;
    expect(history).toHaveLength(2);
  });

  it('Snooze a week: not sent again until a week later at 10:00 local', async () => {
    const user = 'U0REMIND003';
    s.slack.setUserTimeZone(user, NEW_YORK);
    await pick(await summaryFor(user), 'monthly', user);
    const due = nextDueAt(START, 'monthly', NEW_YORK);
    s.clock.set(due);
    await s.scheduler.runOnce();
    const [dm] = reminderDms(user);
    if (!dm) throw new Error('no reminder was sent');

    s.clock.advance(5 * MINUTE);
    const snoozed = await clickInDm(dm, 'Snooze a week', user);
    const back = snoozedDueAt(s.clock.now(), NEW_YORK);
    expect(back.getTime() - due.getTime()).toBe(7 * 24 * 60 * MINUTE);
    expect(textOf(snoozed)).toContain('Snoozed');
    expect(textOf(snoozed)).toContain(`<!date^${back.getTime() / 1000}^`);
    expect((await s.store.get(personOf(user))).reminder?.dueAt).toBe(back.toISOString());

    s.clock.set(new Date(back.getTime() - MINUTE));
    expect((await s.scheduler.runOnce()).sent).toBe(0);
    s.clock.set(back);
    expect((await s.scheduler.runOnce()).sent).toBe(1);
    expect(reminderDms(user)).toHaveLength(2);
  });

  it('Stop reminders: never again, and says how to turn them back on', async () => {
    const user = 'U0REMIND004';
    s.slack.setUserTimeZone(user, NEW_YORK);
    await pick(await summaryFor(user), 'monthly', user);
    s.clock.set(nextDueAt(START, 'monthly', NEW_YORK));
    await s.scheduler.runOnce();
    const [dm] = reminderDms(user);
    if (!dm) throw new Error('no reminder was sent');

    const stopped = await clickInDm(dm, 'Stop reminders', user);
    expect(textOf(stopped)).toContain('Check-in reminders are off');
    expect(textOf(stopped)).toContain('turn them back on');
    expect((await s.store.get(personOf(user))).reminder).toBeUndefined();
    for (let months = 1; months <= 12; months++) {
      s.clock.advance(31 * 24 * 60 * MINUTE);
      expect((await s.scheduler.runOnce()).sent).toBe(0);
    }
    expect(reminderDms(user)).toHaveLength(1);
  });

  it('a 429 on one send is retried at its Retry-After, the others are still sent, paced apart', async () => {
    const users = ['U0REMIND005', 'U0REMIND006', 'U0REMIND007'];
    for (const user of users) {
      s.slack.setUserTimeZone(user, NEW_YORK);
      await pick(await summaryFor(user), 'quarterly', user);
    }
    const due = nextDueAt(START, 'quarterly', NEW_YORK);
    s.clock.set(due);
    s.slack.failNextHttp('chat.postMessage', { status: 429, headers: { 'retry-after': '30' } });
    expect(await s.scheduler.runOnce()).toEqual({ sent: 2, retried: 1, stopped: 0 });
    // Sends to one workspace go at least 1.1 s apart (chat.postMessage's pace), on the clock.
    const times = s.sends.map((send) => send.at);
    expect(times).toHaveLength(3);
    for (let i = 1; i < times.length; i++) {
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(1100);
    }
    const refused = s.sends[0];
    if (!refused) throw new Error('nothing was sent');
    const retryAt = (await s.store.get(personOf(refused.userId))).reminder?.dueAt;
    expect(retryAt).toBe(new Date(refused.at + 30_000).toISOString());
    expect(reminderDms(refused.userId)).toHaveLength(0);

    s.clock.set(new Date(refused.at + 29_000));
    expect((await s.scheduler.runOnce()).sent).toBe(0);
    s.clock.set(new Date(refused.at + 30_000));
    expect((await s.scheduler.runOnce()).sent).toBe(1);
    for (const user of users) expect(reminderDms(user)).toHaveLength(1);
  });

  it('stops the reminder of a person Slack no longer knows', async () => {
    const user = 'U0REMIND008';
    s.slack.setUserTimeZone(user, NEW_YORK);
    await pick(await summaryFor(user), 'monthly', user);
    s.clock.set(nextDueAt(START, 'monthly', NEW_YORK));
    s.slack.failNext('chat.postMessage', 'account_inactive');
    expect(await s.scheduler.runOnce()).toEqual({ sent: 0, retried: 0, stopped: 1 });
    expect((await s.store.get(personOf(user))).reminder).toBeUndefined();
  });

  it("a workspace's installation is found once a minute, and again when its token stops working", async () => {
    const users = ['U0REMIND020', 'U0REMIND021', 'U0REMIND022', 'U0REMIND023'];
    for (const user of users) {
      s.slack.setUserTimeZone(user, NEW_YORK);
      await pick(await summaryFor(user), 'monthly', user);
    }
    s.clock.set(nextDueAt(START, 'monthly', NEW_YORK));
    let found = 0;
    const send = createReminderSender({
      frameworks: sameForEveryOrg(s.harness.catalog),
      clientFor: async () => {
        found++;
        return { client: s.harness.app.client };
      },
      logger: createLogger(LogLevel.ERROR, () => {}),
      now: () => s.clock.now(),
    });
    const sendTo = async (user: string) => {
      const data = await s.store.get(personOf(user));
      if (!data.reminder) throw new Error(`no reminder for ${user}`);
      return send(personOf(user), data.reminder, data);
    };
    const [a, b, c, d] = users as [string, string, string, string];
    expect((await sendTo(a)).kind).toBe('sent');
    expect((await sendTo(b)).kind).toBe('sent');
    expect(found).toBe(1);
    // Slack refuses the token kept (the workspace reinstalled the app, say): found again, and sent.
    s.slack.failNext('chat.postMessage', 'invalid_auth');
    expect((await sendTo(c)).kind).toBe('sent');
    expect(found).toBe(2);
    expect(reminderDms(c)).toHaveLength(1);
    // Refused with the token just found too: the app is no longer installed there.
    s.slack.failNext('chat.postMessage', 'token_revoked');
    s.slack.failNext('chat.postMessage', 'token_revoked');
    expect((await sendTo(d)).kind).toBe('gone');
    expect(found).toBe(3);
    expect(reminderDms(d)).toEqual([]);
    // A minute on, the installation is read again.
    s.clock.set(new Date(s.clock.now().getTime() + 61_000));
    expect((await sendTo(a)).kind).toBe('sent');
    expect(found).toBe(4);
  });

  it('a person whose zone changed since is not messaged at night: it waits for 10:00 there', async () => {
    const user = 'U0REMIND009';
    s.slack.setUserTimeZone(user, NEW_YORK);
    await pick(await summaryFor(user), 'quarterly', user);
    const due = nextDueAt(START, 'quarterly', NEW_YORK);
    // They moved to Tokyo: 10:00 in New York is 23:00 there.
    s.slack.setUserTimeZone(user, 'Asia/Tokyo');
    s.clock.set(due);
    expect(await s.scheduler.runOnce()).toEqual({ sent: 0, retried: 1, stopped: 0 });
    const later = (await s.store.get(personOf(user))).reminder?.dueAt ?? '';
    expect(later).toBe('2026-04-15T01:00:00.000Z'); // Wednesday 10:00 in Tokyo
    s.clock.set(new Date(later));
    expect((await s.scheduler.runOnce()).sent).toBe(1);
    expect((await s.store.get(personOf(user))).reminder?.timeZone).toBe('Asia/Tokyo');
  });

  it('the Home tab shows the picker and republishes itself with the choice', async () => {
    const user = 'U0REMIND010';
    s.slack.setUserTimeZone(user, NEW_YORK);
    await summaryFor(user);
    await sendEvent(
      s.eventsUrl,
      SIGNING_SECRET,
      appHomeOpenedEnvelope({ user, botUserId: s.slack.bot.userId }),
    );
    const [published] = await s.slack.waitForCalls('views.publish', 1);
    const home = published?.args.view as { id?: string; blocks: unknown[] };
    expect(textOf(home)).toContain('Check-in reminders: off');
    const button = findButton(home, 'reminder_cadence:monthly');

    const res = await sendInteraction(
      s.eventsUrl,
      SIGNING_SECRET,
      blockActionPayload({
        actionId: button.action_id,
        blockId: button.block_id,
        value: button.value,
        user: { id: user },
        view: { id: published?.viewId ?? 'V0HOME', type: 'home', blocks: home.blocks },
      }),
    );
    expect(res.status).toBe(200);
    const [, again] = await s.slack.waitForCalls('views.publish', 2);
    const republished = again?.args.view as { blocks: unknown[] };
    expect(textOf(republished)).toContain('Check-in reminders: monthly');
    expect(findButton(republished, 'reminder_cadence:monthly').text).toBe('✓ Monthly');
    expect((await s.store.get(personOf(user))).reminder).toMatchObject({
      cadence: 'monthly',
      frameworkId: FRAMEWORK,
      timeZone: NEW_YORK,
    });
  });
});

describe('the local Slack’s users.info', () => {
  it('answers each person’s time zone, with its offset, and refuses an install without users:read', async ({
    onTestFinished,
  }) => {
    const slack = await startLocalSlack({ oauth: { clientId: '1.2', clientSecret: 'secretsecret' } });
    onTestFinished(() => slack.close());
    slack.setUserTimeZone('U0TZ0000001', 'Asia/Kolkata');
    const client = new webApi.WebClient(slack.bot.token, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    const info = await client.users.info({ user: 'U0TZ0000001' });
    expect(info.user).toMatchObject({ id: 'U0TZ0000001', tz: 'Asia/Kolkata', tz_offset: 19800 });
    expect((await client.users.info({ user: 'U0SOMEONE01' })).user).toMatchObject({
      tz: 'UTC',
      tz_offset: 0,
    });
    await expect(client.users.info({ user: 'nobody' })).rejects.toMatchObject({
      data: { error: 'user_not_found' },
    });
    const access = await new webApi.WebClient(undefined, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    }).oauth.v2.access({
      client_id: '1.2',
      client_secret: 'secretsecret',
      code:
        new URL(
          slack.approve({ target: slack.team.id, redirectUri: 'http://127.0.0.1/cb' }),
        ).searchParams.get('code') ?? '',
      redirect_uri: 'http://127.0.0.1/cb',
    });
    const installed = new webApi.WebClient(access.access_token, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    await expect(installed.users.info({ user: 'U0TZ0000001' })).rejects.toMatchObject({
      data: { error: 'missing_scope' },
    });
  });
});

describe('check-in reminders in the sandbox', () => {
  it('"Send due check-ins now" sends the reminder to Messages, where its buttons work', async ({
    tempDir: dir,
    onTestFinished,
  }) => {
    const sandbox = await startSandbox(
      { PORT: '0', DATA_DIR: dir, LOG_LEVEL: 'warn', FRAMEWORKS_CACHE_DIR: 'off' },
      { print: () => {} },
    );
    onTestFinished(() => sandbox.stop());
    const ws = sandbox.workspace;
    const user = ws.users[0]?.id ?? '';
    const post = async (what: string, body: object) =>
      (await fetch(`${sandbox.url}/sandbox/api/${what}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user, ...body }),
      }).then((r) => r.json())) as { ok: boolean; error?: string };
    const lastInChannel = () => ws.stateFor(user).messages.at(-1) as { id: string; blocks: unknown[] };
    const lastDm = () =>
      ws.stateFor(user).dm.messages.at(-1) as { id: string; text: string; blocks: unknown[] };
    /** What the person sees in the channel and in Messages, to wait for the app's answer to change it. */
    const seen = () => JSON.stringify([ws.stateFor(user).messages, ws.stateFor(user).dm.messages]);
    const press = async (message: { id: string; blocks: unknown[] }, label: string) => {
      const before = seen();
      await pressOnPage(pageApi(sandbox.url), user, message, label);
      // The click is acknowledged first and answered after: wait for the answer to show.
      await expect.poll(seen).not.toBe(before);
    };

    // Nothing to send before a reminder was chosen.
    expect((await post('checkins', {})).ok).toBe(false);

    expect(await post('command', { text: 'solutions-architect senior' })).toEqual({ ok: true });
    await expect.poll(() => textOf(lastInChannel())).toContain('Rate yourself');
    await press(lastInChannel(), 'Rate yourself');
    for (let i = 0; i < 8; i++) await press(lastInChannel(), '3 · Proficient');
    await press(lastInChannel(), 'reminder_cadence:quarterly');
    expect(textOf(lastInChannel())).toContain('Check-in reminders: quarterly');

    expect(await post('checkins', {})).toEqual({ ok: true });
    await expect.poll(() => lastDm()?.text ?? '').toContain('Time for your quarterly check-in');
    await press(lastDm(), '4 · Advanced');
    expect(ws.stateFor(user).dm.messages).toHaveLength(1);
    expect(lastDm().text).toContain('2 of 8');
    await press(lastDm(), '← Back');
    expect(lastDm().text).toContain('1 of 8');
    expect(ws.stateFor(user).dm.messages).toHaveLength(1);
  });
});
