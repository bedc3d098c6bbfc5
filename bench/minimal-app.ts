import { App, LogLevel } from '@slack/bolt';

/**
 * The baseline for the command benchmark: the least a Bolt app in HTTP mode can do for
 * `/competency` (verify the signature, parse the form, acknowledge), with the same Bolt version,
 * the same local Slack and the same environment variables as the real app.
 */

const env = process.env;
const app = new App({
  token: env.SLACK_BOT_TOKEN,
  signingSecret: env.SLACK_SIGNING_SECRET ?? '',
  logLevel: LogLevel.WARN,
  clientOptions: { slackApiUrl: env.SLACK_API_URL },
  customRoutes: [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      },
    },
  ],
});

app.command('/competency', async ({ ack }) => {
  await ack('ok');
});

// For the burst's floor only (not in the command benchmark, where a second listener would cost time):
// acknowledge a click, then answer on its response_url, as the real app does, with no store and no views.
if (env.BENCH_MINIMAL_ACTIONS === '1') {
  app.action(/.*/, async ({ ack, respond }) => {
    await ack();
    await respond({ replace_original: true, text: 'ok' });
  });
}

await app.start({ port: Number(env.PORT ?? 3000), host: env.HOST ?? '127.0.0.1' });

const stop = () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
