import { randomBytes } from 'node:crypto';
import { validateView } from '../block-kit.js';
import { isRecord, LOCAL_APP_ID, newTs, slackId } from '../defaults.js';
import type { Actor, SlackState } from './state.js';
import { invalidBlocks, type Method, type MethodAnswer, type MethodCall, missing, str } from './web-api.js';

/**
 * views.open (and views.push), views.update and views.publish: every view is checked against Slack's Block Kit
 * limits, and kept with an id and a hash, so views.update finds it (by id or external_id) and refuses
 * a stale hash. A person's Home tab keeps one view id.
 */

function viewsMethod(state: SlackState, { method, args, actor }: MethodCall): MethodAnswer {
  if (args.view === undefined) return { result: missing('view') };
  const problems = validateView(args.view);
  if (problems.length > 0) return { result: invalidBlocks(problems), problems };
  const view = args.view;
  if (!isRecord(view)) return { result: missing('view') };

  // views.push opens a view on top of the open one (a form from a button inside a modal).
  if (method === 'views.open' || method === 'views.push') {
    if (str(args.trigger_id) === undefined) return { result: missing('trigger_id') };
    if (view.type !== 'modal') return { result: { ok: false, error: 'invalid_arguments' } };
    return { result: { ok: true, view: storeView(state, slackId('V'), view, actor, args) } };
  }
  if (method === 'views.update') {
    if (view.type !== 'modal') return { result: { ok: false, error: 'invalid_arguments' } };
    const viewId = str(args.view_id);
    const externalId = str(args.external_id);
    if (viewId === undefined && externalId === undefined) return { result: missing('view_id') };
    const existing =
      viewId !== undefined
        ? state.views.get(viewId)
        : [...state.views.values()].find((v) => v.view.external_id === externalId);
    if (existing === undefined) return { result: { ok: false, error: 'not_found' } };
    if (str(args.hash) !== undefined && args.hash !== existing.hash) {
      return { result: { ok: false, error: 'hash_conflict' } };
    }
    return { result: { ok: true, view: storeView(state, existing.id, view, actor, args) } };
  }
  // views.publish: the Home tab of one user, same view id each time
  const userId = str(args.user_id);
  if (userId === undefined) return { result: missing('user_id') };
  if (view.type !== 'home') return { result: { ok: false, error: 'invalid_arguments' } };
  const id = state.homeViewIds.get(userId) ?? slackId('V');
  state.homeViewIds.set(userId, id);
  return { result: { ok: true, view: storeView(state, id, view, actor, args) } };
}

/** Keeps a view and returns it the way Slack does, with ids, hash and an empty state. */
function storeView(
  state: SlackState,
  id: string,
  view: Record<string, unknown>,
  actor: Actor,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const hash = `${newTs()}.${randomBytes(4).toString('hex')}`;
  const full: Record<string, unknown> = {
    id,
    team_id: state.workspaceOf(actor, args),
    type: view.type,
    blocks: view.blocks ?? [],
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    state: { values: {} },
    hash,
    title: view.title ?? null,
    clear_on_close: view.clear_on_close ?? false,
    notify_on_close: view.notify_on_close ?? false,
    close: view.close ?? null,
    submit: view.submit ?? null,
    previous_view_id: null,
    root_view_id: id,
    app_id: LOCAL_APP_ID,
    external_id: view.external_id ?? '',
    app_installed_team_id: actor.installation.target,
    bot_id: actor.installation.botId,
  };
  state.views.set(id, { id, hash, view: full });
  return full;
}

export const viewsMethods: Record<string, Method> = {
  'views.open': viewsMethod,
  'views.push': viewsMethod,
  'views.update': viewsMethod,
  'views.publish': viewsMethod,
};
