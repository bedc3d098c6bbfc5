import type { Comparison } from '../../assessments/reviews.js';
import type { SharedGroup, TeamView } from '../../assessments/team.js';
import { radarChart } from '../../charts/radar.js';
import type { Chart } from '../../charts/svg.js';
import { type TeamChartRow, teamChart, teamChartAlt } from '../../charts/team-chart.js';
import type { AssessmentRecord } from '../../model/records.js';
import { code, escapeText } from './mrkdwn.js';
import type { Message } from './types.js';
import { COMMAND } from './types.js';

/**
 * The summary as a picture: the person's ratings against the expected level, one spoke per
 * competency, with a colleague's finished review of it as a second series when there is one.
 */
export function summaryChart(record: AssessmentRecord, review?: Comparison): Chart {
  const reviewed = new Map(review?.rows.map((row) => [row.id, row.review]));
  return radarChart({
    title: `${record.roleName} · ${record.levelName}`,
    competencies: record.competencies.map((c) => ({
      name: c.name,
      expected: c.expected,
      rating: c.rating,
      ...(review ? { review: reviewed.get(c.id) ?? null } : {}),
    })),
    ...(review ? { reviewLabel: reviewLabelOf(review) } : {}),
    altLimit: FILE_ALT_TEXT_LIMIT,
  });
}

/** Who a review is from, for the chart's legend and alt text: "alex's review", or "A colleague's review". */
function reviewLabelOf(review: Pick<Comparison, 'reviewerName'>): string {
  const name = review.reviewerName?.trim().replace(/^@/, '').slice(0, 40);
  return `${name || 'A colleague'}'s review`;
}

/** Slack's limit for the description of an uploaded image (files.getUploadURLExternal's alt_txt). */
const FILE_ALT_TEXT_LIMIT = 1000;

/** The file name of that picture: `competency-solutions-architect-senior-2026-12-01.png`. */
export function summaryChartFileName(record: AssessmentRecord): string {
  const slug = `${record.frameworkId.split('.')[0] ?? 'framework'}-${record.levelId}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  return `competency-${slug}-${record.finishedAt.slice(0, 10)}.png`;
}

/**
 * One chart per role × level that K or more people shared, of exactly what the team view says of it:
 * per competency, how many meet, are above and below the expected level, the median, and how many
 * said n/a or skipped. Never how many gave each rating (compared over time, that gives a person
 * away). A role × level whose competencies are all hidden (fewer than K rated each) has no chart.
 */
export function teamCharts(
  view: TeamView,
  limit = MAX_TEAM_CHARTS,
): { chart: Chart; filename: string; title: string }[] {
  return view.groups
    .filter((group): group is SharedGroup => group.kind === 'shown' && group.competencies.length > 0)
    .slice(0, limit)
    .map((group) => {
      const title = `${group.roleName} · ${group.levelName}`;
      const heading = `${title} · ${group.contributors} people`;
      const rows = group.competencies.map(
        (c): TeamChartRow => ({
          name: c.name,
          expected: c.expected,
          expectedVaries: c.expectedVaries,
          meets: c.meets,
          above: c.above,
          below: c.below,
          median: c.median,
          notRated: c.notRated,
        }),
      );
      const chart = teamChart({ title: heading, rows });
      // A file's description has a shorter limit than an image block's: the first competencies, then "and N more".
      return {
        chart: { ...chart, alt: teamChartAlt(heading, rows, FILE_ALT_TEXT_LIMIT) },
        filename: `competency-team-${group.frameworkId.split('.')[0] ?? 'framework'}-${group.levelId}.png`
          .toLowerCase()
          .replace(/[^a-z0-9.-]+/g, '-'),
        title,
      };
    });
}

/** What the direct message with a summary's chart says. */
export function summaryChartComment(record: AssessmentRecord, review: Comparison | undefined): string {
  return `Your self-assessment for ${escapeText(record.roleName)} · ${escapeText(record.levelName)} as a chart: your ratings against the expected level${review ? `, and <@${review.request.reviewerUserId}>'s review` : ''}. Only you can see this conversation.`;
}

/** What the direct message with a team view's charts says. */
export const TEAM_CHARTS_COMMENT =
  'Your team view as charts: for each competency, how many of the people who chose to share rated themselves below, at or above the expected level, and the median — the same totals as the team view, nothing more. Only you can see this conversation.';

/** The most team charts one click sends (one per role × level, most contributors first). */
const MAX_TEAM_CHARTS = 5;

/** Said in place of the summary's note once the chart is in the person's direct messages. */
export function chartSentNote(count = 1): string {
  return count === 1
    ? ':bar_chart: Your chart is in your direct messages with Competency; only you can see it there.'
    : `:bar_chart: ${count} charts are in your direct messages with Competency; only you can see them there.`;
}

/** The button named an assessment the person does not have (any more). */
export function chartRecordNotFoundMessage(): Message {
  const text = `I couldn't find that self-assessment among yours (it may have been deleted), so there is no chart to send. ${code(`${COMMAND} history`)} lists the ones you have.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/** When the chart could not be sent: what happened and what to do. */
export function chartNotSentMessage(reason: 'slack' | 'busy'): Message {
  const text =
    reason === 'busy'
      ? 'Slack asked this app to slow down, so your chart was not sent. Please try again in a minute.'
      : 'Your chart could not be sent to your direct messages with Competency. Please try again in a minute; if it keeps happening, tell the person who runs this app.';
  return {
    text: escapeText(text),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${escapeText(text)}` } }],
  };
}
