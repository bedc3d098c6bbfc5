import path from 'node:path';
import { describe, expect, onTestFinished } from 'vitest';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { createLogger, LogLevel } from '../../src/log.js';
import { sendInteraction } from '../../src/sandbox/signing.js';
import { start } from '../../src/start.js';
import { firstRatingClick } from '../fixtures/runs.js';
import { test } from '../support/fixtures.js';
import { startLocalSocketMode } from '../support/local-socket-mode.js';
import { sessionOf, startHoldingSlack, storedRatings, users, writeJustStarted } from './stopping.js';

const SECRET = 'stoppingtestsecret012345';

/**
 * A stop, with the app in this process (`start`, as main.ts runs it): in Socket Mode, and when a
 * request never finishes. Through npm and signals: main-process.test.ts, production-build.test.ts.
 */
const it = test.extend('socket', async ({ localSlack }, { onCleanup }) => {
  const socket = await startLocalSocketMode();
  localSlack.useSocketMode(socket.url);
  onCleanup(() => socket.close());
  return socket;
});

/** The bundled framework the runs are of. */
async function saFramework() {
  const framework = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).find(
    (f) => f.id === 'solutions-architect.e-commerce',
  );
  if (!framework) throw new Error('no bundled framework');
  return framework;
}

describe('stopping the app', () => {
  /*
   * In Socket Mode Slack delivers envelopes over a connection the app opened: once stopping, the app
   * takes no new envelope (it leaves it unacknowledged, so Slack delivers it again), keeps the
   * connection open while the ones it acknowledged finish (their acknowledgements and answers may
   * still need it), and only then disconnects and closes the store.
   */
  it('in Socket Mode takes no new envelope, finishes the acknowledged ones, then disconnects', async ({
    localSlack,
    socket,
    tempDir,
  }) => {
    const framework = await saFramework();
    const dataDir = path.join(tempDir, 'data');
    const people = users('SOCKET', 10);
    const late = 'U0SOCKETLATE';
    await writeJustStarted(dataDir, framework, [...people, late]);
    // Slack takes the answers, and holds them until the test lets them through.
    const slow = await startHoldingSlack();
    onTestFinished(() => slow.close());

    const logs: string[] = [];
    const running = await start(
      {
        SLACK_BOT_TOKEN: localSlack.bot.token,
        SLACK_APP_TOKEN: localSlack.appToken,
        SLACK_API_URL: localSlack.apiUrl,
        DATA_DIR: dataDir,
        FRAMEWORKS_CACHE_DIR: path.join(tempDir, 'frameworks-cache'),
      },
      createLogger(LogLevel.INFO, (line) => logs.push(line)),
    );
    let stopping: Promise<void> | undefined;
    onTestFinished(() => stopping ?? running.stop());
    await socket.waitForConnections(1);

    const clickOf = (user: string) =>
      firstRatingClick(framework, {
        userId: user,
        sessionId: sessionOf(user),
        responseUrl: slow.responseUrl(user),
      });
    await Promise.all(people.map((user) => socket.send('interactive', clickOf(user))));
    // Each rating is saved and its answer is on its way, held by Slack.
    await slow.holding(people.length);

    stopping = running.stop();
    let lateAcknowledged = false;
    socket.send('interactive', clickOf(late)).then(
      () => {
        lateAcknowledged = true;
      },
      () => undefined,
    );
    await expect.poll(() => logs.join('\n')).toContain('left a block_actions unacknowledged');
    // Still connected while the acknowledged ones finish.
    expect(socket.connections()).toBe(1);

    slow.release();
    await stopping;
    expect(slow.held.map((post) => post.user).sort()).toEqual([...people].sort());
    expect(slow.held.filter((post) => post.cut)).toEqual([]);
    // The late click was never acknowledged, and now cannot be: the app has disconnected (an
    // acknowledgement sent before would have arrived before the connection closed).
    await expect.poll(() => socket.connections()).toBe(0);
    expect(lateAcknowledged).toBe(false);
    const stored = await storedRatings({ dataDir, framework }, [...people, late]);
    expect(people.filter((user) => stored.get(user) !== 4)).toEqual([]);
    expect(stored.get(late)).toBeUndefined();
  });

  it('waits for a request that never finishes only so long: then stops anyway, and says so', async ({
    localSlack,
    tempDir,
  }) => {
    const framework = await saFramework();
    const dataDir = path.join(tempDir, 'data');
    const user = 'U0NEVERDONE1';
    await writeJustStarted(dataDir, framework, [user]);
    const slow = await startHoldingSlack();
    onTestFinished(() => slow.close());
    const logs: string[] = [];
    const running = await start(
      {
        SLACK_BOT_TOKEN: localSlack.bot.token,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: localSlack.apiUrl,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        FRAMEWORKS_CACHE_DIR: path.join(tempDir, 'frameworks-cache'),
      },
      createLogger(LogLevel.INFO, (line) => logs.push(line)),
      // A short wait: the answer below is held until after the stop, however long it waits.
      { stopWaitMs: 200 },
    );
    let stopping: Promise<void> | undefined;
    onTestFinished(() => stopping ?? running.stop());
    const payload = firstRatingClick(framework, {
      userId: user,
      sessionId: sessionOf(user),
      responseUrl: slow.responseUrl(user),
    });
    const res = await sendInteraction(`http://127.0.0.1:${running.port}/slack/events`, SECRET, payload);
    expect(res.status).toBe(200);
    // Saved; its answer is on its way, and Slack holds it.
    await slow.holding(1);

    stopping = running.stop();
    await stopping;
    expect(logs.join('\n')).toContain('1 request(s) still unfinished after 0.2 s; stopping anyway');
    expect(logs.join('\n')).toContain('Stopped');
    // The store was closed and the folder given up: the next start finds the rating.
    const stored = await storedRatings({ dataDir, framework }, [user]);
    expect(stored.get(user)).toBe(4);
    slow.release();
  });
});
