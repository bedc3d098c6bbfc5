import { type Logger, webApi } from '@slack/bolt';
import { DateTime } from 'luxon';
import { currentRatingsIn } from '../assessments/assessments.js';
import { todayIn } from '../assessments/plans.js';
import type { FrameworksOfOrgs } from '../frameworks/org-catalogs.js';
import { orgOfPerson, type PersonKey } from '../model/person.js';
import type { PersonData, ReminderSetting } from '../model/records.js';
import { isKnownTimeZone, REMINDER_HOUR } from '../model/reminders.js';
import type { Clock, ReminderSender, SendOutcome } from '../reminders/scheduler.js';
import { rateLimitedFor } from './failures.js';
import { WorkspaceZones } from './time-zones.js';
import { reminderMessage } from './views/reminders.js';

/**
 * Sends check-in reminders to Slack, for the ReminderScheduler: for each one due, a WebClient for the
 * reminder's workspace (the app's token in single-workspace mode; in distributed mode the
 * installation's, found by Bolt's authorize and kept a minute), the person's time zone as Slack has
 * it now, and the reminder as a direct message (`chat.postMessage` to the user id, which opens the DM: no
 * conversations.open). Zones are learnt a workspace at a time (`users.list` pages, read again once
 * a day: time-zones.ts), so a wave of reminders costs about one call each; someone not in the list
 * costs one `users.info`, and while Slack asks the list to wait, the zone kept is used. What Slack
 * answers decides what the scheduler does next: sent; retry (a 429 at its Retry-After, marked
 * `rateLimited` so the scheduler pauses that workspace; anything passing a bit later); or gone (the
 * person or the install cannot be reached: the reminder is stopped).
 */

/** A client to call Slack with for a reminder's workspace, and the token to pass (distributed mode). */
type SlackTarget = { client: webApi.WebClient; token?: string };

/**
 * The client for the workspace (or org install) a reminder goes through; undefined when the app is
 * no longer installed there. Throws when that cannot be told now (the store is unreachable).
 */
export type ClientFor = (reminder: ReminderSetting) => Promise<SlackTarget | undefined>;

export type ReminderSenderOptions = {
  /** The frameworks of each org: a reminder is about a framework of the person's org. */
  frameworks: FrameworksOfOrgs;
  clientFor: ClientFor;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** The scheduler's clock, so retry times and the send window follow it. */
  now: () => Date;
  /** The same clock's sleep, for a reading of a workspace's people that Slack asked to wait. */
  sleep?: Clock['sleep'];
};

/** People per users.list page: Slack suggests no more than 200. */
const PEOPLE_PAGE = 200;

/** Errors after which the person (or the install) cannot be reached: the reminder is stopped. */
const GONE = new Set([
  'user_not_found',
  'users_not_found',
  'account_inactive',
  'user_disabled',
  'not_authed',
  'invalid_auth',
  'token_revoked',
  'cannot_dm_bot',
  'team_not_found',
  'enterprise_not_found',
  'no_installation',
]);

/**
 * How long the client (and token) found for a workspace serves its next reminders: a wave sends
 * thousands to one workspace, and finding it means reading and unsealing its installation.
 */
const TARGET_KEPT_MS = 60_000;

/** What Slack says of a token no longer good: with a kept one, the installation is read again. */
const STALE_TOKEN = new Set(['not_authed', 'invalid_auth', 'token_revoked', 'token_expired']);

/** How long to wait after a failure Slack gave no Retry-After for. */
const RETRY_LATER_MS = 15 * 60_000;
/** A reminder is never sent after this local hour; it waits for the next working day at 10:00. */
const LAST_HOUR = 18;

/** The `error` of a Web API platform error (`{ ok: false, error }`), else undefined. */
function platformError(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && error.code === webApi.ErrorCode.PlatformError) {
    const data = (error as { data?: { error?: unknown } }).data;
    return typeof data?.error === 'string' ? data.error : undefined;
  }
  return undefined;
}

/**
 * When a reminder may go, in the person's zone: now if it is a working day (Mon–Fri) between 10:00
 * and 18:00 there; else the next working day at 10:00. A reminder due at 10:00 in the zone it was set
 * with goes at once; one whose person moved zones (Slack now says another) never goes at night.
 */
function notBefore(now: Date, timeZone: string): Date | undefined {
  const local = DateTime.fromJSDate(now, { zone: isKnownTimeZone(timeZone) ? timeZone : 'UTC' });
  if (local.weekday <= 5 && local.hour >= REMINDER_HOUR && local.hour < LAST_HOUR) return undefined;
  let at = local.set({ hour: REMINDER_HOUR, minute: 0, second: 0, millisecond: 0 });
  if (local.hour >= REMINDER_HOUR) at = at.plus({ days: 1 });
  while (at.weekday > 5) at = at.plus({ days: 1 });
  return at.toJSDate();
}

/** What a failed call means for the reminder. */
function outcomeOfError(error: unknown, now: Date): SendOutcome {
  const retryAfter = rateLimitedFor(error);
  if (retryAfter !== undefined)
    return { kind: 'retry', at: new Date(now.getTime() + Math.max(1, retryAfter) * 1000), rateLimited: true };
  const code = platformError(error);
  if (code !== undefined && GONE.has(code)) return { kind: 'gone' };
  return { kind: 'retry', at: new Date(now.getTime() + RETRY_LATER_MS) };
}

