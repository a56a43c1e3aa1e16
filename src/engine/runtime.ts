import type { Dispatcher } from 'undici';
import type { ProviderAdapter, ProviderConfig } from '../../providers/adapter.js';
import type { Catalog } from '../metering/catalog/index.js';
import type { RouteTable } from '../proxy/types.js';

/** A configured provider, ready to use: adapter, frozen config, its own connection pool. */
export interface ProviderRuntime {
  config: ProviderConfig;
  adapter: ProviderAdapter;
  dispatcher: Dispatcher;
  timeoutMs: number;
  maxRetries: number;
  /** Catalog provider whose prices apply (a preset name, or the type for native providers). */
  catalogProvider: string;
  /** Region / data zone whose catalog prices apply when the catalog has them (Bedrock `region`, Azure `data_zone`). */
  priceRegion?: string;
  /**
   * What this provider is sent that must never come back to a client: its key, its configured
   * header values, its base URL's password. Upstream text is scrubbed of these before an adapter
   * quotes (and cuts) it.
   */
  secrets: readonly string[];
}

export interface AliasTarget {
  provider: ProviderRuntime;
  model: string;
  weight: number;
  /** Catalog input + output price (µ$/Mtok), for the `cheapest` strategy; undefined = unknown. */
  unitPrice?: number;
  /** Catalog context window, for context-window fallback. */
  contextWindow?: number;
}

export interface Alias {
  name: string;
  targets: AliasTarget[];
  strategy: 'fallback' | 'round-robin' | 'weighted' | 'least-latency' | 'cheapest';
  cacheTtlS?: number;
  cooldown?: { failures: number; windowMs: number; cooldownMs: number };
  contextWindowFallback: boolean;
}

export interface StaticKey {
  name: string;
}

/** `server.max_attempts` when unset. */
export const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * The frozen, precompiled configuration a request runs on (docs/architecture.md §6). A reload builds a new
 * one and swaps it; requests in flight finish on the one they started with.
 */
export interface Snapshot {
  host: string;
  port: number;
  bodyLimitBytes: number;
  logLevel: string;
  /** One `info` line per settled request (server.access_log, default true). */
  accessLog: boolean;
  /** Time a client has to send its request headers, then its whole request (server.*_timeout_ms). */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Upstream requests per client request, retries and fallbacks together (`server.max_attempts`). */
  maxAttempts: number;
  providers: ReadonlyMap<string, ProviderRuntime>;
  aliases: ReadonlyMap<string, Alias>;
  catalog: Catalog;
  /** sha256(key) hex → key info, from `auth.keys`. */
  staticKeys: ReadonlyMap<string, StaticKey>;
  adminKeyHash?: string;
  /**
   * Every secret-bearing configured value — provider keys and header values, static keys, the
   * admin key, proxy header values, URL passwords — longest first: scrubbed from any text that
   * reaches a client or a log.
   */
  secrets: readonly string[];
  storageUrl: string;
  /** PostgreSQL: connections per instance (storage.pool_size, 1–100). */
  storagePoolSize: number;
  /** PostgreSQL: the folder of the ledger's local spool (storage.spool_dir). */
  spoolDir: string;
  /** `TOLLGATE_INSTANCE_ID`: names this instance's ledger spool (default: the host name). */
  instanceId?: string;
  redisUrl?: string;
  /** `workers` / `TOLLGATE_WORKERS`: processes serving the port (1 = this process alone; src/server/cluster/). */
  workers: number;
  promptsDir: string;
  docsPublic: boolean;
  /** `/metrics`: open, or only for the admin key and `metrics.token` (sha256 hex). */
  metricsPublic: boolean;
  metricsTokenHash?: string;
  /** `metrics.team_label`: the cap on distinct team label values, or undefined when off. */
  metricsTeamLabels?: number;
  /** `routes:` compiled into the REST proxy's route table (src/proxy/compile-routes.ts). */
  routes: RouteTable;
  /** OpenTelemetry export (`telemetry:` / OTEL_* env); undefined = tracing off. */
  telemetry?: TelemetrySettings;
  requestLogs: RequestLogSettings;
  /** Stored Responses API answers (`responses:`): deleted once older than this. */
  responses: { retentionMs: number };
  /** `ledger.retention_days` in ms: raw usage records of older UTC days are deleted; undefined = kept for ever. */
  usageRetentionMs?: number;
  alerts: AlertSettings;
  /** The console at `/ui` (`ui:`): served or not, and how long a sign-in lasts. */
  ui: { enabled: boolean; sessionMs: number };
  warnings: readonly string[];
}

export interface TelemetrySettings {
  /** OTLP/HTTP base URL; traces go to `${endpoint}/v1/traces`. */
  endpoint: string;
  serviceName: string;
  headers: Readonly<Record<string, string>>;
  /** 0..1, for new root traces (parent-based sampling otherwise). */
  sampleRatio: number;
}

export interface RequestLogSettings {
  /** Bodies stored for every team (else only for teams with `request_logs: true`). */
  enabled: boolean;
  maxBodyBytes: number;
  retentionMs: number;
  /** `request_logs.redact`, compiled (global flag). */
  redact: readonly RegExp[];
}

export interface AlertWebhook {
  url: string;
  secret?: string;
  format: 'json' | 'slack';
}

export interface AlertSettings {
  webhooks: readonly AlertWebhook[];
  /** Percentages of a budget (a budget's own `alert_at` wins). */
  budgetThresholds: readonly number[];
  spendSpike?: { windowMs: number; nanos: number };
  retry: { attempts: number; backoffMs: number };
}
