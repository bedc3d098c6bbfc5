import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { ActionId } from '../ids.js';
import { answerAction, showHistoryAction, showHomeAction, startAssessmentAction } from './assessment.js';
import { showFrameworkAction } from './show-framework.js';

/** Button ids may carry a suffix (`framework_show:senior`) because ids must be unique within a block. */
const id = (name: string) => ({ type: 'block_actions' as const, action_id: new RegExp(`^${name}(?::|$)`) });

export function registerActions(app: Pick<App, 'action'>, deps: Deps): void {
  app.action(id(ActionId.showFramework), showFrameworkAction(deps));
  app.action(id(ActionId.startAssessment), startAssessmentAction(deps));
  app.action(id(ActionId.answer), answerAction(deps));
  app.action(id(ActionId.showHistory), showHistoryAction(deps));
  app.action(id(ActionId.showHome), showHomeAction(deps));
}