/** Which workspace (or org install) a reminder goes through: its client and its people's zones are kept by it. */
const workspaceOf = (reminder: ReminderSetting): string =>
  `${reminder.enterpriseId ?? ''}:${reminder.teamId}`;

/** The token argument of a call through `target` (none when its client carries the token). */
const tokenOf = (target: SlackTarget): { token?: string } =>
  target.token === undefined ? {} : { token: target.token };

export function createReminderSender(options: ReminderSenderOptions): ReminderSender {
  const { frameworks, logger, now } = options;
  const kept = new Map<string, { target: SlackTarget; until: number }>();
  /** The workspace's client: the one found less than TARGET_KEPT_MS ago, else found now (`fresh`: always). */
  const targetFor = async (
    reminder: ReminderSetting,
    fresh = false,
  ): Promise<{ target: SlackTarget | undefined; wasKept: boolean }> => {
    const key = workspaceOf(reminder);
    const at = now().getTime();
    const found = kept.get(key);
    if (!fresh && found !== undefined && found.until > at) return { target: found.target, wasKept: true };
    kept.delete(key);
    const target = await options.clientFor(reminder);
    if (target) kept.set(key, { target, until: at + TARGET_KEPT_MS });
    return { target, wasKept: false };
  };
  const zones = new WorkspaceZones(
    { now, sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))) },
    logger,
  );
  return async (
    person: PersonKey,
    reminder: ReminderSetting,
    data: Readonly<PersonData>,
  ): Promise<SendOutcome> => {
    const framework = (await frameworks.for(orgOfPerson(person))).get(reminder.frameworkId);
    const level = framework?.levels.find((l) => l.id === reminder.levelId);
    if (!framework || !level) {
      logger.warn(
        `Reminders: ${person}'s check-in is about ${reminder.frameworkId} · ${reminder.levelId}, which is no longer in the catalog; stopping it.`,
      );
      return { kind: 'gone' };
    }
    const found = await targetFor(reminder);
    const target = found.target;
    if (!target) return { kind: 'gone' };
    const token = tokenOf(target);

    // The person's zone as Slack has it now (scope users:read); the stored one if Slack does not say.
    const workspace = workspaceOf(reminder);
    const known = await zones.zoneOf(workspace, reminder.userId, async (cursor) => {
      const page = await target.client.users.list({
        limit: PEOPLE_PAGE,
        team_id: reminder.teamId,
        ...(cursor === '' ? {} : { cursor }),
        ...token,
      });
      return { members: page.members ?? [], nextCursor: page.response_metadata?.next_cursor ?? '' };
    });
    if (known.kind === 'deleted') return { kind: 'gone' };
    let timeZone = known.kind === 'zone' ? known.timeZone : undefined;
    if (known.kind === 'unlisted') {
      try {
        const info = await target.client.users.info({ user: reminder.userId, ...token });
        if (info.user?.deleted === true) {
          zones.remember(workspace, reminder.userId, null);
          return { kind: 'gone' };
        }
        if (typeof info.user?.tz === 'string' && isKnownTimeZone(info.user.tz)) {
          timeZone = info.user.tz;
          zones.remember(workspace, reminder.userId, timeZone);
        }
      } catch (error) {
        const outcome = outcomeOfError(error, now());
        if (outcome.kind !== 'retry' || rateLimitedFor(error) !== undefined) return outcome;
        logger.warn(`Reminders: users.info failed for ${person}; sending in the zone kept`, error);
      }
    }
    const later = notBefore(now(), timeZone ?? reminder.timeZone);
    if (later) return { kind: 'retry', at: later };

    // The person's ratings and plan as they were when the reminder was claimed, a moment ago.
    const ratings = currentRatingsIn(data, framework.id);
    const plan = data.plan;
    const first = framework.competencies[0];
    // The plan's dates are days in the person's zone: today is theirs.
    const zone = timeZone ?? plan?.timeZone ?? reminder.timeZone;
    const message = reminderMessage({
      reminder,
      framework,
      level,
      current: (first && ratings[first.id]) ?? null,
      ...(plan ? { plan: { plan, today: todayIn(zone, now()) } } : {}),
    });
    let via = target;
    let wasKept = found.wasKept;
    for (;;) {
      try {
        await via.client.chat.postMessage({
          channel: reminder.userId,
          text: message.text,
          blocks: message.blocks,
          ...tokenOf(via),
        });
        return timeZone === undefined ? { kind: 'sent' } : { kind: 'sent', timeZone };
      } catch (error) {
        const code = platformError(error);
        if (wasKept && code !== undefined && STALE_TOKEN.has(code)) {
          // The token kept may be one the workspace has since replaced (reinstalled): found again, once.
          const again = await targetFor(reminder, true);
          if (!again.target) return { kind: 'gone' };
          via = again.target;
          wasKept = false;
          continue;
        }
        const outcome = outcomeOfError(error, now());
        logger.warn(`Reminders: the check-in for ${person} was not sent (${outcome.kind})`, error);
        return outcome;
      }
    }
  };
}
