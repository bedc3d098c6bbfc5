import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { frameworkToCsv } from '../../frameworks/export-csv.js';
import { type AdminAct, adminOf, downloadFile, type SlackFile, userGroupsOf } from '../admins.js';
import { answerAdminPanel } from '../answers/admin.js';
import type { Deps } from '../deps.js';
import { sendToDirectMessages } from '../direct-files.js';
import { failureOf } from '../failures.js';
import { madeAtOf } from '../person.js';
import {
  fileProblemsMessage,
  notAdminMessage,
  previewModal,
  uploadModal,
  useFileMessage,
} from '../views/admin.js';

import { failureMessage } from '../views/error.js';
import { badClickMessage } from '../views/refusal.js';
import { answerMessage, buttonValue, type ClickArgs, click, replyOf } from './click.js';

type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

/**
 * The admin panel's buttons and menu. Each asks Slack again whether the person is an admin (a click
 * forged with someone else's button changes nothing), makes the change under the org's lock, and
 * answers with the panel as it is now, with a line saying what the click did.
 */

/** Add a framework: opens the upload form. */
export function addFrameworkAction(deps: Deps): ClickListener {
  return async function addFramework(args) {
    await args.ack();
    const reply = replyOf(args);
    try {
      if (!(await adminOf(args.client, args.context, deps.orgs))) {
        await reply(notAdminMessage());
        return;
      }
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: uploadModal() });
    } catch (error) {
      args.logger.error('Could not open the Add a framework form', error);
      await reply(failureMessage(failureOf(error)));
    }
  };
}

/** Retire or Restore one of the org's own frameworks. */
export function frameworkStateAction(deps: Deps): ClickListener {
  return adminClick(deps, 'retire or restore a framework', async (admin, args) => {
    const id = buttonValue(args.action);
    const restore = args.action.action_id.endsWith(':restore');
    if (!id) return undefined;
    const outcome = restore
      ? await deps.orgs.restore(admin.org, id, admin.userId, madeAtOf(args.context))
      : await deps.orgs.retire(admin.org, id, admin.userId, madeAtOf(args.context));
    return outcome.kind === 'changed'
      ? restore
        ? `Restored: people in your organisation see ${id} again.`
        : `Retired: people in your organisation no longer see ${id}. Their assessments are kept.`
      : `Nothing changed: ${outcome.why}`;
  });
}

/** Hide or Show a bundled framework for the org. */
export function bundledStateAction(deps: Deps): ClickListener {
  return adminClick(deps, 'hide or show a bundled framework', async (admin, args) => {
    const id = buttonValue(args.action);
    const show = args.action.action_id.endsWith(':show');
    if (!id) return undefined;
    const outcome = await deps.orgs.showBundled(admin.org, id, show, admin.userId, madeAtOf(args.context));
    return outcome.kind === 'changed'
      ? show
        ? `Shown: people in your organisation see ${id} again.`
        : `Hidden: people in your organisation no longer see ${id}. Their assessments are kept.`
      : `Nothing changed: ${outcome.why}`;
  });
}

/** The team-view threshold menu. */
export function teamMinimumAction(deps: Deps): ClickListener {
  return adminClick(deps, 'change the team-view threshold', async (admin, args) => {
    const raw = (args.action as { selected_option?: { value?: unknown } | null }).selected_option?.value;
    const k =
      raw === 'server'
        ? undefined
        : typeof raw === 'string' && /^\d{1,2}$/.test(raw)
          ? Number(raw)
          : Number.NaN;
    if (Number.isNaN(k)) return undefined;
    const outcome = await deps.orgs.setTeamMinimum(admin.org, k, admin.userId, madeAtOf(args.context));
    return outcome.kind === 'changed'
      ? k === undefined
        ? "Team views now follow this server's threshold."
        : `Team views now need at least ${k} people per role and level.`
      : `Nothing changed: ${outcome.why}`;
  });
}

/** Framework editors, on the admin panel: a user group whose members may also do this, or nobody else. Admins only. */
export function editorsAction(deps: Deps): ClickListener {
  return adminClick(deps, 'choose the framework editors', async (admin, args) => {
    if (admin.role !== 'admin')
      return 'Nothing changed: only admins and owners choose the framework editors.';
    const raw = (args.action as { selected_option?: { value?: unknown } | null }).selected_option?.value;
    if (raw === 'nobody') {
      const outcome = await deps.orgs.setEditors(admin.org, undefined, admin.userId, madeAtOf(args.context));
      return outcome.kind === 'changed'
        ? 'Only admins and owners change your frameworks now.'
        : `Nothing changed: ${outcome.why}`;
    }
    const group = (await userGroupsOf(args.client)).find((g) => g.id === raw);
    if (!group) return undefined;
    const outcome = await deps.orgs.setEditors(admin.org, group, admin.userId, madeAtOf(args.context));
    return outcome.kind === 'changed'
      ? `The members of ${group.label} may now change your organisation's frameworks too.`
      : `Nothing changed: ${outcome.why}`;
  });
}

