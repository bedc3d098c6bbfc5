import type { LocalSlack } from '../src/sandbox/local-slack.js';
import { slackSignature } from '../src/sandbox/signing.js';
import { runNode } from './support.js';

/** How the benchmarks start the app and sign what they send it. */

export const SIGNING_SECRET = 'benchsigningsecret0123456789';
export const FORM = 'application/x-www-form-urlencoded';

/**
 * How the app under test is started. By default the production build, as it is deployed:
 * `node --enable-source-maps dist/main.js` (what `npm run start:production` runs), built by
 * ensureBuild() at the start of every bench run. BENCH_APP=source measures `tsx src/main.ts` (what
 * `npm start` runs) instead. BENCH_APP_ARGS adds Node options in front, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where the app spends its time.
 */
export const APP_VARIANT: 'production' | 'source' =
  process.env.BENCH_APP === 'source' ? 'source' : 'production';
const PRODUCTION_ARGS = ['--enable-source-maps', 'dist/main.js'];
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
  log('building the production app: node scripts/build.js (dist/)');
  await runNode('build', ['scripts/build.js'], {});
}

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
