import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { App } from '@slack/bolt';
import type { Config } from '../../src/config.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { createLogger, LogLevel } from '../../src/log.js';
import {
  type BlockActionInput,
  blockActionPayload,
  type ViewSubmissionInput,
  viewSubmissionPayload,
} from '../../src/sandbox/interaction-payloads.js';
import { type ApiCall, type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';
import {
  type SendOptions,
  type SlackHttpResponse,
  sendInteraction,
  sendSlashCommand,
} from '../../src/sandbox/signing.js';
import { createSlackApp } from '../../src/slack/app.js';
import { createDeps, type Deps } from '../../src/slack/deps.js';
import type { Message } from '../../src/slack/views/types.js';
import { openFileStore } from '../../src/store/file/open.js';
import type { Store } from '../../src/store/store.js';
import { assertValidMessage } from '../support/block-kit.js';
import type { LocalSocketMode, SocketAck } from '../support/local-socket-mode.js';

export const SIGNING_SECRET = 'integrationtestsecret0123456789';

export type Harness = {
  slack: LocalSlack;
  app: App;
  store: Store;
  catalog: Catalog;
  /** What the app's listeners were given (the store, the catalog, the domain services). */
  deps: Deps;
  /** The data folder of the lowdb store: a fresh temp folder, removed by close(). */
  dataDir: string;
  baseUrl: string;
  eventsUrl: string;
  signingSecret: string;
  /**
   * Sends `/competency <text>` signed like Slack; returns the HTTP answer (the acknowledgement, its
   * Block Kit already checked) and the response_url it gave, where an answer that comes after the
   * acknowledgement goes (see `followUp`).
   */
  command: (
    text: string,
    opts?: SendOptions & { userId?: string; responseUrl?: string },
  ) => Promise<CommandResponse>;
  /**
   * What the app posted through a command's response_url after acknowledging it ("Working it out…",
   * "Preparing your export…", or an empty acknowledgement): its first post there, once it has come.
   * Fails unless it is valid Block Kit.
   */
  followUp: (res: Pick<CommandResponse, 'responseUrl'>) => Promise<Posted>;
  /**
   * Clicks a button of a message the app sent; resolves with the HTTP answer, the acknowledgement.
   * The app acknowledges first and does the work after, as in production: what the click did shows
   * in the local Slack later, so wait for it there (`press` waits for the answer to the click).
   */
  click: (message: unknown, actionIdPrefix: string, opts?: ClickOptions) => Promise<SlackHttpResponse>;
  /** Presses a button of a message the app sent; resolves with the app's answer to that click (see `press`). */
  press: (message: unknown, label: string, opts?: PressOptions) => Promise<Posted>;
  /**
   * Resolves once the app has finished every request it has taken (every listener, and the fallback
   * for what none claimed): for asserting that something did NOT happen. What did happen, wait for
   * where it shows (the local Slack, the log), not for this.
   */
  idle: () => Promise<void>;
  logs: string[];
  /**
   * Once the app has finished the requests it took, stops it and its store and starts them again on
   * the same data folder and port.
   */
  restart: () => Promise<void>;
  close: () => Promise<void>;
};

/** The acknowledgement of a slash command, and the response_url the command came with. */
type CommandResponse = SlackHttpResponse & { responseUrl: string };

type ClickOptions = {
  userId?: string;
  /** A value other than the button's own: a forged or stale click. */
  value?: string;
  /** The response_url Slack gives this click (a fresh one when left out). */
  responseUrl?: string;
  /**
   * The message is one everybody in the channel sees (a shared post), not a private one: Slack then
   * includes the message in the payload and says `is_ephemeral: false`.
   */
  inChannel?: boolean;
};

export type HarnessOptions = {
  /** Frameworks to serve instead of the bundled ones. */
  frameworkDirs?: string[];
  /** How the app's Web API client retries; by default it does not, so a failure shows at once. */
  retryConfig?: { retries: number; factor?: number; minTimeout?: number; maxTimeout?: number };
  /** The clock of the domain services (reminders' due times); the real one by default. */
  now?: () => Date;
};

/** The real app in HTTP mode on 127.0.0.1, talking to a local Slack instead of slack.com. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const slack = await startLocalSlack();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'competency-it-'));
  const logs: string[] = [];
  const config: Config = {
    mode: 'http',
    botToken: slack.bot.token,
    signingSecret: SIGNING_SECRET,
    port: 0,
    host: '127.0.0.1',
    slackApiUrl: slack.apiUrl,
    databaseUrl: undefined,
    dataDir,
    frameworksDir: undefined,
    frameworksCacheDir: undefined,
    logLevel: 'info',
  };
  let port = 0;
  const working = new RequestsUnderWay();
  // Tests wait for many answers at once (50 people rating at the same time): one listener each.
  slack.setMaxListeners(200);
  const boot = async () => {
    const catalog = new Catalog(await loadFrameworks(options.frameworkDirs ?? [BUNDLED_FRAMEWORKS_DIR]));
    const store = await openFileStore(dataDir);
    const deps = createDeps(store, catalog, options.now ? { now: options.now } : {});
    const { app } = createSlackApp({
      config,
      deps,
      logger: createLogger(LogLevel.INFO, (line) => logs.push(line)),
      // Bolt as production runs it (processBeforeResponse false, as src/start.ts leaves it): each
      // request is acknowledged as soon as a listener calls ack(), and the work after that goes on
      // on its own.
      clientOptions: { retryConfig: options.retryConfig ?? { retries: 0 } },
    });
    countRequests(app, working);
    const server = await app.start({ port, host: '127.0.0.1' });
    port = (server.address() as AddressInfo).port;
    return { catalog, store, app, deps };
  };
  let running = await boot();
  const baseUrl = `http://127.0.0.1:${port}`;
  const eventsUrl = `${baseUrl}/slack/events`;
  const shutdown = async () => {
    await running.app.stop();
    await running.store.close();
  };

  const command: Harness['command'] = async (text, opts = {}) => {
    const responseUrl = opts.responseUrl ?? slack.newResponseUrl();
    const res = await sendSlashCommand(
      eventsUrl,
      SIGNING_SECRET,
      {
        command: '/competency',
        text,
        response_url: responseUrl,
        ...(opts.userId ? { user_id: opts.userId } : {}),
      },
      opts,
    );
    // An empty acknowledgement is fine: the answer then comes through the response_url.
    if (res.status === 200 && res.json !== undefined) assertValidMessage(res.json);
    return { ...res, responseUrl };
  };
  const followUp: Harness['followUp'] = async ({ responseUrl }) => {
    const post = await slack.waitForResponseTo(responseUrl, 10_000);
    if (!post.ok)
      throw new Error(`the answer after the acknowledgement is not valid: ${JSON.stringify(post)}`);
    return post.body as Posted;
  };

  const target = { slack, eventsUrl, signingSecret: SIGNING_SECRET };
  const click: Harness['click'] = async (message, prefix, opts = {}) =>
    (await sendClick(target, message, prefix, opts)).res;

  return {
    slack,
    get app() {
      return running.app;
    },
    get store() {
      return running.store;
    },
    get catalog() {
      return running.catalog;
    },
    get deps() {
      return running.deps;
    },
    dataDir,
    baseUrl,
    eventsUrl,
    signingSecret: SIGNING_SECRET,
    command,
    followUp,
    click,
    press: (message, label, opts) => press(target, message, label, opts),
    idle: () => working.none(),
    logs,
    restart: async () => {
      // As a restart in production would: the requests the app took are finished first.
      await working.none();
      await shutdown();
      running = await boot();
    },
    close: async () => {
      await shutdown();
      await slack.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** How many requests the app is still working on, and who waits for there to be none. */
class RequestsUnderWay {
  private count = 0;
  private readonly waiting: (() => void)[] = [];

  started(): void {
    this.count++;
  }

  finished(): void {
    this.count--;
    if (this.count === 0) for (const wake of this.waiting.splice(0)) wake();
  }

  none(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the app was still working on ${this.count} request(s) after 10 s`)),
        10_000,
      );
      this.waiting.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/**
 * Counts the requests `app` works on: from the moment its receiver hands one over (before it is
 * acknowledged) until every listener, and the fallback, has finished with it.
 */
function countRequests(app: App, working: RequestsUnderWay): void {
  const processEvent = app.processEvent.bind(app);
  app.processEvent = async (event) => {
    working.started();
    try {
      await processEvent(event);
    } finally {
      working.finished();
    }
  };
}

type FoundButton = { action_id: string; block_id: string; value: string; text: string };

/** Every button in a message, with the block it sits in. */
export function buttons(message: unknown): FoundButton[] {
  const found: FoundButton[] = [];
  const blocks = (message as { blocks?: unknown[] }).blocks ?? [];
  for (const block of blocks as {
    type: string;
    block_id?: string;
    elements?: unknown[];
    accessory?: unknown;
  }[]) {
    const elements = [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])];
    for (const el of elements as {
      type: string;
      action_id?: string;
      value?: string;
      text?: { text: string };
    }[]) {
      if (el.type === 'button' && el.action_id) {
        found.push({
          action_id: el.action_id,
          block_id: block.block_id ?? '',
          value: el.value ?? '',
          text: el.text?.text ?? '',
        });
      }
    }
  }
  return found;
}

export function findButton(message: unknown, prefixOrText: string): FoundButton {
  const all = buttons(message);
  const button = all.find((b) => b.action_id.startsWith(prefixOrText) || b.text === prefixOrText);
  if (!button) throw new Error(`no button "${prefixOrText}" in ${JSON.stringify(all.map((b) => b.text))}`);
  return button;
}

/** All the text of a message's blocks, joined, for assertions about what a person reads. */
export function textOf(message: unknown): string {
  const parts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') parts.push(value);
        else walk(value);
      }
    }
  };
  walk((message as { blocks?: unknown }).blocks);
  return parts.join('\n');
}

/** A modal the app opened, as the local Slack recorded it. */
export type OpenedForm = { callback_id: string; private_metadata: string; blocks: { block_id?: string }[] };

/**
 * Submits a form the app opened, as Slack sends a submission, with the same choice in every rating
 * field; `who` sets the user, workspace and org the payload names.
 */
export async function submitSameChoice(
  h: Pick<Harness, 'eventsUrl'>,
  form: OpenedForm,
  choice: string,
  who: Pick<ViewSubmissionInput, 'user' | 'team' | 'enterprise'> = {},
): Promise<SlackHttpResponse> {
  return sendInteraction(
    h.eventsUrl,
    SIGNING_SECRET,
    viewSubmissionPayload({
      callbackId: form.callback_id,
      privateMetadata: form.private_metadata,
      values: sameChoiceEverywhere(form, choice),
      ...who,
    }),
  );
}

/** The Rate all form's answers with the same choice (`'1'`…`'5'`, `'na'`) in every field, as Slack sends them. */
function sameChoiceEverywhere(form: OpenedForm, choice: string): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of form.blocks) {
    if (!block.block_id?.startsWith('competency:')) continue;
    values[block.block_id] = {
      rating: {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: choice }, value: choice },
      },
    };
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Pressing a button, as a person does, and what the app answers

/**
 * What the app posts for a person to read: a message (the app's own `Message`: blocks and the text
 * fallback), and, through a response_url, whether it is private and whether it replaces the one clicked.
 */
export type Posted = Message & {
  response_type?: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
  delete_original?: boolean;
};

/** An app that answers clicks over signed HTTP: a harness, an app in its own process, a second instance. */
export type ClickTarget = { slack: LocalSlack; eventsUrl: string; signingSecret: string };

export type PressOptions = ClickOptions & {
  /**
   * More of the click as Slack sends it from elsewhere: the workspace, the org and the person's own
   * team (`team`, `enterprise`, `user`), when it was clicked (`actionTs`), in which channel.
   */
  payload?: Omit<BlockActionInput, 'actionId' | 'blockId' | 'value' | 'responseUrl'>;
  /** How long the app may take to answer; an app in its own process acknowledges first and answers after. */
  timeoutMs?: number;
};

/** Sends a click on the button `label` of `message`, signed as Slack signs it; the HTTP answer and its response_url. */
async function sendClick(
  to: ClickTarget,
  message: unknown,
  label: string,
  opts: PressOptions,
): Promise<{ res: SlackHttpResponse; responseUrl: string }> {
  const button = findButton(message, label);
  const responseUrl = opts.responseUrl ?? to.slack.newResponseUrl();
  const payload = blockActionPayload({
    ...opts.payload,
    actionId: button.action_id,
    blockId: button.block_id,
    value: opts.value ?? button.value,
    responseUrl,
    ...(opts.userId ? { user: { ...opts.payload?.user, id: opts.userId } } : {}),
    ...(opts.inChannel ? { message: { ts: '1700000000.000100', ...(message as object) } } : {}),
  });
  return { res: await sendInteraction(to.eventsUrl, to.signingSecret, payload), responseUrl };
}

/**
 * Presses the button `label` (its text, or the start of its action id) of `message` the way Slack
 * sends the click, and resolves with the app's answer: what it posted to that click's own
 * response_url. Fails unless the click was acknowledged with a 200 and the answer is valid Block Kit.
 */
export async function press(
  to: ClickTarget,
  message: unknown,
  label: string,
  opts: PressOptions = {},
): Promise<Posted> {
  const { res, responseUrl } = await sendClick(to, message, label, opts);
  if (res.status !== 200) throw new Error(`the click on "${label}" was answered ${res.status}`);
  const post = await to.slack.waitForResponseTo(responseUrl, opts.timeoutMs ?? 15_000);
  if (!post.ok) throw new Error(`the app's answer to "${label}" is not valid: ${JSON.stringify(post)}`);
  return post.body as Posted;
}

/** A message the app posted in a conversation, where it is: its channel and its ts. */
export type Placed = Message & { channel: string; ts: string };

/**
 * Presses a button of a message the app posted in `userId`'s direct messages with it (a message
 * everyone in that conversation sees, which the app changes with chat.update); resolves with the
 * message as the app changed it: chat.update's arguments, with its channel and ts.
 */
export async function pressInDm(
  to: ClickTarget,
  message: { ts?: unknown; text?: unknown; blocks?: unknown },
  label: string,
  userId: string,
): Promise<Placed> {
  const button = findButton(message, label);
  const ts = String(message.ts);
  const channel = { id: `D${userId.slice(1)}`, name: 'directmessage' };
  const updates = to.slack.calls.filter((c) => c.method === 'chat.update').length;
  const res = await sendInteraction(
    to.eventsUrl,
    to.signingSecret,
    blockActionPayload({
      actionId: button.action_id,
      blockId: button.block_id,
      value: button.value,
      responseUrl: to.slack.newResponseUrl(),
      user: { id: userId },
      channel,
      container: { type: 'message', message_ts: ts, channel_id: channel.id, is_ephemeral: false },
      message: {
        type: 'message',
        ts,
        user: to.slack.bot.userId,
        bot_id: to.slack.bot.botId,
        text: message.text,
        blocks: message.blocks,
      },
    }),
  );
  if (res.status !== 200) throw new Error(`the click on "${label}" was answered ${res.status}`);
  const update: ApiCall | undefined = (await to.slack.waitForCalls('chat.update', updates + 1)).at(-1);
  if (!update?.ok) throw new Error(`the message was not changed for "${label}": ${JSON.stringify(update)}`);
  if (update.args.channel !== channel.id || update.args.ts !== ts)
    throw new Error(`"${label}" changed another message: ${JSON.stringify(update.args)}`);
  return update.args as Placed;
}

/**
 * Presses a button of `message` as `userId` over Socket Mode: the click goes to an app connected to
 * the local Socket Mode server. Resolves with the app's acknowledgement, and its answer: what it then
 * posted to the click's response_url.
 */
export async function pressOverSocket(
  to: { slack: LocalSlack; socket: LocalSocketMode },
  message: unknown,
  label: string,
  userId: string,
): Promise<{ ack: SocketAck; answer: Posted }> {
  const button = findButton(message, label);
  const responseUrl = to.slack.newResponseUrl();
  const ack = await to.socket.send(
    'interactive',
    blockActionPayload({
      actionId: button.action_id,
      blockId: button.block_id,
      value: button.value,
      responseUrl,
      user: { id: userId },
    }),
  );
  const post = await to.slack.waitForResponseTo(responseUrl, 10_000);
  if (!post.ok) throw new Error(`the app's answer to "${label}" is not valid: ${JSON.stringify(post)}`);
  return { ack, answer: post.body as Posted };
}

const SCALE_LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];

/**
 * `/competency solutions-architect senior`, Rate yourself, then one click per competency with the
 * given ratings (1–5, in framework order): returns the summary the app answered with.
 */
export async function finishSeniorAssessment(
  harness: Harness,
  userId: string,
  ratings: number[],
): Promise<Record<string, unknown>> {
  const answer = (await harness.command('solutions-architect senior', { userId })).json;
  let step = await harness.press(answer, 'Rate yourself', { userId });
  for (const r of ratings) step = await harness.press(step, SCALE_LABELS[r] ?? '', { userId });
  return step;
}
