/**
 * The rules of team views that settings choose within: K, and how long answers are kept.
 */

/** K: how many people must have shared a role × level before anything of it is shown. */
export const TEAM_MIN_PEOPLE = { default: 5, min: 3, max: 10 } as const;

/** How long an answered team view is kept to compare later answers with, in days. */
export const TEAM_VIEW_MEMORY_DAYS = { default: 30, min: 1, max: 365 } as const;

/** Throws unless `k` is a whole number in the range the configuration allows. */
export function checkMinPeople(k: number): number {
  if (!Number.isInteger(k) || k < TEAM_MIN_PEOPLE.min || k > TEAM_MIN_PEOPLE.max) {
    throw new RangeError(
      `A team view needs K between ${TEAM_MIN_PEOPLE.min} and ${TEAM_MIN_PEOPLE.max} people, not ${k}`,
    );
  }
  return k;
}

/**
 * The K an org's team views use: the server's, or more if the org's admins chose more; never fewer
 * (orgs/admin.ts refuses a lower choice too).
 */
export function orgTeamMinimum(
  serverMinimum: number,
  settings: { teamViewMinimum?: number | undefined },
): number {
  return Math.max(serverMinimum, settings.teamViewMinimum ?? 0);
}
