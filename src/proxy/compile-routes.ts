import { Agent } from 'undici';
import type { RouteEntry } from './config-schema.js';
import type { CompiledRoute, HeaderRewrite, RouteTable, Upstream } from './types.js';

/** The gateway's own namespaces: a route may not shadow them. */
const RESERVED = ['/v1', '/admin', '/healthz', '/readyz', '/metrics', '/openapi.json', '/docs'];

export const EMPTY_ROUTE_TABLE: RouteTable = Object.freeze({ routes: [], prefixes: [] });

/**
 * `routes:` → the precompiled route table (docs/architecture.md §6): prefixes normalised, upstream URLs
 * split once, header rewrites lower-cased, one keep-alive pool per route. Problems are
 * pushed with their config path (`routes.0.match.path: …`), like the rest of the snapshot.
 */
export function compileRoutes(entries: readonly RouteEntry[], problems: string[]): RouteTable {
  if (!entries.length) return EMPTY_ROUTE_TABLE;
  const names = new Set<string>();
  const routes: CompiledRoute[] = [];
  for (const [i, e] of entries.entries()) {
    const at = `routes.${i}`;
    const name = e.name ?? `route-${i}`;
    if (names.has(name)) problems.push(`${at}.name: "${name}" is used by another route`);
    names.add(name);
    const prefix = e.match.path.replace(/\/+$/, '');
    if (/(^|\/)\.\.?(\/|$)|[?#%\\*:]/.test(prefix)) problems.push(`${at}.match.path: must be a plain path prefix (no dot segments, %, ?, #, *, :)`);
    const reserved = RESERVED.find((r) => prefix === r || prefix.startsWith(`${r}/`));
    if (reserved !== undefined) problems.push(`${at}.match.path: ${reserved} belongs to the gateway itself`);
    const upstreams = e.upstreams.map((u, j) => compileUpstream(typeof u === 'string' ? { url: u } : u, `${at}.upstreams.${j}`, problems));
    const timeoutMs = e.timeout_ms ?? 30_000;
    const idleTimeoutMs = e.idle_timeout_ms ?? 300_000;
    routes.push({
      name,
      prefix,
      ...(e.match.methods && { methods: new Set(e.match.methods.map((m) => m.toUpperCase())) }),
      ...(e.match.host && { host: e.match.host.toLowerCase().replace(/:\d+$/, '') }),
      headers: Object.entries(e.match.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v] as const),
      stripPrefix: e.strip_prefix ?? false,
      upstreams: upstreams.filter((u) => u !== undefined),
      strategy: e.strategy ?? (e.upstreams.some((u) => typeof u !== 'string' && u.weight !== undefined) ? 'weighted' : 'round-robin'),
      authRequired: (e.auth ?? 'required') === 'required',
      timeoutMs,
      idleTimeoutMs,
      retries: { max: e.retries?.max ?? 2, backoffMs: e.retries?.backoff_ms ?? 25, nonIdempotent: e.retries?.non_idempotent ?? false },
      ...(e.health_check && {
        healthCheck: {
          path: e.health_check.path,
          intervalMs: e.health_check.interval_ms ?? 5_000,
          timeoutMs: e.health_check.timeout_ms ?? 2_000,
          healthyThreshold: e.health_check.healthy_threshold ?? 2,
          unhealthyThreshold: e.health_check.unhealthy_threshold ?? 2,
        },
      }),
      ejection: { consecutiveFailures: e.ejection?.consecutive_failures ?? 3, ejectMs: e.ejection?.eject_ms ?? 30_000 },
      requestHeaders: compileRewrite(e.request_headers),
      responseHeaders: compileRewrite(e.response_headers),
      ...(e.cache && { cache: { ttlMs: e.cache.ttl_s * 1000, maxBodyBytes: (e.cache.max_body_kb ?? 1024) * 1024, shared: e.cache.shared ?? false } }),
      cursor: { next: 0 },
      dispatcher: new Agent({
        connections: 256,
        keepAliveTimeout: 30_000,
        headersTimeout: timeoutMs,
        bodyTimeout: idleTimeoutMs,
        connect: { timeout: Math.min(timeoutMs, 10_000) },
      }),
    });
  }
  // Longest prefix first: `/api/users/admin` wins over `/api/users` over `/`.
  routes.sort((a, b) => b.prefix.length - a.prefix.length);
  return Object.freeze({ routes, prefixes: [...new Set(routes.map((r) => r.prefix))] });
}

function compileUpstream(u: { url: string; weight?: number }, at: string, problems: string[]): Upstream | undefined {
  let url: URL;
  try {
    url = new URL(u.url);
  } catch {
    problems.push(`${at}: must be a URL`);
    return undefined;
  }
  if (url.search || url.hash || url.username || url.password) {
    problems.push(`${at}: must be scheme://host[:port][/base-path], without query, fragment or credentials`);
    return undefined;
  }
  return {
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    host: url.host,
    weight: u.weight ?? 1,
    state: { active: 0, ejected: false, ejectedUntil: 0, consecutiveFailures: 0, checkOk: 0, checkFail: 0, current: 0 },
  };
}

function compileRewrite(r: { set?: Record<string, string>; remove?: string[] } | undefined): HeaderRewrite {
  return {
    set: Object.entries(r?.set ?? {}).map(([k, v]) => [k.toLowerCase(), v] as const),
    remove: (r?.remove ?? []).map((k) => k.toLowerCase()),
  };
}

/** Closes the routes' connection pools (app shutdown). */
export async function closeRouteTable(table: RouteTable): Promise<void> {
  await Promise.all(table.routes.map((r) => r.dispatcher.close().catch(() => undefined)));
}
