import type { PlanItem, PlanStatus, Share } from '../model/growth.js';
import type { PersonKey } from '../model/person.js';
import type { AssessmentRecord, PersonData } from '../model/records.js';
import { analyse, type Change, changesSince, type GapRow } from './gaps.js';
import { dueItems, todayIn } from './plans.js';

/**
 * The 1:1 summary of a share's two people (see shares.ts): what to talk about, from the owner's
 * latest assessment and plan, and what moved since their last 1:1 summary. Pure: the owner's data
 * and the share in, the summary out.
 */

/** How many days ahead a plan item's target date makes it due for the 1:1. */
export const ONE_ON_ONE_DAYS = 14;

/** How a plan item changed since the last 1:1 summary: a new item, or its status then and now. */
export type ItemMove = { item: PlanItem; from: PlanStatus | undefined; to: PlanStatus };

export type OneOnOne = {
  kind: 'one-on-one';
  owner: PersonKey;
  ownerUserId: string;
  colleagueUserId: string;
  /** The owner's latest finished assessment (undefined: none). */
  record: AssessmentRecord | undefined;
  /** Its focus areas (two or more below), largest gap first. */
  focusAreas: GapRow[];
  /** The owner's today in their plan's time zone, and that zone. */
  today: string;
  timeZone: string | undefined;
  /** Open plan items past their target date, and those due within ONE_ON_ONE_DAYS, soonest first. */
  overdue: PlanItem[];
  dueSoon: PlanItem[];
  /** What moved since the last 1:1 summary; undefined for the first one. */
  since:
    | {
        at: string;
        /**
         * Ratings that changed between the latest assessment then and the latest now: `same` when it
         * is the same assessment, `changes` when a newer one of the same framework came, `other` when
         * the newer one is of another framework (not compared), `gone` when the one then is not kept
         * any more, `none` when there was none then.
         */
        ratings:
          | { kind: 'same' }
          | { kind: 'changes'; before: AssessmentRecord; changes: Change[] }
          | { kind: 'other' | 'gone' | 'none' };
        items: ItemMove[];
        /** Items the plan had then and no longer has (a new plan replaced them). */
        removed: number;
      }
    | undefined;
};

/** The 1:1 summary of `share` from the owner's data at `now`. */
export function oneOnOneOf(data: Readonly<PersonData>, share: Share, owner: PersonKey, now: Date): OneOnOne {
  const record = data.history.at(-1);
  const plan = data.plan;
  const today = todayIn(plan?.timeZone ?? 'UTC', now);
  const due = plan ? dueItems(plan, today, ONE_ON_ONE_DAYS) : { overdue: [], dueSoon: [] };
  const mark = share.lastOneOnOne;
  let since: OneOnOne['since'];
  if (mark) {
    const items: ItemMove[] = [];
    for (const item of plan?.items ?? []) {
      const before = Object.hasOwn(mark.items, item.id) ? mark.items[item.id] : undefined;
      if (before !== item.status) items.push({ item, from: before, to: item.status });
    }
    const current = new Set((plan?.items ?? []).map((i) => i.id));
    const removed = Object.keys(mark.items).filter((id) => !current.has(id)).length;
    since = { at: mark.at, ratings: ratingMoves(data.history, mark.assessmentId, record), items, removed };
  }
  return {
    kind: 'one-on-one',
    owner,
    ownerUserId: share.ownerUserId,
    colleagueUserId: share.withUserId,
    record,
    focusAreas: record ? analyse(record).focusAreas : [],
    today,
    timeZone: plan?.timeZone,
    overdue: due.overdue,
    dueSoon: due.dueSoon,
    since,
  };
}

function ratingMoves(
  history: readonly AssessmentRecord[],
  thenId: string | undefined,
  latest: AssessmentRecord | undefined,
): NonNullable<OneOnOne['since']>['ratings'] {
  if (thenId === undefined || latest === undefined) return { kind: 'none' };
  if (thenId === latest.id) return { kind: 'same' };
  const then = history.find((r) => r.id === thenId);
  if (!then) return { kind: 'gone' };
  if (then.frameworkId !== latest.frameworkId) return { kind: 'other' };
  return { kind: 'changes', before: then, changes: changesSince(then, latest) };
}
