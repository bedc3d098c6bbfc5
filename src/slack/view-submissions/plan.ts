import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { checkEntry, type PlanEntry } from '../../assessments/plans.js';
import { canvasNote, keepCanvasInStep } from '../answers/plan.js';
import type { Deps } from '../deps.js';
import { madeAtOf, personOf } from '../person.js';
import { privateChannelOf, tellPrivately } from '../reply.js';
import { decodeValue, PlanFormMetadata } from '../values.js';
import { homeWith } from '../views/home.js';
import { planMessage } from '../views/plan.js';
import { PLAN_ELEMENT, PlanField, planBlockId, problemText } from '../views/plan-form.js';

type Errors = Record<string, string>;

/** What Slack sends for one element of a submitted form. */
type Field = { value?: string | null; selected_date?: string | null; selected_options?: unknown[] | null };

/**
 * Save plan, from the Make a plan form. Problems are shown next to the field they concern
 * (`response_action: 'errors'`) and the form stays open with what the person wrote. The plan is saved
 * in one durable write before the form closes; then its canvas, if it has one, is brought in step,
 * and the plan is shown where the form was opened from (the Home tab), or privately.
 */
export function planSubmission(deps: Deps): Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>> {
  return async function savePlan({ ack, view, body, context, client, logger }) {
    const firstBlock = view.blocks.find((b) => b.type === 'input')?.block_id ?? planBlockId('goal', '');
    const fail = (errors: Errors) => ack({ response_action: 'errors', errors });
    const meta = decodeValue(PlanFormMetadata, view.private_metadata);
    if (!meta) {
      await fail({ [firstBlock]: 'This form is out of date. Close it and press Make a plan again.' });
      return;
    }
    const values = (view.state?.values ?? {}) as Record<string, Record<string, Field> | undefined>;
    const field = (name: keyof typeof PlanField, competencyId: string): Field | undefined =>
      values[planBlockId(name, competencyId)]?.[PLAN_ELEMENT];
    const today = deps.plans.today(meta.z);
    const blockIds = new Set(view.blocks.map((b) => b.block_id));

    const entries: PlanEntry[] = [];
    const errors: Errors = {};
    for (const blockId of blockIds) {
      if (!blockId?.startsWith(`${PlanField.goal}:`)) continue;
      const competencyId = blockId.slice(PlanField.goal.length + 1);
      const worth = blockIds.has(planBlockId('include', competencyId));
      const included = (field('include', competencyId)?.selected_options?.length ?? 0) > 0;
      const check = checkEntry(
        {
          goal: field('goal', competencyId)?.value ?? null,
          nextStep: field('nextStep', competencyId)?.value ?? null,
          targetDate: field('targetDate', competencyId)?.selected_date ?? null,
        },
        today,
      );
      if (worth && !included) {
        if (check.kind !== 'empty') {
          errors[planBlockId('include', competencyId)] =
            'Tick this to include it in your plan, or clear its goal and next step.';
        }
        continue;
      }
      if (check.kind === 'empty') {
        if (worth) errors[blockId] = 'Give a goal and a next step, or untick the box above to leave it out.';
        continue;
      }
      if (check.kind === 'problems') {
        for (const name of ['goal', 'nextStep', 'targetDate'] as const) {
          const problem = check[name];
          if (problem) errors[planBlockId(name, competencyId)] = problemText(name, problem, today);
        }
        continue;
      }
      entries.push({
        competencyId,
        goal: check.goal,
        nextStep: check.nextStep,
        targetDate: check.targetDate,
      });
    }
    if (Object.keys(errors).length > 0) {
      await fail(errors);
      return;
    }
    if (entries.length === 0) {
      await fail({ [firstBlock]: 'Give at least one goal and next step, or press Cancel.' });
      return;
    }

    const person = personOf(context);
    let outcome: Awaited<ReturnType<Deps['plans']['make']>>;
    try {
      const arrived = madeAtOf(context).getTime();
      outcome = await deps.plans.make(
        person,
        { recordId: meta.r, timeZone: meta.z, entries },
        // Filled in since it was opened: a deletion of the person's data since is not undone by it.
        { madeAt: new Date(Math.min(meta.o, arrived)) },
      );
    } catch (error) {
      await fail({ [firstBlock]: notSavedText(error, logger, 'save a plan') });
      return;
    }
    if (outcome.kind !== 'made') {
      await fail({
        [firstBlock]:
          outcome.kind === 'no-assessment'
            ? 'That assessment is no longer among yours, so nothing was saved. Close this form and open a summary again.'
            : 'This form no longer matches that assessment, so nothing was saved. Close it and press Make a plan again.',
      });
      return;
    }
    await ack();

    const canvas = await keepCanvasInStep(deps, client, logger, person, outcome.plan);
    const plan = canvas.kind === 'gone' ? ((await deps.plans.of(person)) ?? outcome.plan) : outcome.plan;
    const count = entries.length;
    const saved = `:white_check_mark: Your plan is saved: ${count} ${count === 1 ? 'item' : 'items'}. It lives in the app’s Home tab, where you can say how each one goes; check-ins ask too.`;
    const note = [saved, canvasNote(canvas)].filter(Boolean).join('\n');
    const message = planMessage(plan, deps.plans.today(plan.timeZone), note);
    // Opened from the Home tab (no message, no channel): the plan shows there. Else the summary
    // stays, and the plan comes privately beside it.
    if (!meta.u && !meta.c && !meta.t) {
      try {
        await client.views.publish({ user_id: body.user.id, view: homeWith(message) });
        return;
      } catch (error) {
        logger.warn('Saved a plan, but could not show it in the Home tab', error);
      }
    }
    await tellPrivately(client, logger, { userId: body.user.id, channelId: privateChannelOf(meta) }, message);
  };
}

import { notSavedText } from './not-saved.js';
