import type { Logger, webApi } from '@slack/bolt';
import { toPng } from '../../charts/png.js';
import type { Chart } from '../../charts/svg.js';
import { sendToDirectMessages } from '../direct-files.js';
import { rateLimitedFor } from '../failures.js';
import { chartNotSentMessage } from '../views/charts.js';
import type { Message } from '../views/types.js';

/** A chart to send: the picture, and the name and title of its file. */
export type ChartFile = { chart: Chart; filename: string; title: string };

/**
 * Draws each chart as a PNG (off the event loop) and sends them to the person's direct messages with
 * the app, with `comment` and each chart's alt text. Resolves with undefined once sent, or with the
 * message that says why they were not (Slack busy, or another failure, logged as `what`).
 */
export async function sendCharts(
  client: webApi.WebClient,
  logger: Logger,
  to: { userId: string; comment: string },
  charts: readonly ChartFile[],
  what: string,
): Promise<Message | undefined> {
  const files = await Promise.all(
    charts.map(async ({ chart, filename, title }) => ({
      content: await toPng(chart.svg),
      filename,
      title,
      altText: chart.alt,
    })),
  );
  try {
    await sendToDirectMessages(client, logger, { ...to, files });
    return undefined;
  } catch (error) {
    logger.error(`Could not send ${what}`, error);
    return chartNotSentMessage(rateLimitedFor(error) === undefined ? 'slack' : 'busy');
  }
}
