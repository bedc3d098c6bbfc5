import { validateOptionsResponse } from './block-kit.js';
import { isRecord, slackId } from './defaults.js';
import { appHomeOpenedEnvelope } from './event-envelopes.js';
import {
  blockActionPayload,
  blockSuggestionPayload,
  messageShortcutPayload,
  shortcutPayload,
  viewSubmissionPayload,
} from './interaction-payloads.js';
import type { LocalSlack, SlackFileObject } from './local-slack.js';
import { type SlackHttpResponse, sendEvent, sendInteraction, sendSlashCommand } from './signing.js';
import { SANDBOX_MESSAGE_SHORTCUTS, SANDBOX_SHORTCUTS, SANDBOX_TEAM, type SandboxTeam } from './teams.js';
import { WorkspaceScreen } from './workspace-screen.js';

/**
 * One workspace of the sandbox page: what it shows (WorkspaceScreen), and what a person does there.
 * Everything the page does goes to the app as signed Slack requests from this workspace (its team id,
 * its people): slash commands, clicks, shortcuts, menus the app fills, modal submissions, the Home tab.
 */

export type ClickInput = {
  user: string;
  surface: 'message' | 'home' | 'modal';
  messageId?: string;
  viewId?: string;
  actionId: string;
  blockId: string;
  value?: string;
  selectedOption?: { value: string; text: string };
  /** The kind of menu the option was chosen in; a static_select unless said. */
  actionType?: 'static_select' | 'external_select';
};

/** What the page asks for when someone types in a menu that the app fills (an external_select). */
export type OptionsInput = { user: string; viewId: string; actionId: string; blockId: string; value: string };

/** An option as the page shows it in such a menu. */
export type PageOption = { text: string; value: string; description?: string };

export type Outcome = { ok: true } | { ok: false; error: string };

export class SandboxWorkspace extends WorkspaceScreen {
  constructor(
    slack: LocalSlack,
    private readonly app: { eventsUrl: string; signingSecret: string },
    team: SandboxTeam = SANDBOX_TEAM,
  ) {
    super(slack, team);
  }

  /** `/competency <text>` typed by a person, sent to the app as a signed slash command. */
  async command(userId: string, text: string): Promise<Outcome> {
    const user = this.user(userId);
    const typed = this.add(
      { kind: 'user', id: user.id, name: user.name },
      userId,
      `/competency ${text}`.trim(),
      [],
    );
    const responseUrl = this.responseUrlFor({ userId, sourceMessageId: undefined });
    const triggerId = this.triggerFor(userId);
    const res = await sendSlashCommand(this.app.eventsUrl, this.app.signingSecret, {
      command: '/competency',
      text,
      user_id: user.id,
      user_name: user.name,
      response_url: responseUrl,
      trigger_id: triggerId,
      team_id: this.team.id,
      team_domain: this.team.domain,
      channel_id: this.channel.id,
      channel_name: this.channel.name,
    });
    if (res.status !== 200) return this.failed(res, typed.id);
    if (isRecord(res.json) && (typeof res.json.text === 'string' || Array.isArray(res.json.blocks))) {
      const answer = this.add(
        this.appAuthor(),
        res.json.response_type === 'in_channel' ? undefined : userId,
        String(res.json.text ?? ''),
        Array.isArray(res.json.blocks) ? res.json.blocks : [],
      );
      // A later `respond({ replace_original })` for this command replaces its answer, as in Slack.
      this.bindResponseUrl(responseUrl, { userId, sourceMessageId: answer.id });
    }
    this.changed();
    return { ok: true };
  }

  /**
   * A message a person writes in the channel (not a command): everyone there sees it, and the local
   * Slack keeps it, so that chat.getPermalink answers for it. The app is not told (it subscribes to no
   * message events), as in Slack.
   */
  say(userId: string, text: string): Outcome {
    const user = this.user(userId);
    if (text.trim() === '') return { ok: false, error: 'Type a message first.' };
    const message = this.add({ kind: 'user', id: user.id, name: user.name }, undefined, text, []);
    this.slack.addMessage({
      channel: this.channel.id,
      userId: user.id,
      text,
      ts: message.ts,
      teamId: this.team.id,
    });
    this.changed();
    return { ok: true };
  }

