import type { Middleware, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { adminOf, downloadFile, type SlackFile } from '../admins.js';
import type { Deps } from '../deps.js';
import { madeAtOf } from '../person.js';
import { tellPrivately } from '../reply.js';
import {
  notAdminMessage,
  previewModal,
  publishedMessage,
  type UploadedFile,
  UploadId,
  uploadProblemsText,
} from '../views/admin.js';

type SubmissionListener = Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>>;

/**
 * Add a framework: the file is downloaded, checked as `competency validate` and `competency import`
 * check, and against the frameworks the org sees; its problems are shown under the file (nothing is
 * kept), or the form becomes the preview, with Publish. Both steps ask Slack again whether the
 * person is an admin.
 */
export function uploadSubmission(deps: Deps): SubmissionListener {
  return async function checkUpload({ ack, view, context, client, logger }) {
    const fail = (text: string) => ack({ response_action: 'errors', errors: { [UploadId.block]: text } });
    const admin = await adminOf(client, context, deps.orgs).catch(() => undefined);
    if (!admin) {
      await fail(notAdminMessage().text);
      return;
    }
    const files = (
      view.state?.values?.[UploadId.block]?.[UploadId.file] as { files?: SlackFile[] } | undefined
    )?.files;
    const file = files?.[0];
    if (!file?.id) {
      await fail('Choose a file.');
      return;
    }
    const downloaded = await downloadFile(file, context.botToken);
    if ('problem' in downloaded) {
      await fail(downloaded.problem);
      return;
    }
    try {
      const checked = await deps.orgs.check(admin.org, downloaded);
      if (checked.kind === 'problems') {
        await fail(uploadProblemsText(checked.problems));
        return;
      }
      const uploaded: UploadedFile = { id: file.id, name: downloaded.name };
      await ack({
        response_action: 'update',
        view: previewModal(checked.framework, checked.replaces, uploaded),
      });
    } catch (error) {
      logger.error('Could not check an uploaded framework', error);
      await fail('Something went wrong on our side and nothing was kept. Please try again.');
    }
  };
}

/**
 * Publish, on the preview: the file is read again from Slack and checked again against what the
 * org has now (the form carries only the file's id, so nothing in it can be forged into the
 * framework), then kept. The admin is told in their direct messages.
 */
export function publishSubmission(deps: Deps): SubmissionListener {
  return async function publishFramework({ ack, view, body, context, client, logger }) {
    const admin = await adminOf(client, context, deps.orgs).catch(() => undefined);
    const fileId = fileIdOf(view.private_metadata);
    if (!admin || !fileId) {
      await ack({ response_action: 'update', view: closedWith(notAdminOr(admin !== undefined)) });
      return;
    }
    await ack();
    const to = { userId: body.user.id, channelId: undefined };
    const tell = (text: string) =>
      tellPrivately(client, logger, to, {
        text,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
      });
    try {
      const info = await client.files.info({ file: fileId });
      const downloaded = await downloadFile(info.file as SlackFile, context.botToken);
      if ('problem' in downloaded) {
        await tell(`Nothing was published: ${downloaded.problem}`);
        return;
      }
      const outcome = await deps.orgs.publish(admin.org, downloaded, admin.userId, madeAtOf(context));
      if (outcome.kind === 'problems') {
        await tell(`Nothing was published: ${outcome.problems.slice(0, 5).join('\n')}`);
        return;
      }
      await tellPrivately(
        client,
        logger,
        to,
        publishedMessage(outcome.name, outcome.version, outcome.roleId, outcome.first),
      );
      logger.info(
        `Framework published for ${admin.org} by ${admin.userId}: ${outcome.name} ${outcome.version}`,
      );
    } catch (error) {
      logger.error('Could not publish a framework', error);
      await tell('Something went wrong on our side and nothing was published. Please try again.');
    }
  };
}

function fileIdOf(metadata: string | undefined): string | undefined {
  try {
    const parsed = JSON.parse(metadata ?? '') as { id?: unknown };
    return typeof parsed.id === 'string' && /^F[A-Z0-9]{2,40}$/.test(parsed.id) ? parsed.id : undefined;
  } catch {
    return undefined;
  }
}

function notAdminOr(isAdmin: boolean): string {
  return isAdmin ? 'This form is out of date. Close it and add the framework again.' : notAdminMessage().text;
}

function closedWith(text: string) {
  return {
    type: 'modal' as const,
    title: { type: 'plain_text' as const, text: 'Add a framework' },
    close: { type: 'plain_text' as const, text: 'Close' },
    blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }],
  };
}
