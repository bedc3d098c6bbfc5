import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect } from 'vitest';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import type { LocalSlack } from '../../src/sandbox/local-slack.js';
import { sendSlashCommand } from '../../src/sandbox/signing.js';
import { test } from '../support/fixtures.js';
import { startUnderNpm } from './app-process.js';
import { expectBurstSurvivesSignal, expectSecondSignalWaits, type StopSetup } from './stopping.js';

/**
 * The production start: `npm run build`, then `node dist/main.js` with no TypeScript loader. The build
 * goes into a temporary folder laid out as a deployment is (dist/ beside frameworks/, package.json and
 * node_modules/), and each app process runs with a hook that writes down every module it loads.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const SECRET = 'productiontestsecret0123456789';

/** Preloaded with --import: records the URL of every ES module loaded, and at exit every CommonJS one. */
const RECORDER = `
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';
const log = process.env.MODULES_LOG;
register('./record-hooks.mjs', import.meta.url, { data: { log } });
process.on('exit', () => {
  const cjs = Object.keys(createRequire(import.meta.url).cache).map((file) => pathToFileURL(file).href);
  appendFileSync(log, cjs.map((url) => url + '\\n').join(''));
});
`;
const RECORDER_HOOKS = `
import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, next) {
  appendFileSync(log, url + '\\n');
  return next(url, context);
}
`;

/** Preloaded with --import: the package tsx is not found, as in an install without dev dependencies. */
const NO_TSX = `
import { register } from 'node:module';
register('./no-tsx-hooks.mjs', import.meta.url);
`;
const NO_TSX_HOOKS = `
export async function resolve(specifier, context, next) {
  if (specifier === 'tsx' || specifier.startsWith('tsx/')) return next('tsx-is-not-installed' + specifier.slice(3), context);
  return next(specifier, context);
}
`;

type AppProcess = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

