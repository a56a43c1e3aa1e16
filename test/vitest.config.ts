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
    // A worker runs file after file in one process: the gateway's modules load once per worker,
    // not once per file (the suite took 5.5 min isolated, 2.5 min like this). Tests share no
    // module state that matters: each starts its own gateway, storage and servers.
    isolate: false,
    // The whole run's gateway logs are checked for every configured secret at the end.
    globalSetup: ['test/global-logs.ts'],
  },
});
