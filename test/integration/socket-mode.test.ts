import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { App } from '@slack/bolt';
import { describe, expect } from 'vitest';
import type { Config } from '../../src/config.js';
import { Catalog } from '../../src/frameworks/catalog.js';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { createLogger, LogLevel } from '../../src/log.js';
import type { LocalSlack, ResponsePost } from '../../src/sandbox/local-slack.js';
import { slashCommandBody } from '../../src/sandbox/signing.js';
import { createSlackApp } from '../../src/slack/app.js';
import { createDeps } from '../../src/slack/deps.js';
import { DEFAULT_FILE_NAME, openFileStore } from '../../src/store/file/open.js';
import type { Store } from '../../src/store/store.js';
import { assertValidMessage } from '../support/block-kit.js';
import { test } from '../support/fixtures.js';
import { type LocalSocketMode, type SocketAck, startLocalSocketMode } from '../support/local-socket-mode.js';
import { buttons, pressOverSocket, textOf } from './harness.js';

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

/**
 * The real app in Socket Mode, connected to a local Socket Mode server found through the local Slack;
 * stopped after the test, before the local Slack and the data folder go.
 */
const it = test.extend('socketModeApp', async ({ localSlack: slack, tempDir: dataDir }, { onCleanup }) => {
  const running: Partial<Running> = {};
  onCleanup(async () => {
    // The app first: it sends its close frame, and closing the socket server before would make it reconnect.
    await running.app?.stop();
    await running.socket?.close();
    await running.store?.close();
  });
  const socket = await startLocalSocketMode();
  running.socket = socket;
  slack.useSocketMode(socket.url);
  const store = await openFileStore(dataDir);
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
  const { app } = createSlackApp({
    config,
    deps: createDeps(store, catalog),
    logger: createLogger(LogLevel.INFO, (line) => logs.push(line)),
    clientOptions: { retryConfig: { retries: 0 } },
  });
  running.app = app;
  await app.start();
  return { slack, socket, store, app, dataDir, logs } satisfies Running;
});

/** Sends `/competency <text>` as Slack does over Socket Mode: the command's form fields, as JSON. */
function command(r: Running, text: string, responseUrl: string): Promise<SocketAck> {
  const fields = Object.fromEntries(
    new URLSearchParams(
      slashCommandBody({ command: '/competency', text, user_id: ALICE, response_url: responseUrl }),
    ),
  );
  return r.socket.send('slash_commands', fields);
}

describe('Socket Mode, against a local Socket Mode server', () => {
  it('opens the connection through the configured Web API URL with the app-level token', async ({
    socketModeApp: r,
  }) => {
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

  it('reconnects when Slack asks it to, and keeps answering', async ({ socketModeApp: r }) => {
    r.socket.disconnect('refresh_requested');
    // The client closes at once and opens a new connection after its reconnect delay (5 s by default).
    await r.slack.waitForCalls('apps.connections.open', 2, 10_000);
    await r.socket.waitForConnections(2, 5000);
    expect(r.socket.connections()).toBe(1);
    const ack = await command(r, 'list', r.slack.newResponseUrl());
    expect(textOf(ack.payload)).toContain('Solutions Architect');
  }, 20_000);

  it('answers the slash command in its ack and runs the whole rating flow', async ({ socketModeApp: r }) => {
    // For each answer posted to a response_url: whether the envelope that carried that response_url
    // had been acknowledged by then (Slack shows an error when the ack is late; the work comes after it).
    const ackedBeforeAnswer: boolean[] = [];
    r.slack.on('response', (post: ResponsePost) => {
      const delivery = r.socket.deliveries.find((d) => d.responseUrl === post.url);
      ackedBeforeAnswer.push(delivery?.acked ?? false);
    });
    const commandAck = await command(r, 'solutions-architect senior', r.slack.newResponseUrl());
    const answer = commandAck.payload;
    expect(answer).toBeDefined();
    assertValidMessage(answer);
    expect(answer?.response_type).toBe('ephemeral');
    expect(textOf(answer)).toContain('Expected at Senior');
    expect(buttons(answer).map((b) => b.text)).toContain('Rate yourself');

    // Rate yourself: an empty ack at once, then the first step through the click's response_url.
    const first = await pressOverSocket(r, answer, 'Rate yourself', ALICE);
    expect(first.ack.payload ?? {}).toEqual({});
    let step = first.answer;
    expect(textOf(step)).toContain('1 of 8');

    const mine = [4, 5, 2, 4, 3, 2, 3, 1];
    for (const [i, rating] of mine.entries()) {
      expect(textOf(step)).toContain(`${i + 1} of 8`);
      step = (await pressOverSocket(r, step, LABELS[rating] ?? '', ALICE)).answer;
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

    // 1 command + Rate yourself + 8 ratings, each acknowledged (within Slack's 3 seconds, or the
    // local Socket Mode server would have failed the send); each click acknowledged before its answer.
    expect(r.socket.deliveries).toHaveLength(10);
    expect(r.socket.deliveries.every((d) => d.acked)).toBe(true);
    expect(ackedBeforeAnswer).toEqual(Array.from({ length: 9 }, () => true));
    expect(r.logs.filter((line) => line.includes(' ERROR '))).toEqual([]);
  });
});
