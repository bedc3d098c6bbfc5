import type { LocalSlack } from '../src/sandbox/local-slack.js';
import { APP_ARGS, appEnv, log } from './apps.js';
import { writeFrameworkCopies } from './frameworks.js';
import { freePort, median, removeTempDir, rssOf, spawnNode, tempDir, waitHealthy } from './support.js';

/** 3. Time from spawn to the first `GET /healthz` 200, with 200 more frameworks and with the bundled one only. */

export const COPIES = 200;
export const START_TRIALS = 3;

async function startOnce(slack: LocalSlack, frameworksDir: string | undefined) {
  const dataDir = await tempDir('start');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawnNode(
    'app (start)',
    APP_ARGS,
    appEnv(slack, port, dataDir, frameworksDir ? { FRAMEWORKS_DIR: frameworksDir } : {}),
  );
  try {
    const ready = await waitHealthy(baseUrl, child, { intervalMs: 10, timeoutMs: 120_000 });
    const ms = performance.now() - t0;
    const rssBytes = await rssOf(child.pid);
    return { ms, frameworks: Number(ready.frameworks), rssBytes: rssBytes ?? Number.NaN };
  } finally {
    await child.stop();
    await removeTempDir(dataDir);
  }
}

export async function startAndMemory(slack: LocalSlack) {
  const frameworksDir = await tempDir('frameworks');
  await writeFrameworkCopies(frameworksDir, COPIES);
  const trials: { variant: 'bundled' | 'copies'; ms: number; frameworks: number; rssBytes: number }[] = [];
  for (let i = 0; i < START_TRIALS; i++) {
    for (const variant of ['bundled', 'copies'] as const) {
      log(
        `start: ${variant === 'bundled' ? 'bundled framework only' : `${COPIES} more frameworks`} (${i + 1}/${START_TRIALS})`,
      );
      const trial = await startOnce(slack, variant === 'copies' ? frameworksDir : undefined);
      const want = variant === 'copies' ? COPIES + 1 : 1;
      if (trial.frameworks !== want)
        throw new Error(`the app loaded ${trial.frameworks} frameworks, expected ${want}`);
      trials.push({ variant, ...trial });
    }
  }
  await removeTempDir(frameworksDir);
  const of = (variant: 'bundled' | 'copies') => trials.filter((t) => t.variant === variant);
  return {
    copies: COPIES,
    withCopies: {
      medianMs: median(of('copies').map((t) => t.ms)),
      rssBytes: median(of('copies').map((t) => t.rssBytes)),
    },
    bundledOnly: {
      medianMs: median(of('bundled').map((t) => t.ms)),
      rssBytes: median(of('bundled').map((t) => t.rssBytes)),
    },
    trials,
  };
}
