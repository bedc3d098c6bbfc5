import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { anyRoute, LookupId, ShortcutId } from '../ids.js';
import { domainOptionsListener, roleOptionsListener } from '../options/roles.js';
import { lookupShortcut } from './lookup.js';

/**
 * The global shortcut "Look up a competency" (manifest.yml, `features.shortcuts`) and the menus of
 * its form that Slack fills by asking the app (options requests, answered in the acknowledgement).
 * The form's choices and Look up another are buttons like any other (actions/index.ts), its Show a
 * form submission (view-submissions/index.ts).
 *
 * The two menus share one registration, as the buttons do: Bolt runs the matching of every
 * registered listener on every request, commands included (see actions/index.ts).
 */
export function registerShortcuts(app: Pick<App, 'shortcut' | 'options'>, deps: Deps): void {
  app.shortcut(ShortcutId.lookup, lookupShortcut(deps));
  const roles = roleOptionsListener(deps);
  const domains = domainOptionsListener(deps);
  app.options<'block_suggestion'>(anyRoute([LookupId.role, LookupId.domain]), async (args) => {
    await (args.options.action_id === LookupId.role ? roles : domains)(args);
  });
}
