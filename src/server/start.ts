import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createLocalBus, createRedisBus, type AdminBus } from '../admin/bus.js';
import { createKeyStore, type KeyStore } from '../admin/key-store.js';
import { AdminService } from '../admin/service.js';
import type { Snapshot } from '../engine/runtime.js';
import { createAdmission, type AdmissionOptions, type CountersAdmission } from '../metering/limits/admission.js';
import { loadTokenizer } from '../metering/tokens.js';
import type { Counters } from '../metering/limits/counters.js';
import { createMemoryCounters } from '../metering/limits/memory-counters.js';
import { rebuildCounters } from '../metering/limits/rebuild.js';
import { createRedisCounters } from '../metering/limits/redis-counters.js';
import { invalidRequest, redactSecrets } from '../engine/errors.js';
import { recordAudit } from '../admin/audit.js';
import type { ConfigFile } from '../config/schema.js';
import { createConfigReloader, type ConfigSource, type ReloadResult } from './config-reload.js';
import { RedisResponseCache } from '../engine/response-cache.js';
import { DbPromptStore } from '../prompts/db-store.js';
import { createLedger, openStorage, type Ledger, type Storage } from '../storage/open.js';
import type { UsageSink } from '../metering/usage-record.js';
import { wireAlerts, type AlertsWiring } from './alerts-wiring.js';
import { buildApp, type App, type AppOptions } from './app.js';
import type { Gateway } from './gateway.js';
import { warmUpBodyChecks } from '../surfaces/openai-shared/validate.js';
import { nanosToUsd } from '../metering/money.js';
import { logReachability } from './reachability-log.js';
import { adminRoutes } from './routes/admin.js';
import { usageRoutes } from './routes/usage.js';
import { requestLogRoutes } from './routes/requests.js';
import { createRequestLogWriter, type RequestLogWriter } from '../request-logs/writer.js';
import { startUsageRetention, type UsageRetention } from '../metering/usage-retention.js';
import { reportRoutes } from './routes/reports.js';
import { uiRoutes } from './routes/ui.js';
import { defaultUiDir } from './ui-static.js';
import { createSessionStore } from '../admin/sessions.js';
import { startResponsesRetention, type ResponsesRetention } from '../surfaces/openai-responses/retention.js';
import type { WorkerLinks } from './cluster/worker-link.js';

export interface StartOptions extends Partial<Omit<AppOptions, 'snapshot'>> {
  /** Extra sinks before the ledger (tests collect records). */
  sinks?: UsageSink[];
  /** Where a config reload reads the config again (main.ts: the start's file and environment); without it, reloads are refused. */
  configSource?: ConfigSource;
  /** The config file the snapshot was built from (the reload audit's "before"). */
  configFile?: ConfigFile;
  /** Where the built console is (default dist/ui). */
  uiDir?: string;
  /** Workers mode (./cluster/): counters, ledger commits, admin changes and reloads go through the primary. */
  worker?: WorkerLinks;
}

export interface Started extends App {
  storage: Storage;
  ledger: Ledger;
  /** Stored request and response bodies (written in batches, purged after the retention period). */
  requestLogs: RequestLogWriter;
  /** The sweep deleting stored Responses API answers after `responses.retention_days`. */
  responsesRetention: ResponsesRetention;
  /** `ledger.retention_days`: the raw usage records' sweep. */
  usageRetention: UsageRetention;
  keys: KeyStore;
  counters: Counters;
  admission: CountersAdmission;
  admin: AdminService;
  /**
   * Reads the config again and swaps the snapshot in (SIGHUP, `POST /admin/config/reload`); throws ConfigError and changes nothing when it is invalid.
   * `relayed`: a reload the workers mode's primary asks of every worker (SIGHUP, or another
   * worker's): not relayed back, and audited only where `relayed.audit` says so (once in all).
   */
  reloadConfig(actor: string, relayed?: { audit: boolean }): ReloadResult;
  /** Budget alerts: `current` once a webhook is configured (at start or by a reload). */
  alerts: AlertsWiring;
  /** Listens (host/port from the snapshot unless given) and returns the base URL. */
  listen(host?: string, port?: number): Promise<string>;
  /** Requests in flight right now (graceful shutdown waits for 0). */
  inFlight(): number;
  /**
   * Graceful stop: no new connections, in-flight requests (streams included) finish (up to
   * `drainMs`), then settlements and the ledger are flushed and connections closed.
   */
  close(drainMs?: number): Promise<void>;
}

