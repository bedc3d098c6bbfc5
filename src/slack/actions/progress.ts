import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { trendOf } from '../../assessments/progress.js';
import type { Deps } from '../deps.js';
import { personOf } from '../person.js';
import { decodeValue, RecordValue } from '../values.js';
import { chartRecordNotFoundMessage } from '../views/charts.js';
import { historyMessage } from '../views/history.js';
import { trendChartsOf, trendComment, trendNeedsTwoMessage, trendSentNote } from '../views/progress.js';
import { badClickMessage } from '../views/refusal.js';
import { buttonValue, click } from './click.js';
import { sendCharts } from './send-charts.js';

/**
 * Progress over time, on the history and the Home tab: draws the clicker's own finished assessments
 * of the framework of the one the button names (the person is whoever clicked) as small line charts,
 * one per competency, and sends the PNG to their direct messages with the app (as See it as a chart
 * does), described by alt text that states every number; answers with the history, saying next to
 * the button where the chart went. With one assessment of that framework, there is no trend: says
 * so, and offers that one as a chart.
 */
export function trendChartAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('send a progress chart', async ({ action, body, context, client, logger }) => {
    const value = decodeValue(RecordValue, buttonValue(action));
    if (!value) return badClickMessage();
    const person = personOf(context);
    const data = await deps.assessments.dataOf(person);
    const record = data.history.find((r) => r.id === value.id);
    if (!record) return chartRecordNotFoundMessage();
    const trend = trendOf(data.history, record.frameworkId);
    if (!trend || trend.points.length < 2) return trendNeedsTwoMessage(record);
    const pictures = trendChartsOf(trend);
    const notSent = await sendCharts(
      client,
      logger,
      { userId: body.user.id, comment: trendComment(trend, pictures.length) },
      pictures,
      'a progress chart',
    );
    if (notSent) return notSent;
    return {
      message: historyMessage(await deps.assessments.history(person)),
      note: trendSentNote(pictures.length),
    };
  });
}
