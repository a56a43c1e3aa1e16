import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts', 'providers/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // Servers bind random loopback ports; files run in parallel workers (2 cores).
    pool: 'forks',
    // The whole run's gateway logs are checked for every configured secret at the end.
    globalSetup: ['test/global-logs.ts'],
  },
});
