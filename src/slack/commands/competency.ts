import type { Middleware, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { LookupResult } from '../../frameworks/catalog.js';
import type { Framework, Level } from '../../frameworks/schema.js';
import { searchIndexOf } from '../../frameworks/search.js';
import type { PersonKey } from '../../model/person.js';
import { inDmWithApp } from '../app-dm.js';
import type { Deps } from '../deps.js';
import { failureOf } from '../failures.js';
import { personOf } from '../person.js';
import { isDirectMessage, replaceOrTellPrivately } from '../reply.js';
import { compareMessage, compareUsageMessage } from '../views/compare.js';
import { failureMessage } from '../views/error.js';
import { exportPreparingMessage } from '../views/export.js';
import { FIND_LIMIT, findMessage, findUsageMessage } from '../views/find.js';
import { forgetConfirmMessage } from '../views/forget.js';
import { frameworkMessage, showLevelButton } from '../views/framework.js';
import { helpMessage } from '../views/help.js';
import { historyMessage } from '../views/history.js';
import { listMessage } from '../views/list.js';
import { type CommandCorrection, lookupProblemMessage } from '../views/lookup-problem.js';
import { askUsageMessage, askWorkingMessage, requestsMessage } from '../views/review.js';
import { nothingToShareMessage, shareFromDmMessage, sharePreviewMessage } from '../views/share.js';
import { teamUsageMessage, teamWorkingMessage } from '../views/team.js';
import type { Message } from '../views/types.js';
import { sendReviewRequest } from './ask.js';
import { sendExport } from './export.js';
import {
  type CommandSuggestion,
  type CompetencyRequest,
  parseCompetencyText,
  readableMentions,
  suggestSubcommand,
} from './parse.js';
import { sendTeamView } from './team.js';

/**
 * Who is asking: their records key, their Slack user id (for mentions in a shared post), and where;
 * `inDmWithApp`: the listener found they are in their direct messages with the app (see app-dm.ts).
 */
export type Asker = { person: PersonKey; userId: string; channelId?: string; inDmWithApp?: boolean };

/** Turns the text typed after `/competency` into the message to show. No Slack calls, no writes. */
export async function answerCompetency(text: string, deps: Deps, asker: Asker): Promise<Message> {
  return answerRequest(parseCompetencyText(text), deps, asker, text);
}

/**
 * The message for a request, typed or run from a button (`typed`: the text as Slack sent it, for
 * what `ask` did not understand). No Slack calls, no writes.
 */
export async function answerRequest(
  request: CompetencyRequest,
  deps: Deps,
  asker: Asker,
  typed = '',
): Promise<Message> {
  switch (request.kind) {
    case 'help':
      return helpMessage(deps.catalog.frameworks, { last: await deps.assessments.lastRole(asker.person) });
    case 'list':
      return listMessage(deps.catalog.frameworks, request.page);
    case 'find':
      return answerFind(request.query, deps);
    case 'history':
      return historyMessage(await deps.assessments.history(asker.person));
    case 'share': {
      // In their direct messages with the app a post would reach only them: say where to share.
      if (asker.inDmWithApp) return shareFromDmMessage();
      const latest = await deps.assessments.latest(asker.person);
      return latest ? sharePreviewMessage(latest, asker.userId) : nothingToShareMessage();
    }
    case 'forget':
      return forgetConfirmMessage(await deps.assessments.recordCount(asker.person));
    case 'compare':
      return request.query.trim() === ''
        ? compareUsageMessage(deps.catalog.frameworks, await deps.assessments.lastRole(asker.person))
        : answerCompare(request.query, deps);
    case 'export':
      // The listener sends the files itself (see export.ts); this is what shows meanwhile.
      return exportPreparingMessage();
    case 'team':
      // `team lead senior` may be a role whose name begins with "team": looked up as one.
      if (request.team.kind === 'unknown') {
        return deps.catalog.lookup(request.query).kind === 'found'
          ? answerLookup(request.query, deps, asker.person)
          : teamUsageMessage();
      }
      // The listener works the team view out after acknowledging (see team.ts); this shows meanwhile.
      return teamWorkingMessage();
    case 'ask':
      switch (request.target.kind) {
        case 'none':
          return askUsageMessage();
        case 'handle':
          return askUsageMessage('handle', `@${request.target.handle}`);
        case 'unknown':
          return askUsageMessage('unknown', typed.trim().slice(3).trim());
        case 'user':
          // The listener keeps and sends the request after acknowledging (see ask.ts).
          return request.target.id === asker.userId
            ? askUsageMessage('self')
            : askWorkingMessage(request.target.id);
      }
      break;
    case 'reviews':
      return requestsMessage(await deps.assessments.reviews.requests(asker.person));
    case 'show':
      return answerLookup(request.query, deps, asker.person, typed);
  }
  return helpMessage(deps.catalog.frameworks);
}

/**
 * The framework at a level (with its buttons), or a kind explanation of what did not match. `typed`
 * (the command as Slack sent it, when it was typed): when the catalog finds no role in it and its
 * first word is close to a subcommand (`hlep`, `fnid x`), that subcommand is suggested first.
 */
export async function answerLookup(
  query: string,
  deps: Deps,
  person: PersonKey,
  typed?: string,
): Promise<Message> {
  const result = deps.catalog.lookup(query);
  switch (result.kind) {
    case 'found':
      return frameworkMessage(result.framework, result.level, {
        rate: { progress: await deps.assessments.progress(person, result.framework.id) },
      });
    case 'empty':
      return helpMessage(deps.catalog.frameworks, { last: await deps.assessments.lastRole(person) });
    default:
      return lookupProblemMessage(result, correctionOf(result, typed));
  }
}

/** The subcommand to suggest for a command the catalog found no role in, if it is close to one. */
function correctionOf(result: LookupResult, typed: string | undefined): CommandCorrection | undefined {
  if (result.kind !== 'unknown-role' || typed === undefined) return undefined;
  const suggestion = suggestSubcommand(typed);
  if (!suggestion) return undefined;
  const value = commandValueOf(suggestion);
  return {
    typed: readableMentions(typed.trim()),
    text: readableMentions(suggestion.text),
    ...(value ? { value } : {}),
  };
}

/** What the button of a suggested command carries: the request, for the commands a button may run. */
function commandValueOf({ request }: CommandSuggestion): CommandCorrection['value'] {
  switch (request.kind) {
    case 'help':
    case 'history':
    case 'reviews':
    case 'share':
    case 'export':
    case 'forget':
      return { c: request.kind };
    case 'list':
      return { c: 'list', q: String(request.page) };
    case 'find':
    case 'compare':
      return { c: request.kind, q: request.query.slice(0, 500) };
    default:
      // ask and team act on other people: typed, not run from a button.
      return undefined;
  }
}

/**
 * `/competency find <words>`: the best matches among frameworks and competencies, each with a button
 * per level to open its framework. The search index is built the first time someone searches.
 */
export function answerFind(query: string, deps: Deps): Message {
  if (query.trim() === '') return findUsageMessage(deps.catalog.frameworks);
  return findMessage(query, searchIndexOf(deps.catalog).search(query, FIND_LIMIT), deps.catalog.frameworks);
}

/** `/competency compare <role> [level]`: every level side by side, and what changes from one to the next. */
export function answerCompare(query: string, deps: Deps): Message {
  const result = deps.catalog.lookup(query);
  if (result.kind === 'found') return compareWithButtons(result.framework, result.level);
  if (result.kind === 'missing-level') return compareWithButtons(result.framework, undefined);
  if (result.kind === 'empty') return compareUsageMessage(deps.catalog.frameworks, undefined);
  return lookupProblemMessage(result);
}

/** The comparison, with a button per level to go to that level's framework answer. */
export function compareWithButtons(framework: Framework, from: Level | undefined): Message {
  const message = compareMessage(framework, from);
  const buttons = framework.levels
    .slice(0, 25)
    .map((level) => showLevelButton(framework, level, `See ${level.name}`));
  return {
    text: message.text,
    blocks: [
      ...message.blocks.slice(0, 49),
      { type: 'actions', block_id: 'compare_actions', elements: buttons },
    ],
  };
}

/**
 * `/competency …`: everything it needs is in memory, so the answer goes back with the acknowledgement
 * itself — one round trip, well inside Slack's 3 seconds — and only the person who asked sees it.
 * `export` and `team` are the exceptions: they acknowledge first, then send files, or list a channel's
 * members (which can take several calls to Slack) and answer through the response_url.
 */
export function competencyCommand(deps: Deps): Middleware<SlackCommandMiddlewareArgs> {
  return async function competency({ command, context, ack, respond, client, logger }) {
    const asker: Asker = {
      person: personOf(context),
      userId: command.user_id,
      channelId: command.channel_id,
    };
    const request = parseCompetencyText(command.text);
    if (request.kind === 'export') {
      await ack({ response_type: 'ephemeral', ...exportPreparingMessage() });
      await sendExport({
        deps,
        asker,
        client,
        replace: (message) => respond({ replace_original: true, response_type: 'ephemeral', ...message }),
        logger,
      });
      return;
    }
    if (request.kind === 'share' && isDirectMessage(command.channel_id)) {
      // Typed in a direct message: whether it is the person's DM with the app takes a call to Slack,
      // so the command is acknowledged first and answered through its response_url.
      await ack();
      asker.inDmWithApp = await inDmWithApp(client, logger, {
        userId: command.user_id,
        channelId: command.channel_id,
      });
      let message: Message;
      try {
        message = await answerRequest(request, deps, asker, command.text);
      } catch (error) {
        logger.error('Could not answer /competency share', error);
        message = failureMessage(failureOf(error));
      }
      await replaceOrTellPrivately((m) => respond({ response_type: 'ephemeral', ...m }), message, {
        client,
        logger,
        to: { userId: command.user_id, channelId: command.channel_id },
        placeholder: 'the acknowledgement of /competency share',
      });
      return;
    }
    if (request.kind === 'team' && request.team.kind !== 'unknown') {
      await ack({ response_type: 'ephemeral', ...teamWorkingMessage() });
      await sendTeamView({
        request: request.team,
        deps,
        asker: {
          userId: command.user_id,
          channelId: command.channel_id,
          channelName: command.channel_name,
          context,
        },
        client,
        respond,
        logger,
      });
      return;
    }
    if (request.kind === 'ask' && request.target.kind === 'user') {
      const target = request.target;
      if (target.id === command.user_id || target.id === context.botUserId) {
        await ack({
          response_type: 'ephemeral',
          ...askUsageMessage(target.id === command.user_id ? 'self' : 'bot'),
        });
        return;
      }
      await ack({ response_type: 'ephemeral', ...askWorkingMessage(target.id) });
      await sendReviewRequest({
        deps,
        asker,
        reviewer: { userId: target.id, ...(target.name ? { name: target.name } : {}) },
        client,
        reply: (message) => respond({ replace_original: true, response_type: 'ephemeral', ...message }),
        logger,
      });
      return;
    }
    let message: Message;
    try {
      message = await answerCompetency(command.text, deps, asker);
    } catch (error) {
      logger.error('Could not answer /competency', error);
      message = failureMessage(failureOf(error));
    }
    await ack({ response_type: 'ephemeral', ...message });
  };
}
