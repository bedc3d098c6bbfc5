import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { ownSummary } from '../answers/summary.js';
import { chartValueOf, requestOfChartValue, resolveTeam } from '../answers/team.js';
import type { Deps } from '../deps.js';
import { personOf } from '../person.js';
import { decodeValue, encodeValue, RecordValue, TeamChartValue } from '../values.js';
import {
  chartRecordNotFoundMessage,
  chartSentNote,
  summaryChart,
  summaryChartComment,
  summaryChartFileName,
  TEAM_CHARTS_COMMENT,
  teamCharts,
} from '../views/charts.js';
import { badClickMessage } from '../views/refusal.js';
import { teamViewMessage } from '../views/team.js';
import { buttonValue, click } from './click.js';
import { sendCharts } from './send-charts.js';

/**
 * See it as a chart, on a summary: draws the clicker's own assessment (the button names it; the
 * person is whoever clicked) as a radar chart against the expected level — with the latest finished
 * review of it by a colleague, when there is one — sends the PNG to their direct messages with the
 * app, described by alt text that states every number, and answers with the summary, saying next to
 * its buttons where the chart went. Drawing happens off the event loop.
 */
export function summaryChartAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('send a chart of an assessment', async ({ action, body, context, client, logger }) => {
    const value = decodeValue(RecordValue, buttonValue(action));
    if (!value) return badClickMessage();
    const found = await deps.reviews.withLatestReview(personOf(context), value.id);
    if (!found) return chartRecordNotFoundMessage();
    const { record, review } = found;
    const notSent = await sendCharts(
      client,
      logger,
      { userId: body.user.id, comment: summaryChartComment(record, review) },
      [
        {
          chart: summaryChart(record, review),
          filename: summaryChartFileName(record),
          title: `${record.roleName} · ${record.levelName}`,
        },
      ],
      'a chart',
    );
    if (notSent) return notSent;
    // The summary stays as it was, with where the chart went said next to the chart button.
    return { message: await ownSummary(deps, personOf(context), record), note: chartSentNote() };
  });
}

/**
 * See it as a chart, on a team view: works out the same team again (its members may have changed,
 * and the totals are never kept; it is checked against recent answers like the command) and sends one
 * chart per role × level shown — per competency, how many meet, are above and below the expected level,
 * and the median: the totals the message states, nothing more — to the asker's direct messages;
 * answers with the team view, saying where the charts went.
 */
export function teamChartAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('send a chart of a team view', async ({ action, body, context, client, logger }) => {
    const value = decodeValue(TeamChartValue, buttonValue(action));
    if (!value) return badClickMessage();
    const request = requestOfChartValue(value);
    const team = await resolveTeam(
      request,
      deps,
      {
        userId: body.user.id,
        channelId: body.channel?.id,
        channelName: body.channel?.name,
        context,
      },
      client,
    );
    if ('blocks' in team) return team;
    const charts = teamCharts(team.view);
    const chartValue = encodeValue(chartValueOf(request));
    if (charts.length === 0) return teamViewMessage(team.view, team.target, { chartValue });
    const notSent = await sendCharts(
      client,
      logger,
      { userId: body.user.id, comment: TEAM_CHARTS_COMMENT },
      charts,
      'the charts of a team view',
    );
    if (notSent) return notSent;
    return teamViewMessage(team.view, team.target, { chartValue, note: chartSentNote(charts.length) });
  });
}
