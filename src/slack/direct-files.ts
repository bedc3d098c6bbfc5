import type { Logger, webApi } from '@slack/bolt';
import { rateLimitedFor } from './failures.js';

/** How long a delivery waits for Slack in all when Slack asks it to slow down, before giving up. */
const MOST_PATIENCE_SECONDS = 120;

export type PrivateFile = { content: Buffer; filename: string; title: string; altText?: string };

/**
 * Sends files to a person's direct messages with the app (`im:write` opens the conversation,
 * `files:write` uploads), so nobody else sees them: what `/competency export` and the summary's chart
 * send. When Slack answers a call with 429, waits the time Slack asked for and tries again, up to
 * two minutes in all; other people's requests are not held up meanwhile (the Web API client rejects
 * rate-limited calls rather than pausing every call, see app.ts).
 */
export async function sendToDirectMessages(
  client: webApi.WebClient,
  logger: Logger,
  to: { userId: string; comment: string; files: PrivateFile[] },
): Promise<void> {
  await patiently(async () => {
    const dm = await client.conversations.open({ users: to.userId });
    const channel = dm.channel?.id;
    if (!channel) throw new Error('conversations.open gave no channel');
    await client.files.uploadV2({
      channel_id: channel,
      initial_comment: to.comment,
      file_uploads: to.files.map((f) => ({
        file: f.content,
        filename: f.filename,
        title: f.title,
        ...(f.altText ? { alt_text: f.altText } : {}),
      })),
    });
  }, logger);
}

/** A delivery waiting on Slack does not keep a stopping app alive (unref). */
const sleep = (seconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000).unref());

/**
 * Runs `work`; when Slack rejects a call as rate limited, waits as long as Slack asked and runs it
 * again, until it succeeds, fails otherwise, or would wait past MOST_PATIENCE_SECONDS in all.
 */
async function patiently(work: () => Promise<void>, logger: Logger): Promise<void> {
  let waited = 0;
  for (;;) {
    try {
      await work();
      return;
    } catch (error) {
      const retryAfter = rateLimitedFor(error);
      if (retryAfter === undefined || waited + retryAfter > MOST_PATIENCE_SECONDS) throw error;
      logger.info(`Slack asked to wait ${retryAfter} s before sending files; trying again then`);
      waited += Math.max(1, retryAfter);
      await sleep(Math.max(1, retryAfter));
    }
  }
}
