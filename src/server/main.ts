import cluster from 'node:cluster';
import { findConfigPath, loadConfigFile } from '../config/load.js';
import { buildSnapshot } from '../config/snapshot.js';
import { ConfigError } from '../config/validate.js';
import { startGateway } from './start.js';
import { runPrimary } from './cluster/primary.js';
import { connectToPrimary } from './cluster/worker-link.js';

/**
 * `npm start`: config (file or built-in defaults) → snapshot → gateway (storage, counters,
 * admin API; ./start.ts) → listen. A bad config is reported with the failing paths and the
 * process exits non-zero before listening. SIGTERM/SIGINT drain in-flight requests (streams
 * included), flush the ledger and exit. With `workers` > 1 this process becomes the primary
 * (./cluster/primary.ts) and each worker runs this same file as the gateway.
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
  if (snapshot.workers > 1 && cluster.isPrimary) return runPrimary(snapshot);
  const worker = cluster.isWorker ? connectToPrimary(!snapshot.redisUrl) : undefined;
  const gw = await startGateway(snapshot, { configSource, configFile: first.file, ...(worker && { worker: worker.links }) });
  const { app } = gw;
  for (const w of snapshot.warnings) app.log.warn(w);
  if (!snapshot.adminKeyHash && snapshot.staticKeys.size === 0 && !gw.keys.hasKeys()) {
    app.log.warn('no TOLLGATE_ADMIN_KEY and no keys configured: /v1 is OPEN to anyone who can reach this address');
  }
  if (!snapshot.redisUrl && !worker) app.log.info('counters in process (no TOLLGATE_REDIS_URL): limits are correct for this one instance only');
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
  const reload = (actor: string, relayed?: { audit: boolean }) => {
    try {
      const r = gw.reloadConfig(actor, relayed);
      app.log.info({ changed: r.changed, restartRequired: r.restart_required }, `config reloaded (${actor})`);
    } catch (err) {
      app.log.error({ err: { message: (err as Error).message } }, `config reload failed (${actor}); the running config stays`);
    }
  };
  if (worker) {
    // The primary relays signals: a SIGHUP or Ctrl-C sent to the whole process group is its to handle.
    worker.onCommand({ reload: (actor, audit) => reload(actor, { audit }), shutdown: () => shutdown('primary') });
    process.on('SIGHUP', () => {});
    process.on('SIGINT', () => {});
  } else process.on('SIGHUP', () => reload('signal:SIGHUP'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  if (!worker) process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`tollgate: failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
