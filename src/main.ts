import { pathToFileURL } from 'node:url';
import { loadConfig } from './config.js';
import { type Running, StartError, start } from './start.js';

/**
 * `npm start`: with Slack credentials, the app connects to Slack; with none at all, the same app
 * starts against the local sandbox, so a newcomer sees the product at once. The sandbox (a local
 * Slack, its web page, request signing) is loaded only then: a process connected to Slack never
 * loads any of it.
 */
async function main(): Promise<void> {
  let running: Pick<Running, 'stop'>;
  try {
    const loaded = loadConfig(process.env);
    running =
      loaded.ok && loaded.config.mode === 'none'
        ? await (await import('./sandbox/sandbox.js')).startSandbox(process.env)
        : await start(process.env);
  } catch (error) {
    if (error instanceof StartError) {
      process.stderr.write(`${error.lines.join('\n')}\n`);
    } else {
      process.stderr.write(
        `The app could not start: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
    process.exitCode = 1;
    return;
  }
  const onSignal = (signal: string) => {
    process.stderr.write(`Received ${signal}\n`);
    // If something hangs, do not keep the process alive forever.
    setTimeout(() => process.exit(1), 10_000).unref();
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(
          `Could not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exit(1);
      },
    );
  };
  // A promise rejected deep inside a library (a Socket Mode reconnect that gave up, say) must not
  // take the whole app down: log it, and keep serving.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(
      `${new Date().toISOString()} ERROR [competency] Unhandled rejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}\n`,
    );
  });
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main();
}
