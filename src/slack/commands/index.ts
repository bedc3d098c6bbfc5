import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { COMMAND } from '../views/types.js';
import { competencyCommand } from './competency.js';

/** The slash commands this app registers; manifest.yml must declare the same ones (a test checks). */
export function registerCommands(app: Pick<App, 'command'>, deps: Deps): void {
  app.command(COMMAND, competencyCommand(deps));
}
