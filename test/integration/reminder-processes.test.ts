import path from 'node:path';
import { describe, expect } from 'vitest';
import type { ReminderSetting } from '../../src/model/records.js';
import { LOCAL_TEAM } from '../../src/sandbox/defaults.js';
import { openPostgresStore } from '../../src/store/postgres/open.js';
import { PROJECT_ROOT } from '../store/helpers.js';
import { it } from '../support/fixtures.js';
import { type AppProcess, startAppProcess } from './app-process.js';

/**
 * Check-in reminders sent by real app processes (`npm start`'s entry point), three of them on one
 * PostgreSQL database: one with REMINDERS=off, started first, then two with the scheduler on. Their
 * clocks say Friday 26 March 2027, 10:00 UTC, two days before Europe leaves winter time (each process
 * loads test/support/shifted-clock.mjs, which moves its clock and nothing else), and their own time
 * zone is Sydney's, whose change comes a week later. Each process first looks for due reminders
 * five seconds after it starts; the file waits on the local Slack and the processes' logs.
 *
 * - each due reminder goes out once, whichever of the two sends it;
 * - the copy with REMINDERS=off sends none: it started first, so it would have come first;
 * - a reminder is due at 10:00 in its person's zone, and the next one is at 10:00 there a month
 *   later, after the change: 08:00 UTC in Berlin, 09:00 UTC in London, not the hour before.
 */

const CLOCK = Date.parse('2027-03-26T10:00:30.000Z');
const SECRET = 'reminderprocessessecret01';
const FRAMEWORK = 'solutions-architect.e-commerce';

type Person = { user: string; timeZone: string; dueAt: string; nextDueAt?: string };

/** Each with a monthly reminder; those with `nextDueAt` are due when the processes look. */
const PEOPLE: Person[] = [
  // 10:00 CET today; next 26 April, 10:00 CEST.
  {
    user: 'U0BERLIN001',
    timeZone: 'Europe/Berlin',
    dueAt: '2027-03-26T09:00:00.000Z',
    nextDueAt: '2027-04-26T08:00:00.000Z',
  },
  // 10:00 GMT today; next 26 April, 10:00 BST.
  {
    user: 'U0LONDON001',
    timeZone: 'Europe/London',
    dueAt: '2027-03-26T10:00:00.000Z',
    nextDueAt: '2027-04-26T09:00:00.000Z',
  },
  {
    user: 'U0UTC000001',
    timeZone: 'UTC',
    dueAt: '2027-03-26T10:00:00.000Z',
    nextDueAt: '2027-04-26T10:00:00.000Z',
  },
  {
    user: 'U0UTC000002',
    timeZone: 'UTC',
    dueAt: '2027-03-26T10:00:00.000Z',
    nextDueAt: '2027-04-26T10:00:00.000Z',
  },
  // 10:00 EDT is 14:00 UTC: not due yet.
  { user: 'U0NEWYORK01', timeZone: 'America/New_York', dueAt: '2027-03-26T14:00:00.000Z' },
];

const keyOf = (person: Person) => `${LOCAL_TEAM.id}:${person.user}`;

/** Lines like "Reminders: 2 sent, 0 to retry, 0 stopped" in a process's output, added up. */
function sentBy(app: AppProcess): number {
  return [...app.output().matchAll(/Reminders: (\d+) sent,/g)].reduce((sum, m) => sum + Number(m[1]), 0);
}

describe('reminders in real app processes', () => {
  it('two copies with the scheduler on send each due reminder once, the copy with REMINDERS=off sends none, and the next ones are at 10:00 local after the daylight-saving change', async ({
    sharedDatabase,
    sharedLocalSlack: slack,
    onTestFinished,
  }) => {
    const store = await openPostgresStore(sharedDatabase.url);
    onTestFinished(() => store.close());
    for (const person of PEOPLE) {
      const reminder: ReminderSetting = {
        cadence: 'monthly',
        frameworkId: FRAMEWORK,
        levelId: 'senior',
        userId: person.user,
        teamId: LOCAL_TEAM.id,
        timeZone: person.timeZone,
        dueAt: person.dueAt,
        setAt: '2027-02-26T09:00:00.000Z',
      };
      await store.update(keyOf(person), (data) => {
        data.reminder = reminder;
      });
      slack.setUserTimeZone(person.user, person.timeZone);
    }

    const env = {
      SLACK_BOT_TOKEN: slack.bot.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: sharedDatabase.url,
      FRAMEWORKS_CACHE_DIR: 'off',
      TZ: 'Australia/Sydney',
      NODE_OPTIONS: `--import ${path.join(PROJECT_ROOT, 'test/support/shifted-clock.mjs')}`,
      TEST_CLOCK_OFFSET_MS: String(CLOCK - Date.now()),
    };
    const processes: AppProcess[] = [];
    onTestFinished(async () => {
      await Promise.all(processes.map((app) => app.stop()));
    });
    const off = await startAppProcess({ ...env, REMINDERS: 'off' });
    processes.push(off);
    // Logged once it listens, maybe just after the line startAppProcess waited for.
    await expect
      .poll(() => off.output(), { timeout: 10_000, interval: 50 })
      .toContain('Check-in reminders are off in this copy of the app (REMINDERS=off)');
    const on = await Promise.all([startAppProcess(env), startAppProcess(env)]);
    processes.push(...on);

    // Five seconds after they started, the two look; one of them, or both, send the four that are due.
    const due = PEOPLE.filter((person) => person.nextDueAt !== undefined);
    await expect
      .poll(() => on.map(sentBy).reduce((a, b) => a + b, 0), { timeout: 60_000, interval: 250 })
      .toBe(due.length);

    // Once each: one direct message per person, none for the one not due.
    const posted = slack.calls.filter((call) => call.method === 'chat.postMessage');
    expect(posted.map((call) => call.args.channel).sort()).toEqual(due.map((person) => person.user).sort());
    expect(posted.every((call) => call.ok)).toBe(true);
    expect(sentBy(off)).toBe(0);
    expect(off.output()).not.toMatch(/Reminders:/);

    // What the store keeps: sent at the processes' time, next at 10:00 local a month on.
    for (const person of PEOPLE) {
      const kept = (await store.get(keyOf(person))).reminder;
      if (person.nextDueAt === undefined) {
        expect(kept, person.user).toMatchObject({ dueAt: person.dueAt });
        expect(kept?.lastSentAt, person.user).toBeUndefined();
      } else {
        expect(kept, person.user).toMatchObject({ dueAt: person.nextDueAt, timeZone: person.timeZone });
        expect(kept?.lastSentAt?.slice(0, 13), person.user).toBe('2027-03-26T10');
        expect(kept?.claim, person.user).toBeUndefined();
      }
    }
  }, 180_000);
});
