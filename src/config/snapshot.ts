import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { DEFAULT_MAX_ATTEMPTS, type Alias, type AlertSettings, type ProviderRuntime, type RequestLogSettings, type Snapshot, type StaticKey, type TelemetrySettings } from '../engine/runtime.js';
import { loadCatalog } from '../metering/catalog/index.js';
import { usdToNanos } from '../metering/money.js';
import { compileRoutes } from '../proxy/compile-routes.js';
import type { LoadedConfig } from './load.js';
import { buildProvider, providersFromEnv } from './providers.js';
import type { ConfigFile } from './schema.js';
import { redactionList, secretHeaderValues, urlPassword, urlTokens } from './secret-values.js';
import { ConfigError } from './validate.js';

/** A client that has not sent its headers / its whole request by then is cut off (slow-loris). */
const DEFAULT_HEADERS_TIMEOUT_MS = 30_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Config file + environment → the frozen snapshot every request runs on (docs/architecture.md §6). */
export function buildSnapshot(loaded: LoadedConfig, env: NodeJS.ProcessEnv): Snapshot {
  const file = loaded.file;
  const problems: string[] = [];
  const warnings: string[] = [];
  const entries = file.providers ?? providersFromEnv(env);
  if (!entries.mock) entries.mock = { type: 'mock' };

  const secrets: string[] = [];
  const providers = new Map<string, ProviderRuntime>();
  for (const [name, entry] of Object.entries(entries)) {
    try {
      const rt = buildProvider(name, entry, env);
      providers.set(name, rt);
      secrets.push(...rt.secrets);
    } catch (err) {
      problems.push(`providers.${name}: ${(err as Error).message}`);
    }
  }

  const catalog = loadCatalog().withOverrides((file.pricing ?? {}) as never);

  const aliases = new Map<string, Alias>();
  for (const [name, a] of Object.entries(file.models ?? {})) {
    const targets = a.targets.map((t, i) => {
      const spec = typeof t === 'string' ? { model: t, weight: 1 } : { model: t.model, weight: t.weight ?? 1 };
      const slash = spec.model.indexOf('/');
      const provider = slash > 0 ? providers.get(spec.model.slice(0, slash)) : undefined;
      if (!provider) {
        problems.push(`models.${name}.targets.${i}: "${spec.model}" must be <provider>/<model> with a configured provider`);
        return undefined;
      }
      const model = spec.model.slice(slash + 1);
      const entry = catalog.get(provider.catalogProvider, model, provider.priceRegion);
      return {
        provider,
        model,
        weight: spec.weight,
        ...(entry && { unitPrice: entry.input + entry.output }),
        ...(entry?.context_window && { contextWindow: entry.context_window }),
      };
    });
    aliases.set(name, {
      name,
      targets: targets.filter((t) => t !== undefined),
      strategy: a.strategy ?? 'fallback',
      ...(a.cache && { cacheTtlS: a.cache.ttl_s }),
      ...(a.cooldown && { cooldown: { failures: a.cooldown.failures, windowMs: a.cooldown.window_s * 1000, cooldownMs: a.cooldown.cooldown_s * 1000 } }),
      contextWindowFallback: a.context_window_fallback ?? true,
    });
    // server.max_attempts bounds every request: say so when an alias could never use all of its targets.
    const maxAttempts = file.server?.max_attempts ?? DEFAULT_MAX_ATTEMPTS;
    const possible = targets.reduce((n, t) => n + (t ? 1 + t.provider.maxRetries : 0), 0);
    if (possible > maxAttempts) {
      warnings.push(`models.${name}: its targets and retries allow ${possible} upstream calls, but server.max_attempts (${maxAttempts}) stops a request after ${maxAttempts}`);
    }
  }

  const staticKeys = new Map<string, StaticKey>();
  for (const [i, k] of (file.auth?.keys ?? []).entries()) {
    const key = typeof k === 'string' ? k : k.key;
    staticKeys.set(sha256(key), { name: typeof k === 'string' ? `key-${i}` : (k.name ?? `key-${i}`) });
    secrets.push(key);
  }
  const adminKey = env.TOLLGATE_ADMIN_KEY || undefined;
  if (adminKey) secrets.push(adminKey);
  if (file.metrics?.token) secrets.push(file.metrics.token);

  const headersTimeoutMs = file.server?.headers_timeout_ms ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeoutMs = file.server?.request_timeout_ms ?? DEFAULT_REQUEST_TIMEOUT_MS;
  if (headersTimeoutMs > requestTimeoutMs) {
    problems.push(`server.headers_timeout_ms: must not exceed server.request_timeout_ms (${headersTimeoutMs} > ${requestTimeoutMs}): the headers are part of the request`);
  }

  const routes = compileRoutes(file.routes ?? [], problems);
  for (const r of file.routes ?? []) {
    // Header values the proxy adds upstream (an upstream's own credential), and URL passwords.
    secrets.push(...secretHeaderValues(r.request_headers?.set ?? {}));
    for (const u of r.upstreams) secrets.push(urlPassword(typeof u === 'string' ? u : u.url));
  }
  const telemetry = telemetrySettings(file.telemetry, env, problems);
  if (telemetry) secrets.push(...Object.values(telemetry.headers), urlPassword(telemetry.endpoint));
  const requestLogs = requestLogSettings(file.request_logs, problems);
  const alerts = alertSettings(file.alerts);
  for (const w of alerts.webhooks) {
    if (w.secret) secrets.push(w.secret);
    secrets.push(urlPassword(w.url));
    // A webhook URL often carries its credential in the path or query (Slack's
    // hooks.slack.com/services/T…/B…/<token>): token-shaped parts are secrets, the host is not.
    secrets.push(...urlTokens(w.url));
  }
  const storagePoolSize = poolSize(env.TOLLGATE_DATABASE_POOL_SIZE, file.storage?.pool_size, problems);
  const workers = workerCount(env.TOLLGATE_WORKERS ?? file.workers, problems);
  const storageUrl = env.TOLLGATE_DATABASE_URL ?? file.storage?.url ?? 'sqlite:./data/tollgate.db';
  // Workers mode's primary is the one SQLite ledger writer; PostgreSQL scales out by instances.
  if (workers > 1 && /^postgres(ql)?:/.test(storageUrl)) problems.push('workers: more than 1 needs SQLite storage; on PostgreSQL run several instances instead (they share the database and, with Redis, the counters)');
  if (problems.length) throw new ConfigError(problems);
  if (loaded.missingEnv.length) warnings.push(`config references unset environment variables: ${loaded.missingEnv.join(', ')}`);

  const port = Number(env.PORT ?? file.server?.port ?? 8787);
  return Object.freeze({
    host: env.HOST ?? file.server?.host ?? '127.0.0.1',
    port: Number.isInteger(port) ? port : 8787,
    bodyLimitBytes: Math.round((file.server?.body_limit_mb ?? Number(env.TOLLGATE_BODY_LIMIT_MB ?? 10)) * 1024 * 1024),
    logLevel: env.LOG_LEVEL ?? file.server?.log_level ?? 'info',
    accessLog: file.server?.access_log ?? true,
    headersTimeoutMs,
    requestTimeoutMs,
    maxAttempts: file.server?.max_attempts ?? DEFAULT_MAX_ATTEMPTS,
    providers,
    aliases,
    catalog,
    staticKeys,
    ...(adminKey && { adminKeyHash: sha256(adminKey) }),
    secrets: redactionList([...secrets, urlPassword(env.TOLLGATE_REDIS_URL ?? file.redis?.url), urlPassword(env.TOLLGATE_DATABASE_URL ?? file.storage?.url)]),
    storageUrl,
    storagePoolSize,
    spoolDir: file.storage?.spool_dir ?? './data',
    ...(env.TOLLGATE_INSTANCE_ID && { instanceId: env.TOLLGATE_INSTANCE_ID }),
    ...((env.TOLLGATE_REDIS_URL ?? file.redis?.url) && { redisUrl: env.TOLLGATE_REDIS_URL ?? file.redis?.url }),
    workers,
    promptsDir: file.prompts?.dir ?? './prompts',
    docsPublic: file.docs?.public ?? true,
    metricsPublic: file.metrics?.public ?? !file.metrics?.token,
    ...(file.metrics?.token && { metricsTokenHash: sha256(file.metrics.token) }),
    ...(file.metrics?.team_label && { metricsTeamLabels: file.metrics.max_teams ?? 100 }),
    routes,
    ...(telemetry && { telemetry }),
    requestLogs,
    responses: { retentionMs: Math.round((file.responses?.retention_days ?? 30) * DAY_MS) },
    ...(file.ledger?.retention_days && { usageRetentionMs: file.ledger.retention_days * DAY_MS }),
    alerts,
    ui: { enabled: file.ui?.enabled ?? true, sessionMs: Math.round((file.ui?.session_hours ?? 12) * 3_600_000) },
    warnings,
  });
}

