import type { Button } from '@slack/types';
import type { Readiness, Trend } from '../../assessments/progress.js';
import type { Chart } from '../../charts/svg.js';
import { trendCharts } from '../../charts/trend.js';
import type { AssessmentRecord } from '../../model/records.js';
import { ActionId } from '../ids.js';
import { encodeValue } from '../values.js';
import { escapeText } from './mrkdwn.js';
import type { Message } from './types.js';

/**
 * Progress over time: the trend chart's pictures and words (the direct message it goes in, what the
 * person is told where they clicked), and readiness for the next level as one line of text, for the
 * summary and the Home tab. Pure functions: data in, Block Kit out.
 */

/** Slack's limit for the description of an uploaded image (files.getUploadURLExternal's alt_txt). */
const FILE_ALT_TEXT_LIMIT = 1000;

/** `2026-03-02`: the day an assessment was finished (UTC), as the chart's key and its alt text write it. */
const day = (iso: string): string => iso.slice(0, 10);

/** The trend as pictures: one, or a few when one description could not state every number. */
export function trendChartsOf(trend: Trend): { chart: Chart; filename: string; title: string }[] {
  const charts = trendCharts(
    {
      title: `${trend.roleName} · ${trend.domainName}`,
      points: trend.points.map((p) => ({ date: day(p.finishedAt), levelName: p.levelName })),
      competencies: trend.competencies.map((c) => ({
        name: c.name,
        values: c.values.map((v) => (v === 'absent' ? null : { rating: v.rating, expected: v.expected })),
      })),
    },
    FILE_ALT_TEXT_LIMIT,
  );
  const slug = (trend.frameworkId.split('.')[0] ?? 'framework').toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  const last = day(trend.points.at(-1)?.finishedAt ?? '');
  return charts.map((chart, i) => ({
    chart,
    filename: `competency-progress-${slug}-${last}${charts.length > 1 ? `-${i + 1}` : ''}.png`,
    title:
      charts.length > 1
        ? `Progress · ${trend.roleName} (${i + 1} of ${charts.length})`
        : `Progress · ${trend.roleName}`,
  }));
}

/** What the direct message with the trend chart says. */
export function trendComment(trend: Trend, pictures: number): string {
  const first = day(trend.points[0]?.finishedAt ?? '');
  const last = day(trend.points.at(-1)?.finishedAt ?? '');
  const which =
    trend.total > trend.points.length
      ? `your latest ${trend.points.length} of ${trend.total} self-assessments`
      : `your ${trend.points.length} self-assessments`;
  const split =
    pictures > 1 ? ` In ${pictures} pictures, so that each one's description can state every number.` : '';
  return `Your progress in ${escapeText(trend.roleName)} · ${escapeText(trend.domainName)}: ${which}, from ${first} to ${last}, each competency's rating against the level expected then (the dashed line).${split} Only you can see this conversation.`;
}

/** Said next to the button once the trend chart is in the person's direct messages. */
export function trendSentNote(pictures: number): string {
  return pictures === 1
    ? ':chart_with_upwards_trend: Your progress chart is in your direct messages with Competency; only you can see it there.'
    : `:chart_with_upwards_trend: Your progress charts (${pictures}) are in your direct messages with Competency; only you can see them there.`;
}

/**
 * With one finished assessment of a framework there is no trend yet: says so, and offers that one
 * as a chart, or to rate again.
 */
