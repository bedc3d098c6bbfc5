import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import {
  isFinishedStatus,
  NOTE_MAX,
  PLAN_ITEMS_MAX,
  type Plan,
  type PlanItem,
  type PlanStatus,
} from '../model/growth.js';
import type { PersonKey } from '../model/person.js';
import type { AssessmentRecord } from '../model/records.js';
import { normalizeTimeZone } from '../model/reminders.js';
import type { Store, UpdateOptions } from '../store/store.js';
import { analyse } from './gaps.js';

/**
 * A person's plan for their gaps: for each focus area of an assessment (and those worth a
 * conversation the person chose), a goal, a next step and a target date; how each item goes (open,
 * moving, stuck, done, dropped); and what is due. Every change is one `store.update` of the person,
 * decided from what is stored there and then. Dates are days (YYYY-MM-DD) in the person's own time
 * zone, which the plan keeps. Plain TypeScript: nothing here knows Slack.
 */

/** The day `now` is in `timeZone` (UTC when the zone is not known), as YYYY-MM-DD. */
export function todayIn(timeZone: string, now: Date): string {
  return DateTime.fromJSDate(now, { zone: normalizeTimeZone(timeZone) }).toFormat('yyyy-MM-dd');
}

/** `day` plus `days` days, as YYYY-MM-DD. */
export function addDays(day: string, days: number): string {
  return DateTime.fromISO(day, { zone: 'UTC' }).plus({ days }).toFormat('yyyy-MM-dd');
}

/** Whether `day` is a real calendar day written as YYYY-MM-DD. */
const isDay = (day: string): boolean =>
  /^\d{4}-\d{2}-\d{2}$/.test(day) && DateTime.fromISO(day, { zone: 'UTC' }).isValid;

/** One item as the person gave it in the form: a goal, a next step and a target date for one competency. */
export type PlanEntry = { competencyId: string; goal: string; nextStep: string; targetDate: string };

/** What can be wrong with one field of an entry. */
export type EntryProblem = 'missing' | 'too-long' | 'not-a-date' | 'in-the-past';

/**
 * One competency's fields, checked: `empty` when neither a goal nor a next step was given (no item,
 * whatever the date says); else the entry, or what is wrong with each field. Goal and next step are
 * both needed once either is given, each at most NOTE_MAX characters; the target date is needed and
 * may not be before `today` (the person's today, in their zone).
 */
export type EntryCheck =
  | { kind: 'empty' }
  | { kind: 'ok'; goal: string; nextStep: string; targetDate: string }
  | { kind: 'problems'; goal?: EntryProblem; nextStep?: EntryProblem; targetDate?: EntryProblem };

export function checkEntry(
  fields: { goal?: string | null; nextStep?: string | null; targetDate?: string | null },
  today: string,
): EntryCheck {
  const goal = (fields.goal ?? '').trim();
  const nextStep = (fields.nextStep ?? '').trim();
  const targetDate = (fields.targetDate ?? '').trim();
  if (goal === '' && nextStep === '') return { kind: 'empty' };
  const text = (value: string): EntryProblem | undefined =>
    value === '' ? 'missing' : [...value].length > NOTE_MAX ? 'too-long' : undefined;
  const problems = {
    goal: text(goal),
    nextStep: text(nextStep),
    targetDate:
      targetDate === ''
        ? ('missing' as const)
        : !isDay(targetDate)
          ? ('not-a-date' as const)
          : targetDate < today
            ? ('in-the-past' as const)
            : undefined,
  };
  if (problems.goal === undefined && problems.nextStep === undefined && problems.targetDate === undefined) {
    return { kind: 'ok', goal, nextStep, targetDate };
  }
  return {
    kind: 'problems',
    ...(problems.goal ? { goal: problems.goal } : {}),
    ...(problems.nextStep ? { nextStep: problems.nextStep } : {}),
    ...(problems.targetDate ? { targetDate: problems.targetDate } : {}),
  };
}

/**
 * The competencies of an assessment a plan may have items for: its focus areas (two or more below),
 * then those worth a conversation (one below), in the order gaps.ts gives them.
 */
export function plannable(record: Pick<AssessmentRecord, 'competencies' | 'nextLevelName'>): {
  focusAreas: { id: string; name: string; rating: number; expected: number }[];
  worthAConversation: { id: string; name: string; rating: number; expected: number }[];
} {
  const summary = analyse(record);
  const rows = (list: typeof summary.focusAreas) =>
    list.map((row) => ({ id: row.id, name: row.name, rating: Number(row.rating), expected: row.expected }));
  return { focusAreas: rows(summary.focusAreas), worthAConversation: rows(summary.worthAConversation) };
}

/** Open items first as they are, then finished ones, most recently finished first. */
export const openItems = (plan: Pick<Plan, 'items'>): PlanItem[] =>
  plan.items.filter((item) => !isFinishedStatus(item.status));

export const finishedItems = (plan: Pick<Plan, 'items'>): PlanItem[] =>
  plan.items
    .filter((item) => isFinishedStatus(item.status))
    .sort(
      (a, b) =>
        (b.finishedOn ?? '').localeCompare(a.finishedOn ?? '') || b.updatedAt.localeCompare(a.updatedAt),
    );

/** Whether an open item's target date is before `today`. */
export const isOverdue = (item: PlanItem, today: string): boolean =>
  !isFinishedStatus(item.status) && item.targetDate < today;

/**
 * What is due: the open items whose target date is at most `withinDays` days after `today` (the
 * person's today), those already past it (`overdue`) apart, each soonest first.
 */
