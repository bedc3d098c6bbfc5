#!/usr/bin/env node
// `competency`: the command line for framework authors (see src/cli/main.ts, or run `competency --help`).
// Plain JavaScript so that it runs without a build step: tsx, a runtime dependency, loads the TypeScript.

try {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  await main();
} catch (error) {
  // Without tsx (no `npm install` yet) or with a broken checkout: one plain line, no stack trace.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `competency could not start: ${message}\nRun \`npm install\` in the project folder, then try again.\n`,
  );
  process.exitCode = 1;
}
