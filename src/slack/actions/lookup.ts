import type { BlockAction, Logger, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { roleOptionsOf } from '../../frameworks/role-options.js';
import type { Deps } from '../deps.js';
import { personOf } from '../person.js';
import { isNote, lookupFormView, lookupMetadataOf, roleNoticeFor } from '../views/lookup-modal.js';

/**
 * The choices in the "Look up a competency" form (the global shortcut's, shortcuts/lookup.ts): a
 * role, a domain, and Look up another under an answer. Each updates the form in place.
 */

/**
 * A form that could not be updated: closed meanwhile (Slack answers `not_found`), which is nobody's
 * problem, or anything else, which is for the operator.
 */
function formNotUpdated(logger: Logger, what: string, error: unknown): void {
  const code = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  if (code === 'not_found') logger.info(`${what}: the form was closed meanwhile`);
  else logger.error(what, error);
}

/**
 * A role chosen in the form's menu: the form again, with that role's domain menu (only when it has
 * several) and level menu.
 */
export function chooseRoleAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return async function chooseRole({ ack, action, body, client, logger, context }) {
    await ack();
    const viewId = body.view?.id;
    if (!viewId) return;
    const raw = (action as { selected_option?: { value?: unknown } | null }).selected_option?.value;
    const value = typeof raw === 'string' ? raw.slice(0, 200) : undefined;
    const role =
      value === undefined || isNote(value)
        ? undefined
        : roleOptionsOf(await deps.catalogFor(personOf(context))).get(value);
    const notice = roleNoticeFor(value, role !== undefined);
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
  return async function chooseDomain({ ack, action, body, client, logger, context }) {
    await ack();
    const view = body.view;
    if (!view?.id) return;
    const roleId = lookupMetadataOf(view.private_metadata).r;
    const role =
      roleId === undefined ? undefined : roleOptionsOf(await deps.catalogFor(personOf(context))).get(roleId);
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
