import type { BlockAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { sendExport } from '../answers/export.js';
import { answerRequest, type InstantRequest } from '../answers/request.js';
import { clickedInDmWithApp } from '../app-dm.js';
import type { Deps } from '../deps.js';
import { type Asker, personOf } from '../person.js';
import { type ButtonCommand, CommandValue, decodeValue } from '../values.js';
import { exportPreparingMessage } from '../views/export.js';
import { listPageOf } from '../views/list.js';
import { badClickMessage } from '../views/refusal.js';
import { shareFromChannelMessage } from '../views/share.js';
import { buttonValue, type ClickArgs, click, replyOf } from './click.js';

type ClickListener = Middleware<SlackActionMiddlewareArgs<BlockAction>>;

/** The request a command button stands for, as if its command had been typed (export is sent, below). */
function requestOf(command: Exclude<ButtonCommand, 'export'>, q: string | undefined): InstantRequest {
  switch (command) {
    case 'list':
      return { kind: 'list', page: listPageOf(q) ?? 1 };
    case 'find':
      return { kind: 'find', query: q ?? '' };
    case 'compare':
      return { kind: 'compare', query: q ?? '' };
    default:
      return { kind: command };
  }
}

/** Who clicked, and in which conversation. */
function askerOf(args: ClickArgs): Asker {
  const channelId = args.body.channel?.id ?? args.body.container?.channel_id;
  return {
    person: personOf(args.context),
    userId: args.body.user.id,
    ...(typeof channelId === 'string' ? { channelId } : {}),
  };
}

/**
 * A command run from a button (`command_run:<command>`): the correction of a mistyped command, and
 * the buttons of help and the Home tab. The answer is what typing the command shows, where the
 * button was clicked; `forget` shows its confirmation, never more. `share` in the person's direct
 * messages with the app, where a post would reach only them, says where to share instead, and in
 * the Home tab (no channel) how to share. `export` shows "Preparing your export…" there, then what
 * happened, as the command does.
 */
export function runCommandAction(deps: Deps): ClickListener {
  const show = click('run a command from a button', async (args) => {
    const value = decodeValue(CommandValue, buttonValue(args.action));
    // An export is sent rather than shown (below).
    if (!value || value.c === 'export') return badClickMessage();
    const asker = askerOf(args);
    if (value.c === 'share') {
      if (args.body.view) return shareFromChannelMessage();
      asker.inDmWithApp = await clickedInDmWithApp(args.body, args.client, args.logger);
    }
    return answerRequest(requestOf(value.c, value.q), deps, asker);
  });
  return async (args) => {
    const value = decodeValue(CommandValue, buttonValue(args.action));
    if (value?.c !== 'export') return show(args);
    await args.ack();
    const reply = replyOf(args);
    await reply(exportPreparingMessage());
    await sendExport({
      deps,
      asker: askerOf(args),
      client: args.client,
      replace: reply,
      logger: args.logger,
    });
  };
}
