#!/usr/bin/env node
// `competency`: the command line for framework authors and operators (see src/cli/main.ts, or run
// `competency --help`). Plain JavaScript so that it runs without a build step: in a checkout after
// `npm install`, tsx (a dev dependency) loads the TypeScript; in a production install (`npm ci --omit=dev`,
// no tsx) it runs the build that `npm run build` made in dist/.

async function loadCli() {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    // No tsx: a production install. The build is all there is.
    return import('../dist/cli/main.js');
  }
  tsx.register();
  return import('../src/cli/main.ts');
}

try {
  const { main } = await loadCli();
  await main();
} catch (error) {
  // Neither tsx nor a build (no `npm install` yet), or a broken checkout: one plain line, no stack trace.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `competency could not start: ${message}\n` +
      'Run `npm install` in the project folder (or `npm run build` for a production install), then try again.\n',
  );
  process.exitCode = 1;
}
