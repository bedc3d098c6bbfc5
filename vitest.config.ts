import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // expect.poll waits for something a person would see (a message in the page, a post in the
    // local Slack); on a busy machine that can take longer than vitest's default second.
    expect: { poll: { timeout: 10_000, interval: 50 } },
    // One worker per core (vitest's default leaves one out: on two cores, one worker for everything).
    maxWorkers: '100%',
    // A worker keeps the modules it loaded for its next test file: loading the app (Bolt, the
    // store, the views) again for each of 100-odd files took about half the CPU of a run. No test
    // needs fresh modules: state lives in what a test starts (a harness, a store, a local Slack),
    // and the fixtures (test/support/fixtures.ts) stop that after the test or the file. So a file
    // must not change a shared module for the files after it: no `test.override` at the top level
    // of a file (extend instead), and what a test changes in process.env or the timers it restores.
    isolate: false,
  },
});
