import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { COMMAND } from '../views/types.js';
import { competencyCommand } from './competency.js';

export type CommandListener = Middleware<SlackCommandMiddlewareArgs>;

/** The handler of every slash command; manifest.yml must declare the same ones (a test checks). */
export function commandListeners(deps: Deps): Record<string, CommandListener> {
  return { [COMMAND]: competencyCommand(deps) };
}
