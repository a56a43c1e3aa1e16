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

/**
 * The frozen, precompiled configuration a request runs on (DESIGN §6). A reload builds a new
 * one and swaps it; requests in flight finish on the one they started with.
 */
export interface Snapshot {
  host: string;
  port: number;
  bodyLimitBytes: number;
  logLevel: string;
  providers: ReadonlyMap<string, ProviderRuntime>;
  aliases: ReadonlyMap<string, Alias>;
  catalog: Catalog;
  /** sha256(key) hex → key info, from `auth.keys`. */
  staticKeys: ReadonlyMap<string, StaticKey>;
  adminKeyHash?: string;
  /** Every provider key and the admin key: scrubbed from any text that reaches a client or a log. */
  secrets: readonly string[];
  storageUrl: string;
  /** `TOLLGATE_INSTANCE_ID`: names this instance's ledger spool (default: the host name). */
  instanceId?: string;
  redisUrl?: string;
  promptsDir: string;
  docsPublic: boolean;
  /** `routes:` compiled into the REST proxy's route table (src/proxy/compile-routes.ts). */
  routes: RouteTable;
  warnings: readonly string[];
}
