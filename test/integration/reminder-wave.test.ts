import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { createLogger, LogLevel } from '../../src/log.js';
import type { ReminderSetting } from '../../src/model/records.js';
import { ManualClock } from '../../src/reminders/scheduler.js';
import { type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { BOT_SCOPES } from '../../src/slack/app.js';
import { type Running, start } from '../../src/start.js';
import { freePort } from '../../src/util/free-port.js';
import { it } from '../support/fixtures.js';
import { CLIENT_ID, CLIENT_SECRET, newTokenKey, SIGNING_SECRET } from './oauth-deployment.js';

/**
 * A check-in wave under Slack's rate limits: three workspaces of 300 people, each with a monthly
 * check-in due this morning at 10:00 in their own zone (four zones, all due within the hour), sent by
 * two copies of the real app in distributed mode on one PostgreSQL database, against the local
 * Slack with its rate limits on. Both copies' schedulers and the local Slack run on one ManualClock,
 * which the test moves instead of waiting.
 *
 * - every reminder goes out once, whichever copy sends it, with no 429;
 * - at most 1.1 Slack calls per reminder: zones come from users.list pages (a workspace's list read
 *   once by each copy), never from a users.info per person, and the DM is one chat.postMessage;
 * - someone whose zone Slack now gives as another (they moved) is not messaged at night: they get
 *   theirs at 10:00 where they are now, and that zone is kept.
 */

const WORKSPACES = [
  { id: 'T0WAVE00001', domain: 'wave-one', name: 'Wave one' },
  { id: 'T0WAVE00002', domain: 'wave-two', name: 'Wave two' },
  { id: 'T0WAVE00003', domain: 'wave-three', name: 'Wave three' },
];
const PEOPLE = 300;
/** 10:00 in each falls between 04:00 and 04:30 UTC. */
const ZONES = ['Asia/Dhaka', 'Asia/Kathmandu', 'Asia/Kolkata', 'Asia/Colombo'];
/** Wednesday 4 March 2026, 04:30 UTC: 10:00 in Kolkata, 10:30 in Dhaka. */
const MORNING = new Date('2026-03-04T04:30:00Z');
/** The one who moved: Kolkata kept, New York now (23:30 on Tuesday there). */
const MOVED = { index: 0, workspace: 0, kept: 'Asia/Kolkata', now: 'America/New_York' };
const NEW_YORK_TEN = new Date('2026-03-04T15:00:00Z');

const userOf = (w: number, i: number) => `U0W${w}${String(i).padStart(7, '0')}`;
const zoneOf = (i: number) => ZONES[i % ZONES.length] ?? 'UTC';

/** A copy of the app in distributed mode, its reminders on `clock` (run by the test, not by a timer). */
async function startCopy(slack: LocalSlack, databaseUrl: string, key: string, clock: ManualClock) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const running: Running = await start(
    {
      SLACK_CLIENT_ID: CLIENT_ID,
      SLACK_CLIENT_SECRET: CLIENT_SECRET,
      SLACK_STATE_SECRET: 'reminder-wave-state-secret',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_TOKEN_ENCRYPTION_KEY: key,
      SLACK_API_URL: slack.apiUrl,
      SLACK_AUTHORIZE_URL: slack.authorizeUrl,
      SLACK_REDIRECT_URI: `${url}/slack/oauth_redirect`,
      PORT: String(port),
      HOST: '127.0.0.1',
      FRAMEWORKS_CACHE_DIR: 'off',
      REMINDERS: 'off',
      DATABASE_URL: databaseUrl,
    },
    createLogger(LogLevel.ERROR, () => {}),
    { reminderClock: clock },
  );
  return { running, url };
}

/**
 * Installs the app into a workspace as a person does (its install page, Slack's authorize page, back
 * with a code), granting the scopes the app asks for.
 */
async function install(copy: { url: string }, slack: LocalSlack, target: string): Promise<number> {
  const page = await fetch(`${copy.url}/slack/install`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const link = /href="([^"]+)"/.exec(await page.text())?.[1]?.replaceAll('&amp;', '&');
  if (link === undefined) throw new Error('the install page has no link to Slack');
  const state = new URL(link).searchParams.get('state') ?? undefined;
  const back = slack.approve({
    target,
    state,
    redirectUri: `${copy.url}/slack/oauth_redirect`,
    scopes: BOT_SCOPES,
  });
  const finished = await fetch(back, { headers: { cookie } });
  await finished.text();
  return finished.status;
}