/** PostgreSQL connections per instance: the environment's value (checked here; the file's by the schema), else the file's, else 10. */
function poolSize(fromEnv: string | undefined, fromFile: number | undefined, problems: string[]): number {
  if (fromEnv === undefined || fromEnv === '') return fromFile ?? 10;
  const n = Number(fromEnv);
  if (Number.isInteger(n) && n >= 1 && n <= 100) return n;
  problems.push('TOLLGATE_DATABASE_POOL_SIZE: must be an integer from 1 to 100');
  return 10;
}

function telemetrySettings(t: ConfigFile['telemetry'], env: NodeJS.ProcessEnv, problems: string[]): TelemetrySettings | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT || t?.otlp_endpoint;
  if (!endpoint) return undefined;
  // The file's URL is checked by the schema; the environment's is not.
  if (!/^https?:$/.test(safeProtocol(endpoint))) {
    problems.push(`${env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'OTEL_EXPORTER_OTLP_ENDPOINT' : 'telemetry.otlp_endpoint'}: must be an http:// or https:// URL`);
    return undefined;
  }
  return {
    endpoint: endpoint.replace(/\/+$/, ''),
    serviceName: env.OTEL_SERVICE_NAME || t?.service_name || 'tollgate',
    headers: { ...(t?.headers ?? {}) },
    sampleRatio: t?.sample_ratio ?? 1,
  };
}

