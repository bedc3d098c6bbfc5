import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import type { PersonData, RatingValue } from '../../src/model/records.js';
import { checkDataFile } from '../../src/store/schema.js';
import { freePort } from '../../src/util/free-port.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The store module, for child processes to import by absolute URL. */
export const STORE_MODULE_URL = pathToFileURL(path.join(PROJECT_ROOT, 'src/store/file/open.ts')).href;

/** A fresh folder under the system temp folder; `remove()` deletes it (call it in afterEach). */
export async function makeTempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'competency-store-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export const AT = '2025-03-01T10:00:00.000Z';

/** A change that sets one rating, the way the assessment code does. */
export function rate(frameworkId: string, competencyId: string, value: RatingValue) {
  return (data: PersonData): void => {
    data.ratings[frameworkId] ??= {};
    data.ratings[frameworkId][competencyId] = { value, at: AT, frameworkVersion: '1' };
  };
}

export async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8'));
}

/** The people in the data file of `dir` as it is on disk now; throws if the file does not validate. */
export async function peopleOnDisk(dir: string): Promise<Record<string, PersonData>> {
  const check = checkDataFile(await readJson(path.join(dir, 'competency-data.json')));
  if (!check.ok) throw new Error(`the data file does not validate: ${JSON.stringify(check)}`);
  return check.data.people;
}

export type ChildResult = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
};

/** Runs TypeScript in a real child process (a separate pid), the way a second copy of the app would run. */
export async function runChild(scriptDir: string, source: string): Promise<ChildResult & { pid: number }> {
  const script = path.join(scriptDir, `child-${Math.random().toString(36).slice(2)}.mts`);
  await writeFile(script, source);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, pid: child.pid ?? -1 }));
  });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a real server, and a database of its own for each test run

/** The server the tests use, as a user who may create databases: TEST_DATABASE_URL, else the local one. */
const TEST_SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDatabase = {
  name: string;
  /** TEST_SERVER_URL with this database's name in it. */
  url: string;
  /** Drops the database, closing whatever connections are still open to it. */
  drop: () => Promise<void>;
};

/** Runs `work` with one connection to `url`, closed afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates a uniquely named, empty database on the test server; call `drop()` when done (afterAll). */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `competency_test_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(TEST_SERVER_URL, (admin) => admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.href,
    drop: async () => {
      await withClient(TEST_SERVER_URL, (admin) =>
        admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
      );
    },
  };
}

/**
 * Drops the databases that test and bench runs on this machine created and could not drop (the run
 * was killed): their names end in the run's process id, and that process is gone. Only on a server
 * on this machine's loopback, where the process ids are this machine's. Returns their names.
 */
export async function dropLeftoverTestDatabases(): Promise<string[]> {
  const server = new URL(TEST_SERVER_URL);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(server.hostname)) return [];
  return withClient(TEST_SERVER_URL, async (admin) => {
    const { rows } = await admin.query<{ name: string }>(
      "SELECT datname AS name FROM pg_database WHERE datname ~ '^competency_(test|bench_run)_.*[0-9]+_[0-9a-f]+$'",
    );
    const gone = rows
      .map((row) => row.name)
      .filter((name) => {
        const pid = Number(/_(\d+)_[0-9a-f]+$/.exec(name)?.[1]);
        return Number.isInteger(pid) && pid > 0 && !isAlive(pid);
      });
    for (const name of gone)
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    return gone;
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `url` pointed at another port on 127.0.0.1 (through a proxy, or to where nothing listens). */
export function viaPort(url: string, port: number): string {
  const moved = new URL(url);
  moved.hostname = '127.0.0.1';
  moved.port = String(port);
  return moved.href;
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export const closedPort = freePort;

export type TcpProxy = {
  port: number;
  /** Connections the proxy has accepted so far. */
  accepted: () => number;
  /** The network goes down: open connections are cut, new ones refused. */
  cut: () => Promise<void>;
  /** The network is back: connections are accepted again, on the same port. */
  restore: () => Promise<void>;
  /** The network stops carrying anything, without closing a connection (a half-dead link). */
  freeze: () => void;
  /** Carries again what was held while frozen, and what comes next. */
  thaw: () => void;
  close: () => Promise<void>;
};

/**
 * A TCP proxy on 127.0.0.1 in front of `target` (the test PostgreSQL server), to cut and restore
 * the connection between a store and its database the way a network or server outage would.
 */
export async function startTcpProxy(target: string = TEST_SERVER_URL): Promise<TcpProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  let frozen = false;
  const held: Array<() => void> = [];
  let accepted = 0;

  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (frozen) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
    from.on('close', () => to.destroy());
    from.on('error', () => to.destroy());
  };

  const server: Server = createServer((client) => {
    accepted++;
    const upstream = tcpConnect(Number(targetPort || 5432), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    held.length = 0;
    await closed;
  };

  await listen(0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    port: address.port,
    accepted: () => accepted,
    cut: stop,
    restore: () => listen(address.port),
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
      for (const write of held.splice(0)) write();
    },
    close: async () => {
      if (server.listening) await stop();
      else for (const socket of sockets) socket.destroy();
    },
  };
}
