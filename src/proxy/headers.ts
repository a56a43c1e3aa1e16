import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { SESSION_COOKIE } from '../engine/auth.js';
import type { HeaderRewrite } from './types.js';

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, never forwarded. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'proxy-connection']);

export interface ForwardContext {
  /** The tollgate key the client presented (stripped before forwarding), if auth was required. */
  key?: string;
  clientIp: string;
  requestId: string;
  upstreamHost: string;
}

/**
 * Client headers → upstream headers: hop-by-hop dropped (and any named in `Connection`),
 * the tollgate key removed, `Host` set to the upstream's, `x-forwarded-for/-proto/-host`
 * added, then the route's `set`/`remove` rewrites.
 */
export function upstreamRequestHeaders(inbound: IncomingHttpHeaders, rewrite: HeaderRewrite, ctx: ForwardContext, keepUpgrade = false): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const connectionNamed = listed(inbound.connection);
  for (const name in inbound) {
    const v = inbound[name];
    if (v === undefined) continue;
    if (HOP_BY_HOP.has(name) || connectionNamed?.has(name)) continue;
    // undici refuses `expect` (Node already answered 100-continue to the client).
    if (name === 'host' || name === 'expect') continue;
    if (name === 'cookie') {
      // The console's session cookie (Path=/) is the gateway's credential: never an upstream's.
      const kept = withoutSessionCookie(v as string);
      if (kept) out.cookie = kept;
      continue;
    }
    out[name] = v;
  }
  if (keepUpgrade && inbound.upgrade) {
    out.connection = 'upgrade';
    out.upgrade = inbound.upgrade;
  }
  if (ctx.key !== undefined) {
    if (typeof out.authorization === 'string' && out.authorization.includes(ctx.key)) delete out.authorization;
    if (out['x-api-key'] === ctx.key) delete out['x-api-key'];
  }
  out.host = ctx.upstreamHost;
  const xff = inbound['x-forwarded-for'];
  out['x-forwarded-for'] = xff ? `${Array.isArray(xff) ? xff.join(', ') : xff}, ${ctx.clientIp}` : ctx.clientIp;
  out['x-forwarded-proto'] = (inbound['x-forwarded-proto'] as string | undefined) ?? 'http';
  if (inbound.host) out['x-forwarded-host'] = (inbound['x-forwarded-host'] as string | undefined) ?? inbound.host;
  out['x-request-id'] = ctx.requestId;
  applyRewrite(out, rewrite);
  return out;
}

/** A Cookie header without `tollgate_session=…` pairs (the same string when it has none). */
export function withoutSessionCookie(cookie: string): string {
  if (!cookie.includes(SESSION_COOKIE)) return cookie;
  return cookie
    .split(';')
    .filter((p) => p.split('=', 1)[0]!.trim() !== SESSION_COOKIE)
    .join(';')
    .trim();
}

/** Upstream response headers → client: hop-by-hop dropped, then the route's rewrites. */
export function clientResponseHeaders(upstream: Record<string, string | string[] | undefined>, rewrite: HeaderRewrite): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const connectionNamed = listed(upstream.connection);
  for (const name in upstream) {
    const v = upstream[name];
    if (v === undefined || HOP_BY_HOP.has(name) || connectionNamed?.has(name)) continue;
    out[name] = v;
  }
  applyRewrite(out, rewrite);
  return out;
}

function applyRewrite(h: Record<string, unknown>, r: HeaderRewrite): void {
  for (const k of r.remove) delete h[k];
  for (const [k, v] of r.set) h[k] = v;
}

function listed(v: string | string[] | undefined): Set<string> | undefined {
  if (!v) return undefined;
  const s = Array.isArray(v) ? v.join(',') : v;
  if (!s.includes(',') && /^(keep-alive|close)$/i.test(s.trim())) return undefined;
  return new Set(s.split(',').map((x) => x.trim().toLowerCase()));
}
