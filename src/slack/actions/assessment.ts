import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Finished, Refusal, Step } from '../../assessments/assessments.js';
import type { PersonKey } from '../../model/person.js';
import { publishHome } from '../answers/home.js';
import { ownSummary } from '../answers/summary.js';
import type { Deps } from '../deps.js';
import { madeAtOf, personOf } from '../person.js';
import { AnswerValue, decodeValue, RecordValue, StartValue } from '../values.js';
import { ratingStepMessage } from '../views/assessment.js';
import { historyMessage, openedNote } from '../views/history.js';
import { badClickMessage, refusalMessage } from '../views/refusal.js';
import { assessmentNotFoundMessage } from '../views/share.js';
import type { Message } from '../views/types.js';
import { buttonValue, click } from './click.js';

/** The next step, the summary (with what the person's summary shows besides the record), or why not. */
function outcomeMessage(
  deps: Deps,
  person: PersonKey,
  outcome: Step | Finished | Refusal,
): Promise<Message> | Message {
  switch (outcome.kind) {
    case 'step':
      return ratingStepMessage(outcome);
    case 'finished':
      return ownSummary(deps, person, outcome.record);
    case 'refused':
      return refusalMessage(outcome);
  }
}

/** Rate yourself / Continue rating / Rate again. */
export function startAssessmentAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('start an assessment', async ({ action, context }) => {
    const value = decodeValue(StartValue, buttonValue(action));
    if (!value) return badClickMessage();
    const person = personOf(context);
    const outcome = await deps.assessments.start(person, value.f, value.l, {
      restart: value.r === 1,
      madeAt: madeAtOf(context),
    });
    return outcomeMessage(deps, person, outcome);
  });
}

/** A rating, Not applicable, Skip or Back. The reply comes only once the rating is on disk. */
export function answerAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('save a rating', async ({ action, context }) => {
    const value = decodeValue(AnswerValue, buttonValue(action));
    if (!value) return badClickMessage();
    const person = personOf(context);
    const outcome = await deps.assessments.answer(person, {
      frameworkId: value.f,
      frameworkVersion: value.v,
      sessionId: value.s,
      competencyId: value.c,
      choice: value.a,
    });
    // The summary shows the person's check-in reminder as it is (Off / Monthly / Quarterly); the
    // rating is saved already, so a failure to read it leaves the picker without a current choice.
    return outcomeMessage(deps, person, outcome);
  });
}

export function showHistoryAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('show the history', async ({ context }) =>
    historyMessage(await deps.assessments.history(personOf(context))),
  );
}

/**
 * Open, on the history or the Home tab: one of the clicker's own finished assessments, its summary
 * exactly as recorded (the record keeps the expectations it was made against), with a summary's
 * buttons (Share to channel shares this one; History goes back to the list).
 */
export function openAssessmentAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('open an assessment', async ({ action, context }) => {
    const value = decodeValue(RecordValue, buttonValue(action));
    if (!value) return badClickMessage();
    const person = personOf(context);
    const record = await deps.assessments.record(person, value.id);
    if (!record) return assessmentNotFoundMessage('');
    return ownSummary(deps, person, record, { note: openedNote(record) });
  });
}

/** Back to the Home tab's front page. */
export function showHomeAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return async ({ ack, body, context, client, logger }) => {
    await ack();
    await publishHome(deps, client, logger, { userId: body.user.id, person: personOf(context) });
  };
}
