import type { App, BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { ActionId } from '../ids.js';
import { oldButtonMessage } from '../views/refusal.js';
import { answerAction, showHistoryAction, showHomeAction, startAssessmentAction } from './assessment.js';
import { click } from './click.js';
import { compareLevelsAction } from './compare.js';
import { forgetCancelAction, forgetConfirmAction } from './forget.js';
import { openRateAllAction } from './rate-all.js';
import { shareCancelAction, sharePostAction, sharePreviewAction, viewFrameworkAction } from './share.js';
import { showFrameworkAction } from './show-framework.js';

type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

/**
 * Every button of the app, by the id its action_id starts with. Ids may carry a suffix
 * (`framework_show:senior`) because action ids must be unique within a block.
 */
export function actionListeners(deps: Deps): Record<string, ClickListener> {
  return {
    [ActionId.showFramework]: showFrameworkAction(deps),
    [ActionId.viewFramework]: viewFrameworkAction(deps),
    [ActionId.compareLevels]: compareLevelsAction(deps),
    [ActionId.startAssessment]: startAssessmentAction(deps),
    [ActionId.answer]: answerAction(deps),
    [ActionId.rateAll]: openRateAllAction(deps),
    [ActionId.showHistory]: showHistoryAction(deps),
    [ActionId.sharePreview]: sharePreviewAction(deps),
    [ActionId.sharePost]: sharePostAction(deps),
    [ActionId.shareCancel]: shareCancelAction(deps),
    [ActionId.forgetConfirm]: forgetConfirmAction(deps),
    [ActionId.forgetCancel]: forgetCancelAction(),
    [ActionId.showHome]: showHomeAction(deps),
  };
}

/**
 * One Bolt listener that hands each click to its listener by action id. Bolt runs the matching of
 * every registered listener on every request, so thirteen registrations cost every slash command
 * about 0.1 ms more (measured by bench/); one listener and a lookup cost nothing noticeable.
 */
export function registerActions(app: Pick<App, 'action'>, deps: Deps): void {
  const listeners = actionListeners(deps);
  const pattern = new RegExp(`^(${Object.keys(listeners).join('|')})(?::|$)`);
  // Every click comes here, known or not: a button on a message sent by an older version must still
  // be acknowledged (else Slack shows the person an error after 3 seconds), and explained.
  const unknown = click('answer an unknown button', () => oldButtonMessage());
  app.action({ type: 'block_actions' }, async (args) => {
    const name = pattern.exec(args.action.action_id)?.[1];
    const listener = (name === undefined ? undefined : listeners[name]) ?? unknown;
    await listener(args);
  });
}
