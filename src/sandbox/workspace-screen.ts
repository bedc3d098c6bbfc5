import { EventEmitter } from 'node:events';
import { isRecord, newTriggerId, newTs, slackId } from './defaults.js';
import type { ApiCall, LocalSlack, ResponsePost, UploadedFile } from './local-slack.js';
import {
  SANDBOX_MESSAGE_SHORTCUTS,
  SANDBOX_SHORTCUTS,
  SANDBOX_TEAM,
  type SampleUser,
  type SampleUserGroup,
  type SandboxTeam,
} from './teams.js';

/**
 * What one workspace of the sandbox shows, as Slack would show it: one channel, a direct message with
 * the app per person, the App Home tab and any open modal — kept up to date from what the app sends to
 * the local Slack for this workspace (Web API calls, response_url posts, uploaded files). What a
 * person does there is in SandboxWorkspace (workspace.ts), which builds on this.
 */

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
export type ResponseTarget = { userId: string; sourceMessageId: string | undefined };

export class WorkspaceScreen extends EventEmitter {
  readonly team: { id: string; domain: string; name: string };
  readonly channel: { id: string; name: string };
  readonly users: readonly SampleUser[];
  readonly userGroups: readonly SampleUserGroup[];
  protected readonly messages: Message[] = [];
  private readonly dms = new Map<
    string,
    { messages: Message[]; files: UploadedFile[]; lastFileAt: number }
  >();
  protected readonly homes = new Map<string, View>();
  protected readonly modals = new Map<string, View & { id: string }>();
  /** The modals under the open one, per person (views.push), the latest last: closing the top one shows the one below. */
  private readonly pushed = new Map<string, (View & { id: string })[]>();
  private readonly responseTargets = new Map<string, ResponseTarget>();
  private readonly triggers = new Map<string, string>();
  private version = 0;

  constructor(
    protected readonly slack: LocalSlack,
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
      messageShortcuts: SANDBOX_MESSAGE_SHORTCUTS,
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

  closeModal(userId: string): void {
    this.closeTopModal(userId);
    this.changed();
  }

  /** Closes the person's open modal; the one it was pushed on (if any) shows again. */
  protected closeTopModal(userId: string): void {
    const below = this.pushed.get(userId)?.pop();
    if (below) this.modals.set(userId, below);
    else this.modals.delete(userId);
  }

  /**
   * The app was removed from this workspace: its Home tab and any open form go, as in Slack. The
   * messages it sent stay where they are.
   */
  appRemoved(): void {
    this.homes.clear();
    this.modals.clear();
    this.pushed.clear();
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
      case 'views.push': {
        const userId = this.triggers.get(String(a.trigger_id ?? ''));
        const open = userId ? this.modals.get(userId) : undefined;
        if (userId && open && isRecord(a.view)) {
          this.pushed.set(userId, [...(this.pushed.get(userId) ?? []), open]);
          this.modals.set(userId, { ...a.view, id: call.viewId ?? slackId('V') });
        }
        break;
      }
      case 'views.update': {
        for (const [userId, modal] of this.modals) {
          if (modal.id === a.view_id && isRecord(a.view))
            this.modals.set(userId, { ...a.view, id: modal.id });
        }
        // A modal under the open one is updated where it waits.
        for (const stack of this.pushed.values()) {
          for (const [i, modal] of stack.entries()) {
            if (modal.id === a.view_id && isRecord(a.view)) stack[i] = { ...a.view, id: modal.id };
          }
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
  protected located(
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

  protected user(userId: string): SampleUser {
    const user = this.users.find((u) => u.id === userId);
    if (!user) throw new Error(`unknown sample user ${userId}`);
    return user;
  }

  /**
   * Whose direct messages with the app a channel is: its DM id (the local Slack names a person's DM
   * with the app `D` + their id without its `U`), or (as Slack allows) the user's own id.
   */
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
  protected bot(): { userId: string; botId: string } {
    const installation = this.slack.installation(this.team.id);
    return installation
      ? { userId: installation.botUserId, botId: installation.botId }
      : { userId: this.slack.bot.userId, botId: this.slack.bot.botId };
  }

  protected appAuthor(): Message['author'] {
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

  protected add(
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

  protected responseUrlFor(target: ResponseTarget, message?: { channel: string; ts: string }): string {
    const url = this.slack.newResponseUrl(message);
    this.responseTargets.set(url, target);
    return url;
  }

  protected bindResponseUrl(url: string, target: ResponseTarget): void {
    this.responseTargets.set(url, target);
  }

  protected triggerFor(userId: string): string {
    const id = newTriggerId();
    this.triggers.set(id, userId);
    return id;
  }

  protected changed(): void {
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
