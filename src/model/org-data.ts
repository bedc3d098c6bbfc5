import type { Cadence } from './records.js';

/**
 * What an org keeps of its own, one record per org (Store.orgData): the frameworks it published, the
 * bundled frameworks it hides, its settings and the log of its admins' changes. An org is a workspace
 * (`T…`), or an Enterprise Grid org (`E…`) installed org-wide. Which orgs an uninstall takes it from
 * is in reach.ts (`orgsLeftBehind`). The bottom layer: it imports nothing of the app's but other
 * model files.
 */

/** One published version of an org's framework: its YAML text as the app normalised it (the store never parses it). */
export type PublishedVersion = {
  version: string;
  yaml: string;
  /** When, and by whom (a Slack user id), ISO 8601. */
  publishedAt: string;
  publishedBy: string;
};

/** A framework an org owns: every version it published, newest last; retired ones are hidden but kept. */
export type OrgFramework = {
  id: string;
  versions: PublishedVersion[];
  /** When and by whom it was retired; absent while it is in use (restoring it removes this). */
  retired?: { at: string; by: string };
};

/** A change an admin made, for the org's change log: when, who (a Slack user id), and what, in words. */
export type OrgChange = { at: string; by: string; what: string };

/** Settings an org chose; absent means the server's. */
export type OrgSettings = {
  /** K for the org's team views (never below the server's minimum: the app checks that). */
  teamViewMinimum?: number;
  /** The check-in cadence offered first. */
  cadence?: Cadence;
  /** A user group (`S…`) whose members may also change the org's frameworks (not who may). */
  editorsGroup?: string;
};

export type OrgData = {
  /** The org's own frameworks, in the order they were first published. */
  frameworks: OrgFramework[];
  /** Ids of bundled frameworks the org chose not to show. */
  hiddenBundled: string[];
  settings: OrgSettings;
  /** The change log, oldest first; only the last ORG_LOG_LIMIT entries are kept. */
  log: OrgChange[];
  /**
   * The store's, never the change's: 0 for an org with nothing kept; every change that writes gives
   * it a number greater than any the store gave before, to any org (one counter per store: a
   * sequence in PostgreSQL), so that an instance can tell with one cheap read (Store.orgRevision)
   * whether what it cached for the org is still current — also after the org's data was deleted
   * (an uninstall) and made again, when a revision of its own would start again from the bottom.
   */
  revision: number;
};

export const emptyOrgData = (): OrgData => ({
  frameworks: [],
  hiddenBundled: [],
  settings: {},
  log: [],
  revision: 0,
});

/**
 * How many entries of the change log are kept: the stores drop the oldest beyond these on every
 * write, so the log (and the record, read whole) stays bounded however long an org uses the app.
 */
export const ORG_LOG_LIMIT = 500;

/** Drops the oldest entries of the change log beyond ORG_LOG_LIMIT (as the stores do on every write). */
export function boundLog(data: OrgData): void {
  if (Array.isArray(data.log) && data.log.length > ORG_LOG_LIMIT)
    data.log = data.log.slice(data.log.length - ORG_LOG_LIMIT);
}

/** What stands for an admin's id in the org's record once they deleted their data (`/competency forget`). */
export const FORGOTTEN_ADMIN = 'forgotten';

/**
 * Replaces an admin's user id wherever the org's record names them (who published a version, who
 * retired a framework, who made a change) with FORGOTTEN_ADMIN. Returns whether it changed anything.
 */
export function forgetAdminIn(data: OrgData, userId: string): boolean {
  let changed = false;
  const swap = (id: string): string => {
    if (id !== userId) return id;
    changed = true;
    return FORGOTTEN_ADMIN;
  };
  for (const framework of data.frameworks) {
    for (const version of framework.versions) version.publishedBy = swap(version.publishedBy);
    if (framework.retired) framework.retired.by = swap(framework.retired.by);
  }
  for (const change of data.log) change.by = swap(change.by);
  return changed;
}

/** How many people of an org finished an assessment of one framework and level in one month (UTC, `YYYY-MM`). */
export type MonthlyCount = { frameworkId: string; levelId: string; month: string; people: number };

/**
 * Counts, per framework, level and month, the people of `org` (their key's org) who finished an
 * assessment then: each person once per cell, however many they finished. For Store.finishedPerMonth
 * in the stores that keep people in memory.
 */
export function countFinishedPerMonth(
  people: Iterable<
    readonly [string, { history: readonly { frameworkId: string; levelId: string; finishedAt: string }[] }]
  >,
  org: string,
): MonthlyCount[] {
  const prefix = `${org}:`;
  const cells = new Map<string, { cell: MonthlyCount; who: Set<string> }>();
  for (const [person, data] of people) {
    if (!person.startsWith(prefix)) continue;
    for (const record of data.history) {
      const month = record.finishedAt.slice(0, 7);
      const key = JSON.stringify([record.frameworkId, record.levelId, month]);
      let entry = cells.get(key);
      if (!entry) {
        entry = {
          cell: { frameworkId: record.frameworkId, levelId: record.levelId, month, people: 0 },
          who: new Set(),
        };
        cells.set(key, entry);
      }
      entry.who.add(person);
    }
  }
  return [...cells.values()].map(({ cell, who }) => ({ ...cell, people: who.size }));
}
