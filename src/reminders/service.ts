import type { OrgSettings } from '../model/org-data.js';
import { orgOfPerson, type PersonKey } from '../model/person.js';
import type { AssessmentRecord, Cadence, PersonData, ReminderSetting } from '../model/records.js';
import { normalizeTimeZone, setReminder, snoozeReminder, stopReminder } from '../model/reminders.js';
import type { Store } from '../store/store.js';

/**
 * Check-in reminders, as the person changes them from Slack (a summary, the Home tab, the reminder
 * itself): choose a cadence, stop, snooze. Each change is one `store.update` of that person, decided
 * from what is stored there and then, so a click delivered twice changes nothing the second time.
 * Plain TypeScript over the Store; the rules of due times are in reminders.ts.
 */

/** What a cadence button offers: a cadence, or off. */
export type CadenceChoice = Cadence | 'off';

/** Who the reminder goes to, and through which install: from the Slack context of the click. */
export type ReminderAddress = { userId: string; teamId: string; enterpriseId?: string | undefined };

export type CadenceOutcome =
  /** The reminder as it is now (`changed` false when it already was so: nothing was written). */
  | { kind: 'set'; reminder: ReminderSetting; changed: boolean; record: AssessmentRecord | undefined }
  /** Off: `was` says whether there was a reminder to stop. */
  | { kind: 'off'; was: boolean; record: AssessmentRecord | undefined }
  /** Nothing to check in on: no such assessment, and no reminder to take the framework from. */
  | { kind: 'no-assessment' };

export class Reminders {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
    /** An org's settings (cached beside its catalog: frameworks/org-catalogs.ts); read from the store unless given. */
    private readonly settingsOf: (org: string) => Promise<Readonly<OrgSettings>> = async (org) =>
      (await store.orgData(org)).settings,
  ) {}

  /** The person's reminder, if they asked for one. */
  async of(person: PersonKey): Promise<ReminderSetting | undefined> {
    return (await this.store.get(person)).reminder;
  }

  /**
   * The reminder to show under a summary: the person's (null when they have none), or undefined when
   * the store cannot say now. Never rejects: what the summary is about is done already, and a picker
   * without a current choice is better than no summary. `data`: the person's data, when the caller
   * has just read it (then it is not read again).
   */
  forSummary(
    person: PersonKey,
    data?: Readonly<PersonData>,
  ): Promise<{ current: ReminderSetting | null; suggested?: Cadence } | undefined> {
    return Promise.all([data ? data.reminder : this.of(person), this.suggested(person)]).then(
      ([reminder, suggested]) => ({ current: reminder ?? null, ...(suggested ? { suggested } : {}) }),
      () => undefined,
    );
  }

  /** The cadence the person's organisation suggests (its admins choose it), if any. */
  async suggested(person: PersonKey): Promise<Cadence | undefined> {
    return (await this.settingsOf(orgOfPerson(person))).cadence;
  }

  /**
   * Sets the cadence of the person's check-in reminder, or turns it off. The check-in is about the
   * framework and level of the assessment `recordId` (one of the person's own); without one, of the
   * reminder they have, else of their latest assessment. Choosing what is already set writes nothing
   * (the due date does not move). `timeZone` is the person's zone as Slack gave it (else the one kept,
   * else UTC): the reminder comes at 10:00 there, on a working day.
   */
  async setCadence(
    person: PersonKey,
    address: ReminderAddress,
    choice: CadenceChoice,
    options: { recordId?: string | undefined; timeZone?: string | undefined } = {},
  ): Promise<CadenceOutcome> {
    const now = this.now();
    return this.store.update(person, (data): CadenceOutcome => {
      const record = recordFor(data, options.recordId);
      if (choice === 'off') return { kind: 'off', was: stopReminder(data), record };
      const current = data.reminder;
      const about =
        record !== undefined && (options.recordId !== undefined || current === undefined)
          ? { frameworkId: record.frameworkId, levelId: record.levelId }
          : current !== undefined
            ? { frameworkId: current.frameworkId, levelId: current.levelId }
            : undefined;
      if (about === undefined) return { kind: 'no-assessment' };
      const timeZone = normalizeTimeZone(options.timeZone ?? current?.timeZone);
      if (
        current !== undefined &&
        current.cadence === choice &&
        current.frameworkId === about.frameworkId &&
        current.levelId === about.levelId &&
        current.userId === address.userId &&
        current.timeZone === timeZone
      ) {
        return { kind: 'set', reminder: current, changed: false, record };
      }
      const reminder = setReminder(
        data,
        {
          cadence: choice,
          ...about,
          userId: address.userId,
          teamId: address.teamId,
          ...(address.enterpriseId ? { enterpriseId: address.enterpriseId } : {}),
          timeZone,
        },
        now,
      );
      return { kind: 'set', reminder, changed: true, record };
    });
  }

  /** Stop reminders: the person's reminder is removed. True if there was one. */
  stop(person: PersonKey): Promise<boolean> {
    return this.store.update(person, (data) => stopReminder(data));
  }

  /**
   * Snooze a week: the next reminder comes at 10:00 local on a working day at least seven days from
   * now. Undefined when the person has no reminder (they stopped it meanwhile).
   */
  snooze(person: PersonKey): Promise<ReminderSetting | undefined> {
    const now = this.now();
    return this.store.update(person, (data) => {
      const reminder = snoozeReminder(data, now);
      return reminder === undefined ? undefined : { ...reminder };
    });
  }
}

/** The assessment a check-in is about: the one named, else the latest. */
function recordFor(data: Readonly<PersonData>, recordId: string | undefined): AssessmentRecord | undefined {
  if (recordId !== undefined) return data.history.find((r) => r.id === recordId);
  return data.history.at(-1);
}
