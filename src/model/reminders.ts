import { DateTime, IANAZone } from 'luxon';
import type { Cadence, PersonData, ReminderSetting } from './records.js';

/**
 * Check-in reminders, the domain: when the next one is due, and the changes a person (set, stop,
 * snooze) or a sending instance (complete, release) makes to the setting kept in their record.
 * Plain functions on PersonData, meant to run inside `store.update`; no Slack here.
 *
 * Due times are 10:00 local on a working day (Monday to Friday), in the person's IANA time zone, and
 * are computed by local calendar dates, so a daylight-saving change between two reminders still
 * gives 10:00 local. They are kept as instants in UTC (`dueAt`), which is what stores order by.
 */

export const CADENCES: readonly Cadence[] = ['monthly', 'quarterly'];

/** The local hour reminders come at. */
export const REMINDER_HOUR = 10;

const MONTHS: Record<Cadence, number> = { monthly: 1, quarterly: 3 };

/**
 * Zones already asked about, and the answer. luxon's check builds an Intl.DateTimeFormat every time
 * (about 0.1 ms), and a check-in wave asks about the same few zones for every reminder, four times each.
 * There are some 600 IANA zones: a name past that many is one no one uses, and the map starts over
 * rather than grow with whatever names it is given.
 */
const knownZones = new Map<string, boolean>();
const KNOWN_ZONES_KEPT = 1_000;

/** Whether `timeZone` is an IANA zone luxon knows (else due times count it as UTC). */
export function isKnownTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  let known = knownZones.get(timeZone);
  if (known === undefined) {
    known = IANAZone.isValidZone(timeZone);
    if (knownZones.size >= KNOWN_ZONES_KEPT) knownZones.clear();
    knownZones.set(timeZone, known);
  }
  return known;
}

/** The zone as given when it is known, else 'UTC'. */
export function normalizeTimeZone(timeZone: string | undefined): string {
  return timeZone !== undefined && isKnownTimeZone(timeZone) ? timeZone : 'UTC';
}

/** 10:00 local on `day`'s date, or on the first working day after it. */
function atReminderHourOnWorkingDay(day: DateTime): Date {
  let at = day.set({ hour: REMINDER_HOUR, minute: 0, second: 0, millisecond: 0 });
  // luxon: 1 = Monday … 6 = Saturday, 7 = Sunday.
  while (at.weekday > 5) {
    at = at.plus({ days: 1 }).set({ hour: REMINDER_HOUR, minute: 0, second: 0, millisecond: 0 });
  }
  return at.toJSDate();
}

/**
 * The first working day (Mon–Fri) at 10:00 in `timeZone` that is at least one cadence (1 or 3
 * calendar months, local) after `after`. DST-correct; an unknown zone counts as UTC.
 *
 * "At least one cadence after" is counted in local calendar dates: set on 20 February (at any hour),
 * a monthly reminder is due on 20 March at 10:00 local, or on the Monday after when that is a weekend.
 * A month without that date ends it: 31 January + 1 month is 28 (or 29) February.
 */
export function nextDueAt(after: Date, cadence: Cadence, timeZone: string): Date {
  const zone = normalizeTimeZone(timeZone);
  // The answer depends on the local date of `after` alone, and a check-in wave asks the same one for
  // everyone of a zone: kept by zone, cadence and that date. luxon works it out with a dozen zone
  // offsets, each a formatToParts of ICU's (about 0.4 ms in all); the date is one format().
  const key = `${zone}\n${cadence}\n${dayFormatOf(zone).format(after)}`;
  let due = dueDates.get(key);
  if (due === undefined) {
    const local = DateTime.fromJSDate(after, { zone });
    due = atReminderHourOnWorkingDay(local.plus({ months: MONTHS[cadence] })).getTime();
    if (dueDates.size >= DUE_DATES_KEPT) dueDates.clear();
    dueDates.set(key, due);
  }
  return new Date(due);
}

/** nextDueAt's answers (ms), by zone, cadence and local date. */
const dueDates = new Map<string, number>();
const DUE_DATES_KEPT = 10_000;

/** A formatter of the date in each zone (any format: it only tells dates apart). */
const dayFormats = new Map<string, Intl.DateTimeFormat>();
function dayFormatOf(zone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    if (dayFormats.size >= KNOWN_ZONES_KEPT) dayFormats.clear();
    dayFormats.set(zone, format);
  }
  return format;
}

/** 10:00 local on the first working day at least 7 days after `now` (by local dates, as nextDueAt). */
export function snoozedDueAt(now: Date, timeZone: string): Date {
  const local = DateTime.fromJSDate(now, { zone: normalizeTimeZone(timeZone) });
  return atReminderHourOnWorkingDay(local.plus({ days: 7 }));
}

