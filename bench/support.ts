import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export { freePort } from '../src/util/free-port.js';

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
const scratchDatabases = new Map<string, () => Promise<void>>();

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

/**
 * Stops every child still running, removes every temp folder and drops every scratch database.
 * Safe to call more than once.
 */
export async function cleanUp(): Promise<void> {
  await Promise.allSettled([...children].map((c) => c.stop(3000)));
  await Promise.allSettled([...tempDirs].map((dir) => rm(dir, { recursive: true, force: true })));
  tempDirs.clear();
  await Promise.allSettled([...scratchDatabases.values()].map((drop) => drop()));
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

/**
 * One HTTP/1.1 POST on a connection of its own (`Connection: close`), from bytes prepared beforehand:
 * the cheapest client Node has, so that a burst's sender costs the machine as little as it can (the
 * bench shares two cores with the apps). Node's fetch costs several times as much CPU per request.
 */
export function preparePost(url: string, headers: Record<string, string>, body: string): RawRequest {
  const { hostname, port, pathname, search } = new URL(url);
  const head = [
    `POST ${pathname}${search} HTTP/1.1`,
    `host: ${hostname}:${port}`,
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n');
  return { host: hostname, port: Number(port), bytes: Buffer.from(`${head}\r\n\r\n${body}`) };
}

export type RawRequest = { host: string; port: number; bytes: Buffer };

/** Sends a prepared request; resolves with the status (0 when the connection failed) and the raw response. */
export function sendRaw(request: RawRequest): Promise<{ status: number; response: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(request.port, request.host, () => socket.write(request.bytes));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => resolve({ status: 0, response: '' }));
    socket.on('close', () => {
      const response = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0);
      resolve({ status, response });
    });
  });
}

/**
 * Polls `GET <baseUrl>/healthz` every `intervalMs` until it answers 200 (`ok`). Fails at once if the
 * child exits first, with its output.
 */
export async function waitHealthy(
  baseUrl: string,
  child: Child,
  { intervalMs = 10, timeoutMs = 60_000 } = {},
): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if (child.hasExited()) {
      throw new Error(`${child.name} exited before it was ready:\n${child.output().slice(-4000)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.text();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (performance.now() > until) {
      throw new Error(`${child.name} was not ready after ${timeoutMs} ms:\n${child.output().slice(-4000)}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * The value of the first series named `name` (whatever its labels) in `GET <baseUrl>/metrics`; NaN
 * when there is none (the minimal app has no metrics). GET /healthz says only `ok`: the figures an
 * operator reads (frameworks, people, the store's writes) are there.
 */
export async function metricValue(baseUrl: string, name: string): Promise<number> {
  const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  if (res.status !== 200) return Number.NaN;
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line === undefined ? Number.NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
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

/**
 * CPU time (ms) used so far by each PostgreSQL server process on this machine, by pid (Linux; none
 * elsewhere). Connections come and go: compare two readings pid by pid (see cpuAccount).
 */
async function postgresCpuByPid(): Promise<Map<number, number>> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return new Map();
  }
  const found = await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (pid): Promise<[number, number] | undefined> => {
        try {
          const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
          return stat.includes('(postgres)') ? [Number(pid), await cpuTimeOf(Number(pid))] : undefined;
        } catch {
          return undefined; // gone meanwhile
        }
      }),
  );
  return new Map(found.filter((f): f is [number, number] => f !== undefined && Number.isFinite(f[1])));
}

/** The whole machine's CPU time so far, busy and in all (ms, summed over cores), from /proc/stat. */
async function machineCpuMs(): Promise<{ busyMs: number; totalMs: number }> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return {
      busyMs: ((total - idle) * 1000) / CLOCK_TICKS_PER_SECOND,
      totalMs: (total * 1000) / CLOCK_TICKS_PER_SECOND,
    };
  } catch {
    return { busyMs: Number.NaN, totalMs: Number.NaN };
  }
}

/**
 * Where the CPU went between two moments: each process named, PostgreSQL, this process, and the
 * machine as a whole (busy / available, over every core). `start()` now, `stop()` later.
 */
export function cpuAccount(pids: Record<string, number>) {
  type Snapshot = {
    at: number;
    pids: Record<string, number>;
    postgres: Map<number, number>;
    bench: NodeJS.CpuUsage;
    machine: { busyMs: number; totalMs: number };
  };
  const snapshot = async (): Promise<Snapshot> => ({
    at: performance.now(),
    pids: Object.fromEntries(
      await Promise.all(
        Object.entries(pids).map(async ([name, pid]) => [name, await cpuTimeOf(pid)] as const),
      ),
    ),
    postgres: await postgresCpuByPid(),
    bench: process.cpuUsage(),
    machine: await machineCpuMs(),
  });
  let before: Snapshot | undefined;
  return {
    start: async () => {
      before = await snapshot();
    },
    stop: async () => {
      const after = await snapshot();
      if (!before) throw new Error('cpuAccount: stop() before start()');
      const wallMs = after.at - before.at;
      const bench = process.cpuUsage(before.bench);
      const busyMs = after.machine.busyMs - before.machine.busyMs;
      const totalMs = after.machine.totalMs - before.machine.totalMs;
      return {
        wallMs,
        processesMs: Object.fromEntries(
          Object.keys(pids).map((name) => [name, (after.pids[name] ?? 0) - (before?.pids[name] ?? 0)]),
        ),
        /** Server processes that ended meanwhile are not counted; those that began are, whole. */
        postgresMs: [...after.postgres].reduce(
          (sum, [pid, ms]) => sum + ms - (before?.postgres.get(pid) ?? 0),
          0,
        ),
        benchMs: (bench.user + bench.system) / 1000,
        machineBusyMs: busyMs,
        /** Busy share of every core over the interval: 1 means the machine had nothing left. */
        machineBusyShare: totalMs > 0 ? busyMs / totalMs : Number.NaN,
      };
    },
  };
}

export type CpuAccount = Awaited<ReturnType<ReturnType<typeof cpuAccount>['stop']>>;

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a scratch database of the benchmark's own, dropped at the end (also on Ctrl-C)

/** The server, as a user who may create databases: BENCH_DATABASE_URL, TEST_DATABASE_URL, or the local one. */
export const DATABASE_SERVER_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

export type ScratchDatabase = { name: string; url: string; drop: () => Promise<void> };

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: DATABASE_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty, uniquely named database on the server (as test/store/helpers.ts does for tests). */
export async function scratchDatabase(label: string): Promise<ScratchDatabase> {
  const name = `competency_bench_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  await onServer((admin) => admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const url = new URL(DATABASE_SERVER_URL);
  url.pathname = `/${name}`;
  let dropping: Promise<void> | undefined;
  const drop = () => {
    dropping ??= onServer(async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    }).finally(() => scratchDatabases.delete(name));
    return dropping;
  };
  scratchDatabases.set(name, drop);
  return { name, url: url.href, drop };
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
