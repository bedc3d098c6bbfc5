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
  },
});
