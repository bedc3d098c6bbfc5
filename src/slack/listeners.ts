import type { App, BlockAction, ViewSubmitAction } from '@slack/bolt';
import { buttonListeners } from './actions/index.js';
import { commandListeners } from './commands/index.js';
import type { Deps } from './deps.js';
import { EVENT_TYPES, eventListeners } from './events/index.js';
import { ActionRoute, anyRoute, type ButtonName, type Route, routeMatches } from './ids.js';
import { menuListeners } from './options/index.js';
import { shortcutListeners } from './shortcuts/index.js';
import { submissionListeners } from './view-submissions/index.js';

/**
 * Every listener of the app, registered with Bolt: one registration per kind of request.
 *
 * Bolt runs the matcher of every registered listener on every request, whatever its kind, so each
 * registration adds to the time every request takes, commands included. So each kind (commands,
 * buttons, form submissions, events, shortcuts, menus) is registered once, from its table — the
 * index.ts of its folder, keyed by exact id, or for buttons by the names ids.ts gives them with
 * their suffixes — with a pattern that matches exactly the ids the table claims (each an exact id or
 * a pattern anchored at both ends); the request then goes to the entry whose route matches. An id
 * no entry claims (an older button, `assessment_answer:3-nope`, a form from an older version) is
 * not matched here: it reaches a listener someone registered the usual Bolt way, or else the app's
 * one fallback (guard.ts, unclaimed.ts).
 */

/** One kind's table: each route with its listener. Routes never overlap: each id has one listener. */
class Routes<L> {
  constructor(private readonly entries: readonly (readonly [Route, L])[]) {}

  /** One pattern that matches exactly the ids the table claims. */
  get union(): RegExp {
    return anyRoute(this.entries.map(([route]) => route));
  }

  /** What Bolt matches: the route itself when there is only one, else their union. */
  get pattern(): Route {
    const [only, ...others] = this.entries;
    return only !== undefined && others.length === 0 ? only[0] : this.union;
  }

  /** The listener whose route claims this id. */
  listenerOf(id: string): L | undefined {
    return this.entries.find(([route]) => routeMatches(route, id))?.[1];
  }
}

/** A table keyed by exact ids. */
const exactly = <L>(table: Readonly<Record<string, L>>): Routes<L> => new Routes(Object.entries(table));

/** Registers every listener of the app. */
export function registerListeners(
  app: Pick<App, 'command' | 'action' | 'view' | 'event' | 'shortcut' | 'options'>,
  deps: Deps,
): void {
  registerCommands(app, deps);
  registerActions(app, deps);
  registerEvents(app, deps);
  registerViewSubmissions(app, deps);
  registerShortcuts(app, deps);
}

/** The slash commands (commands/index.ts); manifest.yml declares the same (a test checks). */
export function registerCommands(app: Pick<App, 'command'>, deps: Deps): void {
  const routes = exactly(commandListeners(deps));
  app.command(routes.pattern, async (args) => {
    await routes.listenerOf(args.command.command)?.(args);
  });
}

/** The buttons: their ids and suffixes in ids.ts, their handlers in actions/index.ts. */
export function registerActions(app: Pick<App, 'action'>, deps: Deps): void {
  const listeners = buttonListeners(deps);
  const names = Object.keys(listeners) as ButtonName[];
  const routes = new Routes(names.map((name) => [ActionRoute[name], listeners[name]] as const));
  app.action<BlockAction>(routes.pattern, async (args) => {
    await routes.listenerOf(args.action.action_id)?.(args);
  });
}

/**
 * Form submissions (view-submissions/index.ts). A form this version does not know (opened before
 * an upgrade) is closed by the app's one fallback rather than left to Slack's error.
 */
function registerViewSubmissions(app: Pick<App, 'view'>, deps: Deps): void {
  const routes = exactly(submissionListeners(deps));
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: routes.pattern }, async (args) => {
    await routes.listenerOf(args.view.callback_id)?.(args);
  });
}

/** The events (events/index.ts); manifest.yml subscribes to the same, EVENT_TYPES (a test checks). */
export function registerEvents(app: Pick<App, 'event'>, deps: Deps): void {
  const listeners = eventListeners(deps);
  const routes = new Routes(EVENT_TYPES.map((type) => [type, listeners[type]] as const));
  app.event(routes.union, async (args) => {
    await routes.listenerOf(args.event.type)?.(args);
  });
}

/**
 * The global shortcuts (shortcuts/index.ts; manifest.yml, `features.shortcuts`), and the menus
 * their forms fill by asking the app as people type (options/index.ts: options requests, answered
 * in the acknowledgement).
 */
export function registerShortcuts(app: Pick<App, 'shortcut' | 'options'>, deps: Deps): void {
  const shortcuts = exactly(shortcutListeners(deps));
  app.shortcut(shortcuts.pattern, async (args) => {
    await shortcuts.listenerOf(args.shortcut.callback_id)?.(args);
  });
  const menus = exactly(menuListeners(deps));
  app.options<'block_suggestion'>(menus.pattern, async (args) => {
    await menus.listenerOf(args.options.action_id)?.(args);
  });
}