const DAY_MS = 86_400_000;

function requestLogSettings(r: ConfigFile['request_logs'], problems: string[]): RequestLogSettings {
  const redact: RegExp[] = [];
  for (const [i, pattern] of (r?.redact ?? []).entries()) {
    try {
      redact.push(new RegExp(pattern, 'g'));
    } catch (err) {
      problems.push(`request_logs.redact.${i}: not a valid regular expression (${(err as Error).message})`);
    }
  }
  return { enabled: r?.enabled ?? false, maxBodyBytes: r?.max_body_bytes ?? 65_536, retentionMs: Math.round((r?.retention_days ?? 30) * DAY_MS), redact };
}

function alertSettings(a: ConfigFile['alerts']): AlertSettings {
  return {
    webhooks: (a?.webhooks ?? []).map((w) => ({ url: w.url, format: w.format ?? 'json', ...(w.secret && { secret: w.secret }) })),
    budgetThresholds: [...new Set(a?.budget_thresholds ?? [50, 80, 100])].sort((x, y) => x - y),
    ...(a?.spend_spike && { spendSpike: { windowMs: a.spend_spike.window_minutes * 60_000, nanos: usdToNanos(a.spend_spike.usd) } }),
    retry: { attempts: a?.retry?.attempts ?? 5, backoffMs: a?.retry?.backoff_ms ?? 1000 },
  };
}

/** The scheme of a URL (`https:`), '' when it is not one. */
/** `workers` / `TOLLGATE_WORKERS` (the file's value is checked by the schema; the environment's is not). */
function workerCount(w: number | string | undefined, problems: string[]): number {
  if (w === undefined || w === '') return 1;
  if (w === 'auto') return availableParallelism();
  const n = Number(w);
  if (Number.isInteger(n) && n >= 1 && n <= 256) return n;
  problems.push('TOLLGATE_WORKERS: must be an integer from 1 to 256 or "auto"');
  return 1;
}

function safeProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

export type { ConfigFile };
export { providersFromEnv, secretHeaderValues };
