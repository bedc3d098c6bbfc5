import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export type AppProcess = {
  child: ChildProcess;
  /** The HTTP port, in HTTP mode. */
  port: number | undefined;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Everything it wrote so far, stdout and stderr. */
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number | null>;
};

const LISTENING = /Listening in HTTP mode on 127\.0\.0\.1:(\d+)/;
const SOCKET_MODE = /Connected to Slack in Socket Mode/;

/**
 * The real app (`npm start`'s entry point) as its own process, with only the environment given, so
 * it can be killed with SIGKILL like a crashed server, or run twice beside itself. Resolves once it
 * says it is listening (HTTP mode) or connected (Socket Mode).
 */
export async function startAppProcess(env: Record<string, string>, timeoutMs = 20_000): Promise<AppProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const until = Date.now() + timeoutMs;
  for (;;) {
    const port = output.match(LISTENING)?.[1];
    if (port !== undefined || SOCKET_MODE.test(output)) {
      return {
        child,
        port: port === undefined ? undefined : Number(port),
        exited,
        output: () => output,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      };
    }
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`the app did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}
