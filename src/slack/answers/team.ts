import { type Context, type Logger, type RespondFn, webApi } from '@slack/bolt';
import type { TeamView } from '../../assessments/team.js';
import type { TeamRequest } from '../command-text.js';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { replaceOrTellPrivately } from '../reply.js';
import { encodeValue, type TeamChartValue } from '../values.js';
import { failureMessage, somethingWentWrongMessage } from '../views/error.js';
import {
  type TeamTarget,
  teamNeedsChannelMessage,
  teamNotAMemberMessage,
  teamSlackRefusedMessage,
  teamTooLargeMessage,
  teamUnknownGroupMessage,
  teamUsageMessage,
  teamViewMessage,
} from '../views/team.js';
import type { Message } from '../views/types.js';

/**
 * `/competency team [@group]`: the members of the channel (conversations.members, `channels:read` and
 * `groups:read`) or of a user group (usergroups.users.list, `usergroups:read`), then the totals of
 * what those of them who chose to share have shared (src/assessments/team.ts), shown only to the
 * person who asked; and again for See it as a chart, on a team view (actions/chart.ts).
 *
 * Listing a channel of thousands takes several calls to Slack, so the command is acknowledged first
 * with "Working it out…" (Slack allows 3 seconds), and the answer replaces that message through the
 * command's response_url. The person who asks about a channel must be a member of it (Slack lets only
 * members use commands there, and this checks it); anyone may ask about a user group, whose members
 * Slack shows to everyone in the workspace anyway.
 */

/** The most members a team view reads (50 pages of conversations.members). */
const MAX_TEAM_MEMBERS = 50_000;
/** conversations.members page size: Slack allows up to 1,000. */
const PAGE_SIZE = 1_000;

/** Who asks, and where: from the command (or the click) and what Bolt resolved as its context. */
export type TeamAsker = {
  userId: string;
  channelId: string | undefined;
  channelName: string | undefined;
  context: Pick<Context, 'teamId' | 'enterpriseId' | 'isEnterpriseInstall'>;
};

class TooManyMembers extends Error {}

/** The team view for the asker, or what stands in the way, as a message. Throws on other failures. */
async function answerTeam(
  request: TeamRequest,
  deps: Pick<Deps, 'teams'>,
  asker: TeamAsker,
  client: webApi.WebClient,
): Promise<Message> {
  const team = await resolveTeam(request, deps, asker, client);
  if ('blocks' in team) return team;
  return teamViewMessage(team.view, team.target, { chartValue: encodeValue(chartValueOf(request)) });
}

/**
 * Who is in the team (the channel's or the user group's members, through Slack) and the totals of
 * what they shared; or, when something stands in the way (not a member, no such group), the message
 * that says so. Throws on other failures.
 */
export async function resolveTeam(
  request: TeamRequest,
  deps: Pick<Deps, 'teams'>,
  asker: TeamAsker,
  client: webApi.WebClient,
): Promise<{ view: TeamView; target: TeamTarget } | Message> {
  // An org-wide install's token needs the workspace for user group methods.
  const workspace =
    asker.context.isEnterpriseInstall && asker.context.teamId ? { team_id: asker.context.teamId } : {};
  let members: string[];
  let target: TeamTarget;
  switch (request.kind) {
    case 'unknown':
      return teamUsageMessage();
    case 'channel': {
      const channel = asker.channelId;
      if (!channel || isDirectMessage(channel, asker.channelName)) return teamNeedsChannelMessage();
      members = await channelMembers(client, channel);
      if (!members.includes(asker.userId)) return teamNotAMemberMessage();
      target = { kind: 'channel' };
      break;
    }
    case 'handle': {
      const id = await groupByHandle(client, request.handle, workspace);
      if (id === undefined) return teamUnknownGroupMessage(request.handle);
      members = await groupMembers(client, id, workspace);
      target = { kind: 'group', label: `@${request.handle}` };
      break;
    }
    case 'group':
      members = await groupMembers(client, request.id, workspace);
      target = { kind: 'group', label: request.label };
      break;
  }
  // Counted under the org of the installation asked (its people's keys: see person.ts).
  const { teamId, enterpriseId } = asker.context;
  const view = await deps.teams.of(enterpriseId || teamId || 'unknown', members);
  return { view, target };
}

