import type {
  BlockAction,
  Logger,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { type RoleOptions, roleOptionsOf } from '../../frameworks/role-options.js';
import type { Framework, Level } from '../../frameworks/schema.js';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { LookupId } from '../ids.js';
import { personOf } from '../person.js';
import { tellPrivately } from '../reply.js';
import { failureMessage } from '../views/error.js';
import {
  blockIdOf,
  isNote,
  type LookupErrors,
  type LookupMetadata,
  lookupAnswerView,
  lookupErrors,
  lookupFormView,
  lookupMetadataOf,
  MORE,
  NO_MATCH,
} from '../views/lookup-modal.js';

/**
 * "Look up a competency", the app's global shortcut: a form with a role menu that fills itself as
 * the person types, then the role's domains (when it has several) and levels; Show puts the
 * framework at that level, with its usual buttons, in place of the form.
 */

/** What the form's menus hold, as Slack sends them in `view.state.values`. */
type StateValues = Record<
  string,
  Record<string, { selected_option?: { value?: unknown } | null } | undefined>
>;

function selected(values: StateValues | undefined, blockId: string, actionId: string): string | undefined {
  const block = values && Object.hasOwn(values, blockId) ? values[blockId] : undefined;
  const input = block && Object.hasOwn(block, actionId) ? block[actionId] : undefined;
  const value = input?.selected_option?.value;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export type LookupOutcome =
  | { kind: 'found'; framework: Framework; level: Level }
  | { kind: 'errors'; errors: LookupErrors }
  /** The menus shown are not the chosen role's (the form was not updated yet): show that role's. */
  | { kind: 'form'; roleId: string };

/** What a submitted form asks for: the framework and level, or what is missing, by menu. */
export function resolveLookup(
  roles: RoleOptions,
  values: StateValues | undefined,
  metadata: LookupMetadata,
): LookupOutcome {
  const roleId = selected(values, LookupId.role, LookupId.role);
  if (roleId === undefined || isNote(roleId)) return { kind: 'errors', errors: lookupErrors.noRole() };
  const role = roles.get(roleId);
  if (!role) return { kind: 'errors', errors: lookupErrors.unknownRole() };
  if (metadata.r !== role.id) return { kind: 'form', roleId: role.id };

  let framework: Framework | undefined;
  if (role.frameworks.length === 1) framework = role.frameworks[0];
  else {
    const domainId = selected(values, blockIdOf.domain(role.id), LookupId.domain);
    framework = role.frameworks.find((f) => f.domain.id === domainId);
  }
  if (!framework) return { kind: 'errors', errors: lookupErrors.noDomain(role) };
  const levelId = selected(values, blockIdOf.level(role.id), LookupId.level);
  if (levelId === undefined) return { kind: 'errors', errors: lookupErrors.noLevel(role) };
  const level = framework.levels.find((l) => l.id === levelId);
  if (!level) return { kind: 'errors', errors: lookupErrors.levelNotInDomain(role, framework) };
  return { kind: 'found', framework, level };
}

/**
 * A form that could not be updated: closed meanwhile (Slack answers `not_found`), which is nobody's
 * problem, or anything else, which is for the operator.
 */
function formNotUpdated(logger: Logger, what: string, error: unknown): void {
  const code = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  if (code === 'not_found') logger.info(`${what}: the form was closed meanwhile`);
  else logger.error(what, error);
}

/** The shortcut: opens the form. A global shortcut has no channel, so a failure is told in a direct message. */
export function lookupShortcut(deps: Deps): Middleware<SlackShortcutMiddlewareArgs> {
  return async function lookUpACompetency({ shortcut, ack, client, logger }) {
    await ack();
    // Built before the form opens, so the first options request finds the ranking ready.
    roleOptionsOf(deps.catalog);
    try {
      await client.views.open({ trigger_id: shortcut.trigger_id, view: lookupFormView() });
    } catch (error) {
      logger.error('Could not open the Look up a competency form', error);
      await tellPrivately(
        client,
        logger,
        { userId: shortcut.user.id, channelId: undefined },
        failureMessage(failureOf(error, 'read')),
      );
    }
  };
}

/** What the form says when the role menu's choice is a note rather than a role. */
function noticeFor(value: string | undefined, found: boolean): string | undefined {
  if (value === NO_MATCH)
    return 'No role matched what you typed. Try fewer letters, or open the menu to see every role.';
  if (value === MORE) return 'Type more of the name to find the role.';
  if (value !== undefined && !found)
    return 'That role is no longer there. Type part of a name and choose again.';
  return undefined;
}

/**
 * A role chosen in the form's menu: the form again, with that role's domain menu (only when it has
 * several) and level menu.
 */
export function chooseRoleAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return async function chooseRole({ ack, action, body, client, logger }) {
    await ack();
    const viewId = body.view?.id;
    if (!viewId) return;
    const raw = (action as { selected_option?: { value?: unknown } | null }).selected_option?.value;
    const value = typeof raw === 'string' ? raw.slice(0, 200) : undefined;
    const role = value === undefined || isNote(value) ? undefined : roleOptionsOf(deps.catalog).get(value);
    const notice = noticeFor(value, role !== undefined);
    try {
      await client.views.update({
        view_id: viewId,
        view: lookupFormView({ ...(role ? { role } : {}), ...(notice ? { notice } : {}) }),
      });
    } catch (error) {
      formNotUpdated(logger, 'Could not update the Look up a competency form with the chosen role', error);
    }
  };
}

/**
 * A domain chosen in the form's menu (a role with several): the form again, its level menu listing
 * that domain's levels. A choice for a role the form no longer shows changes nothing.
 */
export function chooseDomainAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return async function chooseDomain({ ack, action, body, client, logger }) {
    await ack();
    const view = body.view;
    if (!view?.id) return;
    const roleId = lookupMetadataOf(view.private_metadata).r;
    const role = roleId === undefined ? undefined : roleOptionsOf(deps.catalog).get(roleId);
    if (!role) return;
    const raw = (action as { selected_option?: { value?: unknown } | null }).selected_option?.value;
    const domain = role.frameworks.find((f) => f.domain.id === raw);
    if (!domain) return;
    try {
      await client.views.update({ view_id: view.id, view: lookupFormView({ role, domain }) });
    } catch (error) {
      formNotUpdated(logger, 'Could not update the Look up a competency form with the chosen domain', error);
    }
  };
}

