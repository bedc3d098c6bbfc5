import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { toPngAsync } from '../../charts/render.js';
import type { Deps } from '../deps.js';
import { sendToDirectMessages } from '../direct-files.js';
import { rateLimitedFor } from '../failures.js';
import { personOf } from '../person.js';
import { decodeValue, RecordValue } from '../values.js';
import { summaryMessage } from '../views/assessment.js';
import {
  chartNotSentMessage,
  chartRecordNotFoundMessage,
  chartSentNote,
  summaryChart,
  summaryChartFileName,
} from '../views/charts.js';
import { escapeText } from '../views/mrkdwn.js';
import { badClickMessage } from '../views/refusal.js';
import { buttonValue, click } from './click.js';

/**
 * See it as a chart, on a summary: draws the clicker's own assessment (the button names it; the
 * person is whoever clicked) as a radar chart against the expected level, sends the PNG to their
 * direct messages with the app, described by alt text that states every number, and answers with
 * the summary saying where it went. Drawing happens off the event loop.
 */
export function summaryChartAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('send a chart of an assessment', async ({ action, body, context, client, logger }) => {
    const value = decodeValue(RecordValue, buttonValue(action));
    if (!value) return badClickMessage();
    const record = await deps.assessments.record(personOf(context), value.id);
    if (!record) return chartRecordNotFoundMessage();
    const chart = summaryChart(record);
    const png = await toPngAsync(chart.svg);
    try {
      await sendToDirectMessages(client, logger, {
        userId: body.user.id,
        comment: `Your self-assessment for ${escapeText(record.roleName)} · ${escapeText(record.levelName)} as a chart: your ratings against the expected level. Only you can see this conversation.`,
        files: [
          {
            content: png,
            filename: summaryChartFileName(record),
            title: `${record.roleName} · ${record.levelName}`,
            altText: chart.alt,
          },
        ],
      });
    } catch (error) {
      logger.error('Could not send a chart', error);
      return chartNotSentMessage(rateLimitedFor(error) === undefined ? 'slack' : 'busy');
    }
    return summaryMessage(record, { note: chartSentNote() });
  });
}
