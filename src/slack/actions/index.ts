import type { App } from '@slack/bolt';
import type { Catalog } from '../../frameworks/catalog.js';
import { ActionId } from '../ids.js';
import { showFrameworkAction } from './show-framework.js';

/** Button ids carry a suffix (`framework_show:senior`) because ids must be unique within a block. */
const startsWith = (id: string) => new RegExp(`^${id}(?::|$)`);

export function registerActions(app: Pick<App, 'action'>, deps: { catalog: Catalog }): void {
  app.action(
    { type: 'block_actions', action_id: startsWith(ActionId.showFramework) },
    showFrameworkAction(deps.catalog),
  );
}
