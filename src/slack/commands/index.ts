import type { App } from '@slack/bolt';
import type { Catalog } from '../../frameworks/catalog.js';
import { COMMAND } from '../views/types.js';
import { competencyCommand } from './competency.js';

/** The slash commands this app registers; manifest.yml must declare the same ones (a test checks). */
export function registerCommands(app: Pick<App, 'command'>, deps: { catalog: Catalog }): void {
  app.command(COMMAND, competencyCommand(deps.catalog));
}
