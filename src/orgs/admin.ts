import type { OrgData } from '../model/org-data.js';
import type { Cadence } from '../model/records.js';

/**
 * What an org's admins change, as plain functions on the org's record (Store.updateOrgData runs them
 * under the org's lock): publish a framework or a new version of it, retire and restore one, hide
 * and show a bundled framework, and the org's own team-view threshold. Each change that does
 * something says so in the org's change log, with who made it and when; a change that would do
 * nothing says why, and writes nothing.
 */

/** Who changes what, and when (ISO 8601): the admin's Slack user id. */
export type Actor = { by: string; at: string };

/** The lowest and highest team-view threshold an org may choose (never below the server's). */
const ORG_TEAM_MIN = { lowest: 3, highest: 10 } as const;

export type PublishOutcome = { kind: 'published'; first: boolean; restored: boolean };

/**
 * Keeps a new version of a framework the org owns (a new one, or the next version of one it has),
 * and puts it back in use if it was retired. The caller checked it (frameworks/upload.ts).
 */
export function publishIn(
  data: OrgData,
  framework: { id: string; version: string; yaml: string; name: string },
  actor: Actor,
): PublishOutcome {
  const version = {
    version: framework.version,
    yaml: framework.yaml,
    publishedAt: actor.at,
    publishedBy: actor.by,
  };
  const known = data.frameworks.find((f) => f.id === framework.id);
  const restored = known?.retired !== undefined;
  if (known) {
    known.versions.push(version);
    delete known.retired;
  } else {
    data.frameworks.push({ id: framework.id, versions: [version] });
  }
  log(data, actor, `published ${framework.name} (${framework.id}), version ${framework.version}`);
  return { kind: 'published', first: !known, restored };
}

export type ChangeOutcome = { kind: 'changed' } | { kind: 'unchanged'; why: string };

/** Hides one of the org's own frameworks from everyone in the org; its versions and assessments are kept. */
export function retireIn(data: OrgData, id: string, actor: Actor): ChangeOutcome {
  const known = data.frameworks.find((f) => f.id === id);
  if (!known) return { kind: 'unchanged', why: `${id} is not one of your organisation's frameworks.` };
  if (known.retired) return { kind: 'unchanged', why: `${id} is already retired.` };
  known.retired = { at: actor.at, by: actor.by };
  log(data, actor, `retired ${id}`);
  return { kind: 'changed' };
}

/** Puts a retired framework back in use, at its newest version. */
export function restoreIn(data: OrgData, id: string, actor: Actor): ChangeOutcome {
  const known = data.frameworks.find((f) => f.id === id);
  if (!known) return { kind: 'unchanged', why: `${id} is not one of your organisation's frameworks.` };
  if (!known.retired) return { kind: 'unchanged', why: `${id} is in use already.` };
  delete known.retired;
  log(data, actor, `restored ${id}`);
  return { kind: 'changed' };
}

/** Hides (or shows again) a framework that comes with the app, for this org only. */
export function showBundledIn(
  data: OrgData,
  id: string,
  show: boolean,
  bundledIds: ReadonlySet<string>,
  actor: Actor,
): ChangeOutcome {
  if (!bundledIds.has(id))
    return { kind: 'unchanged', why: `${id} is not a framework that comes with the app.` };
  const hidden = data.hiddenBundled.includes(id);
  if (show === !hidden) return { kind: 'unchanged', why: `${id} is ${show ? 'shown' : 'hidden'} already.` };
  data.hiddenBundled = show ? data.hiddenBundled.filter((h) => h !== id) : [...data.hiddenBundled, id];
  log(data, actor, `${show ? 'showed' : 'hid'} the bundled framework ${id}`);
  return { kind: 'changed' };
}

/**
 * The org's team-view threshold K: from 3 to 10, and never below the server's minimum (which an
 * operator sets for every org, TEAM_MIN_PEOPLE). `undefined` goes back to the server's.
 */
export function setTeamMinimumIn(
  data: OrgData,
  k: number | undefined,
  serverMinimum: number,
  actor: Actor,
): ChangeOutcome {
  const lowest = Math.max(ORG_TEAM_MIN.lowest, serverMinimum);
  if (k !== undefined && (!Number.isInteger(k) || k < lowest || k > ORG_TEAM_MIN.highest)) {
    return {
      kind: 'unchanged',
      why: `choose a whole number from ${lowest} to ${Math.max(lowest, ORG_TEAM_MIN.highest)} (this server never shows a team view of fewer than ${serverMinimum} people).`,
    };
  }
  if (data.settings.teamViewMinimum === k)
    return { kind: 'unchanged', why: 'that is the threshold already.' };
  if (k === undefined) delete data.settings.teamViewMinimum;
  else data.settings.teamViewMinimum = k;
  log(
    data,
    actor,
    k === undefined ? "team views: back to the server's threshold" : `team views: at least ${k} people`,
  );
  return { kind: 'changed' };
}

/**
 * The user group whose members may also change the org's frameworks (`undefined`: admins only).
 * `label` is how the log names it (its handle).
 */
export function setEditorsIn(
  data: OrgData,
  group: { id: string; label: string } | undefined,
  actor: Actor,
): ChangeOutcome {
  if (data.settings.editorsGroup === group?.id)
    return { kind: 'unchanged', why: 'that is the editors group already.' };
  if (group === undefined) delete data.settings.editorsGroup;
  else data.settings.editorsGroup = group.id;
  log(
    data,
    actor,
    group === undefined ? 'framework editors: admins only' : `framework editors: ${group.label}`,
  );
  return { kind: 'changed' };
}

/** The check-in cadence offered first to people who have none (`undefined`: no suggestion). */
export function setCadenceIn(data: OrgData, cadence: Cadence | undefined, actor: Actor): ChangeOutcome {
  if (data.settings.cadence === cadence) return { kind: 'unchanged', why: 'that is the suggestion already.' };
  if (cadence === undefined) delete data.settings.cadence;
  else data.settings.cadence = cadence;
  log(
    data,
    actor,
    cadence === undefined ? 'check-ins: no cadence suggested' : `check-ins: ${cadence} suggested`,
  );
  return { kind: 'changed' };
}

function log(data: OrgData, actor: Actor, what: string): void {
  data.log.push({ at: actor.at, by: actor.by, what });
}
