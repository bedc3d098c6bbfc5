import type { Logger, RespondFn, webApi } from '@slack/bolt';
import { exportCsv, exportFileName, exportJson } from '../../assessments/export.js';
import type { Deps } from '../deps.js';
import { exportFailedMessage, exportSentMessage } from '../views/export.js';
import type { Asker } from './competency.js';

/**
 * `/competency export`: the person's own ratings and history, as a JSON and a CSV file, sent to
 * their direct messages with the app (`im:write` to open it, `files:write` to upload), so nobody
 * else sees them. The reply in the channel, also private, says where they went.
 */
export async function sendExport(args: {
  deps: Deps;
  asker: Asker;
  client: webApi.WebClient;
  respond: RespondFn;
  logger: Logger;
}): Promise<void> {
  const { deps, asker, client, respond, logger } = args;
  const data = deps.assessments.dataOf(asker.person);
  const now = new Date();
  const names = (frameworkId: string, competencyId: string) => {
    const framework = deps.catalog.get(frameworkId);
    if (!framework) return undefined;
    return {
      role: framework.role.name,
      domain: framework.domain.name,
      competency: framework.competencies.find((c) => c.id === competencyId)?.name,
    };
  };
  const files = [
    { filename: exportFileName(asker.person, now, 'json'), content: exportJson(asker.person, data, now) },
    { filename: exportFileName(asker.person, now, 'csv'), content: exportCsv(data, names) },
  ];
  try {
    const dm = await client.conversations.open({ users: asker.userId });
    const channel = dm.channel?.id;
    if (!channel) throw new Error('conversations.open gave no channel');
    await client.files.uploadV2({
      channel_id: channel,
      initial_comment:
        'Your competency ratings and history, as you asked. Only you can see this conversation.',
      file_uploads: files.map((f) => ({
        file: Buffer.from(f.content, 'utf8'),
        filename: f.filename,
        title: f.filename,
      })),
    });
    await respond({
      replace_original: true,
      response_type: 'ephemeral',
      ...exportSentMessage(files.map((f) => f.filename)),
    });
  } catch (error) {
    logger.error('Could not send an export', error);
    const code = (error as { data?: { error?: unknown } }).data?.error;
    await respond({
      replace_original: true,
      response_type: 'ephemeral',
      ...exportFailedMessage(typeof code === 'string' ? code : undefined),
    }).catch((e: unknown) => logger.error('Could not tell a person their export failed', e));
  }
}
