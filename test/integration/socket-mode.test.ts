import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { App } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { createLogger, LogLevel } from '../../src/log.js';
import { assertValidMessage } from '../../src/sandbox/block-kit.js';
import { type LocalSlack, type ResponsePost, startLocalSlack } from '../../src/sandbox/local-slack.js';
import { blockActionPayload, slashCommandBody } from '../../src/sandbox/signing.js';
import {
  ACK_TIMEOUT_MS,
  type LocalSocketMode,
  type SocketAck,
  startLocalSocketMode,
} from '../../src/sandbox/socket-mode.js';
import { createSlackApp } from '../../src/slack/app.js';
import { createDeps } from '../../src/slack/deps.js';
import { DEFAULT_FILE_NAME, openLowdbStore } from '../../src/store/lowdb-store.js';
import type { Store } from '../../src/store/store.js';
import { buttons, findButton, textOf } from './harness.js';

const ALICE = 'U0ALICE0001';
const LABELS = ['', '1 · Basic', '2 · Developing', '3 · Proficient', '4 · Advanced', '5 · Expert'];

type Running = {
  slack: LocalSlack;
  socket: LocalSocketMode;
  store: Store;
  app: App;
  dataDir: string;
  logs: string[];
};

let running: Partial<Running> = {};

afterEach(async () => {
  const { app, store, socket, slack, dataDir } = running;
  running = {};
  // The app first: it sends its close frame, and closing the socket server before would make it reconnect.
  await app?.stop();
  await socket?.close();
  await store?.close();
  await slack?.close();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

/** The real app in Socket Mode, connected to a local Socket Mode server found through the local Slack. */
async function startSocketModeApp(): Promise<Running> {
  const slack = await startLocalSlack();
  running.slack = slack;
  const socket = await startLocalSocketMode();
  running.socket = socket;
  slack.useSocketMode(socket.url);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'competency-socket-'));
  running.dataDir = dataDir;
  const store = await openLowdbStore(dataDir);
  running.store = store;
  const catalog = new Catalog(await loadFrameworks([BUNDLED_FRAMEWORKS_DIR]));
  const config: Config = {
    mode: 'socket',
    botToken: slack.bot.token,
    appToken: slack.appToken,
    signingSecret: undefined,
    slackApiUrl: slack.apiUrl,
    databaseUrl: undefined,
    dataDir,
    frameworksDir: undefined,
    frameworksCacheDir: undefined,
    logLevel: 'info',
  };
  const logs: string[] = [];
  const app = createSlackApp({
    config,
    deps: createDeps(store, catalog),
    logger: createLogger(LogLevel.INFO, (line) => logs.push(line)),
    clientOptions: { retryConfig: { retries: 0 } },
  });
  running.app = app;
  await app.start();
  return { slack, socket, store, app, dataDir, logs };
}

/** Sends `/competency <text>` as Slack does over Socket Mode: the command's form fields, as JSON. */
function command(r: Running, text: string, responseUrl: string): Promise<SocketAck> {
  const fields = Object.fromEntries(
    new URLSearchParams(
      slashCommandBody({ command: '/competency', text, user_id: ALICE, response_url: responseUrl }),
    ),
  );
  return r.socket.send('slash_commands', fields);
}

/** Resolves with what the app posted to this response_url. */
function postedTo(slack: LocalSlack, url: string, timeoutMs = 5000): Promise<ResponsePost> {
  const now = slack.responses.find((post) => post.url === url);
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const onResponse = (post: ResponsePost) => {
      if (post.url !== url) return;
      clearTimeout(timer);
      slack.off('response', onResponse);
      resolve(post);
    };
    const timer = setTimeout(() => {
      slack.off('response', onResponse);
      reject(new Error(`nothing was posted to the response_url within ${timeoutMs} ms`));
    }, timeoutMs);
    slack.on('response', onResponse);
  });
}