/** Check-ins offered first, on the admin panel. */
export function cadenceAction(deps: Deps): ClickListener {
  return adminClick(deps, 'choose the check-in cadence offered first', async (admin, args) => {
    const raw = (args.action as { selected_option?: { value?: unknown } | null }).selected_option?.value;
    if (raw !== 'none' && raw !== 'monthly' && raw !== 'quarterly') return undefined;
    const cadence = raw === 'none' ? undefined : raw;
    const outcome = await deps.orgs.setCadence(admin.org, cadence, admin.userId, madeAtOf(args.context));
    return outcome.kind === 'changed'
      ? cadence === undefined
        ? 'No cadence is suggested now.'
        : `People with no check-ins are offered ${cadence} ones first now.`
      : `Nothing changed: ${outcome.why}`;
  });
}

/**
 * Use as a framework, on a file an admin shared in their DM with the app: read from Slack and checked
 * like an upload; the preview (with Publish) opens, or what is wrong is said in place.
 */
export function useFileAction(deps: Deps): ClickListener {
  return async function useFile(args) {
    await args.ack();
    const reply = replyOf(args);
    try {
      const admin = await adminOf(args.client, args.context, deps.orgs);
      if (!admin) {
        await reply(notAdminMessage());
        return;
      }
      const file = uploadedFileOf(buttonValue(args.action));
      if (!file) {
        await reply(badClickMessage());
        return;
      }
      const info = await args.client.files.info({ file: file.id });
      const downloaded = await downloadFile(info.file as SlackFile, args.context.botToken);
      if ('problem' in downloaded) {
        await reply(fileProblemsMessage(file.name, [downloaded.problem]));
        return;
      }
      const checked = await deps.orgs.check(admin.org, downloaded);
      if (checked.kind === 'problems') {
        await reply(fileProblemsMessage(file.name, checked.problems));
        return;
      }
      await args.client.views.open({
        trigger_id: args.body.trigger_id,
        view: previewModal(checked.framework, checked.replaces, { id: file.id, name: downloaded.name }),
      });
      // The offer stays, with what the click did under its button.
      await reply(
        answerMessage(args, {
          message: useFileMessage(file),
          note: 'The preview is open: press Publish there to publish it, or Cancel.',
        }),
      );
    } catch (error) {
      args.logger.error('Could not offer a shared file as a framework', error);
      await reply(failureMessage(failureOf(error)));
    }
  };
}

function uploadedFileOf(value: string | undefined): { id: string; name: string } | undefined {
  try {
    const parsed = JSON.parse(value ?? '') as { id?: unknown; name?: unknown };
    return typeof parsed.id === 'string' &&
      /^F[A-Z0-9]{2,40}$/.test(parsed.id) &&
      typeof parsed.name === 'string'
      ? { id: parsed.id, name: parsed.name }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Export as CSV: the chosen framework, as the table `competency import` reads, in the admin's direct messages. */
export function exportFrameworkAction(deps: Deps): ClickListener {
  return adminClick(deps, 'export a framework as CSV', async (admin, args) => {
    const id = (args.action as { selected_option?: { value?: unknown } | null }).selected_option?.value;
    const framework = typeof id === 'string' ? (await deps.frameworks.for(admin.org)).get(id) : undefined;
    if (!framework) return undefined;
    const filename = `${framework.id}.csv`;
    await sendToDirectMessages(args.client, args.logger, {
      userId: admin.userId,
      comment: `${framework.role.name} (${framework.domain.name}), version ${framework.version}, as a table: edit it and bring it back with Add a framework.`,
      files: [{ content: Buffer.from(frameworkToCsv(framework), 'utf8'), filename, title: filename }],
    });
    return `Sent ${filename} to your direct messages with the app.`;
  });
}

/**
 * A click of the panel: refused for anyone who is not an admin; `change` answers the line saying
 * what it did, or undefined for a click whose value makes no sense.
 */
function adminClick(
  deps: Deps,
  what: string,
  change: (admin: AdminAct, args: ClickArgs) => Promise<string | undefined>,
): ClickListener {
  return click(
    what,
    async (args) => {
      const admin = await adminOf(args.client, args.context, deps.orgs);
      if (!admin) return notAdminMessage();
      const note = await change(admin, args);
      if (note === undefined) return badClickMessage();
      return { message: await answerAdminPanel(deps, admin, args.client), note };
    },
    { change: 'save' },
  );
}