describe('a check-in wave under Slack’s rate limits', () => {
  it('two copies send each of 900 reminders once, with ≤ 1.1 calls each and no 429, zones learnt from users.list; someone who moved gets theirs at 10:00 where they are', async ({
    sharedDatabase,
    onTestFinished,
  }) => {
    const clock = new ManualClock(MORNING);
    const slack = await startLocalSlack({
      rateLimits: true,
      now: () => clock.now().getTime(),
      oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      workspaces: WORKSPACES,
    });
    onTestFinished(() => slack.close());
    const key = newTokenKey();
    const copies = [
      await startCopy(slack, sharedDatabase.url, key, clock),
      await startCopy(slack, sharedDatabase.url, key, clock),
    ];
    onTestFinished(async () => {
      await Promise.all(copies.map((copy) => copy.running.stop()));
    });
    const [first] = copies;
    if (!first) throw new Error('no copy started');
    for (const w of WORKSPACES) expect(await install(first, slack, w.id)).toBe(200);

    // Everyone, in Slack and in the store: a monthly check-in due today at 10:00 in the zone kept.
    const store = first.running.store;
    const people: { key: string; user: string; team: string }[] = [];
    for (const [w, workspace] of WORKSPACES.entries()) {
      const members: { id: string; timeZone: string }[] = [];
      for (let i = 0; i < PEOPLE; i++) {
        const user = userOf(w, i);
        const moved = w === MOVED.workspace && i === MOVED.index;
        const kept = moved ? MOVED.kept : zoneOf(i);
        members.push({ id: user, timeZone: moved ? MOVED.now : kept });
        const reminder: ReminderSetting = {
          cadence: 'monthly',
          frameworkId: 'solutions-architect.e-commerce',
          levelId: 'senior',
          userId: user,
          teamId: workspace.id,
          timeZone: kept,
          dueAt: DateTime.fromISO('2026-03-04T10:00:00', { zone: kept }).toUTC().toISO() ?? '',
          setAt: '2026-02-04T10:00:00.000Z',
        };
        const key = `${workspace.id}:${user}`;
        await store.update(key, (data) => {
          data.reminder = reminder;
        });
        people.push({ key, user, team: workspace.id });
      }
      slack.addMembers(workspace.id, members);
    }
    slack.reset();

    const results = await Promise.all(copies.map((copy) => copy.running.reminders.runOnce()));
    const sent = results.reduce((n, r) => n + r.sent, 0);
    expect(sent).toBe(WORKSPACES.length * PEOPLE - 1);
    expect(results.reduce((n, r) => n + r.retried, 0)).toBe(1);
    // Both copies took a share.
    expect(results.every((r) => r.sent > 0)).toBe(true);

    const dms = (user: string) =>
      slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === user).length;
    const movedUser = userOf(MOVED.workspace, MOVED.index);
    for (const person of people)
      expect(dms(person.user), person.user).toBe(person.user === movedUser ? 0 : 1);

    const byMethod = (method: string) => slack.calls.filter((c) => c.method === method).length;
    expect(slack.calls.filter((c) => c.error === 'ratelimited')).toEqual([]);
    expect(byMethod('users.info')).toBe(0);
    expect(byMethod('conversations.open')).toBe(0);
    // Two pages of 200 per workspace, read by each copy at most once.
    expect(byMethod('users.list')).toBeLessThanOrEqual(WORKSPACES.length * 2 * copies.length);
    expect(slack.calls.length / sent).toBeLessThanOrEqual(1.1);

    // The one who moved: due again at 10:00 in New York, and sent then, in that zone.
    const moved = people.find((p) => p.user === movedUser);
    if (!moved) throw new Error('no one moved');
    expect((await store.get(moved.key)).reminder?.dueAt).toBe(NEW_YORK_TEN.toISOString());
    clock.set(new Date(NEW_YORK_TEN.getTime() - 60_000));
    expect(
      (await Promise.all(copies.map((copy) => copy.running.reminders.runOnce()))).map((r) => r.sent),
    ).toEqual([0, 0]);
    clock.set(NEW_YORK_TEN);
    const later = await Promise.all(copies.map((copy) => copy.running.reminders.runOnce()));
    expect(later.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(dms(movedUser)).toBe(1);
    expect((await store.get(moved.key)).reminder).toMatchObject({
      timeZone: MOVED.now,
      lastSentAt: NEW_YORK_TEN.toISOString(),
    });
    // Others keep their zone, and their next one is a month on at 10:00 there.
    const other = people[1];
    if (!other) throw new Error('nobody else');
    expect((await store.get(other.key)).reminder).toMatchObject({
      timeZone: zoneOf(1),
      dueAt: DateTime.fromISO('2026-04-06T10:00:00', { zone: zoneOf(1) })
        .toUTC()
        .toISO(),
    });
  }, 120_000);
});
