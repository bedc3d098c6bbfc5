import type { Context, webApi } from '@slack/bolt';
import { orgOfPerson } from '../model/person.js';
import { personOf } from './person.js';

/**
 * Who may change an org's frameworks and settings: the admins and owners of the workspace, and on
 * Enterprise Grid the org's admins and owners, as Slack says (`users.info`, scope `users:read`) at
 * the moment of each request; and the members of the one user group an admin named as the framework
 * editors (`usergroups.users.list`), who may do all of it but choose the editors. Every click and every form of the admin flow asks again, so a click
 * forged with someone else's button, or made after someone stopped being an admin, changes nothing.
 */

/** The admin (or editor) making a request, and the org it changes; undefined for anyone else. */
export type AdminAct = { userId: string; org: string; role: 'admin' | 'editor' };

/** Where the org's editors group is kept, if it named one (OrgAdmin). */
type EditorsOf = { editorsGroup(org: string): Promise<string | undefined> };

type SlackUser = {
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  enterprise_user?: { is_admin?: boolean; is_owner?: boolean };
};

export async function adminOf(
  client: webApi.WebClient,
  context: Pick<Context, 'userId' | 'teamId' | 'enterpriseId'>,
  orgs: EditorsOf,
): Promise<AdminAct | undefined> {
  const userId = context.userId;
  if (!userId) return undefined;
  const org = orgOfPerson(personOf(context));
  if (await isAdmin(client, userId)) return { userId, org, role: 'admin' };
  const group = await orgs.editorsGroup(org);
  if (!group) return undefined;
  const members = await client.usergroups.users.list({ usergroup: group });
  return members.users?.includes(userId) ? { userId, org, role: 'editor' } : undefined;
}

/** The workspace's user groups, for choosing the editors (none when Slack will not say). */
export async function userGroupsOf(client: webApi.WebClient): Promise<{ id: string; label: string }[]> {
  try {
    const answer = await client.usergroups.list({});
    return (answer.usergroups ?? []).flatMap((g) =>
      g.id ? [{ id: g.id, label: g.handle ? `@${g.handle}` : (g.name ?? g.id) }] : [],
    );
  } catch {
    return [];
  }
}

/** Whether Slack says this person is an admin or owner of the workspace, or of its Grid org. */
export async function isAdmin(client: webApi.WebClient, userId: string): Promise<boolean> {
  const info = await client.users.info({ user: userId });
  const user = info.user as SlackUser | undefined;
  return (
    user?.is_admin === true ||
    user?.is_owner === true ||
    user?.is_primary_owner === true ||
    user?.enterprise_user?.is_admin === true ||
    user?.enterprise_user?.is_owner === true
  );
}

/** The most the app downloads of a file an admin brings (the importer's limit). */
const MOST_BYTES = 10 * 1024 * 1024;

/** A file as Slack describes it (in a file input's state, or from files.info). */
export type SlackFile = { id?: string; name?: string; size?: number; url_private_download?: string };

/**
 * Downloads a file an admin shared with the app (scope `files:read`), with the bot token. Slack
 * answers a request it does not accept with a web page, not an error: a download whose size is not
 * the file's is taken for that and refused.
 */
export async function downloadFile(
  file: SlackFile,
  token: string | undefined,
): Promise<{ name: string; bytes: Uint8Array } | { problem: string }> {
  const url = file.url_private_download;
  if (!url || !token || !file.name)
    return { problem: 'Slack did not say where to find this file. Try again.' };
  if (file.size !== undefined && file.size > MOST_BYTES) {
    return {
      problem: `This file is ${(file.size / 1024 / 1024).toFixed(1)} MB: a framework is at most 10 MB.`,
    };
  }
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return { problem: 'The file could not be downloaded from Slack just now. Try again in a moment.' };
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!response.ok || (file.size !== undefined && bytes.length !== file.size)) {
    return {
      problem:
        'Slack did not let the app read this file. Check that the app may read files (the files:read scope; reinstall the app if it was added since), then try again.',
    };
  }
  return { name: file.name, bytes };
}
