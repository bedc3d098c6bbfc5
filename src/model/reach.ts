import { orgOfPerson, type PersonKey } from './person.js';
import type { InstallationRecord, PersonData } from './records.js';

/**
 * Who the installations still reach after an uninstall, and what an uninstall does to the people of
 * a workspace or org: the rules every store carries out (Store.uninstall), as pure functions.
 */

/** Whether `record` still covers the people whose keys start with `people`. */
function covers(record: Pick<InstallationRecord, 'id' | 'enterpriseId'>, people: string): boolean {
  return record.id === people || record.enterpriseId === people;
}

/**
 * Who the installations left after an uninstall still reach, of the people keyed under `people` (a
 * workspace, or an Enterprise Grid org): everyone, when one of them is the workspace's own or the
 * org's org-wide install; else, in a Grid org that keeps some workspace installs, the people who used
 * the app from one of those workspaces (`PersonData.workspaces`); else nobody. Someone whose
 * workspaces were never recorded is not known to be reached, so their data goes.
 */
export function reachedBy(
  remaining: readonly Pick<InstallationRecord, 'id' | 'enterpriseId'>[],
  people: string,
): { everyone: true } | { everyone: false; workspaces: Set<string> } {
  const covering = remaining.filter((record) => covers(record, people));
  if (covering.some((record) => record.id === people)) return { everyone: true };
  return { everyone: false, workspaces: new Set(covering.map((record) => record.id)) };
}

/**
 * Whose own data (OrgData: the frameworks it published, its settings) an uninstall deletes: of the
 * orgs it touches — the installation's own id (a workspace, or a Grid org installed org-wide) and the
 * workspace or Grid org its people are kept under (`people`) — each that no remaining installation
 * covers, by the same rule as people: an installation covers an org when it is that org's own, or
 * belongs to that Grid org. So a workspace's data goes with the workspace's install; a Grid org's goes
 * when neither its org-wide install nor any install of one of its workspaces is left, as its people's
 * and its team views do.
 */
export function orgsLeftBehind(
  target: { installation: string; people: string },
  remaining: readonly Pick<InstallationRecord, 'id' | 'enterpriseId'>[],
): string[] {
  const touched = [...new Set([target.installation, target.people])];
  return touched.filter((org) => !remaining.some((record) => covers(record, org)));
}

/** Whether a person with this data is reached by what `reachedBy` found. */
export function isReached(
  data: Readonly<Pick<PersonData, 'workspaces'>>,
  reach: ReturnType<typeof reachedBy>,
): boolean {
  if (reach.everyone) return true;
  return (data.workspaces ?? []).some((workspace) => reach.workspaces.has(workspace));
}

/**
 * What an uninstall does to the people of one workspace or org (`people`), given who is still reached:
 * who goes, and what is left of those who stay but hold reviews or shares with someone who goes (a
 * review they were given or a share they gave, or the index entry of one the other gave: withoutTiesTo). Pure: the stores carry it out.
 */
export function planUninstall(
  everyone: Iterable<readonly [PersonKey, Readonly<PersonData>]>,
  people: string,
  reach: ReturnType<typeof reachedBy>,
): { gone: PersonKey[]; kept: Map<PersonKey, PersonData> } {
  const gone: PersonKey[] = [];
  const staying: (readonly [PersonKey, Readonly<PersonData>])[] = [];
  for (const entry of everyone) {
    if (orgOfPerson(entry[0]) !== people) continue;
    if (isReached(entry[1], reach)) staying.push(entry);
    else gone.push(entry[0]);
  }
  const kept = new Map<PersonKey, PersonData>();
  if (gone.length === 0) return { gone, kept };
  const goneSet = new Set(gone);
  for (const [key, data] of staying) {
    const next = withoutTiesTo(data, goneSet);
    if (next !== undefined) kept.set(key, next);
  }
  return { gone, kept };
}

/**
 * The person's data without what ties them to these people: the reviews these people gave and the
 * index entries of reviews given to them; the shares given to them and the index entries of shares
 * they gave (see Share in growth.ts). Undefined when there is none.
 */
export function withoutTiesTo(
  data: Readonly<PersonData>,
  gone: ReadonlySet<PersonKey>,
): PersonData | undefined {
  const reviews = data.reviews?.filter((review) => !gone.has(review.reviewer));
  const given = data.reviewsGiven?.filter((entry) => !gone.has(entry.of));
  const shares = data.shares?.filter((share) => !gone.has(share.with));
  const received = data.sharesReceived?.filter((entry) => !gone.has(entry.of));
  if (
    reviews?.length === data.reviews?.length &&
    given?.length === data.reviewsGiven?.length &&
    shares?.length === data.shares?.length &&
    received?.length === data.sharesReceived?.length
  )
    return undefined;
  const next = structuredClone(data) as PersonData;
  const keep = <K extends 'reviews' | 'reviewsGiven' | 'shares' | 'sharesReceived'>(
    key: K,
    list: PersonData[K] | undefined,
  ) => {
    if (list === undefined || list.length === 0) delete next[key];
    else next[key] = list;
  };
  keep('reviews', reviews);
  keep('reviewsGiven', given);
  keep('shares', shares);
  keep('sharesReceived', received);
  return next;
}
