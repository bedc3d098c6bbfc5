import { EventEmitter } from 'node:events';
import { validateOptionsResponse } from './block-kit.js';
import { isRecord, LOCAL_CHANNEL, LOCAL_TEAM, newTriggerId, newTs, slackId } from './defaults.js';
import type { ApiCall, LocalSlack, ResponsePost, UploadedFile } from './local-slack.js';
import {
  appHomeOpenedEnvelope,
  blockActionPayload,
  blockSuggestionPayload,
  type SlackHttpResponse,
  sendEvent,
  sendInteraction,
  sendSlashCommand,
  shortcutPayload,
  viewSubmissionPayload,
} from './signing.js';

/**
 * What the sandbox page shows of one workspace: one channel, a direct message with the app per
 * person, the App Home tab and any open modal — kept up to date from what the app sends to the local
 * Slack for this workspace, exactly as Slack would show it. Everything the page does goes to the app
 * as signed Slack requests from this workspace (its team id, its people).
 */

export type SampleUser = { id: string; name: string };

export const SAMPLE_USERS: readonly SampleUser[] = [
  { id: 'U0SAMRIVERA', name: 'Sam Rivera' },
  { id: 'U0ALEXCHEN1', name: 'Alex Chen' },
  { id: 'U0PRIYAPATL', name: 'Priya Patel' },
];

/**
 * A user group of a sandbox workspace (Slack's `@handle` groups), which `/competency team @group` asks
 * about: the local Slack answers usergroups.list and usergroups.users.list from it, and the page's @
 * list offers it.
 */
export type SampleUserGroup = { id: string; handle: string; name: string; users: readonly string[] };

/** A workspace of the sandbox: its Slack team, its one channel, its people and its user groups. */
export type SandboxTeam = {
  id: string;
  domain: string;
  name: string;
  channel: { id: string; name: string };
  users: readonly SampleUser[];
  userGroups: readonly SampleUserGroup[];
};

/** The workspace the sandbox opens on, where the app is installed at start. */
export const SANDBOX_TEAM: SandboxTeam = {
  id: LOCAL_TEAM.id,
  domain: LOCAL_TEAM.domain,
  name: 'Sandbox Workspace',
  channel: { id: LOCAL_CHANNEL.id, name: LOCAL_CHANNEL.name },
  users: SAMPLE_USERS,
  userGroups: [
    { id: 'S0SAMPLETM1', handle: 'sample-team', name: 'Sample team', users: SAMPLE_USERS.map((u) => u.id) },
  ],
};

/** The sample people's accounts in the second workspace. */
const SECOND_USERS: readonly SampleUser[] = [
  { id: 'U0SAMRIVER2', name: 'Sam Rivera' },
  { id: 'U0ALEXCHEN2', name: 'Alex Chen' },
  { id: 'U0PRIYAPAT2', name: 'Priya Patel' },
];

/**
 * A second workspace, where the app is not installed until someone installs it from the page. The
 * same people are members there too, with accounts (user ids) of that workspace, as in Slack.
 */
export const SECOND_TEAM: SandboxTeam = {
  id: 'T0SECONDWS1',
  domain: 'second-workspace',
  name: 'Second Workspace',
  channel: { id: 'C0SECONDCH1', name: 'general' },
  users: SECOND_USERS,
  userGroups: [
    { id: 'S0SAMPLETM2', handle: 'sample-team', name: 'Sample team', users: SECOND_USERS.map((u) => u.id) },
  ],
};

export type Message = {
  id: string;
  ts: string;
  author: { kind: 'user' | 'app'; id: string; name: string };
  /** Set for a message only one person sees ("Only visible to you"). */
  visibleTo: string | undefined;
  text: string;
  blocks: unknown[];
};

type View = Record<string, unknown>;

/** Where a response_url posts to: the person it was given for, and the message it came from. */
type ResponseTarget = { userId: string; sourceMessageId: string | undefined };

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

/**
 * The app's global shortcuts, as manifest.yml declares them under `features.shortcuts` (a test
 * checks that they agree): the page lists them in its shortcuts menu by the message box.
 */
export const SANDBOX_SHORTCUTS: readonly { callbackId: string; name: string; description: string }[] = [
  {
    callbackId: 'competency_lookup',
    name: 'Look up a competency',
    description: 'Choose a role, domain and level, and see what is expected',
  },
];

export type Outcome = { ok: true } | { ok: false; error: string };

export class SandboxWorkspace extends EventEmitter {
  readonly team: { id: string; domain: string; name: string };
  readonly channel: { id: string; name: string };
  readonly users: readonly SampleUser[];
  readonly userGroups: readonly SampleUserGroup[];
  private readonly messages: Message[] = [];
  private readonly dms = new Map<
    string,
    { messages: Message[]; files: UploadedFile[]; lastFileAt: number }
  >();
  private readonly homes = new Map<string, View>();
  private readonly modals = new Map<string, View & { id: string }>();
  private readonly responseTargets = new Map<string, ResponseTarget>();
  private readonly triggers = new Map<string, string>();
  private version = 0;

