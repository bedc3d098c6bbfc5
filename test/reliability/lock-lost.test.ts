import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { createLogger, LogLevel } from '../../src/log.js';
import { start } from '../../src/start.js';
import { it } from '../support/fixtures.js';

/**
 * An app that loses its lock on the data folder (deleted, or taken over by another copy after a long
 * pause) stops saving, logs why, and answers GET /healthz 503 `unavailable`, so the orchestrator
 * restarts it; /metrics says that the store is down.
 */

describe('the app after losing its data folder lock', () => {
  it('answers 503 `unavailable` on /healthz, and logs why once', async ({
    localSlack: slack,
    tempDir: dataDir,
    onTestFinished,
  }) => {
    const logs: string[] = [];
    const running = await start(
      {
        SLACK_BOT_TOKEN: slack.bot.token,
        SLACK_SIGNING_SECRET: 'locklosttestsecret0123',
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        FRAMEWORKS_CACHE_DIR: 'off',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        DATA_LOCK_STALE_SECONDS: '2',
      },
      createLogger(LogLevel.INFO, (line) => logs.push(line)),
    );
    onTestFinished(() => running.stop().catch(() => {}));
    const health = async () => {
      const res = await fetch(`http://127.0.0.1:${running.port}/healthz`);
      return `${res.status} ${await res.text()}`;
    };
    const metrics = async () => (await fetch(`http://127.0.0.1:${running.port}/metrics`)).text();
    expect(await health()).toBe('200 ok');
    expect(await metrics()).toContain('\ncompetency_store_up{store="lowdb"} 1\n');

    await rm(path.join(dataDir, 'competency.lock'), { recursive: true });
    await expect.poll(health, { timeout: 10_000 }).toBe('503 unavailable');
    expect(await health()).toBe('503 unavailable');
    expect(await metrics()).toContain('\ncompetency_store_up{store="lowdb"} 0\n');
    expect(logs.join('\n')).toContain(`lost its lock on the data folder ${dataDir}`);
    const why = logs.filter((line) =>
      line.includes(
        'Unavailable: GET /healthz answers 503 because the lowdb store cannot take changes: lost its lock on the data folder',
      ),
    );
    expect(why).toHaveLength(1);
  });
});