  /** A button press or a menu choice, sent as signed `block_actions`. */
  async click(input: ClickInput): Promise<Outcome> {
    const user = this.user(input.user);
    const actionType = input.selectedOption ? (input.actionType ?? 'static_select') : 'button';
    const base = {
      user: { id: user.id, username: user.name, name: user.name, team_id: this.team.id },
      team: { id: this.team.id, domain: this.team.domain },
      actionId: input.actionId,
      blockId: input.blockId,
      triggerId: this.triggerFor(user.id),
      actionType,
      ...(input.value !== undefined ? { value: input.value } : {}),
      ...(input.selectedOption ? { selectedOption: input.selectedOption } : {}),
    } as const;
    let payload: Record<string, unknown>;
    if (input.surface === 'message') {
      const found = this.located(user.id, input.messageId);
      const message = found?.message;
      if (!found || !message || (message.visibleTo !== undefined && message.visibleTo !== user.id)) {
        return { ok: false, error: 'That message is no longer there.' };
      }
      const ephemeral = message.visibleTo !== undefined;
      // A message in the person's direct messages with the app: Slack names that conversation.
      const channel = found.dm
        ? { id: `D${user.id.slice(1)}`, name: 'directmessage' }
        : { id: this.channel.id, name: this.channel.name };
      // Slack sends the message itself with a click on one everyone in the conversation sees, with
      // its author: the app's bot user and bot for the app's messages.
      const author =
        message.author.kind === 'app' ? { user: message.author.id, bot_id: this.bot().botId } : {};
      payload = blockActionPayload({
        ...base,
        responseUrl: this.responseUrlFor(
          { userId: user.id, sourceMessageId: message.id },
          // A message the app posted in a DM: replace_original through this response_url changes it.
          found.dm && !ephemeral ? { channel: channel.id, ts: message.ts } : undefined,
        ),
        channel,
        container: {
          type: 'message',
          message_ts: message.ts,
          channel_id: channel.id,
          is_ephemeral: ephemeral,
        },
        ...(ephemeral
          ? {}
          : {
              message: {
                type: 'message',
                ts: message.ts,
                text: message.text,
                blocks: message.blocks,
                ...author,
              },
            }),
      });
    } else {
      const view = input.surface === 'home' ? this.homes.get(user.id) : this.modals.get(user.id);
      if (!view) return { ok: false, error: 'That view is no longer open.' };
      payload = blockActionPayload({ ...base, responseUrl: '' });
      delete payload.response_url;
      delete payload.channel;
      const viewId = typeof view.id === 'string' ? view.id : (input.viewId ?? slackId('V'));
      payload.container = { type: 'view', view_id: viewId };
      payload.view = { ...view, id: viewId, type: input.surface === 'home' ? 'home' : 'modal' };
    }
    const res = await sendInteraction(this.app.eventsUrl, this.app.signingSecret, payload);
    return res.status === 200 ? { ok: true } : this.failed(res);
  }

  /**
   * A global shortcut run from the page's shortcuts menu: a signed `shortcut` request with a trigger
   * for this person, with which the app opens its modal (views.open).
   */
  async shortcut(userId: string, callbackId: string): Promise<Outcome> {
    const user = this.user(userId);
    if (!SANDBOX_SHORTCUTS.some((s) => s.callbackId === callbackId)) {
      return { ok: false, error: 'The app has no such shortcut.' };
    }
    const res = await sendInteraction(
      this.app.eventsUrl,
      this.app.signingSecret,
      shortcutPayload({
        user: { id: user.id, username: user.name, name: user.name, team_id: this.team.id },
        team: { id: this.team.id, domain: this.team.domain },
        callbackId,
        triggerId: this.triggerFor(user.id),
      }),
    );
    return res.status === 200 ? { ok: true } : this.failed(res);
  }

  /**
   * A message shortcut run from the "More actions" menu of a message everyone in the conversation sees
   * (Slack offers none on a message only one person sees): a signed `message_action` with the message,
   * a trigger for this person and a response_url. The local Slack learns the message first, if it did
   * not know it (a person's, or one the app posted through a response_url), so that chat.getPermalink
   * answers for it as Slack would.
   */
  async messageShortcut(userId: string, callbackId: string, messageId: string): Promise<Outcome> {
    const user = this.user(userId);
    if (!SANDBOX_MESSAGE_SHORTCUTS.some((s) => s.callbackId === callbackId)) {
      return { ok: false, error: 'The app has no such shortcut.' };
    }
    const found = this.located(user.id, messageId);
    const message = found?.message;
    if (!found || !message || message.visibleTo !== undefined) {
      return { ok: false, error: 'Shortcuts work on messages everyone in the conversation sees.' };
    }
    const channel = found.dm
      ? { id: `D${user.id.slice(1)}`, name: 'directmessage' }
      : { id: this.channel.id, name: this.channel.name };
    if (!this.slack.messagesIn(channel.id).some((m) => m.ts === message.ts)) {
      this.slack.addMessage({
        channel: channel.id,
        userId: message.author.id,
        text: message.text,
        ts: message.ts,
        teamId: this.team.id,
      });
    }
    const author =
      message.author.kind === 'app'
        ? { user: message.author.id, bot_id: this.bot().botId }
        : { user: message.author.id };
    const res = await sendInteraction(
      this.app.eventsUrl,
      this.app.signingSecret,
      messageShortcutPayload({
        user: { id: user.id, username: user.name, name: user.name, team_id: this.team.id },
        team: { id: this.team.id, domain: this.team.domain },
        callbackId,
        triggerId: this.triggerFor(user.id),
        channel,
        message: { ts: message.ts, text: message.text, blocks: message.blocks, ...author },
        responseUrl: this.responseUrlFor({ userId: user.id, sourceMessageId: message.id }),
      }),
    );
    return res.status === 200 ? { ok: true } : this.failed(res);
  }

