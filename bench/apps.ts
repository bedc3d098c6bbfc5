import type { LocalSlack } from '../src/sandbox/local-slack.js';
import { slackSignature } from '../src/sandbox/signing.js';

/** How the benchmarks start the app and sign what they send it. */

export const SIGNING_SECRET = 'benchsigningsecret0123456789';
export const FORM = 'application/x-www-form-urlencoded';

/**
 * `node <APP_ARGS>` starts the real app as `npm start` does. BENCH_APP_ARGS adds Node options in
 * front, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where the app spends its time.
 */
export const APP_ARGS = [
  ...(process.env.BENCH_APP_ARGS?.split(' ').filter((a) => a.length > 0) ?? []),
  '--import',
  'tsx',
  'src/main.ts',
];

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
