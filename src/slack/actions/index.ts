import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import type { ButtonName } from '../ids.js';
import {
  addFrameworkAction,
  bundledStateAction,
  cadenceAction,
  editorsAction,
  exportFrameworkAction,
  frameworkStateAction,
  teamMinimumAction,
  useFileAction,
} from './admin.js';
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
import { chooseDomainAction, chooseRoleAction, lookupAgainAction } from './lookup.js';
import { evidenceRemoveAction, noteOpenAction, reviewNoteOpenAction } from './notes.js';
import {
  planCanvasAction,
  planCheckInAction,
  planMakeAction,
  planShowAction,
  planStatusAction,
} from './plan.js';
import { trendChartAction } from './progress.js';
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
import { shareOneOnOneAction, shareOpenAction, shareTakeBackAction, shareWithAction } from './shares.js';
import { showFrameworkAction } from './show-framework.js';
import { teamViewsAction } from './team-views.js';

export type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

/**
 * The handler of every button, under the name ids.ts gives the button (with its id and suffixes):
 * one entry each, no more, no fewer (the compiler checks).
 */
export function buttonListeners(deps: Deps): Record<ButtonName, ClickListener> {
  return {
    trendChart: trendChartAction(deps),
    shareWith: shareWithAction(deps),
    shareOpen: shareOpenAction(deps),
    shareOneOnOne: shareOneOnOneAction(deps),
    shareTakeBack: shareTakeBackAction(deps),
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
    adminAddFramework: addFrameworkAction(deps),
    adminFramework: frameworkStateAction(deps),
    adminBundled: bundledStateAction(deps),
    adminTeamMinimum: teamMinimumAction(deps),
    adminExport: exportFrameworkAction(deps),
    adminEditors: editorsAction(deps),
    adminCadence: cadenceAction(deps),
    adminUseFile: useFileAction(deps),
    noteOpen: noteOpenAction(deps),
    reviewNoteOpen: reviewNoteOpenAction(deps),
    evidenceRemove: evidenceRemoveAction(deps),
    planMake: planMakeAction(deps),
    planStatus: planStatusAction(deps),
    planCheckIn: planCheckInAction(deps),
    planCanvas: planCanvasAction(deps),
    planShow: planShowAction(deps),
  };
}
