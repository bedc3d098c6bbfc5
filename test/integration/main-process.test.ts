import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import type { LocalSlack } from '../../src/sandbox/local-slack.js';
import { test } from '../support/fixtures.js';
import { startUnderNpm } from './app-process.js';
import { expectBurstSurvivesSignal, expectSecondSignalWaits, type StopSetup } from './stopping.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

type Result = { code: number | null; stdout: string; stderr: string };

type Started = { child: ChildProcess; done: Promise<Result>; output: () => string };

/**
 * Runs `npm start`'s entry point as its own process, with only the environment given; what a test
 * started and is still running is killed after it, even when it fails. The data folder is one of the
 * file's own unless a test gives DATA_DIR: never the repository's `data/`.
 */
const it = test.extend('startMain', async ({ sharedTempDir }, { onCleanup }) => {
  const children = new Set<ChildProcess>();
  onCleanup(() => {
    for (const child of children) child.kill('SIGKILL');
  });
  return (env: Record<string, string>) => {
    const started = startMain({ DATA_DIR: path.join(sharedTempDir, 'data'), ...env });
    children.add(started.child);
    started.child.on('exit', () => children.delete(started.child));
    return started;
  };
});

function startMain(env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    // No frameworks cache unless a test gives one: never the repository's, which `npm start` uses.
    env: { PATH: process.env.PATH ?? '', FRAMEWORKS_CACHE_DIR: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<Result>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done, output: () => stdout + stderr };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('starting the app as a process', () => {
  let slack: LocalSlack;
  let tmp: string;
  it.beforeAll(({ sharedLocalSlack, sharedTempDir }) => {
    slack = sharedLocalSlack;
    tmp = sharedTempDir;
  });

  it('with no Slack tokens, starts the local sandbox on 127.0.0.1 and says how to connect Slack instead', async ({
    startMain,
  }) => {
    const running = startMain({ PORT: '0', DATA_DIR: path.join(tmp, 'sandbox-data') });
    await waitFor(() => /Open http:\/\/127\.0\.0\.1:\d+/.test(running.output()), 'the sandbox banner');
    const out = running.output();
    expect(out).toContain('no Slack workspace needed');
    expect(out).toContain('"Connect it to Slack" in README.md');
    expect(out).toContain(path.join(tmp, 'sandbox-data', 'competency-data.json'));
    const url = out.match(/Open (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const answer = await fetch(`${url}/sandbox/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'U0SAMRIVERA', text: 'sa senior' }),
    });
    expect(await answer.json()).toEqual({ ok: true });
    running.child.kill('SIGTERM');
    expect((await running.done).code).toBe(0);
    expect(running.output()).not.toMatch(/\n\s+at /);
  });

  it('with a malformed configuration, names each problem on its own line and does not start', async ({
    startMain,
  }) => {
    const { code, stderr } = await startMain({
      SLACK_BOT_TOKEN: 'not-a-bot-token',
      SLACK_SIGNING_SECRET: 'abcdef0123456789',
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
    }).done;
    expect(code).toBe(1);
    expect(stderr).toMatch(/^\s*SLACK_BOT_TOKEN .*xoxb-/m);
    expect(stderr).toMatch(/^\s*PORT .*port number/m);
    expect(stderr).toMatch(/^\s*LOG_LEVEL .*debug, info, warn, error/m);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('with a broken framework in FRAMEWORKS_DIR, names the file and line and does not start', async ({
    startMain,
  }) => {
    const dir = path.join(tmp, 'broken');
    await (await import('node:fs/promises')).mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'broken.yml'), 'role:\n  id: broken\n  name: [unclosed\n');
    const { code, stderr } = await startMain({
      SLACK_BOT_TOKEN: slack.bot.token,
      SLACK_SIGNING_SECRET: 'abcdef0123456789',
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      FRAMEWORKS_DIR: dir,
    }).done;
    expect(code).toBe(1);
    expect(stderr).toContain('broken.yml:');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('in HTTP mode on a port already in use, says so plainly and does not start', async ({ startMain }) => {
    const { createServer } = await import('node:net');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const { code, stderr } = await startMain({
        SLACK_BOT_TOKEN: slack.bot.token,
        SLACK_SIGNING_SECRET: 'abcdef0123456789',
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: path.join(tmp, 'busy-port'),
      }).done;
      expect(code).toBe(1);
      expect(stderr).toContain(`Port ${port} is already in use`);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      busy.close();
    }
  });

  it('in HTTP mode serves /healthz, and on SIGTERM stops cleanly with exit 0', async ({ startMain }) => {
    const running = startMain({
      SLACK_BOT_TOKEN: slack.bot.token,
      SLACK_SIGNING_SECRET: 'abcdef0123456789',
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      HOST: '127.0.0.1',
    });
    await waitFor(
      () => /Listening in HTTP mode on 127\.0\.0\.1:\d+/.test(running.output()),
      'the app to listen',
    );
    const port = running.output().match(/127\.0\.0\.1:(\d+)/)?.[1];
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    const bundled = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).length;
    expect(running.output()).toContain(`Loaded ${bundled} framework(s)`);
    expect(running.output()).not.toContain(slack.bot.token);

    running.child.kill('SIGTERM');
    const { code } = await running.done;
    expect(code).toBe(0);
    expect(running.output()).toContain('Stopped');
  });

  it('LOG_LEVEL=warn keeps the everyday lines out of the log', async ({ startMain }) => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    await new Promise<void>((resolve) => busy.close(() => resolve()));
    const running = startMain({
      SLACK_BOT_TOKEN: slack.bot.token,
      SLACK_SIGNING_SECRET: 'abcdef0123456789',
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    let healthy = false;
    await waitFor(() => {
      fetch(`http://127.0.0.1:${port}/healthz`).then(
        (res) => {
          healthy ||= res.status === 200;
        },
        () => {},
      );
      return healthy;
    }, 'the app to answer /healthz');
    running.child.kill('SIGTERM');
    expect((await running.done).code).toBe(0);
    expect(running.output()).not.toContain(' INFO ');
    expect(running.output()).not.toContain('Listening in HTTP mode');
  });
});

/**
 * `npm start` as people run it: npm runs the script through `sh -c`, so the script must `exec` node
 * for the app to be npm's own child, which is what npm passes a signal on to. Ctrl-C in a terminal
 * and systemd signal the whole process group (npm and the app each get it); a supervisor that runs
 * `npm start` signals npm alone.
 */
describe('stopping `npm start` while people are clicking', () => {
  const stopIt = it.extend(
    'setup',
    async ({ sharedLocalSlack, tempDir }, { onCleanup }): Promise<StopSetup> => {
      const framework = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).find(
        (f) => f.id === 'solutions-architect.e-commerce',
      );
      if (!framework) throw new Error('no bundled framework');
      return {
        slack: sharedLocalSlack,
        framework,
        dataDir: path.join(tempDir, 'data'),
        start: (env) => startUnderNpm('start', ROOT, env, onCleanup),
      };
    },
  );

  stopIt.for([
    ['SIGTERM', 'group'],
    ['SIGINT', 'group'],
    ['SIGTERM', 'parent'],
    ['SIGINT', 'parent'],
  ] as const)(
    '%s to the %s in the middle of 200 clicks: every acknowledged click saved and answered, later ones refused, exit 0, folder unlocked',
    async ([signal, target], { setup }) => {
      await expectBurstSurvivesSignal(setup, { signal, target });
    },
  );

  stopIt(
    'Ctrl-C after SIGTERM does not cut the stop short: the answers on their way are delivered',
    async ({ setup }) => {
      await expectSecondSignalWaits(setup, { first: 'SIGTERM', second: 'SIGINT', target: 'group' });
    },
  );
});
