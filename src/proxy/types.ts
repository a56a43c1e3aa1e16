import type { Dispatcher } from 'undici';

/** One upstream server of a route, with its live state (health, in-flight count). */
export interface Upstream {
  /** `http://host:port` — the only origin this upstream ever connects to. */
  origin: string;
  /** Path prefix from the configured URL (`http://h:1/v2` → `/v2`), '' when none. */
  basePath: string;
  /** Host header sent upstream. */
  host: string;
  weight: number;
  /** Mutable state, owned by the balancer and the health checker. */
  state: UpstreamState;
}

export interface UpstreamState {
  active: number;
  /** Out of rotation (passive ejection or a failed health check). */
  ejected: boolean;
  /** Passive ejection ends at this time (ms) unless health checks decide first; 0 = not timed. */
  ejectedUntil: number;
  consecutiveFailures: number;
  /** Health check streaks. */
  checkOk: number;
  checkFail: number;
  /** Smooth weighted round-robin (nginx): current weight. */
  current: number;
}

export interface HeaderRewrite {
  /** Lower-cased names. */
  set: ReadonlyArray<readonly [string, string]>;
  remove: readonly string[];
}

export interface CompiledRoute {
  name: string;
  /** Normalised prefix without trailing slash ('' for `/`). */
  prefix: string;
  /** Upper-case; undefined = every method. */
  methods?: ReadonlySet<string>;
  /** Lower-case host without port. */
  host?: string;
  headers: ReadonlyArray<readonly [string, string]>;
  stripPrefix: boolean;
  upstreams: readonly Upstream[];
  strategy: 'round-robin' | 'weighted' | 'least-connections';
  authRequired: boolean;
  timeoutMs: number;
  idleTimeoutMs: number;
  retries: { max: number; backoffMs: number; nonIdempotent: boolean };
  healthCheck?: { path: string; intervalMs: number; timeoutMs: number; healthyThreshold: number; unhealthyThreshold: number };
  ejection: { consecutiveFailures: number; ejectMs: number };
  requestHeaders: HeaderRewrite;
  responseHeaders: HeaderRewrite;
  /** `shared`: one entry for every caller; otherwise entries are per team (static key, anonymous). */
  cache?: { ttlMs: number; maxBodyBytes: number; shared: boolean };
  /** Round-robin cursor (mutable). */
  cursor: { next: number };
  /** Keep-alive pool shared by this route's upstreams. */
  dispatcher: Dispatcher;
}

/** Routes by prefix, longest prefix first; built once per snapshot (docs/architecture.md §6). */
export interface RouteTable {
  routes: readonly CompiledRoute[];
  /** Distinct prefixes, for registering the HTTP routes once. */
  prefixes: readonly string[];
}
