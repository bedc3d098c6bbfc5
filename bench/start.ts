import type { LocalSlack } from '../src/sandbox/local-slack.js';
import { APP_ARGS, APP_VARIANT, appEnv, log, SOURCE_ARGS } from './apps.js';
import { type ProfileSummary, START_RULES, summariseProfiles } from './cpu-profile.js';
import { writeFrameworkCopies } from './frameworks.js';
import { freePort, median, removeTempDir, rssOf, spawnNode, tempDir, waitHealthy } from './support.js';

/**
 * 3. Time from spawn to the first `GET /healthz` 200 (polled every 10 ms), with 200 more frameworks
 * and with the bundled one only, for the app as measured everywhere else (the production build by
 * default); the same start from source with tsx (`npm start`) for reference; and one more start with
 * 200 frameworks under `--cpu-prof`, summarised by part (what takes the time).
 */

export const COPIES = 200;
export const START_TRIALS = 3;

type Variant = 'bundled' | 'copies' | 'source-copies';

async function startOnce(slack: LocalSlack, args: string[], frameworksDir: string | undefined) {
  const dataDir = await tempDir('start');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawnNode(
    'app (start)',
    args,
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

export async function startAndMemory(
  slack: LocalSlack,
  { trials = START_TRIALS, source = true, profile = true } = {},
) {
  const frameworksDir = await tempDir('frameworks');
  await writeFrameworkCopies(frameworksDir, COPIES);
  const variants: Variant[] = [
    'bundled',
    'copies',
    ...(source && APP_VARIANT === 'production' ? ['source-copies' as const] : []),
  ];
  const trialsRun: { variant: Variant; ms: number; frameworks: number; rssBytes: number }[] = [];
  for (let i = 0; i < trials; i++) {
    for (const variant of variants) {
      log(
        `start: ${variant === 'bundled' ? 'bundled framework only' : `${COPIES} more frameworks${variant === 'source-copies' ? ', from source (tsx)' : ''}`} (${i + 1}/${trials})`,
      );
      const args = variant === 'source-copies' ? SOURCE_ARGS : APP_ARGS;
      const trial = await startOnce(slack, args, variant === 'bundled' ? undefined : frameworksDir);
      const want = variant === 'bundled' ? 1 : COPIES + 1;
      if (trial.frameworks !== want)
        throw new Error(`the app loaded ${trial.frameworks} frameworks, expected ${want}`);
      trialsRun.push({ variant, ...trial });
    }
  }

  // One more start with 200 frameworks, profiled.
  let profiled: ProfileSummary | undefined;
  if (profile) {
    log(`start: ${COPIES} more frameworks, under --cpu-prof`);
    const profileDir = await tempDir('start-profile');
    await startOnce(slack, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...APP_ARGS], frameworksDir);
    profiled = (await summariseProfiles(profileDir, START_RULES)).sort((a, b) => b.busyMs - a.busyMs)[0];
    await removeTempDir(profileDir);
  }
  await removeTempDir(frameworksDir);

  const of = (variant: Variant) => {
    const ms = trialsRun.filter((t) => t.variant === variant).map((t) => t.ms);
    return {
      medianMs: median(ms),
      minMs: Math.min(...ms),
      maxMs: Math.max(...ms),
      rssBytes: median(trialsRun.filter((t) => t.variant === variant).map((t) => t.rssBytes)),
    };
  };
  return {
    copies: COPIES,
    withCopies: of('copies'),
    bundledOnly: of('bundled'),
    fromSourceWithCopies: variants.includes('source-copies') ? of('source-copies') : undefined,
    profile: profiled,
    trials: trialsRun,
  };
}
