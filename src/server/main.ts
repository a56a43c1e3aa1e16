import { findConfigPath, loadConfigFile } from '../config/load.js';
import { buildSnapshot } from '../config/snapshot.js';
import { ConfigError } from '../config/validate.js';
import { buildApp } from './app.js';

/**
 * `npm start`: config (file or built-in defaults) → snapshot → app → listen. A bad config is
 * reported with the failing paths and the process exits non-zero before listening.
 */
async function main(): Promise<void> {
  let snapshot;
  try {
    const path = findConfigPath(process.argv.slice(2), process.env);
    snapshot = buildSnapshot(loadConfigFile(path, process.env), process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`tollgate: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  const { app } = await buildApp({ snapshot });
  for (const w of snapshot.warnings) app.log.warn(w);
  if (!snapshot.adminKeyHash && snapshot.staticKeys.size === 0) {
    app.log.warn('no TOLLGATE_ADMIN_KEY and no keys configured: /v1 is OPEN to anyone who can reach this address');
  }
  const providers = [...snapshot.providers.keys()].join(', ');
  await app.listen({ host: snapshot.host, port: snapshot.port });
  app.log.info(`tollgate listening on http://${snapshot.host}:${snapshot.port} — providers: ${providers} (try model "mock/echo")`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: draining in-flight requests`);
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(1), 30_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`tollgate: failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
