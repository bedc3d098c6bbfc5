import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Comparison } from '../../assessments/reviews.js';
import { radarChart } from '../../charts/radar.js';
import { toPngAsync } from '../../charts/render.js';
import type { Chart } from '../../charts/svg.js';
import type { AssessmentRecord } from '../../store/store.js';
import { chartValueOf, requestOfChartValue, resolveTeam } from '../commands/team.js';
import type { Deps } from '../deps.js';
import { sendToDirectMessages } from '../direct-files.js';
import { rateLimitedFor } from '../failures.js';
import { personOf } from '../person.js';
import { decodeValue, encodeValue, RecordValue, TeamChartValue } from '../values.js';
import { summaryMessage } from '../views/assessment.js';
import {
  chartNotSentMessage,
  chartRecordNotFoundMessage,
  chartSentNote,
  FILE_ALT_TEXT_LIMIT,
  summaryChart,
  summaryChartFileName,
  teamCharts,
} from '../views/charts.js';
import { escapeText } from '../views/mrkdwn.js';
import { badClickMessage } from '../views/refusal.js';
import { teamViewMessage } from '../views/team.js';
import { buttonValue, click } from './click.js';

/** Who a review is from, for the chart's legend and alt text: "alex's review", or "A colleague's review". */
export function reviewLabelOf(review: Pick<Comparison, 'reviewerName'>): string {
  const name = review.reviewerName?.trim().replace(/^@/, '').slice(0, 40);
  return `${name || 'A colleague'}'s review`;
}

/** The summary's radar chart, with the latest finished review of it as a second series when there is one. */
export function summaryChartWithReview(record: AssessmentRecord, review: Comparison | undefined): Chart {
  if (!review) return summaryChart(record);
  const reviewed = new Map(review.rows.map((row) => [row.id, row.review]));
  return radarChart({
    title: `${record.roleName} · ${record.levelName}`,
    competencies: record.competencies.map((c) => ({
      name: c.name,
      expected: c.expected,
      rating: c.rating,
      review: reviewed.get(c.id) ?? null,
    })),
    reviewLabel: reviewLabelOf(review),
    altLimit: FILE_ALT_TEXT_LIMIT,
  });
}

/**
 * See it as a chart, on a summary: draws the clicker's own assessment (the button names it; the
 * person is whoever clicked) as a radar chart against the expected level — with the latest finished
 * review of it by a colleague, when there is one — sends the PNG to their direct messages with the
 * app, described by alt text that states every number, and answers with the summary saying where it
 * went. Drawing happens off the event loop.
 */
export function summaryChartAction(deps: Deps): Middleware<SlackActionMiddlewareArgs<BlockAction>> {
  return click('send a chart of an assessment', async ({ action, body, context, client, logger }) => {
    const value = decodeValue(RecordValue, buttonValue(action));
    if (!value) return badClickMessage();
    const person = personOf(context);
    const record = await deps.assessments.record(person, value.id);
    if (!record) return chartRecordNotFoundMessage();
    const review = await deps.assessments.reviews.latestFinished(person, record.id);
    const chart = summaryChartWithReview(record, review);
    const png = await toPngAsync(chart.svg);
    try {
      await sendToDirectMessages(client, logger, {
        userId: body.user.id,
        comment: `Your self-assessment for ${escapeText(record.roleName)} · ${escapeText(record.levelName)} as a chart: your ratings against the expected level${review ? `, and <@${review.request.reviewerUserId}>'s review` : ''}. Only you can see this conversation.`,
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

/**
 * See it as a chart, on a team view: works out the same team again (its members may have changed,
 * and the totals are never kept) and sends one heat map per role × level shown — counts per
 * competency and rating, for role × levels that K or more people shared — to the asker's direct
 * messages; answers with the team view, saying where the charts went.
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
    const files = await Promise.all(
      charts.map(async ({ chart, filename, title }) => ({
        content: await toPngAsync(chart.svg),
        filename,
        title,
        altText: chart.alt,
      })),
    );
    try {
      await sendToDirectMessages(client, logger, {
        userId: body.user.id,
        comment:
          'Your team view as charts: for each competency, how many of the people who chose to share gave each rating, with the expected level outlined. Only you can see this conversation.',
        files,
      });
    } catch (error) {
      logger.error('Could not send the charts of a team view', error);
      return chartNotSentMessage(rateLimitedFor(error) === undefined ? 'slack' : 'busy');
    }
    return teamViewMessage(team.view, team.target, { chartValue, note: chartSentNote(files.length) });
  });
}
