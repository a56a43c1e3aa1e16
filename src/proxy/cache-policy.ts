import type { IncomingHttpHeaders } from 'node:http';

/**
 * HTTP caching rules for the per-route GET cache (a shared cache, RFC 9111): what may be
 * looked up, what may be stored and for how long, and how `Vary` splits entries.
 */
export interface CachedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  storedAt: number;
}

/** A request may use the cache: GET, no client `no-store`, and no credentials of its own for the upstream. */
export function requestCacheable(method: string, forwarded: Record<string, unknown>): boolean {
  if (method !== 'GET') return false;
  if (forwarded.authorization !== undefined || forwarded.cookie !== undefined) return false;
  const cc = forwarded['cache-control'];
  return !(typeof cc === 'string' && /\bno-store\b/i.test(cc));
}

/**
 * Whose entries a lookup may see: the caller's team (a static key without a team: that key;
 * `auth: none`: the anonymous caller), or everyone's when the route says `cache: { shared: true }`.
 * The tollgate key is removed before forwarding, so without this two teams would share entries.
 */
export function cacheScope(principal: { teamId: string | null; keyId: string | null }, shared: boolean): string {
  if (shared) return '*';
  if (principal.teamId !== null) return `team:${principal.teamId}`;
  return principal.keyId !== null ? `key:${principal.keyId}` : 'anonymous';
}

/** The client asked for a fresh answer (`cache-control: no-cache`): skip the lookup, still store. */
export function requestWantsFresh(headers: IncomingHttpHeaders): boolean {
  const cc = headers['cache-control'];
  return typeof cc === 'string' && /\bno-cache\b|\bmax-age=0\b/i.test(cc);
}

/**
 * How long a response may be kept, in ms (0 = not at all): only 200s; never with `no-store`,
 * `private`, `no-cache`, `set-cookie` or `Vary: *`; `s-maxage`/`max-age` shorten the route's TTL.
 */
export function storableTtlMs(status: number, headers: Record<string, string | string[] | undefined>, routeTtlMs: number): number {
  if (status !== 200 || headers['set-cookie'] !== undefined) return 0;
  if (varyNames(headers) === null) return 0;
  const cc = String(headers['cache-control'] ?? '').toLowerCase();
  if (/\b(no-store|private|no-cache)\b/.test(cc)) return 0;
  const m = /\bs-maxage=(\d+)/.exec(cc) ?? /\bmax-age=(\d+)/.exec(cc);
  return m ? Math.min(routeTtlMs, Number(m[1]) * 1000) : routeTtlMs;
}

/** Lower-case header names from `Vary`, sorted; null for `Vary: *` (never cacheable). */
export function varyNames(headers: Record<string, string | string[] | undefined>): string[] | null {
  const v = headers.vary;
  if (!v) return [];
  const names = (Array.isArray(v) ? v.join(',') : v).split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.includes('*')) return null;
  return [...new Set(names)].sort();
}

/** The variant key: the request's values of the `Vary` headers. */
export function variantKey(base: string, vary: readonly string[], headers: IncomingHttpHeaders): string {
  if (!vary.length) return base;
  return `${base}\u0000${vary.map((n) => `${n}=${String(headers[n] ?? '')}`).join('\u0000')}`;
}

/** [4-byte meta length][meta JSON][body]: one value per entry, in memory or Redis alike. */
export function encodeEntry(e: CachedResponse): Buffer {
  const meta = Buffer.from(JSON.stringify({ status: e.status, headers: e.headers, storedAt: e.storedAt }));
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32BE(meta.length);
  return Buffer.concat([len, meta, e.body]);
}

export function decodeEntry(buf: Buffer): CachedResponse | undefined {
  if (buf.length < 4) return undefined;
  const n = buf.readUInt32BE(0);
  try {
    const meta = JSON.parse(buf.subarray(4, 4 + n).toString()) as Omit<CachedResponse, 'body'>;
    return { ...meta, body: buf.subarray(4 + n) };
  } catch {
    return undefined;
  }
}
