import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { App } from '@slack/bolt';
import type { Config } from '../../src/config.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { createLogger, LogLevel } from '../../src/log.js';
import { assertValidMessage } from '../../src/sandbox/block-kit.js';
import { type LocalSlack, startLocalSlack } from '../../src/sandbox/local-slack.js';
import {
  blockActionPayload,
  type SendOptions,
  type SlackHttpResponse,
  sendInteraction,
  sendSlashCommand,
  type ViewSubmissionInput,
  viewSubmissionPayload,
} from '../../src/sandbox/signing.js';
import { createSlackApp } from '../../src/slack/app.js';
import { createDeps, type Deps } from '../../src/slack/deps.js';
import { openLowdbStore } from '../../src/store/lowdb-store.js';
import type { Store } from '../../src/store/store.js';

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
  /** Sends `/competency <text>` signed like Slack; returns the HTTP answer, its Block Kit already checked. */
  command: (
    text: string,
    opts?: SendOptions & { userId?: string; responseUrl?: string },
  ) => Promise<SlackHttpResponse>;
  /** Clicks a button of a message the app sent; resolves once the app has answered (processBeforeResponse). */
  click: (message: unknown, actionIdPrefix: string, opts?: ClickOptions) => Promise<SlackHttpResponse>;
  /** Like click, and returns what the app posted to that click's own response_url. */
  clickFor: (message: unknown, label: string, opts?: ClickOptions) => Promise<Record<string, unknown>>;
  logs: string[];
  /** Stops the app and its store and starts them again on the same data folder and port. */
  restart: () => Promise<void>;
  close: () => Promise<void>;
};

export type ClickOptions = {
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
  const boot = async () => {
    const catalog = new Catalog(await loadFrameworks(options.frameworkDirs ?? [BUNDLED_FRAMEWORKS_DIR]));
    const store = await openLowdbStore(dataDir);
    const deps = createDeps(store, catalog, options.now ? { now: options.now } : {});
    const app = createSlackApp({
      config,
      deps,
      logger: createLogger(LogLevel.INFO, (line) => logs.push(line)),
      processBeforeResponse: true,
      clientOptions: { retryConfig: options.retryConfig ?? { retries: 0 } },
    });
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
    const res = await sendSlashCommand(
      eventsUrl,
      SIGNING_SECRET,
      {
        command: '/competency',
        text,
        response_url: opts.responseUrl ?? slack.newResponseUrl(),
        ...(opts.userId ? { user_id: opts.userId } : {}),
      },
      opts,
    );
    // An empty acknowledgement is fine: the answer then comes through the response_url.
    if (res.status === 200 && res.json !== undefined) assertValidMessage(res.json);
    return res;
  };

  const clickWith = async (message: unknown, prefix: string, opts: ClickOptions) => {
    const button = findButton(message, prefix);
    const responseUrl = opts.responseUrl ?? slack.newResponseUrl();
    const payload = blockActionPayload({
      actionId: button.action_id,
      blockId: button.block_id,
      value: opts.value ?? button.value,
      responseUrl,
      ...(opts.userId ? { user: { id: opts.userId } } : {}),
      ...(opts.inChannel ? { message: { ts: '1700000000.000100', ...(message as object) } } : {}),
    });
    return { res: await sendInteraction(eventsUrl, SIGNING_SECRET, payload), responseUrl };
  };
  const click: Harness['click'] = async (message, prefix, opts = {}) =>
    (await clickWith(message, prefix, opts)).res;
  const clickFor: Harness['clickFor'] = async (message, prefix, opts = {}) => {
    const { responseUrl } = await clickWith(message, prefix, opts);
    const posted = slack.responses.find((r) => r.url === responseUrl);
    if (!posted?.ok)
      throw new Error(`nothing valid was posted to the click's response_url: ${JSON.stringify(posted)}`);
    return posted.body;
  };

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
    command,
    click,
    clickFor,
    logs,
    restart: async () => {
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
export function sameChoiceEverywhere(
  form: OpenedForm,
  choice: string,
): Record<string, Record<string, unknown>> {
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

/**
 * Presses a button of `message` as `userId`, sent signed with `signingSecret` to an app running
 * anywhere (its own process, a second instance); resolves with what the app then posted to the
 * click's response_url (the app acknowledges first and answers there).
 */
export async function pressButton(
  to: { slack: LocalSlack; eventsUrl: string; signingSecret: string },
  message: unknown,
  label: string,
  userId: string,
): Promise<Record<string, unknown>> {
  const button = findButton(message, label);
  const responseUrl = to.slack.newResponseUrl();
  const res = await sendInteraction(
    to.eventsUrl,
    to.signingSecret,
    blockActionPayload({
      actionId: button.action_id,
      blockId: button.block_id,
      value: button.value,
      responseUrl,
      user: { id: userId },
    }),
  );
  if (res.status !== 200) throw new Error(`the click on "${label}" was answered ${res.status}`);
  const post = await to.slack.waitForResponseTo(responseUrl, 15_000);
  if (!post.ok) throw new Error(`the app's answer to "${label}" failed: ${JSON.stringify(post)}`);
  return post.body;
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
  let step = await harness.clickFor(answer, 'Rate yourself', { userId });
  for (const r of ratings) step = await harness.clickFor(step, SCALE_LABELS[r] ?? '', { userId });
  return step;
}