/** Look up another, under an answer: the empty form again. */
export function lookupAgainAction(): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return async function lookUpAnother({ ack, body, client, logger }) {
    await ack();
    const viewId = body.view?.id;
    if (!viewId) return;
    try {
      await client.views.update({ view_id: viewId, view: lookupFormView() });
    } catch (error) {
      formNotUpdated(logger, 'Could not show the Look up a competency form again', error);
    }
  };
}

/**
 * Show: the framework at the chosen level replaces the form (in the acknowledgement, so it appears at
 * once), with Rate yourself — or Continue rating, when the person has a run under way — and the other
 * buttons of a framework answer, which then answer in this modal. What is missing is said under its menu.
 */
export function lookupSubmission(deps: Deps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> {
  return async function showLookedUp({ ack, view, context, logger }) {
    const roles = roleOptionsOf(deps.catalog);
    const outcome = resolveLookup(
      roles,
      view.state?.values as StateValues | undefined,
      lookupMetadataOf(view.private_metadata),
    );
    if (outcome.kind === 'errors') {
      await ack({ response_action: 'errors', errors: outcome.errors });
      return;
    }
    if (outcome.kind === 'form') {
      const role = roles.get(outcome.roleId);
      await ack({ response_action: 'update', view: lookupFormView(role ? { role } : {}) });
      return;
    }
    let progress: { position: number; total: number } | undefined;
    try {
      progress = await deps.assessments.progress(personOf(context), outcome.framework.id);
    } catch (error) {
      // The answer is still worth showing; Rate yourself finds the run when pressed.
      logger.warn('Could not read rating progress for a looked-up framework', error);
    }
    await ack({
      response_action: 'update',
      view: lookupAnswerView(outcome.framework, outcome.level, { rate: { progress } }),
    });
  };
}