/** What a team view's chart button carries, to draw the same team again. */
export function chartValueOf(request: TeamRequest): TeamChartValue {
  switch (request.kind) {
    case 'group':
      return { k: 'g', id: request.id, l: request.label.slice(0, 101) };
    case 'handle':
      return { k: 'h', h: request.handle };
    default:
      return { k: 'c' };
  }
}

/** The team a chart button names, as the command would have asked for it. */
export function requestOfChartValue(value: TeamChartValue): TeamRequest {
  switch (value.k) {
    case 'g':
      return { kind: 'group', id: value.id, label: value.l };
    case 'h':
      return { kind: 'handle', handle: value.h };
    case 'c':
      return { kind: 'channel' };
  }
}

/**
 * The listener's part after "Working it out…": works out the answer and puts it in place of that
 * message; when the response_url no longer takes it, sends it privately another way.
 */
export async function sendTeamView(args: {
  request: TeamRequest;
  deps: Pick<Deps, 'teams'>;
  asker: TeamAsker;
  client: webApi.WebClient;
  respond: RespondFn;
  logger: Logger;
}): Promise<void> {
  const { request, deps, asker, client, respond, logger } = args;
  let message: Message;
  try {
    message = await answerTeam(request, deps, asker, client);
  } catch (error) {
    message = teamFailureMessage(error, logger);
  }
  await replaceOrTellPrivately(
    (m) => respond({ replace_original: true, response_type: 'ephemeral', ...m }),
    message,
    {
      client,
      logger,
      to: { userId: asker.userId, channelId: asker.channelId },
      placeholder: 'Working it out…',
    },
  );
}

/** What went wrong, for the person: Slack's refusals in plain words, the store's through failures.ts. */
export function teamFailureMessage(error: unknown, logger: Pick<Logger, 'warn' | 'error'>): Message {
  if (error instanceof TooManyMembers) return teamTooLargeMessage(MAX_TEAM_MEMBERS);
  const refused = slackErrorCode(error);
  if (refused !== undefined) {
    const explained = teamSlackRefusedMessage(refused);
    logger.warn(`Slack refused to list the members for a team view: ${refused}`);
    if (explained) return explained;
    logger.error('Could not make a team view', error);
    return somethingWentWrongMessage();
  }
  const failure = failureOf(error, 'read');
  if (failure.kind === 'unknown') logger.error('Could not make a team view', error);
  else logger.warn('Could not make a team view', error);
  return failureMessage(failure);
}

/** Slack's own word for why it refused a call (`missing_scope`, `channel_not_found`…), if it did. */
function slackErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error) || error.code !== webApi.ErrorCode.PlatformError)
    return undefined;
  const data = (error as { data?: { error?: unknown } }).data;
  return typeof data?.error === 'string' ? data.error : 'unknown_error';
}

/** A direct message or a group DM: there is no team to speak of, and listing one needs other scopes. */
function isDirectMessage(channelId: string, channelName: string | undefined): boolean {
  return (
    channelId.startsWith('D') || channelName === 'directmessage' || (channelName ?? '').startsWith('mpdm-')
  );
}

/** Every member of a channel, page by page (`response_metadata.next_cursor`). */
async function channelMembers(client: webApi.WebClient, channel: string): Promise<string[]> {
  const members: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.conversations.members({
      channel,
      limit: PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    members.push(...(page.members ?? []));
    if (members.length > MAX_TEAM_MEMBERS) throw new TooManyMembers();
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return members;
}

/** Every member of a user group (Slack answers with all of them at once). */
async function groupMembers(
  client: webApi.WebClient,
  usergroup: string,
  workspace: { team_id?: string },
): Promise<string[]> {
  const answer = await client.usergroups.users.list({ usergroup, ...workspace });
  const users = answer.users ?? [];
  if (users.length > MAX_TEAM_MEMBERS) throw new TooManyMembers();
  return users;
}

/** The id of the user group with this handle (typed as `@handle` without Slack making it a mention). */
async function groupByHandle(
  client: webApi.WebClient,
  handle: string,
  workspace: { team_id?: string },
): Promise<string | undefined> {
  const answer = await client.usergroups.list({ ...workspace });
  return answer.usergroups?.find((group) => group.handle?.toLowerCase() === handle)?.id;
}
