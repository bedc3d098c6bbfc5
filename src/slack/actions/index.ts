import type { App, BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { type ActionId, ActionRoute } from '../ids.js';
import { answerAction, showHistoryAction, showHomeAction, startAssessmentAction } from './assessment.js';
import { compareLevelsAction } from './compare.js';
import { forgetCancelAction, forgetConfirmAction } from './forget.js';
import { openRateAllAction } from './rate-all.js';
import { shareCancelAction, sharePostAction, sharePreviewAction, viewFrameworkAction } from './share.js';
import { showFrameworkAction } from './show-framework.js';

type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

/** Every button of the app, by the name of its id in ids.ts. */
export function actionListeners(deps: Deps): Record<keyof typeof ActionId, ClickListener> {
  return {
    showFramework: showFrameworkAction(deps),
    viewFramework: viewFrameworkAction(deps),
    compareLevels: compareLevelsAction(deps),
    startAssessment: startAssessmentAction(deps),
    answer: answerAction(deps),
    rateAll: openRateAllAction(deps),
    showHistory: showHistoryAction(deps),
    sharePreview: sharePreviewAction(deps),
    sharePost: sharePostAction(deps),
    shareCancel: shareCancelAction(deps),
    forgetConfirm: forgetConfirmAction(deps),
    forgetCancel: forgetCancelAction(),
    showHome: showHomeAction(deps),
  };
}

/**
 * Each listener registered the usual Bolt way, matched by Bolt against its route in ids.ts (an exact
 * id or an anchored pattern). A click no route matches is answered by the app's one fallback (app.ts).
 */
export function registerActions(app: Pick<App, 'action'>, deps: Deps): void {
  const listeners = actionListeners(deps);
  for (const name of Object.keys(listeners) as (keyof typeof ActionId)[]) {
    app.action<BlockAction>(ActionRoute[name], listeners[name]);
  }
}
