import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Finished, Refusal, Step } from '../../assessments/assessments.js';
import type { CadenceChoice, ReminderAddress } from '../../reminders/service.js';
import { ownSummary } from '../answers/summary.js';
import type { Deps } from '../deps.js';
import { madeAtOf, personOf } from '../person.js';
import { decodeValue } from '../values.js';
import { badClickMessage, refusalMessage } from '../views/refusal.js';
import {
  CadenceValue,
  cadenceNote,
  cadenceSetMessage,
  checkInStepMessage,
  dueDate,
  movesLine,
  noAssessmentMessage,
  nothingToSnoozeMessage,
  ReminderAnswerValue,
  snoozedMessage,
  stoppedMessage,
} from '../views/reminders.js';
import type { Message } from '../views/types.js';
import { buttonValue, type ClickArgs } from './click.js';
import { inPlaceOrHome } from './in-place.js';

type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

/**
 * The buttons of check-in reminders:
 * - Off / Monthly / Quarterly, on a summary (answered with the summary, showing the choice) or on the
 *   Home tab (republished);
 * - on the reminder in the person's direct messages: its rating buttons (the first starts a new run of
 *   the assessment; each answer replaces the message with the next question, then the summary, as a
 *   self-assessment does), Snooze a week and Stop reminders (each answered in place).
 * The person is always whoever clicked; the reminder is theirs, kept in their own record.
 */

/** Where a reminder of the clicker goes: their user id, through the workspace (or org install) they clicked in. */
function addressOf(args: ClickArgs): ReminderAddress {
  const { context, body } = args;
  const userId = context.userId ?? body.user.id;
  const teamId = context.teamId ?? body.team?.id ?? context.enterpriseId ?? '';
  return { userId, teamId, ...(context.enterpriseId ? { enterpriseId: context.enterpriseId } : {}) };
}

/**
 * The person's IANA time zone as Slack has it (`users.info`, scope `users:read`): reminders come at
 * 10:00 there. Undefined when Slack does not say; the reminder then keeps the zone it had (else UTC),
 * and the sender asks again at send time.
 */
async function timeZoneOf(args: ClickArgs, userId: string): Promise<string | undefined> {
  try {
    const info = await args.client.users.info({ user: userId });
    return typeof info.user?.tz === 'string' && info.user.tz !== '' ? info.user.tz : undefined;
  } catch (error) {
    args.logger.warn('Could not read the time zone of a person choosing check-in reminders', error);
    return undefined;
  }
}

const CHOICE = /:(off|monthly|quarterly)$/;

/** Off / Monthly / Quarterly, on a summary or the Home tab. */
export function reminderCadenceAction(deps: Deps): ClickListener {
  return inPlaceOrHome(deps, 'change check-in reminders', async (args) => {
    const { action, body, context } = args;
    const choice = CHOICE.exec(action.action_id)?.[1] as CadenceChoice | undefined;
    const raw = buttonValue(action);
    const value = raw === undefined ? {} : decodeValue(CadenceValue, raw);
    if (!choice || !value) return badClickMessage();
    const address = addressOf(args);
    const timeZone = choice === 'off' ? undefined : await timeZoneOf(args, address.userId);
    const outcome = await deps.reminders.setCadence(personOf(context), address, choice, {
      recordId: value.id,
      timeZone,
    });
    if (body.view?.type === 'home') return 'home';
    if (outcome.kind === 'no-assessment') return noAssessmentMessage();
    const reminder = outcome.kind === 'set' ? outcome.reminder : undefined;
    if (!outcome.record) {
      return outcome.kind === 'off' ? stoppedMessage(outcome.was) : cadenceSetMessage(reminder);
    }
    // The summary, showing the choice, and what it means said next to the buttons clicked.
    return {
      message: await ownSummary(deps, personOf(context), outcome.record, {
        reminder: { current: reminder ?? null },
      }),
      note: cadenceNote(choice, reminder),
    };
  });
}

/** Snooze a week, on a reminder. */
export function reminderSnoozeAction(deps: Deps): ClickListener {
  return inPlaceOrHome(deps, 'snooze a check-in reminder', async ({ context }) => {
    const reminder = await deps.reminders.snooze(personOf(context));
    if (!reminder) return nothingToSnoozeMessage();
    const framework = (await deps.catalogFor(personOf(context))).get(reminder.frameworkId);
    const level = framework?.levels.find((l) => l.id === reminder.levelId);
    return snoozedMessage(
      reminder,
      framework && level ? { roleName: framework.role.name, levelName: level.name } : undefined,
    );
  });
}

/** Stop reminders, on a reminder (or on the confirmation of a snooze). */
export function reminderStopAction(deps: Deps): ClickListener {
  return inPlaceOrHome(deps, 'stop check-in reminders', async ({ context }) =>
    stoppedMessage(await deps.reminders.stop(personOf(context))),
  );
}

/**
 * A rating, Not applicable, Skip or Back in a check-in. On the reminder's first question (no session
 * in the button) the click starts a new run of that framework and level, then records the answer;
 * later ones are answers of that run. Each is answered in place with the next question, and the last
 * with the summary, which shows when the next check-in comes.
 */
export function reminderAnswerAction(deps: Deps): ClickListener {
  return inPlaceOrHome(deps, 'save a check-in rating', async ({ action, context }) => {
    const value = decodeValue(ReminderAnswerValue, buttonValue(action));
    if (!value) return badClickMessage();
    const person = personOf(context);
    let sessionId = value.s;
    if (sessionId === undefined) {
      const framework = (await deps.catalogFor(person)).get(value.f);
      if (framework && framework.version !== value.v) {
        return refusalMessage({ kind: 'refused', reason: 'framework-changed', framework, levelId: value.l });
      }
      const started = await deps.assessments.start(person, value.f, value.l, {
        restart: true,
        madeAt: madeAtOf(context),
      });
      if (started.kind === 'refused') return refusalMessage(started);
      sessionId = started.draft.sessionId;
    }
    const outcome = await deps.assessments.answer(person, {
      frameworkId: value.f,
      frameworkVersion: value.v,
      sessionId,
      competencyId: value.c,
      choice: value.a,
    });
    return checkInOutcome(deps, person, outcome);
  });
}

async function checkInOutcome(
  deps: Deps,
  person: string,
  outcome: Step | Finished | Refusal,
): Promise<Message> {
  switch (outcome.kind) {
    case 'step':
      return checkInStepMessage(outcome, outcome.draft.sessionId);
    case 'finished': {
      // The answer is saved already: a failure to read the reminder only leaves the picker unset.
      const [reminder, moves] = await Promise.all([
        deps.reminders.forSummary(person),
        // Saved already: if the earlier one cannot be read now, the summary goes without the line.
        deps.assessments.movesOf(person, outcome.record.id).catch(() => undefined),
      ]);
      const done = reminder?.current
        ? `:white_check_mark: Check-in done. The next one comes ${dueDate(reminder.current.dueAt)}.`
        : ':white_check_mark: Check-in done.';
      // What moved since the assessment before it of the same framework.
      const note = moves ? `${done}\n${movesLine(moves)}` : done;
      return ownSummary(deps, person, outcome.record, { note, ...(reminder ? { reminder } : {}) });
    }
    case 'refused':
      return refusalMessage(outcome);
  }
}
