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
    // No frameworks cache unless a test gives one: never the repository's, which `npm start` uses.
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', FRAMEWORKS_CACHE_DIR: 'off', ...env },
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

// ---------------------------------------------------------------------------------------------
// The app as operators start it: under npm, and stopped by a signal

/** Where a signal goes: the whole process group (Ctrl-C in a terminal, systemd), or npm alone (a supervisor that signals its child). */
export type SignalTarget = 'group' | 'parent';

export type NpmProcess = {
  /** npm itself. */
  child: ChildProcess;
  /** Everything written so far, stdout and stderr, by npm and the app under it. */
  output: () => string;
  /** Resolves with the first match of `pattern` in the output, once it is there; rejects if every process ended first. */
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
  /** npm's own exit: its code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once every process under npm has ended too (the output's pipes are closed only then). */
  ended: Promise<void>;
  signal: (signal: NodeJS.Signals, target: SignalTarget) => void;
};

/**
 * `npm run <script>` in `cwd`, in a process group of its own as a terminal or a supervisor starts it,
 * with only the environment given (and PATH and HOME, for npm). Killed, the whole group, after the
 * test (`onCleanup`) if anything of it is still running.
 */
export function startUnderNpm(
  script: string,
  cwd: string,
  env: Record<string, string>,
  onCleanup: (cleanup: () => void) => void,
): NpmProcess {
  const child = spawn('npm', ['run', script], {
    cwd,
    detached: true,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      // No look-up on the registry at the end of the run.
      npm_config_update_notifier: 'false',
      LOG_LEVEL: 'info',
      FRAMEWORKS_CACHE_DIR: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const watchers = new Set<() => void>();
  const onData = (d: Buffer) => {
    output += d;
    for (const watch of watchers) watch();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let over = false;
  const ended = new Promise<void>((resolve) =>
    child.on('close', () => {
      over = true;
      for (const watch of watchers) watch();
      resolve();
    }),
  );
  // npm waits for the app: once npm has exited, the app's last words are at most a moment behind.
  // Ten seconds later (the longest a stop may take), what never came is not coming.
  let npmGone = false;
  child.on('exit', () => {
    setTimeout(() => {
      npmGone = true;
      for (const watch of watchers) watch();
    }, 10_000).unref();
  });
  onCleanup(() => {
    if (over || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  });
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const watch = () => {
        const match = output.match(pattern);
        if (match) {
          watchers.delete(watch);
          resolve(match);
        } else if (over || npmGone) {
          watchers.delete(watch);
          const how = over
            ? 'the app ended'
            : 'npm exited 10 s ago (the app may still be running on its own)';
          reject(new Error(`${how} without writing ${pattern}:\n${output}`));
        }
      };
      watchers.add(watch);
      watch();
    });
  const signal = (name: NodeJS.Signals, target: SignalTarget) => {
    if (child.pid === undefined) throw new Error('npm did not start');
    process.kill(target === 'group' ? -child.pid : child.pid, name);
  };
  return { child, output: () => output, waitFor, exited, ended, signal };
}
