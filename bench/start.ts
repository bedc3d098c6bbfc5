import type { LocalSlack } from '../src/sandbox/local-slack.js';
import { APP_ARGS, APP_VARIANT, appEnv, log, SOURCE_ARGS } from './apps.js';
import { type ProfileSummary, START_RULES, summariseProfiles } from './cpu-profile.js';
import { writeFrameworkCopies } from './frameworks.js';
import {
  freePort,
  median,
  metricValue,
  removeTempDir,
  rssOf,
  spawnNode,
  tempDir,
  waitHealthy,
} from './support.js';

/**
 * 3. Time from spawn to the first `GET /healthz` 200 (polled every 10 ms), with 200 and with 500 more
 * frameworks and with the bundled ones only, for the app as measured everywhere else (the production
 * build by default); the same start from source with tsx (`npm start`) for reference; and one more
 * start with 500 frameworks under `--cpu-prof`, summarised by part (what takes the time).
 */

export const COPIES = 200;
/** The larger catalog: "with 500 frameworks loaded, lookup under 1 ms, start under 1 s". */
export const LARGE_COPIES = 500;
const START_TRIALS = 3;

type Variant = 'bundled' | 'copies' | 'copies-cold' | 'source-copies' | 'copies-large';

/**
 * One start. `cacheDir` is the frameworks cache the app uses: one shared by every start (a restart,
 * where the files were read before) or, for a first start, a new empty folder.
 */
async function startOnce(
  slack: LocalSlack,
  args: string[],
  frameworksDir: string | undefined,
  cacheDir: string | 'empty',
) {
  const dataDir = await tempDir('start');
  const emptyCache = cacheDir === 'empty' ? await tempDir('frameworks-cache') : undefined;
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawnNode(
    'app (start)',
    args,
    appEnv(slack, port, dataDir, {
      FRAMEWORKS_CACHE_DIR: emptyCache ?? cacheDir,
      ...(frameworksDir ? { FRAMEWORKS_DIR: frameworksDir } : {}),
    }),
  );
  try {
    await waitHealthy(baseUrl, child, { intervalMs: 10, timeoutMs: 120_000 });
    const ms = performance.now() - t0;
    const rssBytes = await rssOf(child.pid);
    const frameworks = await metricValue(baseUrl, 'competency_frameworks');
    return { ms, frameworks, rssBytes: rssBytes ?? Number.NaN };
  } finally {
    await child.stop();
    await removeTempDir(dataDir);
    if (emptyCache) await removeTempDir(emptyCache);
  }
}

export async function startAndMemory(
  slack: LocalSlack,
  { trials = START_TRIALS, source = true, profile = true } = {},
) {
  const frameworksDir = await tempDir('frameworks');
  await writeFrameworkCopies(frameworksDir, COPIES);
  const largeDir = await tempDir('frameworks-large');
  await writeFrameworkCopies(largeDir, LARGE_COPIES);
  const variants: Variant[] = [
    'bundled',
    'copies',
    'copies-large',
    'copies-cold',
    ...(source && APP_VARIANT === 'production' ? ['source-copies' as const] : []),
  ];
  const argsOf = (variant: Variant) => (variant === 'source-copies' ? SOURCE_ARGS : APP_ARGS);
  const frameworksOf = (variant: Variant) =>
    variant === 'bundled' ? undefined : variant === 'copies-large' ? largeDir : frameworksDir;
  const copiesOf = (variant: Variant) =>
    variant === 'bundled' ? 0 : variant === 'copies-large' ? LARGE_COPIES : COPIES;
  // The restarts of each variant share a frameworks cache of their own (a cache keeps the files
  // of one set of folders, read by one form of the code), filled by a start that is not counted.
  const cacheOf = new Map<Variant, string>();
  for (const variant of variants) {
    if (variant === 'copies-cold') continue;
    const cacheDir = await tempDir('frameworks-cache');
    await startOnce(slack, argsOf(variant), frameworksOf(variant), cacheDir);
    cacheOf.set(variant, cacheDir);
  }
  const trialsRun: { variant: Variant; ms: number; frameworks: number; rssBytes: number }[] = [];
  for (let i = 0; i < trials; i++) {
    for (const variant of variants) {
      log(
        `start: ${variant === 'bundled' ? 'bundled frameworks only' : `${copiesOf(variant)} more frameworks${variant === 'source-copies' ? ', from source (tsx)' : variant === 'copies-cold' ? ', first start (empty frameworks cache)' : ''}`} (${i + 1}/${trials})`,
      );
      const trial = await startOnce(
        slack,
        argsOf(variant),
        frameworksOf(variant),
        cacheOf.get(variant) ?? 'empty',
      );
      // The bundled frameworks are loaded too: as many as a start with none added loads.
      const bundled = trialsRun.find((t) => t.variant === 'bundled')?.frameworks ?? trial.frameworks;
      const want = variant === 'bundled' ? bundled : bundled + copiesOf(variant);
      if (trial.frameworks !== want)
        throw new Error(`the app loaded ${trial.frameworks} frameworks, expected ${want}`);
      trialsRun.push({ variant, ...trial });
    }
  }

  // One more start with 500 frameworks, profiled.
  let profiled: ProfileSummary | undefined;
  if (profile) {
    log(`start: ${LARGE_COPIES} more frameworks, under --cpu-prof`);
    const profileDir = await tempDir('start-profile');
    await startOnce(
      slack,
      ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...APP_ARGS],
      largeDir,
      cacheOf.get('copies-large') ?? 'empty',
    );
    profiled = (await summariseProfiles(profileDir, START_RULES)).sort((a, b) => b.busyMs - a.busyMs)[0];
    await removeTempDir(profileDir);
  }
  await removeTempDir(frameworksDir);
  await removeTempDir(largeDir);
  for (const cacheDir of cacheOf.values()) await removeTempDir(cacheDir);

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
    largeCopies: LARGE_COPIES,
    withCopies: of('copies'),
    withLargeCopies: of('copies-large'),
    withCopiesFirstStart: of('copies-cold'),
    bundledOnly: of('bundled'),
    fromSourceWithCopies: variants.includes('source-copies') ? of('source-copies') : undefined,
    profile: profiled,
    trials: trialsRun,
  };
}