  constructor(
    private readonly slack: LocalSlack,
    private readonly app: { eventsUrl: string; signingSecret: string },
    team: SandboxTeam = SANDBOX_TEAM,
  ) {
    super();
    this.team = { id: team.id, domain: team.domain, name: team.name };
    this.channel = { ...team.channel };
    this.users = team.users;
    this.userGroups = team.userGroups;
    slack.on('api', (call: ApiCall) => this.onApiCall(call));
    slack.on('response', (post: ResponsePost) => this.onResponse(post));
    slack.on('file', (file: UploadedFile) => this.onFile(file));
  }

  /** What one person sees. */
  stateFor(userId: string) {
    const visible = (m: Message) => m.visibleTo === undefined || m.visibleTo === userId;
    const dm = this.dms.get(userId) ?? { messages: [], files: [], lastFileAt: 0 };
    return {
      users: this.users,
      // What the page's @ list offers besides the people: each group's handle, name and size.
      userGroups: this.userGroups.map((g) => ({
        id: g.id,
        handle: g.handle,
        name: g.name,
        count: g.users.length,
      })),
      channel: this.channel,
      me: userId,
      messages: this.messages.filter(visible).map(toPage),
      dm: {
        messages: dm.messages.map(toPage),
        files: dm.files.map((f) => ({
          id: f.id,
          filename: f.filename,
          title: f.title ?? f.filename,
          ...(f.altText ? { alt: f.altText } : {}),
          url: `/sandbox/files/${encodeURIComponent(f.id)}?user=${encodeURIComponent(userId)}`,
        })),
      },
      home: this.homes.get(userId) ?? null,
      modal: this.modals.get(userId) ?? null,
      shortcuts: SANDBOX_SHORTCUTS,
      version: this.version,
    };
  }

  /** A file someone was sent, if it was sent to them. */
  fileFor(userId: string, fileId: string): UploadedFile | undefined {
    return this.dms.get(userId)?.files.find((f) => f.id === fileId);
  }

  isUser(userId: unknown): userId is string {
    return typeof userId === 'string' && this.users.some((u) => u.id === userId);
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
    this.modals.delete(user.id);
    this.changed();
    return { ok: true, closed: true };
  }

