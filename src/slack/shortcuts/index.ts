import type { App, BlockAction, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { CallbackId, LookupId, ShortcutId } from '../ids.js';
import { domainOptionsListener, roleOptionsListener } from '../options/roles.js';
import {
  chooseDomainAction,
  chooseRoleAction,
  lookupAgainAction,
  lookupShortcut,
  lookupSubmission,
} from './lookup.js';

/**
 * The global shortcut "Look up a competency" (manifest.yml, `features.shortcuts`) and everything its
 * form needs: the menus Slack fills by asking the app (options requests, answered in the
 * acknowledgement), the role and domain choices that update the form, and its submission. Each is matched by
 * Bolt on its exact id.
 */
export function registerShortcuts(
  app: Pick<App, 'shortcut' | 'options' | 'action' | 'view'>,
  deps: Deps,
): void {
  app.shortcut(ShortcutId.lookup, lookupShortcut(deps));
  app.options<'block_suggestion'>(LookupId.role, roleOptionsListener(deps));
  app.options<'block_suggestion'>(LookupId.domain, domainOptionsListener(deps));
  app.action<BlockAction>(LookupId.role, chooseRoleAction(deps));
  app.action<BlockAction>(LookupId.domain, chooseDomainAction(deps));
  app.action<BlockAction>(LookupId.again, lookupAgainAction());
  app.view<ViewSubmitAction>(CallbackId.lookup, lookupSubmission(deps));
}
