import { defineConfig } from 'vitest/config';

// End-to-end: Playwright driving Debian's Chromium against `npm run web`'s host. One file at a time.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // The renderer is built once per run into a private directory (test/e2e/global-setup.ts).
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
