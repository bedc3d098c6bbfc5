import type { AllMiddlewareArgs, Middleware, RespondFn, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { adminOf } from '../admins.js';
import { answerAdminPanel } from '../answers/admin.js';
import { sendExport } from '../answers/export.js';
import { answerLookup } from '../answers/lookup.js';
import { answerRequest, type InstantRequest } from '../answers/request.js';
import { sendReviewRequest } from '../answers/review-request.js';
import { sendTeamView } from '../answers/team.js';
import { inDmWithApp } from '../app-dm.js';
import { type AskTarget, type CompetencyRequest, parseCompetencyText } from '../command-text.js';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { type Asker, personOf } from '../person.js';
import { ephemeral } from '../prepared.js';
import { isDirectMessage, replaceOrTellPrivately } from '../reply.js';
import { adminCheckingMessage, notAdminMessage } from '../views/admin.js';
import { failureMessage } from '../views/error.js';
import { exportPreparingMessage } from '../views/export.js';
import { askUsageMessage, askWorkingMessage } from '../views/review.js';
import { teamUsageMessage, teamWorkingMessage } from '../views/team.js';
import type { Message } from '../views/types.js';

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

/**
 * What the command does with one request: the message its acknowledgement carries (none: the answer
 * follows through the response_url), and the work that follows the acknowledgement (`after`), if any.
 */
type Reply = { ack: Message | undefined; after?: (args: CommandArgs) => Promise<void> };

/** What the command needs to know besides the request and who asks. */
type Typed = { text: string; botUserId?: string | undefined };

/**
 * `/competency …`: most answers are in memory, so they go back with the acknowledgement itself — one
 * round trip, well inside Slack's 3 seconds — and only the person who asked sees them. The others
 * are acknowledged first and answered through the response_url: `export` sends files, `team` lists
 * a channel's or a group's members, `ask @someone` sends the request, and `share` typed in a direct
 * message first asks Slack whose conversation that is.
 */
export function competencyCommand(deps: Deps): Middleware<SlackCommandMiddlewareArgs> {
  return async function competency(args) {
    const { command, context, ack, logger } = args;
    const asker: Asker = {
      person: personOf(context),
      userId: command.user_id,
      channelId: command.channel_id,
    };
    let reply: Reply;
    try {
      reply = await replyTo(parseCompetencyText(command.text), deps, asker, {
        text: command.text,
        botUserId: context.botUserId,
      });
    } catch (error) {
      logger.error('Could not answer /competency', error);
      reply = { ack: failureMessage(failureOf(error)) };
    }
    // The same frozen answer each time is serialised once (prepared.ts).
    await ack(reply.ack && ephemeral(reply.ack));
    await reply.after?.(args);
  };
}

/**
 * What `/competency <text>` answers in its acknowledgement, with no calls to Slack and no writes. A
 * share typed in a direct message is answered as when Slack cannot say whose conversation it is
 * (see app-dm.ts).
 */
export async function answerCompetency(text: string, deps: Deps, asker: Asker): Promise<Message> {
  const known: Asker = { ...asker, inDmWithApp: asker.inDmWithApp ?? false };
  const { ack } = await replyTo(parseCompetencyText(text), deps, known, { text });
  // Only a share whose conversation is not known yet is acknowledged without a message.
  if (ack === undefined) throw new Error('A request was not answered in its acknowledgement');
  return ack;
}

/** The one switch over what the person asked for. */
async function replyTo(request: CompetencyRequest, deps: Deps, asker: Asker, typed: Typed): Promise<Reply> {
  switch (request.kind) {
    case 'export':
      return {
        ack: exportPreparingMessage(),
        after: ({ client, respond, logger }) =>
          sendExport({ deps, asker, client, replace: replaceWith(respond), logger }),
      };
    case 'team': {
      const team = request.team;
      if (team.kind === 'unknown') {
        // `team lead senior` may be a role whose name begins with "team": looked up as one.
        const role = (await deps.catalogFor(asker.person)).lookup(request.query).kind === 'found';
        return { ack: role ? await answerLookup(request.query, deps, asker.person) : teamUsageMessage() };
      }
      return {
        ack: teamWorkingMessage(),
        after: ({ command, context, client, respond, logger }) =>
          sendTeamView({
            request: team,
            deps,
            asker: {
              userId: asker.userId,
              channelId: asker.channelId,
              channelName: command.channel_name,
              context,
            },
            client,
            respond,
            logger,
          }),
      };
    }
    case 'ask':
      return askReply(request.target, deps, asker, typed);
    case 'admin':
      // Whether the person is an admin takes a call to Slack, after the acknowledgement.
      return { ack: adminCheckingMessage(), after: (args) => adminLater(deps, args) };
    case 'share':
      if (asker.inDmWithApp === undefined && asker.channelId && isDirectMessage(asker.channelId)) {
        // Whether this is the person's DM with the app takes a call to Slack, after the acknowledgement.
        return { ack: undefined, after: (args) => shareLater(request, deps, asker, args) };
      }
      return { ack: await answerRequest(request, deps, asker) };
    default:
      return { ack: await answerRequest(request, deps, asker, typed.text) };
  }
}

/** `ask …`: how to ask, or "Asking @someone…" and the request sent (answers/review-request.ts). */
function askReply(target: AskTarget, deps: Deps, asker: Asker, typed: Typed): Reply {
  switch (target.kind) {
    case 'none':
      return { ack: askUsageMessage() };
    case 'handle':
      return { ack: askUsageMessage('handle', `@${target.handle}`) };
    case 'unknown':
      return { ack: askUsageMessage('unknown', typed.text.trim().slice(3).trim()) };
    case 'user':
      if (target.id === asker.userId) return { ack: askUsageMessage('self') };
      if (target.id === typed.botUserId) return { ack: askUsageMessage('bot') };
      return {
        ack: askWorkingMessage(target.id),
        after: ({ client, respond, logger }) =>
          sendReviewRequest({
            deps,
            asker,
            reviewer: { userId: target.id, ...(target.name ? { name: target.name } : {}) },
            client,
            reply: replaceWith(respond),
            logger,
          }),
      };
  }
}

/** `admin`: the org's frameworks and settings for an admin, a kind refusal for anyone else. */
async function adminLater(deps: Deps, { client, context, respond, logger }: CommandArgs): Promise<void> {
  let message: Message;
  try {
    const admin = await adminOf(client, context, deps.orgs);
    message = admin ? await answerAdminPanel(deps, admin, client) : notAdminMessage();
  } catch (error) {
    logger.error('Could not answer /competency admin', error);
    message = failureMessage(failureOf(error));
  }
  await replaceWith(respond)(message);
}

/** `share` typed in a direct message: the answer, once Slack has said whether it is the app's DM. */
async function shareLater(
  request: InstantRequest,
  deps: Deps,
  asker: Asker,
  { client, respond, logger }: CommandArgs,
): Promise<void> {
  const { userId, channelId } = asker;
  const inDm = await inDmWithApp(client, logger, { userId, channelId });
  let message: Message;
  try {
    message = await answerRequest(request, deps, { ...asker, inDmWithApp: inDm });
  } catch (error) {
    logger.error('Could not answer /competency share', error);
    message = failureMessage(failureOf(error));
  }
  await replaceOrTellPrivately((m) => respond({ response_type: 'ephemeral', ...m }), message, {
    client,
    logger,
    to: { userId, channelId },
    placeholder: 'the acknowledgement of /competency share',
  });
}

/** Puts a message in place of the command's acknowledgement (its response_url). */
const replaceWith =
  (respond: RespondFn) =>
  (message: Message): Promise<unknown> =>
    respond({ replace_original: true, response_type: 'ephemeral', ...message });
