import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { personOf } from '../person.js';
import { decodeValue, StartValue } from '../values.js';
import { compareWithButtons } from '../views/compare.js';
import { badClickMessage } from '../views/refusal.js';
import { buttonValue, click } from './click.js';

/** Compare levels, on a framework answer: every level side by side, from the level being looked at. */
export function compareLevelsAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('compare levels', async ({ action, context }) => {
    const value = decodeValue(StartValue, buttonValue(action));
    const framework = value ? (await deps.catalogFor(personOf(context))).get(value.f) : undefined;
    if (!framework) return badClickMessage();
    return compareWithButtons(
      framework,
      framework.levels.find((l) => l.id === value?.l),
    );
  });
}
