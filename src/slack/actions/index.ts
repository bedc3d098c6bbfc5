import type { App, BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { type ActionId, ActionRoute, anyRoute, routeMatches } from '../ids.js';
import { chooseDomainAction, chooseRoleAction, lookupAgainAction } from '../shortcuts/lookup.js';
import {
  answerAction,
  openAssessmentAction,
  showHistoryAction,
  showHomeAction,
  startAssessmentAction,
} from './assessment.js';
import { summaryChartAction, teamChartAction } from './chart.js';
import { runCommandAction } from './command.js';
import { compareLevelsAction } from './compare.js';
import { forgetCancelAction, forgetConfirmAction } from './forget.js';
import { listPageAction } from './list.js';
import { openRateAllAction } from './rate-all.js';
import {
  reminderAnswerAction,
  reminderCadenceAction,
  reminderSnoozeAction,
  reminderStopAction,
} from './reminders.js';
import {
  reviewAnswerAction,
  reviewAskAction,
  reviewDeclineAction,
  reviewLaterAction,
  reviewShowAction,
  reviewStartAction,
  reviewWithdrawAction,
} from './review.js';
import { shareCancelAction, sharePostAction, sharePreviewAction, viewFrameworkAction } from './share.js';
import { showFrameworkAction } from './show-framework.js';
import { teamViewsAction } from './team-views.js';

type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

/** Every button of the app, by the name of its id in ids.ts. */
export function actionListeners(deps: Deps): Record<keyof typeof ActionId, ClickListener> {
  return {
    showFramework: showFrameworkAction(deps),
    listPage: listPageAction(deps),
    viewFramework: viewFrameworkAction(deps),
    compareLevels: compareLevelsAction(deps),
    startAssessment: startAssessmentAction(deps),
    answer: answerAction(deps),
    rateAll: openRateAllAction(deps),
    showHistory: showHistoryAction(deps),
    openAssessment: openAssessmentAction(deps),
    runCommand: runCommandAction(deps),
    sharePreview: sharePreviewAction(deps),
    sharePost: sharePostAction(deps),
    shareCancel: shareCancelAction(deps),
    forgetConfirm: forgetConfirmAction(deps),
    forgetCancel: forgetCancelAction(),
    showHome: showHomeAction(deps),
    teamViews: teamViewsAction(deps),
    summaryChart: summaryChartAction(deps),
    teamChart: teamChartAction(deps),
    reviewAsk: reviewAskAction(deps),
    reviewStart: reviewStartAction(deps),
    reviewLater: reviewLaterAction(deps),
    reviewDecline: reviewDeclineAction(deps),
    reviewAnswer: reviewAnswerAction(deps),
    reviewWithdraw: reviewWithdrawAction(deps),
    reviewShow: reviewShowAction(deps),
    lookupRole: chooseRoleAction(deps),
    lookupDomain: chooseDomainAction(deps),
    lookupAgain: lookupAgainAction(),
    reminderCadence: reminderCadenceAction(deps),
    reminderSnooze: reminderSnoozeAction(deps),
    reminderStop: reminderStopAction(deps),
    reminderAnswer: reminderAnswerAction(deps),
  };
}

/**
 * The app's buttons, registered with Bolt as one listener whose pattern is exactly the union of
 * their routes in ids.ts (each an exact id or a pattern anchored at both ends): Bolt claims for this
 * listener only the ids the app's buttons really have, and hands it each click; the listener passes
 * it to the button whose route matches. Any other id — an older button, `assessment_answer:3-nope`,
 * or a listener someone adds the usual Bolt way — is not claimed here: it goes to its own listener,
 * or else to the app's one fallback (guard.ts).
 *
 * One registration rather than thirteen, because Bolt runs the matching of every registered listener
 * on every request, commands included: thirteen made each `/competency` about 80 µs slower
 * (130 µs instead of 50 µs in Bolt per command, measured in process) and its throughput 0.61 of a
 * minimal Bolt app's instead of 0.85 (`npm run bench`, side by side in one run).
 */
export function registerActions(app: Pick<App, 'action'>, deps: Deps): void {
  const listeners = actionListeners(deps);
  const names = Object.keys(listeners) as (keyof typeof ActionId)[];
  app.action<BlockAction>(anyRoute(names.map((name) => ActionRoute[name])), async (args) => {
    const name = names.find((n) => routeMatches(ActionRoute[n], args.action.action_id));
    if (name !== undefined) await listeners[name](args);
  });
}