/** Presses a button of a message over Socket Mode; returns the ack and what the app then posted to the click's response_url. */
async function press(
  r: Running,
  message: unknown,
  label: string,
): Promise<{ ack: SocketAck; posted: Record<string, unknown> }> {
  const button = findButton(message, label);
  const responseUrl = r.slack.newResponseUrl();
  const payload = blockActionPayload({
    actionId: button.action_id,
    blockId: button.block_id,
    value: button.value,
    responseUrl,
    user: { id: ALICE },
  });
  const ack = await r.socket.send('interactive', payload);
  const post = await postedTo(r.slack, responseUrl);
  if (!post.ok) throw new Error(`the app's post to the response_url failed: ${JSON.stringify(post)}`);
  return { ack, posted: post.body };
}

describe('Socket Mode, against a local Socket Mode server', () => {
  it('opens the connection through the configured Web API URL with the app-level token', async () => {
    const r = await startSocketModeApp();
    expect(r.socket.connections()).toBe(1);
    const opens = r.slack.calls.filter((call) => call.method === 'apps.connections.open');
    expect(opens).toHaveLength(1);
    expect(opens[0]?.ok).toBe(true);
    expect(opens[0]?.token).toBe(r.slack.appToken);
    // Everything else uses the bot token.
    const others = r.slack.calls.filter((call) => call.method !== 'apps.connections.open');
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((call) => call.token === r.slack.bot.token)).toBe(true);
  });

  it('reconnects when Slack asks it to, and keeps answering', async () => {
    const r = await startSocketModeApp();
    r.socket.disconnect('refresh_requested');
    // The client closes at once and opens a new connection after its reconnect delay (5 s by default).
    await r.slack.waitForCalls('apps.connections.open', 2, 10_000);
    await r.socket.waitForConnections(2, 5000);
    expect(r.socket.connections()).toBe(1);
    const ack = await command(r, 'list', r.slack.newResponseUrl());
    expect(textOf(ack.payload)).toContain('Solutions Architect');
  }, 20_000);

  it('answers the slash command in its ack and runs the whole rating flow', async () => {
    const r = await startSocketModeApp();

    const commandAck = await command(r, 'solutions-architect senior', r.slack.newResponseUrl());
    const answer = commandAck.payload;
    expect(answer).toBeDefined();
    assertValidMessage(answer);
    expect(answer?.response_type).toBe('ephemeral');
    expect(textOf(answer)).toContain('Expected at Senior');
    expect(buttons(answer).map((b) => b.text)).toContain('Rate yourself');

    // Rate yourself: an empty ack at once, then the first step through the click's response_url.
    const first = await press(r, answer, 'Rate yourself');
    expect(first.ack.payload ?? {}).toEqual({});
    let step = first.posted;
    expect(textOf(step)).toContain('1 of 8');

    const mine = [4, 5, 2, 4, 3, 2, 3, 1];
    for (const [i, rating] of mine.entries()) {
      expect(textOf(step)).toContain(`${i + 1} of 8`);
      step = (await press(r, step, LABELS[rating] ?? '')).posted;
    }
    const summary = textOf(step);
    expect(summary).toContain(
      '*5 of 8 at or above Senior expectations*: 1 above, 4 meet, 3 focus areas (two or more below). 1 already at or above Lead-Principal expectations.',
    );

    const data = JSON.parse(await readFile(path.join(r.dataDir, DEFAULT_FILE_NAME), 'utf8')) as {
      people: Record<string, { ratings: Record<string, Record<string, { value: unknown }>> }>;
    };
    const person = Object.entries(data.people).find(([key]) => key.endsWith(`:${ALICE}`))?.[1];
    expect(
      Object.values(person?.ratings['solutions-architect.e-commerce'] ?? {}).map((rt) => rt.value),
    ).toEqual(mine);

    // 1 command + Rate yourself + 8 ratings, each acknowledged within Slack's 3 seconds.
    expect(r.socket.deliveries).toHaveLength(10);
    for (const delivery of r.socket.deliveries) {
      expect(delivery.ackMs).toBeDefined();
      expect(delivery.ackMs ?? Number.POSITIVE_INFINITY).toBeLessThan(ACK_TIMEOUT_MS);
    }
    expect(r.logs.filter((line) => line.includes(' ERROR '))).toEqual([]);
  });
});