/** `node dist/main.js` in the deployment folder, with only the environment given; killed after the test if still running. */
const it = test.extend('startBuilt', async ({ sharedTempDir: tmp }, { onCleanup }) => {
  const children: ChildProcess[] = [];
  onCleanup(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  });
  return (name: string, env: Record<string, string>): AppProcess => {
    const child = spawn(process.execPath, ['--import', './record-modules.mjs', 'dist/main.js'], {
      cwd: tmp,
      env: {
        PATH: process.env.PATH ?? '',
        MODULES_LOG: path.join(tmp, `${name}.modules`),
        DATA_DIR: path.join(tmp, `${name}-data`),
        PORT: '0',
        FRAMEWORKS_CACHE_DIR: 'off',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    return { child, output: () => output, exited };
  };
});

describe('the production build', () => {
  let tmp: string;
  let dist: string;
  let slack: LocalSlack;

  // The build, once for the file, into a temporary folder laid out as a deployment is.
  it.beforeAll(async ({ sharedTempDir, sharedLocalSlack }) => {
    tmp = sharedTempDir;
    slack = sharedLocalSlack;
    dist = path.join(tmp, 'dist');
    await promisify(execFile)(process.execPath, ['scripts/build.js', dist], { cwd: ROOT });
    await symlink(path.join(ROOT, 'frameworks'), path.join(tmp, 'frameworks'), 'dir');
    await symlink(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
    await cp(path.join(ROOT, 'package.json'), path.join(tmp, 'package.json'));
    await writeFile(path.join(tmp, 'record-modules.mjs'), RECORDER);
    await writeFile(path.join(tmp, 'record-hooks.mjs'), RECORDER_HOOKS);
    await writeFile(path.join(tmp, 'no-tsx.mjs'), NO_TSX);
    await writeFile(path.join(tmp, 'no-tsx-hooks.mjs'), NO_TSX_HOOKS);
  }, 60_000);

  /** The files the process loaded, as paths relative to the deployment folder or the project. */
  async function loaded(name: string): Promise<string[]> {
    const urls = (await readFile(path.join(tmp, `${name}.modules`), 'utf8')).split('\n');
    return urls
      .filter((url) => url.startsWith('file:'))
      .map((url) => {
        const file = fileURLToPath(url);
        return file.startsWith(tmp) ? path.relative(tmp, file) : path.relative(ROOT, file);
      });
  }

  /** The installed packages that only development needs, per the lock file (`"dev": true`). */
  async function devPackages(): Promise<Set<string>> {
    const lock = JSON.parse(await readFile(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    return new Set(
      Object.entries(lock.packages)
        .filter(([, entry]) => entry.dev === true)
        .map(([key]) => key),
    );
  }

  /** `node_modules/a/node_modules/@b/c/lib/x.js` → `node_modules/a/node_modules/@b/c`. */
  const packageOf = (file: string) =>
    file.match(/^node_modules\/(?:@[^/]+\/)?[^/]+(?:\/node_modules\/(?:@[^/]+\/)?[^/]+)*/)?.[0];

  it('holds, beside the compiled code, every file the app reads at run time', async () => {
    const src = path.join(ROOT, 'src');
    const assets = (await readdir(src, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && !e.name.endsWith('.ts'))
      .map((e) => path.relative(src, path.join(e.parentPath, e.name)));
    expect(assets).toContain(path.join('sandbox', 'page', 'index.html'));
    const built = (await readdir(dist, { recursive: true })).map(String);
    for (const file of [...assets, 'main.js', 'start.js']) expect(built).toContain(file);
    expect(built.filter((f) => f.endsWith('.ts'))).toEqual([]);
  });

  it('starts in HTTP mode from the build alone: /healthz, a signed command, /metrics; no sandbox code and no dev package loaded', async ({
    startBuilt,
  }) => {
    const app = startBuilt('http', {
      SLACK_BOT_TOKEN: slack.bot.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      HOST: '127.0.0.1',
    });
    await expect.poll(() => app.output()).toMatch(/Listening in HTTP mode on 127\.0\.0\.1:\d+/);
    const base = `http://127.0.0.1:${app.output().match(/127\.0\.0\.1:(\d+)/)?.[1]}`;
    const bundled = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).length;
    expect(app.output()).toContain(`Loaded ${bundled} framework(s) from ${path.join(tmp, 'frameworks')}`);

    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const answer = await sendSlashCommand(`${base}/slack/events`, SECRET, {
      command: '/competency',
      text: 'solutions-architect senior',
      response_url: slack.newResponseUrl(),
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('Solutions Architect');
    await expect
      .poll(async () => (await fetch(`${base}/metrics`)).text())
      .toMatch(/^competency_requests_total\{surface="command",outcome="answered"\} 1$/m);

    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);

    const files = await loaded('http');
    // The recorder saw the app itself, and the libraries it uses (a check that it works).
    expect(files).toContain(path.join('dist', 'main.js'));
    expect(files).toContain(path.join('dist', 'start.js'));
    expect(files.some((f) => f.startsWith('node_modules/@slack/bolt/'))).toBe(true);
    expect(files.filter((f) => f.startsWith(path.join('dist', 'sandbox')))).toEqual([]);
    // `debug` (under Express) loads supports-color when it happens to be installed, and does without.
    const optional = new Set(['node_modules/supports-color', 'node_modules/has-flag']);
    const dev = await devPackages();
    const devLoaded = files.map(packageOf).filter((p) => p !== undefined && dev.has(p) && !optional.has(p));
    expect(devLoaded).toEqual([]);
    expect(files.filter((f) => f.startsWith('src/') || f.endsWith('.ts'))).toEqual([]);
  });

  it('restarted with its frameworks cache filled, loads no YAML parser (nothing needs parsing)', async ({
    startBuilt,
  }) => {
    const env = {
      SLACK_BOT_TOKEN: slack.bot.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      HOST: '127.0.0.1',
      FRAMEWORKS_CACHE_DIR: path.join(tmp, 'frameworks-cache'),
    };
    const yamlOf = (files: string[]) => files.filter((f) => f.startsWith('node_modules/yaml/'));
    for (const [name, parses] of [
      ['cache-cold', true],
      ['cache-warm', false],
    ] as const) {
      const app = startBuilt(name, env);
      await expect.poll(() => app.output()).toMatch(/Listening in HTTP mode on 127\.0\.0\.1:\d+/);
      app.child.kill('SIGTERM');
      expect(await app.exited).toBe(0);
      expect(yamlOf(await loaded(name)).length > 0).toBe(parses);
    }
  });

  it('with no Slack tokens, starts the sandbox from the build, page and all', async ({ startBuilt }) => {
    const app = startBuilt('sandbox', {});
    await expect.poll(() => app.output()).toMatch(/Open http:\/\/127\.0\.0\.1:\d+/);
    const url = app.output().match(/Open (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    for (const file of ['sandbox.js', 'render.js', 'sandbox.css']) {
      expect((await fetch(`${url}/sandbox/page/${file}`)).status).toBe(200);
    }
    const command = await fetch(`${url}/sandbox/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'U0SAMRIVERA', text: 'sa senior' }),
    });
    expect(await command.json()).toEqual({ ok: true });

    app.child.kill('SIGTERM');
    expect(await app.exited).toBe(0);
    // Loaded only now, when it is used.
    expect(await loaded('sandbox')).toContain(path.join('dist', 'sandbox', 'sandbox.js'));
  });

  /** `npm run start:production` in the deployment folder, as README.md says to start it. */
  const stopIt = it.extend(
    'setup',
    async ({ sharedLocalSlack, tempDir }, { onCleanup }): Promise<StopSetup> => {
      const framework = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).find(
        (f) => f.id === 'solutions-architect.e-commerce',
      );
      if (!framework) throw new Error('no bundled framework');
      return {
        slack: sharedLocalSlack,
        framework,
        dataDir: path.join(tempDir, 'data'),
        start: (env) => startUnderNpm('start:production', tmp, env, onCleanup),
      };
    },
  );

  stopIt(
    '`npm run start:production`, SIGTERM to the group in the middle of 200 clicks: none acknowledged is lost, later ones refused',
    async ({ setup }) => {
      await expectBurstSurvivesSignal(setup, { signal: 'SIGTERM', target: 'group' });
    },
  );

  stopIt(
    '`npm run start:production`, SIGINT then SIGTERM to npm alone: the app gets both, finishes its answers, exits 0',
    async ({ setup }) => {
      await expectSecondSignalWaits(setup, { first: 'SIGINT', second: 'SIGTERM', target: 'parent' });
    },
  );

  it('bin/competency.js runs the build where tsx is not installed (a production install)', async () => {
    await cp(path.join(ROOT, 'bin'), path.join(tmp, 'bin'), { recursive: true });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', './record-modules.mjs', '--import', './no-tsx.mjs', 'bin/competency.js', 'list'],
      { cwd: tmp, env: { PATH: process.env.PATH ?? '', MODULES_LOG: path.join(tmp, 'cli.modules') } },
    );
    expect(stdout).toContain('solutions-architect.e-commerce');
    const files = await loaded('cli');
    expect(files).toContain(path.join('dist', 'cli', 'main.js'));
    expect(files.filter((f) => f.startsWith('src/') || f.endsWith('.ts'))).toEqual([]);
  });
});
