import type { PersonKey } from './person.js';

/**
 * What a person keeps to grow from a rating, as data: notes on their ratings, evidence from Slack
 * messages, a plan for their gaps, and what they share with one chosen person (their manager, say).
 * All of it lives in the person's own record (PersonData), so that export, forget and uninstall reach
 * it like everything else. The bottom layer: it imports nothing of the app's but other model files.
 */

/** The most characters a note may have (on a rating, a review's answer, a piece of evidence, a plan item). */
export const NOTE_MAX = 500;

/** A person's note on their current rating of one competency: carried into the assessment they finish. */
export type CompetencyNote = {
  text: string;
  /** When it was last written (ISO 8601). */
  at: string;
};

/**
 * A Slack message a person added as evidence for one competency. The app keeps where the message is
 * (its permalink, channel and timestamp), when it was posted and who added it — never its words,
 * which may be someone else's.
 */
export type Evidence = {
  /** Random; names it on buttons. */
  id: string;
  frameworkId: string;
  competencyId: string;
  /** The competency's name when it was added, for surfaces that no longer have the framework. */
  competencyName: string;
  /** Slack's link to the message (chat.getPermalink). */
  permalink: string;
  channelId: string;
  messageTs: string;
  /** When the message was posted (ISO 8601, from its timestamp). */
  postedAt: string;
  /** When it was added, and by whom (the person's Slack user id). */
  addedAt: string;
  addedBy: string;
  /** The person's own words about it, at most NOTE_MAX characters. */
  note?: string;
};

/** The most pieces of evidence a person keeps per competency, and in all. */
export const EVIDENCE_PER_COMPETENCY_MAX = 25;
export const EVIDENCE_MAX = 500;

/** Where a plan item stands: just made, moving, stuck; or finished: done or dropped. */
export const PLAN_STATUSES = ['open', 'moving', 'stuck', 'done', 'dropped'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** Done and dropped items are finished: kept with the date they finished, no longer asked about. */
export const isFinishedStatus = (status: PlanStatus): boolean => status === 'done' || status === 'dropped';

/** One item of a plan: a goal for one competency, the next step towards it and a target date. */
export type PlanItem = {
  /** Random; names it on buttons. */
  id: string;
  competencyId: string;
  competencyName: string;
  goal: string;
  nextStep: string;
  /** The target date as the person chose it (YYYY-MM-DD), a day in their own time zone. */
  targetDate: string;
  status: PlanStatus;
  createdAt: string;
  updatedAt: string;
  /** The day it was done or dropped (YYYY-MM-DD, in the person's time zone). */
  finishedOn?: string;
};

/** A person's plan: items for the focus areas (and, if they chose, those worth a conversation) of one assessment. */
export type Plan = {
  /** The framework and level it is for, and the assessment it was made from. */
  frameworkId: string;
  levelId: string;
  assessmentId: string;
  roleName: string;
  levelName: string;
  /** The person's IANA time zone when the plan was last changed ('UTC' when unknown): what its dates mean. */
  timeZone: string;
  createdAt: string;
  updatedAt: string;
  /** Current items first as the person made them, then finished ones kept from earlier plans. */
  items: PlanItem[];
  /** The canvas the plan was opened as, kept in step with it; absent when none was made. */
  canvas?: { id: string };
};

/** The most items a plan keeps, finished ones included (the oldest finished go first). */
export const PLAN_ITEMS_MAX = 60;

/** What a 1:1 summary remembers, to say next time what moved since. */
export type OneOnOneMark = {
  at: string;
  /** The latest assessment then, if there was one. */
  assessmentId?: string;
  /** Each plan item's status then. */
  items: Record<string, PlanStatus>;
};

/**
 * Read-only access the person gave one chosen colleague to their latest assessment, its notes,
 * evidence and plan, until they take it back. Kept in the person's record; the colleague's record
 * keeps only an index entry (ShareReceived), so that forgetting the colleague ends it.
 */
export type Share = {
  /** Random; new for each share, so an old message's buttons stop working once it is taken back. */
  id: string;
  /** The colleague's Slack user id and person key (same workspace or org as the person). */
  withUserId: string;
  with: PersonKey;
  /** The person's own Slack user id, to mention them in the colleague's direct message. */
  ownerUserId: string;
  at: string;
  /** The direct message the colleague got, to mark it taken back there. */
  message?: { channel: string; ts: string };
  /** The last 1:1 summary of the two of them. */
  lastOneOnOne?: OneOnOneMark;
};

/** An entry of a colleague's index: the share `id` kept in the record of person `of`. */
export type ShareReceived = { of: PersonKey; id: string };

/** The most people a person shares with at once. */
export const SHARES_MAX = 10;