export function trendNeedsTwoMessage(record: AssessmentRecord): Message {
  const text = `A trend needs at least two finished self-assessments of ${escapeText(record.roleName)} · ${escapeText(record.domainName)}; you have one so far, from ${day(record.finishedAt)}. Rate yourself again in a while and press *Progress over time* once more. Meanwhile, *See it as a chart* sends this one as a chart to your direct messages.`;
  const buttons: Button[] = [
    {
      type: 'button',
      action_id: ActionId.summaryChart,
      text: { type: 'plain_text', text: 'See it as a chart' },
      value: encodeValue({ id: record.id }),
    },
    {
      type: 'button',
      action_id: ActionId.startAssessment,
      text: { type: 'plain_text', text: 'Rate again' },
      value: encodeValue({ f: record.frameworkId, l: record.levelId, r: 1 }),
    },
    { type: 'button', action_id: ActionId.showHistory, text: { type: 'plain_text', text: 'History' } },
  ];
  return {
    text: `A trend needs at least two finished self-assessments of ${escapeText(record.roleName)}; you have one so far.`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text } },
      { type: 'actions', block_id: 'trend_needs_two', elements: buttons },
    ],
  };
}

/** `Composable Commerce Strategy (rated 2, needs 3)` */
const leftText = (c: { name: string; rating: number; needs: number }): string =>
  `${escapeText(c.name)} (rated ${c.rating}, needs ${c.needs})`;

/** `a, b, c` of as many of `names` as fit in `room` characters, and how many were left out. */
function namesWithin(names: readonly string[], room: number): { text: string; left: number } {
  let text = '';
  for (const [i, name] of names.entries()) {
    const next = text === '' ? name : `${text}, ${name}`;
    if (next.length > room) return { text, left: names.length - i };
    text = next;
  }
  return { text, left: 0 };
}

/**
 * Readiness for the next level on the person's track, in one paragraph of at most about `room`
 * characters, every sentence true of the assessment: how many of the competencies rated 1–5 already
 * meet the next level, which are left (as many named as fit, the rest counted), and how many were
 * not counted (n/a or skipped). With no single next level, says why when known (the top of the
 * track, a fork) and points to Compare levels.
 */
export function readinessText(readiness: Readiness, room = 1500): string {
  if (readiness.kind === 'no-next') {
    const level = escapeText(readiness.levelName);
    switch (readiness.why) {
      case 'top':
        return `*No next level after ${level}:* it is the top of its track, so there is nothing further to be ready for here. *Compare levels* shows every level.`;
      case 'fork': {
        const paths = namesWithin(readiness.nextLevelNames.map(escapeText), Math.max(100, room - 400));
        const more = paths.left > 0 ? `${paths.text ? ' and ' : ''}${paths.left} more` : '';
        return `*No single next level after ${level}:* the track splits here (${paths.text}${more}), and each path expects its own. *Compare levels* shows what each one expects.`;
      }
      case 'unknown':
        return `*No single next level after ${level}* on this track: it is the top of its track, or the tracks split there. *Compare levels* shows what each level expects.`;
    }
  }
  const next = escapeText(readiness.nextLevelName);
  const notCounted =
    readiness.notCounted === 0 ? '' : ` ${readiness.notCounted} not counted (not applicable or skipped).`;
  if (readiness.counted === 0) {
    return `*Ready for ${next}?* Nothing is rated 1–5, so there is nothing to count yet.${notCounted}`;
  }
  const of = `${readiness.meets} of ${readiness.counted} ${readiness.counted === 1 ? 'competency' : 'competencies'} rated 1–5`;
  if (readiness.left.length === 0) {
    return `*Ready for ${next}?* ${readiness.counted === 1 ? 'The one competency' : `All ${readiness.counted} competencies`} rated 1–5 already ${readiness.counted === 1 ? 'meets' : 'meet'} it.${notCounted}`;
  }
  const verb = readiness.meets === 1 ? 'meets' : 'meet';
  const head = `*Ready for ${next}?* ${of} already ${verb} it; left: `;
  const tail = `.${notCounted}`;
  const named = namesWithin(
    readiness.left.map(leftText),
    Math.max(100, room - head.length - tail.length - 20),
  );
  const list =
    named.left === 0
      ? named.text
      : named.text === ''
        ? `${named.left} ${named.left === 1 ? 'competency' : 'competencies'}`
        : `${named.text}, and ${named.left} more`;
  return `${head}${list}${tail}`;
}
