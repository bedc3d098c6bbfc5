import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { type Deps, personOfClick } from '../deps.js';
import { decodeValue, StartValue } from '../values.js';
import { somethingWentWrongMessage } from '../views/error.js';
import { rateAllModal } from '../views/rate-all.js';
import { badClickMessage } from '../views/refusal.js';
import { buttonValue } from './click.js';
import { replyTo } from './reply.js';

/**
 * Rate all at once: opens a modal with one select per competency, filled in with the current
 * ratings. It remembers the response_url of the message it was opened from, to put the summary there.
 */
export function openRateAllAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return async function openRateAll({ ack, action, body, client, respond, logger }) {
    await ack();
    const reply = replyTo(body, respond, client, logger);
    const value = decodeValue(StartValue, buttonValue(action));
    const framework = value ? deps.catalog.get(value.f) : undefined;
    const level = framework?.levels.find((l) => l.id === value?.l);
    if (!framework || !level) {
      await reply(badClickMessage());
      return;
    }
    const current = deps.assessments.currentRatings(personOfClick(body), framework.id);
    try {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: rateAllModal(framework, level, current, {
          f: framework.id,
          v: framework.version,
          l: level.id,
          ...(body.response_url ? { u: body.response_url } : {}),
        }),
      });
    } catch (error) {
      logger.error('Could not open the Rate all form', error);
      await reply(somethingWentWrongMessage());
    }
  };
}
