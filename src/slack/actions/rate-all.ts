import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { personOf } from '../person.js';
import { formOriginOf } from '../reply.js';
import { decodeValue, StartValue } from '../values.js';
import { failureMessage } from '../views/error.js';
import { rateAllModal } from '../views/rate-all.js';
import { badClickMessage } from '../views/refusal.js';
import { buttonValue, replyOf } from './click.js';

/**
 * Rate all at once: opens a modal with one select per competency, filled in with the current
 * ratings. It remembers where it was opened from (the message's response_url and channel, the Home
 * tab, or a modal it replaced) to put the summary there once the form is saved.
 */
export function openRateAllAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return async function openRateAll(args) {
    const { ack, action, body, context, client, logger } = args;
    await ack();
    const reply = replyOf(args);
    const value = decodeValue(StartValue, buttonValue(action));
    const framework = value ? (await deps.catalogFor(personOf(context))).get(value.f) : undefined;
    const level = framework?.levels.find((l) => l.id === value?.l);
    if (!framework || !level) {
      await reply(badClickMessage());
      return;
    }
    // Where the summary goes once the form is saved: in place of the message clicked on.
    const where = formOriginOf(body);
    try {
      const current = await deps.assessments.currentRatings(personOf(context), framework.id);
      const origin = { f: framework.id, v: framework.version, l: level.id, o: Date.now() };
      if (body.view?.type === 'modal') {
        // Pressed inside a modal (the lookup shortcut's): Slack opens no second modal from there
        // (views.open); the form takes that modal's place, and saving shows the summary in it.
        await client.views.update({
          view_id: body.view.id,
          view: rateAllModal(framework, level, current, { ...origin, m: 1 }),
        });
        return;
      }
      await client.views.open({
        trigger_id: body.trigger_id,
        view: rateAllModal(framework, level, current, {
          ...origin,
          ...(where.u ? { u: where.u } : {}),
          ...(where.c ? { c: where.c } : {}),
          ...(where.t ? { t: where.t } : {}),
        }),
      });
    } catch (error) {
      logger.error('Could not open the Rate all form', error);
      await reply(failureMessage(failureOf(error)));
    }
  };
}
