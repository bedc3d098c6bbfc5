import type { AnyMiddlewareArgs, Context, Logger, Middleware } from '@slack/bolt';
import { orgOfPerson, type PersonKey, personKey } from '../model/person.js';

/**
 * Who a request is from, on every surface (commands, clicks, forms, shortcuts, menus, events): one
 * derivation, made once per request by `identify` and read by every listener through `personOf`.
 *
 * Authorisation follows the installation (Bolt resolves it as the request's context); identity
 * follows the person:
 * - the org: the Enterprise Grid org when the person's workspace belongs to one, else the workspace.
 *   A command names the person's own workspace (`team_id`, `enterprise_id`). A click or form names
 *   the workspace whose installation posted the message as `team`, and the person's own in
 *   `user.team_id` (the org's `E…` id on org-wide installs): in a Slack Connect channel with the app
 *   installed on both sides, a guest clicking a post of the host's installation is named by the host
 *   as `team` and by their own workspace in `user.team_id` (slackapi/java-slack-sdk#1041), so the
 *   person's own workspace is taken from there, and its org from its installation when the app knows
 *   it. A person in a Grid org then has one key whichever workspace and surface they use;
 * - the user: who typed, clicked or opened the tab (`user_id`, `user.id`, `event.user`), never an
 *   id carried by a button.
 *
 * Slack always says who is acting; the app refuses requests that do not (see guard.ts) before any
 * listener runs, so `personOf` throws only on a request that slipped past that check.
 */

/** What `identify` puts in a request's context. */
type Identity = {
  person: PersonKey;
  workspace: string | undefined;
  /** When the person acted (see `actedAt`). */
  since: Date;
};

/**
 * Who is asking, for an answer worked out for them: their records key, their Slack user id (for
 * mentions in a shared post), and where; `inDmWithApp`: the listener found they are in their direct
 * messages with the app (see app-dm.ts).
 */
export type Asker = { person: PersonKey; userId: string; channelId?: string; inDmWithApp?: boolean };

/** The person a request is from (see above). */
export function personOf(context: Pick<Context, 'userId' | 'teamId' | 'enterpriseId'>): PersonKey {
  const identity = (context as { identity?: Identity }).identity;
  if (identity !== undefined) return identity.person;
  if (!context.userId) throw new Error('The request does not say who is acting');
  return personKey({ userId: context.userId, teamId: context.teamId, enterpriseId: context.enterpriseId });
}

/**
 * When the person asked for what this request does: Slack's time of the click, or when the request
 * arrived. Passed to the changes that may create someone's record, so that a deletion made after it
 * (`/competency forget`, or an uninstall) is not undone by it (Store.update's `madeAt`).
 */
export function madeAtOf(context: Pick<Context, 'userId'>): Date {
  return (context as { identity?: Identity }).identity?.since ?? new Date();
}

/** What `identify` needs to know beyond the request. */
export type IdentifyDeps = {
  /** The Enterprise Grid org a workspace belongs to, when the app knows it (from its installation). */
  orgOfWorkspace: (workspace: string) => Promise<string | undefined>;
  /**
   * Adds a workspace to those a person of a Grid org used the app from (nothing for someone with no
   * data); resolves with whether it is on their record now.
   */
  noteWorkspace: (person: PersonKey, workspace: string) => Promise<boolean>;
};

/** How many (person, workspace) pairs one process remembers having noted, so a request notes nothing twice. */
const NOTED_LIMIT = 10_000;

/**
 * The global middleware that says who is acting: sets `context.identity` (read by `personOf` and
 * `madeAtOf`), and, once the listeners are done, notes the workspace a person of an Enterprise Grid
 * org used the app from (PersonData.workspaces), when they have data and it is not noted yet: an
 * uninstall decides from it whom the remaining installations still reach. (An org-wide install's
 * clicks may not name the workspace; its commands do.)
 */