/**
 * The whole gateway for one snapshot: storage (migrated), ledger sink, key store, counters
 * (in process, or Redis with `redisUrl`), admission, the app with the admin and usage routes.
 * `npm start` (./main.ts) and tests (in process, or as child processes) start it the same way.
 */
export async function startGateway(snapshot: Snapshot, opts: StartOptions = {}): Promise<Started> {
  const storage = await openStorage(snapshot.storageUrl, { poolSize: snapshot.storagePoolSize });
  let log: FastifyInstance['log'] | undefined;
  const report = (what: string) => (err: Error) => log?.error({ err: { message: redactSecrets(err.message, snapshot.secrets) } }, what);
  // Workers mode on SQLite: the primary is the one ledger writer (./cluster/). On PostgreSQL the
  // snapshot refuses workers > 1 (run several instances instead: they share the database).
  const ledger =
    opts.worker && storage.kind === 'sqlite'
      ? opts.worker.ledger(storage.sqlite, report('usage ledger spool'), snapshot.instanceId)
      : await createLedger(storage, report('usage ledger write failed; records kept in memory and retried'), {
          ...(snapshot.instanceId && { instanceId: snapshot.instanceId }),
          spoolDir: snapshot.spoolDir,
          onRecovered: (written) => log?.warn({ written }, 'usage ledger: storage writable again; the waiting records are written'),
        });
  const { store } = storage;
  const keys = await createKeyStore(store);
  // Console sign-ins: a session cookie stands in for a key (engine/auth.ts asks only when no key is presented).
  const sessions = createSessionStore(store, keys);
  keys.session = sessions.principal;
  const redisCounters = snapshot.redisUrl ? createRedisCounters(snapshot.redisUrl) : undefined;
  const counters = redisCounters ?? opts.worker?.counters ?? createMemoryCounters();
  if (redisCounters) logReachability('redis', redisCounters.redis, () => log);
  // Another instance's change: the key (or team) is dropped from the map at once, then the map reloads.
  let onAdminChange = (change: { type: string; id: string }) => {
    keys.forget(change);
    void keys.reload().catch(report('key store reload'));
  };
  const bus: AdminBus = snapshot.redisUrl
    ? createRedisBus(snapshot.redisUrl, (change) => onAdminChange(change), report('admin bus'))
    : (opts.worker?.bus ?? createLocalBus)((change) => onAdminChange(change));
  // The catalog of the snapshot in force (a reload swaps gateway.snapshot).
  let gateway: Gateway | undefined;
  const admissionOptions: AdmissionOptions = {
    counters,
    catalog: () => (gateway?.snapshot ?? snapshot).catalog,
    onError: report('counters'),
    onBudgetWarning: (w) =>
      log?.warn({ [w.scope]: w.id, period: w.period, usedUsd: nanosToUsd(w.usedNanos), budgetUsd: nanosToUsd(w.limitNanos) }, `budget: ${w.scope} ${w.id} has ${Math.floor((w.usedNanos / w.limitNanos) * 100)}% of its ${w.period} budget spent or reserved`),
  };
  const admission = createAdmission(admissionOptions);
  // Budget alerts: loaded when a webhook is configured, now or by a reload (docs/alerts.md).
  const alerts = wireAlerts({
    store,
    ...(redisCounters && { redis: redisCounters.redis }),
    counters,
    keys,
    admission: admissionOptions,
    settings: () => (gateway?.snapshot ?? snapshot).alerts,
    secrets: () => (gateway?.snapshot ?? snapshot).secrets,
    log: () => log,
  });
  await alerts.sync(false);
  // Rebuilt counters also seed the alerts' settled-spend tally.
  await rebuildCounters(store.usage, alerts.seeding, keys.limitedScopes());
  // Any gateway may count tokens (a budget's reservation, a cut stream, a provider without
  // usage): the tokenizer loads now, before listening, not in the first request that counts.
  loadTokenizer();

  const built = await buildApp({
    ...opts,
    snapshot,
    // The spike check sees every team's usage: only when alerts are loaded or a reload may load them.
    sinks: [...(opts.sinks ?? []), ledger, ...(alerts.current || opts.configSource ? [alerts.sink] : [])],
    keys,
    admission,
    promptStore: opts.promptStore ?? new DbPromptStore(store.prompts),
    ...(redisCounters && { responseCache: new RedisResponseCache(redisCounters.redis) }),
    ready: async () => ({
      storage: (await store.ping()) ? 'ok' : 'unreachable',
      ...(snapshot.redisUrl && { redis: (await counters.ping()) ? 'ok' : 'unreachable' }),
    }),
  });
  const { app } = built;
  gateway = built.gateway;
  // Request logs: the hot path only looks at gateway.requestLogs when logging is on for the caller.
  const requestLogs = createRequestLogWriter(store.requestLogs, { settings: () => (gateway ?? built.gateway).snapshot.requestLogs, onError: report('request logs') });
  gateway.requestLogs = requestLogs;
  gateway.responses = store.responses;
  const responsesRetention = startResponsesRetention(store.responses, () => (gateway ?? built.gateway).snapshot.responses.retentionMs, report('stored responses: retention sweep'));
  const usageRetention = startUsageRetention(store.usage, { retentionMs: () => (gateway ?? built.gateway).snapshot.usageRetentionMs, onError: report('usage retention') });
  // Another instance's admin change: reload keys, and the published prompt versions.
  onAdminChange = (change) => {
    keys.forget(change);
    void keys.reload().catch(report('key store reload'));
    void built.prompts.refreshStore().catch(report('prompt store refresh'));
  };
  built.prompts.onPublish((name, version) => {
    void recordAudit(store.audit, Date.now(), { actor: 'admin', action: 'prompt.publish', targetType: 'prompt', targetId: `${name}@${version}`, after: { name, version } }).catch(report('audit'));
    void bus.publish({ type: 'prompts', id: `${name}@${version}` }).catch(report('admin bus'));
  });
  log = app.log;
  // Listen only once this instance hears other instances' admin changes (a key revoked or a
  // prompt published elsewhere a moment after start would otherwise be missed until the next one).
  if (!(await bus.ready(5000))) log.warn('admin bus: not subscribed within 5 s (Redis unreachable?); changes made on other instances arrive once it is');
  // A budget or token quota added to a team that already spent this period starts from the ledger.
  const admin = new AdminService(store, keys, bus, counters, Date.now, async () => {
    await rebuildCounters(store.usage, alerts.seeding, keys.limitedScopes());
  });
  const configSource = opts.configSource;
  let audited = true;
  const reloader = configSource && createConfigReloader(built.gateway, configSource, opts.configFile ?? {}, (e) => audited && void recordAudit(store.audit, Date.now(), e).catch(report('audit')));
  const reloadConfig = reloader
    ? (actor: string, relayed?: { audit: boolean }) => {
        audited = relayed?.audit ?? true;
        const result = reloader(actor);
        if (result.changed.includes('alerts')) void alerts.sync(true).catch(report('alerts: loading after a reload'));
        if (!relayed) opts.worker?.reloaded(actor);
        return result;
      }
    : () => {
        throw invalidRequest('This gateway was started without a config source to reload (tests, embedded use).');
      };
  // Reports read the ledger: commit the records still waiting in the spool first (this
  // instance's, and those of instances that are not running). The hook is scoped to the admin
  // and usage routes, so /v1 traffic does not run it.
  await app.register(async (reports) => {
    reports.addHook('onRequest', async () => {
      await ledger.flush();
      await ledger.synced?.();
      await ledger.adoptOrphans();
      await requestLogs.flush();
    });
    await reports.register(adminRoutes, { service: admin, db: store, reloadConfig });
    await reports.register(usageRoutes, { db: store });
    await reports.register(requestLogRoutes, { db: store });
    await reports.register(reportRoutes, { db: store });
  });
  await app.register(uiRoutes, { sessions, dir: opts.uiDir ?? defaultUiDir() });

  let inFlight = 0;
  app.server.on('request', (_req, res) => {
    inFlight++;
    res.once('close', () => inFlight--);
  });

  let closing: Promise<void> | undefined;
  return {
    ...built,
    storage,
    ledger,
    requestLogs,
    responsesRetention,
    usageRetention,
    keys,
    counters,
    admission,
    admin,
    reloadConfig,
    alerts,
    inFlight: () => inFlight,
    async listen(host = snapshot.host, port = snapshot.port) {
      await app.listen({ host, port });
      // Request-body schemas compile right after listening, not before (start-up time).
      setImmediate(warmUpBodyChecks);
      const a = app.server.address() as AddressInfo;
      return `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
    },
    close(drainMs = 25_000) {
      closing ??= (async () => {
        if (app.server.listening) {
          app.server.close();
          app.server.closeIdleConnections();
          const end = Date.now() + drainMs;
          while (inFlight > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
        }
        await app.close();
        await admission.drain();
        // Undelivered alerts get a short grace, then are marked failed (shutdown never waits on a webhook).
        await alerts.close(Math.min(2000, drainMs));
        usageRetention.close();
        await ledger.close();
        await requestLogs.close();
        responsesRetention.close();
        await counters.close();
        await bus.close();
        await storage.close();
      })();
      return closing;
    },
  };
}