  closeModal(userId: string): void {
    this.modals.delete(userId);
    this.changed();
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

  /**
   * The app was removed from this workspace: its Home tab and any open form go, as in Slack. The
   * messages it sent stay where they are.
   */
  appRemoved(): void {
    this.homes.clear();
    this.modals.clear();
    this.changed();
  }

  /** Something this workspace shows may have changed elsewhere (the app was installed, say). */
  touch(): void {
    this.changed();
  }

  private onApiCall(call: ApiCall): void {
    // Calls with the original bot token (no OAuth installation) act in the local Slack's default workspace.
    if (!call.ok || (call.team ?? this.slack.team.id) !== this.team.id) return;
    const a = call.args;
    const text = typeof a.text === 'string' ? a.text : '';
    const blocks = Array.isArray(a.blocks) ? a.blocks : [];
    switch (call.method) {
      case 'chat.postMessage': {
        const channel = String(a.channel ?? '');
        const dmUser = this.userOfDm(channel);
        if (dmUser) {
          const message = this.message(this.appAuthor(), undefined, text, blocks);
          // The ts the local Slack gave it, so that a chat.update of it (from a click here) lands here.
          if (call.ts !== undefined) message.ts = call.ts;
          this.dm(dmUser).messages.push(message);
        } else {
          const message = this.add(this.appAuthor(), undefined, text, blocks);
          if (call.ts !== undefined) message.ts = call.ts;
        }
        break;
      }
      case 'chat.postEphemeral':
        this.add(this.appAuthor(), String(a.user ?? ''), text, blocks);
        break;
      case 'chat.update': {
        const message =
          this.messages.find((m) => m.ts === a.ts) ??
          [...this.dms.values()].flatMap((dm) => dm.messages).find((m) => m.ts === a.ts);
        if (message) Object.assign(message, { text, blocks });
        break;
      }
      case 'views.open': {
        const userId = this.triggers.get(String(a.trigger_id ?? ''));
        // The id the local Slack gave the view, so that the app's views.update of it lands here.
        if (userId && isRecord(a.view))
          this.modals.set(userId, { ...a.view, id: call.viewId ?? slackId('V') });
        break;
      }
      case 'views.update': {
        for (const [userId, modal] of this.modals) {
          if (modal.id === a.view_id && isRecord(a.view))
            this.modals.set(userId, { ...a.view, id: modal.id });
        }
        break;
      }
      case 'views.publish':
        if (isRecord(a.view)) this.homes.set(String(a.user_id ?? ''), a.view);
        break;
      default:
        return;
    }
    this.changed();
  }

  private onResponse(post: ResponsePost): void {
    const target = this.responseTargets.get(post.url);
    if (!post.ok || !target) return;
    const body = post.body;
    const found = this.located(target.userId, target.sourceMessageId);
    const source = found?.message;
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? body.blocks : [];
    if (body.delete_original === true && found && source) {
      found.list.splice(found.list.indexOf(source), 1);
    } else if (body.replace_original === true && source) {
      // A message the app posted keeps its ts when replaced, as in Slack (it is edited, not reposted).
      Object.assign(source, { text, blocks, ...(source.visibleTo === undefined ? {} : { ts: newTs() }) });
    } else if (found?.dm) {
      // An answer to a click in the person's direct messages with the app stays there.
      found.list.push(this.message(this.appAuthor(), undefined, text, blocks));
    } else {
      const message = this.add(
        this.appAuthor(),
        body.response_type === 'in_channel' ? undefined : target.userId,
        text,
        blocks,
      );
      if (target.sourceMessageId === undefined) target.sourceMessageId = message.id;
    }
    this.changed();
  }

  private onFile(file: UploadedFile): void {
    const userId = this.userOfDm(file.channelId ?? '');
    if (!userId) return;
    const dm = this.dm(userId);
    dm.files.push(file);
    // Files uploaded together (one uploadV2 call) share one comment: show it once, then each file.
    const previous = dm.files.at(-2);
    const sameUpload =
      previous !== undefined &&
      previous.initialComment === file.initialComment &&
      dm.lastFileAt > Date.now() - 2000;
    if (file.initialComment && !sameUpload) {
      dm.messages.push(this.message(this.appAuthor(), undefined, file.initialComment, []));
    }
    dm.lastFileAt = Date.now();
    dm.messages.push(this.message(this.appAuthor(), undefined, `📎 ${file.filename}`, []));
    this.changed();
  }

  /** A message by id: in the channel, or in this person's direct messages with the app. */
  private located(
    userId: string,
    messageId: string | undefined,
  ): { message: Message; list: Message[]; dm: boolean } | undefined {
    if (messageId === undefined) return undefined;
    const inChannel = this.messages.find((m) => m.id === messageId);
    if (inChannel) return { message: inChannel, list: this.messages, dm: false };
    const list = this.dms.get(userId)?.messages;
    const inDm = list?.find((m) => m.id === messageId);
    return list && inDm ? { message: inDm, list, dm: true } : undefined;
  }

  private user(userId: string): SampleUser {
    const user = this.users.find((u) => u.id === userId);
    if (!user) throw new Error(`unknown sample user ${userId}`);
    return user;
  }

  /** The local Slack names a person's DM with the app `D` + their id without its `U`. */
  /** Whose direct messages with the app a channel is: its DM id, or (as Slack allows) the user's own id. */
  private userOfDm(channelId: string): string | undefined {
    return this.users.find((u) => channelId === `D${u.id.slice(1)}` || channelId === u.id)?.id;
  }

  private dm(userId: string) {
    let dm = this.dms.get(userId);
    if (!dm) {
      dm = { messages: [], files: [], lastFileAt: 0 };
      this.dms.set(userId, dm);
    }
    return dm;
  }

  /** The app's bot in this workspace: each installation has its own bot user. */
  private bot(): { userId: string; botId: string } {
    const installation = this.slack.installation(this.team.id);
    return installation
      ? { userId: installation.botUserId, botId: installation.botId }
      : { userId: this.slack.bot.userId, botId: this.slack.bot.botId };
  }

  private appAuthor(): Message['author'] {
    return { kind: 'app', id: this.bot().userId, name: 'Competency' };
  }

  private message(
    author: Message['author'],
    visibleTo: string | undefined,
    text: string,
    blocks: unknown[],
  ): Message {
    return { id: slackId('M'), ts: newTs(), author, visibleTo, text, blocks };
  }

  private add(
    author: Message['author'],
    visibleTo: string | undefined,
    text: string,
    blocks: unknown[],
  ): Message {
    const message = this.message(author, visibleTo, text, blocks);
    this.messages.push(message);
    // Keep the page light: a long session keeps its most recent messages.
    if (this.messages.length > 300) this.messages.splice(0, this.messages.length - 300);
    return message;
  }

  private responseUrlFor(target: ResponseTarget, message?: { channel: string; ts: string }): string {
    const url = this.slack.newResponseUrl(message);
    this.responseTargets.set(url, target);
    return url;
  }

  private bindResponseUrl(url: string, target: ResponseTarget): void {
    this.responseTargets.set(url, target);
  }

  private triggerFor(userId: string): string {
    const id = newTriggerId();
    this.triggers.set(id, userId);
    return id;
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

  private changed(): void {
    this.version++;
    this.emit('change', this.version);
  }
}

function toPage(m: Message) {
  return {
    id: m.id,
    ts: m.ts,
    author: m.author,
    ephemeral: m.visibleTo !== undefined,
    text: m.text,
    blocks: m.blocks,
  };
}
