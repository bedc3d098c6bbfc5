import type { App, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { CallbackId } from '../ids.js';
import { rateAllSubmission } from './rate-all.js';

/**
 * One listener for every form submission (Bolt matches each registered listener on every request,
 * so fewer is faster). A form this version does not know — opened before an upgrade — is closed
 * rather than left to Slack's error after 3 seconds.
 */
export function registerViewSubmissions(app: Pick<App, 'view'>, deps: Deps): void {
  const rateAll = rateAllSubmission(deps);
  app.view<ViewSubmitAction>({ type: 'view_submission', callback_id: /.*/ }, async (args) => {
    if (args.view.callback_id === CallbackId.rateAll)
      await rateAll(args as typeof args & SlackViewMiddlewareArgs<ViewSubmitAction>);
    else await args.ack();
  });
}
