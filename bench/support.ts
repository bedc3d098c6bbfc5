import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Child processes, free ports, temp folders and polling for the benchmarks, with one place that
 * cleans everything up — on success, on failure, and on Ctrl-C.
 */

export const ROOT = path.resolve(import.meta.dirname, '..');

export type Child = {
  name: string;
  process: ChildProcess;
  pid: number;
  /** stdout + stderr so far (the last 64 kB). */
  output: () => string;
  /** stdout alone, whole. */
  stdout: () => string;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string | null>;
  hasExited: () => boolean;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Resolves once it has exited. */
  stop: (graceMs?: number) => Promise<number | string | null>;
};

const children = new Set<Child>();
const tempDirs = new Set<string>();

/** Spawns `node <args>` in the repository with only the environment given (plus PATH and HOME). */
export function spawnNode(name: string, args: string[], env: Record<string, string>): Child {
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-65_536);
  };
  proc.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    keep(chunk);
  });
  proc.stderr?.on('data', keep);
  let done = false;
  const exited = new Promise<number | string | null>((resolve) => {
    proc.once('exit', (code, signal) => {
      done = true;
      resolve(code ?? signal);
    });
    proc.once('error', () => {
      done = true;
      resolve('spawn-error');
    });
  });
  if (proc.pid === undefined) throw new Error(`could not start ${name}`);
  const child: Child = {
    name,
    process: proc,
    pid: proc.pid,
    output: () => out,
    stdout: () => stdout,
    exited,
    hasExited: () => done,
    stop: async (graceMs = 5000) => {
      if (!done) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => {
          if (!done) proc.kill('SIGKILL');
        }, graceMs);
        await exited;
        clearTimeout(timer);
      }
      children.delete(child);
      return exited;
    },
  };
  children.add(child);
  void exited.then(() => children.delete(child));
  return child;
}

/** Runs a child to its end and returns its stdout; throws with its output if it fails. */
export async function runNode(name: string, args: string[], env: Record<string, string>): Promise<string> {
  const child = spawnNode(name, args, env);
  const code = await child.exited;
  if (code !== 0) throw new Error(`${name} exited with ${code}:\n${child.output().slice(-4000)}`);
  return child.stdout();
}

/** Stops every child still running and removes every temp folder. Safe to call more than once. */
export async function cleanUp(): Promise<void> {
  await Promise.allSettled([...children].map((c) => c.stop(3000)));
  await Promise.allSettled([...tempDirs].map((dir) => rm(dir, { recursive: true, force: true })));
  tempDirs.clear();
}

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `competency-bench-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** A port that was free on 127.0.0.1 a moment ago (the app logs its port only at info level). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `GET <baseUrl>/healthz` every `intervalMs` until it answers 200; resolves with the JSON body.
 * Fails at once if the child exits first, with its output.
 */
export async function waitHealthy(
  baseUrl: string,
  child: Child,
  { intervalMs = 10, timeoutMs = 60_000 } = {},
): Promise<Record<string, unknown>> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if (child.hasExited()) {
      throw new Error(`${child.name} exited before it was ready:\n${child.output().slice(-4000)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      const text = await res.text();
      if (res.status === 200) return JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not listening yet
    }
    if (performance.now() > until) {
      throw new Error(`${child.name} was not ready after ${timeoutMs} ms:\n${child.output().slice(-4000)}`);
    }
    await sleep(intervalMs);
  }
}

export async function health(baseUrl: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(5000) });
  if (res.status !== 200) throw new Error(`GET /healthz answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Resident memory of a process, from /proc/<pid>/status (Linux); undefined elsewhere. */
export async function rssOf(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (Linux). */
export async function cpuTimeOf(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th field, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * How many connections the kernel has dropped so far because a listening socket's accept queue was
 * full (ListenDrops in /proc/net/netstat, for this network namespace); NaN where unknown.
 */
export async function listenQueueDrops(): Promise<number> {
  try {
    const lines = (await readFile('/proc/net/netstat', 'utf8')).split('\n');
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const names = lines[i]?.split(' ') ?? [];
      const values = lines[i + 1]?.split(' ') ?? [];
      const at = names.indexOf('ListenDrops');
      if (names[0] === 'TcpExt:' && at > 0) return Number(values[at]);
    }
  } catch {
    // not Linux
  }
  return Number.NaN;
}

/** USER_HZ: 100 on every Linux that Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
