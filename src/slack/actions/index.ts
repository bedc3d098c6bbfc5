import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { ActionId } from '../ids.js';
import { answerAction, showHistoryAction, showHomeAction, startAssessmentAction } from './assessment.js';
import { compareLevelsAction } from './compare.js';
import { forgetCancelAction, forgetConfirmAction } from './forget.js';
import { openRateAllAction } from './rate-all.js';
import { shareCancelAction, sharePostAction, sharePreviewAction, viewFrameworkAction } from './share.js';
import { showFrameworkAction } from './show-framework.js';

/** Button ids may carry a suffix (`framework_show:senior`) because ids must be unique within a block. */
const id = (name: string) => ({ type: 'block_actions' as const, action_id: new RegExp(`^${name}(?::|$)`) });

export function registerActions(app: Pick<App, 'action'>, deps: Deps): void {
  app.action(id(ActionId.showFramework), showFrameworkAction(deps));
  app.action(id(ActionId.viewFramework), viewFrameworkAction(deps));
  app.action(id(ActionId.compareLevels), compareLevelsAction(deps));
  app.action(id(ActionId.startAssessment), startAssessmentAction(deps));
  app.action(id(ActionId.answer), answerAction(deps));
  app.action(id(ActionId.rateAll), openRateAllAction(deps));
  app.action(id(ActionId.showHistory), showHistoryAction(deps));
  app.action(id(ActionId.sharePreview), sharePreviewAction(deps));
  app.action(id(ActionId.sharePost), sharePostAction(deps));
  app.action(id(ActionId.shareCancel), shareCancelAction(deps));
  app.action(id(ActionId.forgetConfirm), forgetConfirmAction(deps));
  app.action(id(ActionId.forgetCancel), forgetCancelAction());
  app.action(id(ActionId.showHome), showHomeAction(deps));
}
