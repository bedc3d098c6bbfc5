import type { Logger, webApi } from '@slack/bolt';
import { exportCsv, exportFileName, exportJson } from '../../assessments/export.js';
import { orgOfPerson } from '../../model/person.js';
import type { Deps } from '../deps.js';
import { sendToDirectMessages } from '../direct-files.js';
import { failureOf, rateLimitedFor } from '../failures.js';
import type { Asker } from '../person.js';
import { replaceOrTellPrivately } from '../reply.js';
import { failureMessage } from '../views/error.js';
import { EXPORT_FILES_COMMENT, exportFailedMessage, exportSentMessage } from '../views/export.js';
import type { Message } from '../views/types.js';

/**
 * `/competency export`: the person's own ratings and history, as a JSON and a CSV file, sent to
 * their direct messages with the app (`im:write` to open it, `files:write` to upload), so nobody
 * else sees them. The reply in the channel, also private, says where they went.
 *
 * Sending is background work: the person already sees "Preparing your export…", which `replace`
 * changes into the outcome (through the command's response_url, or where a button was clicked); it
 * throws when it cannot, and the outcome then goes privately another way. When Slack answers
 * a call with 429 (rate limited), this export waits the time Slack asked for and tries again, up to
 * two minutes in all; other people's requests are not held up meanwhile (the Web API client rejects
 * rate-limited calls rather than pausing every call, see app.ts).
 */
export async function sendExport(args: {
  deps: Deps;
  asker: Asker;
  client: webApi.WebClient;
  replace: (message: Message) => Promise<unknown>;
  logger: Logger;
}): Promise<void> {
  const { deps, asker, client, replace, logger } = args;
  let data: Awaited<ReturnType<Deps['assessments']['dataOf']>>;
  let given: Awaited<ReturnType<Deps['reviews']['givenBy']>>;
  let adminChanges: { at: string; what: string }[];
  try {
    data = await deps.assessments.dataOf(asker.person);
    // The reviews the person gave are kept in the records of the people they reviewed.
    given = await deps.reviews.givenBy(asker.person, data);
    adminChanges = (await deps.orgs.changesBy(orgOfPerson(asker.person), asker.userId)).map(
      ({ at, what }) => ({
        at,
        what,
      }),
    );
  } catch (error) {
    logger.error('Could not read the data to export', error);
    await replace(failureMessage(failureOf(error))).catch((e: unknown) =>
      logger.warn('Could not tell a person their export failed', e),
    );
    return;
  }
  const now = new Date();
  const catalog = await deps.catalogFor(asker.person);
  const names = (frameworkId: string, competencyId: string) => {
    const framework = catalog.get(frameworkId);
    if (!framework) return undefined;
    return {
      role: framework.role.name,
      domain: framework.domain.name,
      competency: framework.competencies.find((c) => c.id === competencyId)?.name,
    };
  };
  const files = [
    {
      filename: exportFileName(asker.person, now, 'json'),
      content: exportJson(asker.person, data, now, given, adminChanges),
    },
    { filename: exportFileName(asker.person, now, 'csv'), content: exportCsv(data, names, given) },
  ];

  let outcome: Message;
  let delivered = false;
  try {
    await sendToDirectMessages(client, logger, {
      userId: asker.userId,
      comment: EXPORT_FILES_COMMENT,
      files: files.map((f) => ({
        content: Buffer.from(f.content, 'utf8'),
        filename: f.filename,
        title: f.filename,
      })),
    });
    delivered = true;
    outcome = exportSentMessage(files.map((f) => f.filename));
  } catch (error) {
    logger.error('Could not send an export', error);
    const code = (error as { data?: { error?: unknown } }).data?.error;
    const busy = rateLimitedFor(error) !== undefined ? 'ratelimited' : undefined;
    outcome = exportFailedMessage(typeof code === 'string' ? code : busy);
  }

  // Tell the person what really happened, in place of "Preparing…"; if that message can no longer be
  // changed, privately in the channel. When the files arrived, their direct message says so already.
  await replaceOrTellPrivately(replace, outcome, {
    client,
    logger,
    to: { userId: asker.userId, channelId: asker.channelId },
    placeholder: 'Preparing your export…',
    // Delivered: the files' direct message says so already, so no second one.
    directMessage: !delivered,
  });
}
