import { type Logger, webApi } from '@slack/bolt';
import type { Plan } from '../../model/growth.js';
import type { PersonKey } from '../../model/person.js';
import { normalizeTimeZone } from '../../model/reminders.js';
import type { Deps } from '../deps.js';
import { rateLimitedFor } from '../failures.js';
import { planMarkdown } from '../views/plan.js';

/**
 * What the plan's listeners share: the person's time zone as Slack has it, and the plan's canvas —
 * made by Open as a canvas, and kept in step whenever the plan changes. Canvases are Slack's, so
 * they are made here, at the edge, never in the domain. Where the workspace does not allow them, or
 * the canvas was deleted, nothing fails: the outcome says so, and the plan stays on the Home tab.
 */

/**
 * The person's IANA time zone (`users.info`, scope `users:read`), the way check-in reminders learn
 * it; 'UTC' when Slack does not say (or cannot be asked now).
 */
export async function timeZoneOf(
  client: webApi.WebClient,
  logger: Pick<Logger, 'warn'>,
  userId: string,
): Promise<string> {
  try {
    const info = await client.users.info({ user: userId });
    return normalizeTimeZone(typeof info.user?.tz === 'string' ? info.user.tz : undefined);
  } catch (error) {
    logger.warn('Could not read the time zone of a person changing their plan; using UTC', error);
    return 'UTC';
  }
}

export type CanvasOutcome =
  /** A canvas was made of the plan (and the person may edit it). */
  | { kind: 'made'; id: string }
  /** The plan's canvas now says what the plan says. */
  | { kind: 'updated' }
  /** The plan has no canvas: nothing to keep in step. */
  | { kind: 'none' }
  /** The workspace does not allow the app canvases (no scope, canvases off, a free plan…). */
  | { kind: 'not-allowed' }
  /** The canvas was deleted in Slack: the plan no longer has one. */
  | { kind: 'gone' }
  /** Slack did not answer as it should, or asked to wait: nothing changed; try again later. */
  | { kind: 'failed' };

/** Errors meaning the app may not make or change canvases in this workspace. */
const NOT_ALLOWED = new Set([
  'missing_scope',
  'not_allowed',
  'not_allowed_token_type',
  'canvas_disabled',
  'canvases_disabled',
  'team_not_allowed',
  'feature_not_enabled',
  'restricted_action',
  'free_teams_cannot_create_standalone_canvases',
  'free_team_canvas_tab_already_exists',
  'not_authorized',
  'access_denied',
]);

/** Errors meaning the canvas is no longer there. */
const GONE = new Set(['canvas_not_found', 'canvas_deleted', 'file_not_found', 'file_deleted', 'not_found']);

function platformError(error: unknown): string | undefined {
  if (error instanceof Error && 'code' in error && error.code === webApi.ErrorCode.PlatformError) {
    const data = (error as { data?: { error?: unknown } }).data;
    return typeof data?.error === 'string' ? data.error : undefined;
  }
  return undefined;
}

/** What a failed canvas call means. */
function outcomeOf(error: unknown, logger: Pick<Logger, 'warn'>, what: string): CanvasOutcome {
  const code = platformError(error);
  if (code !== undefined && NOT_ALLOWED.has(code)) return { kind: 'not-allowed' };
  if (code !== undefined && GONE.has(code)) return { kind: 'gone' };
  logger.warn(
    `Could not ${what}${rateLimitedFor(error) === undefined ? '' : ' (Slack asked to wait)'}`,
    error,
  );
  return { kind: 'failed' };
}

const document = (plan: Plan) => ({ type: 'markdown' as const, markdown: planMarkdown(plan) });

/**
 * Open as a canvas: makes the plan a canvas the person may edit, and keeps its id with the plan.
 * When the plan has a canvas already, brings it in step instead (and, if it was deleted, makes a new one).
 */
export async function openAsCanvas(
  deps: Deps,
  client: webApi.WebClient,
  logger: Pick<Logger, 'warn'>,
  to: { person: PersonKey; userId: string },
  plan: Plan,
): Promise<CanvasOutcome> {
  if (plan.canvas) {
    const kept = await keepCanvasInStep(deps, client, logger, to.person, plan);
    if (kept.kind !== 'gone') return kept;
  }
  let id: string;
  try {
    const made = await client.canvases.create({
      title: `Plan · ${plan.roleName} · ${plan.levelName}`.slice(0, 150),
      document_content: document(plan),
    });
    if (typeof made.canvas_id !== 'string' || made.canvas_id === '') return { kind: 'failed' };
    id = made.canvas_id;
  } catch (error) {
    return outcomeOf(error, logger, 'make a canvas of a plan');
  }
  try {
    // The app owns the canvas it made and rewrites it whenever the plan changes, so the person gets to
    // read it, not to write in it (what they wrote would be replaced): they change the plan in Home.
    await client.canvases.access.set({ canvas_id: id, access_level: 'read', user_ids: [to.userId] });
  } catch (error) {
    logger.warn('Made a canvas of a plan, but could not give the person access to it', error);
  }
  await deps.plans.setCanvas(to.person, { id });
  return { kind: 'made', id };
}

/**
 * After the plan changed: its canvas, if it has one, is rewritten to say what the plan says. A
 * canvas deleted in Slack is forgotten (the plan offers Open as a canvas again).
 */
export async function keepCanvasInStep(
  deps: Deps,
  client: webApi.WebClient,
  logger: Pick<Logger, 'warn'>,
  person: PersonKey,
  plan: Plan | undefined,
): Promise<CanvasOutcome> {
  const canvas = plan?.canvas;
  if (!plan || !canvas) return { kind: 'none' };
  try {
    await client.canvases.edit({
      canvas_id: canvas.id,
      changes: [{ operation: 'replace', document_content: document(plan) }],
    });
    return { kind: 'updated' };
  } catch (error) {
    const outcome = outcomeOf(error, logger, "bring a plan's canvas in step");
    if (outcome.kind === 'gone') await deps.plans.setCanvas(person, undefined);
    return outcome;
  }
}

/** What to tell the person about their canvas after a change, when there is something to tell. */
export function canvasNote(outcome: CanvasOutcome, teamId?: string): string | undefined {
  switch (outcome.kind) {
    case 'made':
      return teamId
        ? `:memo: Your plan is a canvas now: <https://app.slack.com/docs/${teamId}/${outcome.id}|open it>. It changes with your plan.`
        : ':memo: Your plan is a canvas now, among your canvases in Slack. It changes with your plan.';
    case 'not-allowed':
      return 'Canvases are not available to the app in this workspace, so your plan stays on the app’s Home tab, where you can change it at any time.';
    case 'gone':
      return 'The canvas of your plan was deleted, so it is no longer kept in step. Press *Open as a canvas* to make a new one; your plan itself is safe on the Home tab.';
    case 'failed':
      return 'Slack did not let the canvas be changed just now; your plan is safe on the app’s Home tab. It catches up the next time your plan changes, or press the canvas button on your plan again in a minute.';
    default:
      return undefined;
  }
}
