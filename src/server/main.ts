import { findConfigPath, loadConfigFile } from '../config/load.js';
import { buildSnapshot } from '../config/snapshot.js';
import { ConfigError } from '../config/validate.js';
import { startGateway } from './start.js';

/**
 * `npm start`: config (file or built-in defaults) → snapshot → gateway (storage, counters,
 * admin API; ./start.ts) → listen. A bad config is reported with the failing paths and the
 * process exits non-zero before listening. SIGTERM/SIGINT drain in-flight requests (streams
 * included), flush the ledger and exit.
 */
async function main(): Promise<void> {
  const path = findConfigPath(process.argv.slice(2), process.env);
  // A reload (SIGHUP, POST /admin/config/reload) reads the same file and environment again.
  const configSource = () => {
    const loaded = loadConfigFile(path, process.env);
    return { snapshot: buildSnapshot(loaded, process.env), file: loaded.file, ...(path && { path }) };
  };
  let first;
  try {
    first = configSource();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`tollgate: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  const snapshot = first.snapshot;
  const gw = await startGateway(snapshot, { configSource, configFile: first.file });
  const { app } = gw;
  for (const w of snapshot.warnings) app.log.warn(w);
  if (!snapshot.adminKeyHash && snapshot.staticKeys.size === 0 && !gw.keys.hasKeys()) {
    app.log.warn('no TOLLGATE_ADMIN_KEY and no keys configured: /v1 is OPEN to anyone who can reach this address');
  }
  if (!snapshot.redisUrl) app.log.info('counters in process (no TOLLGATE_REDIS_URL): limits are correct for this one instance only');
  const providers = [...snapshot.providers.keys()].join(', ');
  const url = await gw.listen();
  app.log.info(`tollgate listening on ${url} — providers: ${providers} (try model "mock/echo")`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: draining in-flight requests`);
    setTimeout(() => process.exit(1), 30_000).unref();
    gw.close(25_000).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGHUP', () => {
    try {
      const r = gw.reloadConfig('signal:SIGHUP');
      app.log.info({ changed: r.changed, restartRequired: r.restart_required }, 'config reloaded (SIGHUP)');
    } catch (err) {
      app.log.error({ err: { message: (err as Error).message } }, 'config reload failed (SIGHUP); the running config stays');
    }
  });
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`tollgate: failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
