import { pathToFileURL } from 'node:url';
import { loadConfig } from './config.js';
import { type Running, StartError, start } from './start.js';

/**
 * How long a stop may take in all before the process exits anyway (status 1): the app itself gives
 * the requests in flight 7 s (start.ts), and `docker stop` waits 10 s before SIGKILL.
 */
const STOP_LIMIT_MS = 10_000;

/**
 * `npm start`: with Slack credentials, the app connects to Slack; with none at all, the same app
 * starts against the local sandbox, so a newcomer sees the product at once. The sandbox (a local
 * Slack, its web page, request signing) is loaded only then: a process connected to Slack never
 * loads any of it.
 */
async function main(): Promise<void> {
  let running: Pick<Running, 'stop'> | undefined;
  let stopRequested = false;
  const stop = (app: Pick<Running, 'stop'>) => {
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(
          `Could not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        process.exit(1);
      },
    );
  };
  // Listened for from the start and for good: a signal during the start stops the app once it has
  // started, and a second one (Ctrl-C pressed again, or npm passing on the signal its process group
  // got too) never cuts a stop short, which would lose what was acknowledged but not yet saved.
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopRequested) {
      process.stderr.write(
        `Received ${signal} again: already stopping, finishing what was acknowledged first (at most ${STOP_LIMIT_MS / 1000} s)\n`,
      );
      return;
    }
    stopRequested = true;
    process.stderr.write(`Received ${signal}\n`);
    // If something hangs, do not keep the process alive forever.
    setTimeout(() => {
      process.stderr.write(`Did not stop within ${STOP_LIMIT_MS / 1000} s; exiting now\n`);
      process.exit(1);
    }, STOP_LIMIT_MS).unref();
    if (running) stop(running);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
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
    // Nothing to stop: a signal now ends the process as it would any other.
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    return;
  }
  // A promise rejected deep inside a library (a Socket Mode reconnect that gave up, say) must not
  // take the whole app down: log it, and keep serving.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(
      `${new Date().toISOString()} ERROR [competency] Unhandled rejection: ${reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason)}\n`,
    );
  });
  // Asked to stop while it was starting: now that it has started, it stops.
  if (stopRequested) stop(running);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main();
}
