import { randomUUID } from 'node:crypto';
import type { KeptTeamView, TeamViewScope } from './records.js';

/**
 * The records every store keeps of recently answered team views (KeptTeamView), and what a store does
 * to them when people go: pure functions, shared by the stores. The rule that reads them is in
 * src/assessments/team.ts.
 */

/** The key of a scope in the data file, e.g. `["T0123","solutions-architect.e-commerce","senior"]`. */
export function teamViewsKey(scope: TeamViewScope): string {
  return JSON.stringify([scope.org, scope.frameworkId, scope.levelId]);
}

/** The scope a key of `teamViewsKey` names. */
export function scopeOfKey(key: string): TeamViewScope | undefined {
  try {
    const parsed: unknown = JSON.parse(key);
    if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => typeof p === 'string'))
      return undefined;
    const [org, frameworkId, levelId] = parsed as [string, string, string];
    return { org, frameworkId, levelId };
  } catch {
    return undefined;
  }
}

/** One person's part in a team view: their user id and the assessment of theirs that counted. */
export function contributorOf(userId: string, assessmentId: string): string {
  return `${userId}#${assessmentId}`;
}

/** The user id in a contributor (undefined for an anonymous stand-in). Assessment ids have no `#`. */
function userOfContributor(contributor: string): string | undefined {
  const hash = contributor.lastIndexOf('#');
  return hash < 0 ? undefined : contributor.slice(0, hash);
}

/**
 * Replaces, in every kept view, the contributors of these users with anonymous stand-ins (one per
 * person and view): their ids are gone, while each still counts as a person who changed, so a later
 * answer without them is compared as it would have been. Returns whether anything changed.
 */
export function anonymise(kept: KeptTeamView[], users: ReadonlySet<string>): boolean {
  let changed = false;
  for (const view of kept) {
    const standIns = new Map<string, string>();
    const replace = (contributor: string): string => {
      const user = userOfContributor(contributor);
      if (user === undefined || !users.has(user)) return contributor;
      let standIn = standIns.get(contributor);
      if (standIn === undefined) {
        standIn = `~${randomUUID()}`;
        standIns.set(contributor, standIn);
      }
      return standIn;
    };
    view.contributors = view.contributors.map(replace);
    for (const [competency, unrated] of Object.entries(view.shown))
      view.shown[competency] = unrated.map(replace);
    if (standIns.size > 0) changed = true;
  }
  return changed;
}

/** Whether any of these views names one of these users (to find what `anonymise` must change). */
export function names(kept: readonly KeptTeamView[], users: ReadonlySet<string>): boolean {
  return kept.some((view) =>
    view.contributors.some((contributor) => {
      const user = userOfContributor(contributor);
      return user !== undefined && users.has(user);
    }),
  );
}
