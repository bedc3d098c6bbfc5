import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { type RoleOptions, roleOptionsOf } from '../../frameworks/role-options.js';
import type { Framework, Level } from '../../frameworks/schema.js';
import type { Deps } from '../deps.js';
import { LookupId } from '../ids.js';
import { personOf } from '../person.js';
import {
  blockIdOf,
  isNote,
  type LookupErrors,
  type LookupMetadata,
  lookupAnswerView,
  lookupErrors,
  lookupFormView,
  lookupMetadataOf,
} from '../views/lookup-modal.js';

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
 * Show, in the "Look up a competency" form (the global shortcut's, shortcuts/lookup.ts): the
 * framework at the chosen level replaces the form (in the acknowledgement, so it appears at once),
 * with Rate yourself — or Continue rating, when the person has a run under way — and the other
 * buttons of a framework answer, which then answer in this modal. What is missing is said under its menu.
 */
export function lookupSubmission(deps: Deps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> {
  return async function showLookedUp({ ack, view, context, logger }) {
    const roles = roleOptionsOf(await deps.catalogFor(personOf(context)));
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
