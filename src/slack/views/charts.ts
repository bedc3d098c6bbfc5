import { radarChart } from '../../charts/radar.js';
import type { Chart } from '../../charts/svg.js';
import type { AssessmentRecord } from '../../store/store.js';
import { code, escapeText } from './mrkdwn.js';
import type { Message } from './types.js';
import { COMMAND } from './types.js';

/** The summary as a picture: the person's ratings against the expected level, one spoke per competency. */
export function summaryChart(record: AssessmentRecord): Chart {
  return radarChart({
    title: `${record.roleName} · ${record.levelName}`,
    competencies: record.competencies.map((c) => ({ name: c.name, expected: c.expected, rating: c.rating })),
    altLimit: FILE_ALT_TEXT_LIMIT,
  });
}

/** Slack's limit for the description of an uploaded image (files.getUploadURLExternal's alt_txt). */
export const FILE_ALT_TEXT_LIMIT = 1000;

/** The file name of that picture: `competency-solutions-architect-senior-2026-12-01.png`. */
export function summaryChartFileName(record: AssessmentRecord): string {
  const slug = `${record.frameworkId.split('.')[0] ?? 'framework'}-${record.levelId}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  return `competency-${slug}-${record.finishedAt.slice(0, 10)}.png`;
}

/** Said in place of the summary's note once the chart is in the person's direct messages. */
export function chartSentNote(): string {
  return ':bar_chart: Your chart is in your direct messages with Competency; only you can see it there.';
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
