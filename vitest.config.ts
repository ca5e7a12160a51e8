import { defineConfig } from 'vitest/config';

// Unit, model-based, property and integration tests. End-to-end (Chromium) tests have their own config.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'firmware-sim/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
