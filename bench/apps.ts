import { readFileSync, rmSync } from 'node:fs';
import { cp, mkdir, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { transformFile } from '@swc/core';
import type { LocalSlack } from '../src/sandbox/local-slack.js';
import { slackSignature } from '../src/sandbox/signing.js';
import { ROOT, runNode } from './support.js';

/** How the benchmarks start the app and sign what they send it. */

export const SIGNING_SECRET = 'benchsigningsecret0123456789';
export const FORM = 'application/x-www-form-urlencoded';

/**
 * How the app under test is started. By default the production build, as it is deployed: what
 * `npm run start:production` runs (`node --enable-source-maps --max-semi-space-size=8 dist/main.js`), built by
 * ensureBuild() at the start of every bench run. BENCH_APP=source measures `tsx src/main.ts` (what
 * `npm start` runs) instead. BENCH_APP_ARGS adds Node options in front, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where the app spends its time.
 */
export const APP_VARIANT: 'production' | 'source' =
  process.env.BENCH_APP === 'source' ? 'source' : 'production';
/**
 * Where the bench builds the app: a folder of its own, laid out as a deployment is (dist/ beside links
 * to frameworks/ and node_modules/, and package.json), so that a bench run never measures, nor
 * removes, a dist/ that someone else is building or running from the same tree. BENCH_SKIP_BUILD=1
 * measures the project's own dist/ as it is (or, with BENCH_BUILD_ROOT, the dist/ of a folder laid out so:
 * an earlier build, to compare).
 */
const BUILD_ROOT =
  process.env.BENCH_SKIP_BUILD === '1'
    ? (process.env.BENCH_BUILD_ROOT ?? ROOT)
    : path.join(os.tmpdir(), `competency-bench-build-${process.pid}`);
/**
 * The Node options of `npm run start:production` (package.json), read from there so that the bench
 * always starts the app as a deployment does: `exec node <options> dist/main.js`.
 */
function productionArgs(): string[] {
  const scripts = (
    JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const words = (scripts['start:production'] ?? '').split(' ').filter((w) => w.length > 0);
  const main = words.indexOf('dist/main.js');
  if (words[0] !== 'exec' || words[1] !== 'node' || main < 0) {
    throw new Error(
      `package.json's start:production is not \`exec node … dist/main.js\`: ${words.join(' ')}`,
    );
  }
  return [...words.slice(2, main), path.relative(ROOT, path.join(BUILD_ROOT, 'dist', 'main.js'))];
}
const PRODUCTION_ARGS = productionArgs();
/** The Node options alone (`--enable-source-maps --max-semi-space-size=8`), which the baselines get too. */
const NODE_OPTIONS = PRODUCTION_ARGS.slice(0, -1);
export const SOURCE_ARGS = ['--import', 'tsx', 'src/main.ts'];
export const APP_ARGS = [
  ...(process.env.BENCH_APP_ARGS?.split(' ').filter((a) => a.length > 0) ?? []),
  ...(APP_VARIANT === 'source' ? SOURCE_ARGS : PRODUCTION_ARGS),
];
/** How the app under test was started, for the report. */
export const APP_COMMAND = `node ${APP_ARGS.join(' ')}`;

/** `npm run build` (scripts/build.js): dist/ from the current src/, so the bench never measures an old build. */
export async function ensureBuild(): Promise<void> {
  if (APP_VARIANT !== 'production' || process.env.BENCH_SKIP_BUILD === '1') return;
  const dist = path.join(BUILD_ROOT, 'dist');
  log(`building the production app: node scripts/build.js ${dist}`);
  process.once('exit', () => rmSync(BUILD_ROOT, { recursive: true, force: true }));
  await runNode('build', ['scripts/build.js', dist], {});
  await symlink(path.join(ROOT, 'frameworks'), path.join(BUILD_ROOT, 'frameworks'), 'dir');
  await symlink(path.join(ROOT, 'node_modules'), path.join(BUILD_ROOT, 'node_modules'), 'dir');
  await cp(path.join(ROOT, 'package.json'), path.join(BUILD_ROOT, 'package.json'));
}

/**
 * The baselines (minimal-app.ts, same-job-app.ts) as plain JavaScript, as the app is measured: run
 * through tsx, each would carry tsx's loader (a thread of its own, some 20–30 MB) that the app, run
 * from dist/, does not. Compiled once per run with swc (types stripped, nothing else changed) into
 * node_modules/.cache/competency-bench/, where `@slack/bolt` and `pg` resolve as from bench/.
 * Returns the Node arguments that start it, with the Node options the app is started with.
 */
const compiled = new Map<string, Promise<string[]>>();
export function baselineArgs(name: 'minimal-app' | 'same-job-app'): Promise<string[]> {
  let args = compiled.get(name);
  if (!args) {
    args = (async () => {
      const out = path.join(ROOT, 'node_modules', '.cache', 'competency-bench', `${name}.mjs`);
      const { code } = await transformFile(path.join(ROOT, 'bench', `${name}.ts`), {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
        sourceMaps: false,
      });
      await mkdir(path.dirname(out), { recursive: true });
      await writeFile(out, code);
      // The same Node options as the app: a V8 setting of the app's deployment is not the app's merit.
      return [...NODE_OPTIONS, out];
    })();
    compiled.set(name, args);
  }
  return args;
}

/**
 * The frameworks cache of the apps a bench run starts: a folder of the run's own (in its build folder), as
 * a deployment has its own node_modules/.cache. The default, the project's node_modules/.cache, is shared
 * with every test run and bench on this tree, and holds one build's entries at a time: an app started
 * after another build wrote it parses every framework again (and keeps the YAML parser loaded), which
 * varied an instance's memory by several MB from one run to the next. The first start of a run (the
 * answers for the baselines) fills it. With BENCH_SKIP_BUILD, the default.
 */
const FRAMEWORKS_CACHE_DIR =
  process.env.BENCH_SKIP_BUILD === '1' ? undefined : path.join(BUILD_ROOT, 'frameworks-cache');

export function appEnv(
  slack: LocalSlack,
  port: number,
  dataDir: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: slack.bot.token,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...(FRAMEWORKS_CACHE_DIR === undefined ? {} : { FRAMEWORKS_CACHE_DIR }),
    ...extra,
  };
}

/** Headers of a request signed now (Slack refuses signatures older than 5 minutes). */
export function signedHeaders(body: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    'content-type': FORM,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(SIGNING_SECRET, timestamp, body),
  };
}

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}