  /**
   * Typing in a menu of the open modal that the app fills: a signed `block_suggestion`, answered in
   * the HTTP response with the options, which are checked against Slack's limits as Slack would.
   */
  async options(
    input: OptionsInput,
  ): Promise<{ ok: true; options: PageOption[] } | { ok: false; error: string }> {
    const user = this.user(input.user);
    const modal = this.modals.get(user.id);
    if (!modal || modal.id !== input.viewId) return { ok: false, error: 'That form is no longer open.' };
    const res = await sendInteraction(
      this.app.eventsUrl,
      this.app.signingSecret,
      blockSuggestionPayload({
        user: { id: user.id, username: user.name, name: user.name, team_id: this.team.id },
        team: { id: this.team.id, domain: this.team.domain },
        actionId: input.actionId,
        blockId: input.blockId,
        value: input.value,
        view: { ...modal, id: modal.id, type: 'modal' },
      }),
    );
    if (res.status !== 200) return this.failed(res);
    const problems = validateOptionsResponse(res.json);
    if (problems.length > 0) {
      return { ok: false, error: `Slack would refuse the app's options: ${problems.join('; ')}` };
    }
    const body = isRecord(res.json) ? res.json : {};
    const groups = Array.isArray(body.option_groups) ? body.option_groups : [];
    const flat = Array.isArray(body.options)
      ? body.options
      : groups.flatMap((g: unknown) => (isRecord(g) && Array.isArray(g.options) ? g.options : []));
    const text = (t: unknown) => (isRecord(t) && typeof t.text === 'string' ? t.text : undefined);
    const options: PageOption[] = [];
    for (const o of flat) {
      if (!isRecord(o) || typeof o.value !== 'string') continue;
      const description = text(o.description);
      options.push({
        text: text(o.text) ?? o.value,
        value: o.value,
        ...(description ? { description } : {}),
      });
    }
    return { ok: true, options };
  }

  /**
   * A file a person chose in a modal's file input: shared in this workspace, as Slack does when the
   * file is picked, so that the app can read it (files.info, url_private_download). The file object is
   * what the page puts in the view's state for the submission.
   */
  attachFile(userId: string, name: string, content: Uint8Array): { ok: true; file: SlackFileObject } {
    const user = this.user(userId);
    return { ok: true, file: this.slack.addFile({ userId: user.id, teamId: this.team.id, name, content }) };
  }

  /** Submit on a modal: `view_submission`; errors come back in the acknowledgement. */
  async submit(
    userId: string,
    viewId: string,
    values: Record<string, Record<string, unknown>>,
  ): Promise<{ ok: true; closed: boolean; errors?: Record<string, string> } | { ok: false; error: string }> {
    const user = this.user(userId);
    const modal = this.modals.get(user.id);
    if (!modal || modal.id !== viewId) return { ok: false, error: 'That form is no longer open.' };
    const res = await sendInteraction(
      this.app.eventsUrl,
      this.app.signingSecret,
      viewSubmissionPayload({
        user: { id: user.id, username: user.name, name: user.name, team_id: this.team.id },
        team: { id: this.team.id, domain: this.team.domain },
        botId: this.bot().botId,
        callbackId: typeof modal.callback_id === 'string' ? modal.callback_id : '',
        privateMetadata: typeof modal.private_metadata === 'string' ? modal.private_metadata : '',
        values,
        viewId: modal.id,
        view: { title: modal.title, blocks: modal.blocks, submit: modal.submit },
      }),
    );
    if (res.status !== 200) return this.failed(res);
    const answer = isRecord(res.json) ? res.json : {};
    if (answer.response_action === 'errors' && isRecord(answer.errors)) {
      return { ok: true, closed: false, errors: answer.errors as Record<string, string> };
    }
    if (answer.response_action === 'update' && isRecord(answer.view)) {
      this.modals.set(user.id, { ...answer.view, id: modal.id });
      this.changed();
      return { ok: true, closed: false };
    }
    this.closeTopModal(user.id);
    this.changed();
    return { ok: true, closed: true };
  }

  /** Opening the App Home tab: Slack sends `app_home_opened`. */
  async openHome(userId: string): Promise<Outcome> {
    const user = this.user(userId);
    const res = await sendEvent(
      this.app.eventsUrl,
      this.app.signingSecret,
      appHomeOpenedEnvelope({
        user: user.id,
        team: this.team.id,
        botUserId: this.bot().userId,
        tab: 'home',
        ...(this.homes.has(user.id) ? { view: this.homes.get(user.id) } : {}),
      }),
    );
    return res.status === 200 ? { ok: true } : this.failed(res);
  }

  private failed(res: SlackHttpResponse, typedMessageId?: string): { ok: false; error: string } {
    if (typedMessageId) {
      const typed = this.messages.find((m) => m.id === typedMessageId);
      if (typed) this.messages.splice(this.messages.indexOf(typed), 1);
    }
    this.changed();
    if (res.status === 401) {
      return {
        ok: false,
        error: `The app refused it (HTTP 401): Competency is not installed in ${this.team.name}.`,
      };
    }
    return { ok: false, error: `The app answered HTTP ${res.status}. Check the terminal running npm start.` };
  }
}