export type ReminderInput = Omit<ReminderSetting, 'dueAt' | 'setAt' | 'claim' | 'lastSentAt' | 'snoozedAt'>;

/**
 * Sets (or replaces) the person's reminder: the next one is due one cadence after `now`. An
 * unknown time zone is kept as 'UTC'. A claim an instance held on the old setting is dropped, so a
 * send in flight cannot move the new due time (its completion finds no claim and does nothing).
 */
export function setReminder(data: PersonData, input: ReminderInput, now: Date): ReminderSetting {
  const timeZone = normalizeTimeZone(input.timeZone);
  const reminder: ReminderSetting = {
    cadence: input.cadence,
    frameworkId: input.frameworkId,
    levelId: input.levelId,
    userId: input.userId,
    teamId: input.teamId,
    ...(input.enterpriseId === undefined ? {} : { enterpriseId: input.enterpriseId }),
    timeZone,
    dueAt: nextDueAt(now, input.cadence, timeZone).toISOString(),
    ...(data.reminder?.lastSentAt === undefined ? {} : { lastSentAt: data.reminder.lastSentAt }),
    setAt: now.toISOString(),
  };
  data.reminder = reminder;
  return reminder;
}

/** Removes the person's reminder; true if there was one. */
export function stopReminder(data: PersonData): boolean {
  if (data.reminder === undefined) return false;
  delete data.reminder;
  return true;
}

/**
 * Puts the next reminder off by a week (to 10:00 local on a working day at least 7 days from `now`).
 * Undefined when the person has no reminder. A claim held on it is dropped, as in setReminder.
 */
export function snoozeReminder(data: PersonData, now: Date): ReminderSetting | undefined {
  const reminder = data.reminder;
  if (reminder === undefined) return undefined;
  reminder.dueAt = snoozedDueAt(now, reminder.timeZone).toISOString();
  reminder.snoozedAt = now.toISOString();
  delete reminder.claim;
  return reminder;
}

/** When stores should consider it due: the claim's `until` while it is later than dueAt, else dueAt. */
export function effectiveDueAt(r: ReminderSetting): string {
  if (r.claim !== undefined && Date.parse(r.claim.until) > Date.parse(r.dueAt)) return r.claim.until;
  return r.dueAt;
}

/** The person's reminder, if `claimId` holds it now. */
function held(data: PersonData, claimId: string): ReminderSetting | undefined {
  const reminder = data.reminder;
  return reminder?.claim !== undefined && reminder.claim.id === claimId ? reminder : undefined;
}

/**
 * After a send: only if `claimId` still holds the claim. Sets lastSentAt, moves dueAt to the next one
 * (with the time zone Slack gave at send time, if any), clears the claim and any snooze.
 */
export function completeReminder(
  data: PersonData,
  claimId: string,
  sentAt: Date,
  timeZone?: string,
): boolean {
  const reminder = held(data, claimId);
  if (reminder === undefined) return false;
  if (timeZone !== undefined && isKnownTimeZone(timeZone)) reminder.timeZone = timeZone;
  reminder.lastSentAt = sentAt.toISOString();
  reminder.dueAt = nextDueAt(sentAt, reminder.cadence, reminder.timeZone).toISOString();
  delete reminder.claim;
  delete reminder.snoozedAt;
  return true;
}

/** A send failed for now (429, Slack down): due again at `retryAt`, claim cleared. Only if claimId holds. */
export function releaseReminder(data: PersonData, claimId: string, retryAt: Date): boolean {
  const reminder = held(data, claimId);
  if (reminder === undefined) return false;
  reminder.dueAt = retryAt.toISOString();
  delete reminder.claim;
  return true;
}

/**
 * The person or the install can no longer be reached (sender said `gone`): the reminder is removed,
 * only if `claimId` still holds it (a reminder set again meanwhile stays).
 */
export function dropClaimedReminder(data: PersonData, claimId: string): boolean {
  if (!held(data, claimId)) return false;
  delete data.reminder;
  return true;
}

/**
 * How stores claim a reminder, inside their update of the person: when it is due at `now`, it gets
 * the claim `{ id, until: now + leaseMs }` and a copy of it comes back; else undefined, unchanged.
 */
export function claimIfDue(
  data: PersonData,
  now: Date,
  leaseMs: number,
  id: string,
): ReminderSetting | undefined {
  const reminder = data.reminder;
  if (reminder === undefined || Date.parse(effectiveDueAt(reminder)) > now.getTime()) return undefined;
  reminder.claim = { id, until: new Date(now.getTime() + leaseMs).toISOString() };
  return structuredClone(reminder);
}
