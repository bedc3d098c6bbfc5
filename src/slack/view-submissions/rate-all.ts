import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { RatingValue } from '../../model/records.js';
import { ownSummary } from '../answers/summary.js';
import type { Deps } from '../deps.js';
import { madeAtOf, personOf } from '../person.js';
import { privateChannelOf, showAtFormOrigin, tellPrivately } from '../reply.js';
import { decodeValue, RateAllMetadata } from '../values.js';
import { homeWith } from '../views/home.js';
import { modalWith } from '../views/modal.js';
import { blockIdOf, competencyIdOf, RATING_SELECT } from '../views/rate-all.js';

type Errors = Record<string, string>;

/**
 * Save ratings, from the Rate all form. Problems are shown next to the field they concern
 * (`response_action: 'errors'`) and the form stays open with what the person chose. The ratings are
 * saved in one durable write before the form closes, so a failed write can be reported in the form
 * too: a local file write takes milliseconds, well inside Slack's 3 seconds.
 */
export function rateAllSubmission(deps: Deps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> {
  return async function saveAllRatings({ ack, view, body, context, client, logger }) {
    const firstBlock = view.blocks.find((b) => b.type === 'input')?.block_id ?? blockIdOf('');
    const fail = (errors: Errors) => ack({ response_action: 'errors', errors });
    const meta = decodeValue(RateAllMetadata, view.private_metadata);
    if (!meta) {
      await fail({ [firstBlock]: 'This form is out of date. Close it and press Rate all again.' });
      return;
    }

    // No prototype: a block named `competency:__proto__` must be an unknown competency like any other.
    const ratings: Record<string, RatingValue | null> = Object.create(null);
    const errors: Errors = {};
    for (const [blockId, fields] of Object.entries(view.state?.values ?? {})) {
      const competencyId = competencyIdOf(blockId);
      if (!competencyId) continue;
      const chosen = fields?.[RATING_SELECT]?.selected_option?.value;
      if (chosen === undefined || chosen === null) ratings[competencyId] = null;
      else if (chosen === 'na') ratings[competencyId] = 'na';
      else if (/^[1-5]$/.test(chosen)) ratings[competencyId] = Number(chosen) as 1 | 2 | 3 | 4 | 5;
      else errors[blockId] = 'Choose a rating from 1 to 5, or Not applicable.';
    }
    if (Object.keys(errors).length > 0) {
      await fail(errors);
      return;
    }

    const person = personOf(context);
    let outcome: Awaited<ReturnType<Deps['assessments']['rateAll']>>;
    try {
      const arrived = madeAtOf(context).getTime();
      outcome = await deps.assessments.rateAll(person, {
        frameworkId: meta.f,
        frameworkVersion: meta.v,
        levelId: meta.l,
        ratings,
        submissionId: `form-${view.id}`,
        // Filled in since it was opened, with the ratings as they were: a deletion since is not undone by it.
        madeAt: new Date(Math.min(meta.o ?? arrived, arrived)),
      });
    } catch (error) {
      await fail({ [firstBlock]: notSavedText(error, logger, 'save ratings from the Rate all form') });
      return;
    }
    if (outcome.kind === 'empty') {
      await fail({ [firstBlock]: 'Choose at least one rating, or press Cancel.' });
      return;
    }
    if (outcome.kind === 'refused') {
      const why =
        outcome.reason === 'unknown-framework'
          ? 'This framework is no longer available, so nothing was saved.'
          : 'This framework was updated while the form was open, so nothing was saved. Close it and press Rate all again.';
      await fail({ [firstBlock]: why });
      return;
    }
    // The summary goes where the form was opened from: the modal it replaced, the private message, or
    // the Home tab. When that no longer works (a response_url expires after 30 minutes), the person
    // still gets it privately. With the person's check-in reminder as it is (not known, if the store
    // cannot say now).
    const summary = await ownSummary(deps, person, outcome.record);
    if (meta.m === 1) {
      await ack({ response_action: 'update', view: modalWith(summary, 'Your self-assessment') });
      return;
    }
    await ack();
    try {
      if (meta.u || meta.t) {
        await showAtFormOrigin(client, meta, summary);
        return;
      }
      // Opened from the Home tab (no message, no channel); from a post others see, told privately.
      if (!meta.c) {
        await client.views.publish({ user_id: body.user.id, view: homeWith(summary) });
        return;
      }
    } catch (error) {
      logger.warn(
        'Saved ratings from the Rate all form, but could not show the summary where the form was opened',
        error,
      );
    }
    await tellPrivately(client, logger, { userId: body.user.id, channelId: privateChannelOf(meta) }, summary);
  };
}

import { notSavedText } from './not-saved.js';