export function identify(
  deps: IdentifyDeps,
  now: () => Date = () => new Date(),
): Middleware<AnyMiddlewareArgs> {
  const noted = new Set<string>();
  return async ({ context, body, next, logger }) => {
    const received = now();
    if (!context.userId) {
      await next();
      return;
    }
    const identity: Identity = {
      // Most requests come from the installation's own workspace: known at once, nothing to await.
      ...(installedIdentity(context, body) ?? (await identityOf(context, body, deps, logger))),
      since: actedAt(body, received),
    };
    context.identity = identity;
    await next();
    const { person, workspace } = identity;
    if (workspace === undefined || workspace === orgOfPerson(person)) return;
    const pair = `${workspace} ${person}`;
    if (noted.has(pair)) return;
    try {
      if (!(await deps.noteWorkspace(person, workspace))) return;
      if (noted.size >= NOTED_LIMIT) noted.clear();
      noted.add(pair);
    } catch (error) {
      logger.warn('Could not note the workspace a person used the app from; the next request will', error);
    }
  };
}

/** The person's key and own workspace, from the request's context and body (see the top of this file). */
async function identityOf(
  context: Context,
  body: AnyMiddlewareArgs['body'],
  deps: Pick<IdentifyDeps, 'orgOfWorkspace'>,
  logger: Pick<Logger, 'warn'>,
): Promise<Omit<Identity, 'since'>> {
  const installed = installedIdentity(context, body);
  if (installed !== undefined) return installed;
  const userId = context.userId ?? '';
  const own = ownWorkspaceOf(body) ?? '';
  // Someone of another workspace than the installation that posted the message.
  if (isOrgId(own)) return { person: personKey({ userId, teamId: own }), workspace: undefined };
  let org: string | undefined;
  try {
    org = await deps.orgOfWorkspace(own);
  } catch (error) {
    logger.warn(`Could not look up the org of the workspace ${own}; taking the workspace as it is`, error);
  }
  return { person: personKey({ userId, teamId: own, enterpriseId: org }), workspace: own };
}

/** The identity of someone of the installation's own workspace or org (most requests); undefined for anyone else. */
function installedIdentity(
  context: Context,
  body: AnyMiddlewareArgs['body'],
): Omit<Identity, 'since'> | undefined {
  const own = ownWorkspaceOf(body);
  if (own !== undefined && own !== context.teamId && own !== context.enterpriseId) return undefined;
  return {
    person: personKey({
      userId: context.userId ?? '',
      teamId: context.teamId,
      enterpriseId: context.enterpriseId,
    }),
    workspace: workspaceId(context.teamId),
  };
}

/** `user.team_id` of a click, form, shortcut or menu: the workspace of the person acting. */
function ownWorkspaceOf(body: AnyMiddlewareArgs['body']): string | undefined {
  if (!('user' in body) || typeof body.user !== 'object' || body.user === null) return undefined;
  const teamId = (body.user as { team_id?: unknown }).team_id;
  return typeof teamId === 'string' && teamId !== '' ? teamId : undefined;
}

/** An Enterprise Grid org's id, as Slack writes them (`E…`). */
const isOrgId = (id: string): boolean => id.startsWith('E');

/** A workspace's id, not an org's (on org-wide installs Slack may name only the org). */
const workspaceId = (id: string | undefined): string | undefined =>
  id === undefined || isOrgId(id) ? undefined : id;

/**
 * When the person acted: Slack's time of the click (`action_ts`) when it is earlier than the request's
 * arrival, else the arrival. A deletion after that moment is not undone by this request.
 */
function actedAt(body: AnyMiddlewareArgs['body'], received: Date): Date {
  const actions = 'actions' in body && Array.isArray(body.actions) ? body.actions : [];
  const ts = Number.parseFloat(String((actions[0] as { action_ts?: unknown } | undefined)?.action_ts ?? ''));
  if (Number.isFinite(ts) && ts * 1000 < received.getTime()) return new Date(ts * 1000);
  return received;
}