export function dueItems(
  plan: Pick<Plan, 'items'>,
  today: string,
  withinDays: number,
): { overdue: PlanItem[]; dueSoon: PlanItem[] } {
  const until = addDays(today, withinDays);
  const open = openItems(plan).sort((a, b) => a.targetDate.localeCompare(b.targetDate));
  return {
    overdue: open.filter((item) => item.targetDate < today),
    dueSoon: open.filter((item) => item.targetDate >= today && item.targetDate <= until),
  };
}

/** Keeps at most PLAN_ITEMS_MAX items, dropping the finished ones that finished first. */
function capped(items: PlanItem[]): PlanItem[] {
  let excess = items.length - PLAN_ITEMS_MAX;
  if (excess <= 0) return items;
  const oldestFinished = finishedItems({ items }).reverse();
  const dropped = new Set<PlanItem>();
  for (const item of oldestFinished) {
    if (excess <= 0) break;
    dropped.add(item);
    excess -= 1;
  }
  return items.filter((item) => !dropped.has(item));
}

export type MakeOutcome =
  | { kind: 'made'; plan: Plan }
  /** The assessment is not (or no longer) among the person's. */
  | { kind: 'no-assessment' }
  /** Entries for competencies that are not a gap of that assessment: nothing was saved. */
  | { kind: 'not-a-gap'; competencyIds: string[] };

export type StatusOutcome =
  | { kind: 'set'; plan: Plan; item: PlanItem; changed: boolean }
  /** No such item in the person's plan (an old message, or a plan made again since). */
  | { kind: 'no-item' };

const newItemId = (): string => randomUUID().replaceAll('-', '').slice(0, 16);

export class Plans {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The person's plan, if they made one. */
  async of(person: PersonKey): Promise<Plan | undefined> {
    return (await this.store.get(person)).plan;
  }

  /** The day it is now in `timeZone`. */
  today(timeZone: string): string {
    return todayIn(timeZone, this.now());
  }

  /**
   * Makes the person's plan from one of their assessments, or makes it again: the items not finished
   * yet are replaced by `entries`; finished ones (done, dropped) are kept with their date. The plan
   * remembers `timeZone` (the person's, 'UTC' when unknown) and keeps its canvas, if it has one.
   */
  async make(
    person: PersonKey,
    input: { recordId: string; timeZone: string | undefined; entries: readonly PlanEntry[] },
    options: UpdateOptions = {},
  ): Promise<MakeOutcome> {
    const at = this.now().toISOString();
    return this.store.update(
      person,
      (data): MakeOutcome => {
        const record = data.history.find((r) => r.id === input.recordId);
        if (!record) return { kind: 'no-assessment' };
        const { focusAreas, worthAConversation } = plannable(record);
        const names = new Map([...focusAreas, ...worthAConversation].map((c) => [c.id, c.name]));
        const strangers = input.entries.filter((e) => !names.has(e.competencyId)).map((e) => e.competencyId);
        if (strangers.length > 0) return { kind: 'not-a-gap', competencyIds: strangers };
        const made: PlanItem[] = input.entries.map((entry) => ({
          id: newItemId(),
          competencyId: entry.competencyId,
          competencyName: names.get(entry.competencyId) ?? entry.competencyId,
          goal: entry.goal,
          nextStep: entry.nextStep,
          targetDate: entry.targetDate,
          status: 'open',
          createdAt: at,
          updatedAt: at,
        }));
        const kept = data.plan ? data.plan.items.filter((item) => isFinishedStatus(item.status)) : [];
        const plan: Plan = {
          frameworkId: record.frameworkId,
          levelId: record.levelId,
          assessmentId: record.id,
          roleName: record.roleName,
          levelName: record.levelName,
          timeZone: normalizeTimeZone(input.timeZone ?? data.plan?.timeZone),
          createdAt: data.plan?.createdAt ?? at,
          updatedAt: at,
          items: capped([...made, ...kept]),
          ...(data.plan?.canvas ? { canvas: data.plan.canvas } : {}),
        };
        data.plan = plan;
        return { kind: 'made', plan };
      },
      options,
    );
  }

  /**
   * Sets how one item goes. Done and dropped finish it on the person's today (in `timeZone` when
   * given — the zone Slack says now — else the plan's); moving it back to open, moving or stuck
   * takes that date away. Setting the status it has already changes nothing.
   */
  async setStatus(
    person: PersonKey,
    itemId: string,
    status: PlanStatus,
    timeZone?: string,
  ): Promise<StatusOutcome> {
    const now = this.now();
    return this.store.update(person, (data): StatusOutcome => {
      const plan = data.plan;
      const item = plan?.items.find((i) => i.id === itemId);
      if (!plan || !item) return { kind: 'no-item' };
      if (item.status === status) return { kind: 'set', plan, item, changed: false };
      if (timeZone !== undefined) plan.timeZone = normalizeTimeZone(timeZone);
      item.status = status;
      item.updatedAt = now.toISOString();
      if (isFinishedStatus(status)) item.finishedOn = todayIn(plan.timeZone, now);
      else delete item.finishedOn;
      plan.updatedAt = item.updatedAt;
      return { kind: 'set', plan, item, changed: true };
    });
  }

  /** Keeps (or, with undefined, forgets) the canvas the plan was opened as; the plan, if there is one. */
  async setCanvas(person: PersonKey, canvas: { id: string } | undefined): Promise<Plan | undefined> {
    return this.store.update(person, (data) => {
      const plan = data.plan;
      if (!plan) return undefined;
      if (canvas) plan.canvas = canvas;
      else delete plan.canvas;
      return plan;
    });
  }
}
