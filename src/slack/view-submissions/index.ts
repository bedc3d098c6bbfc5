import type { App } from '@slack/bolt';
import type { Deps } from '../deps.js';
import { CallbackId } from '../ids.js';
import { rateAllSubmission } from './rate-all.js';

export function registerViewSubmissions(app: Pick<App, 'view'>, deps: Deps): void {
  app.view({ callback_id: CallbackId.rateAll, type: 'view_submission' }, rateAllSubmission(deps));
  // A form this version does not know (opened before an upgrade): close it rather than leave the
  // person with Slack's error after 3 seconds.
  app.view(
    { callback_id: new RegExp(`^(?!${CallbackId.rateAll}$)`), type: 'view_submission' },
    async ({ ack }) => {
      await ack();
    },
  );
}
