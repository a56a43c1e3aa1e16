import { createHash } from 'node:crypto';

/**
 * Exact-match response cache for non-streaming LLM calls (opt-in per alias `cache.ttl_s`, or
 * per request with `x-tollgate-cache-ttl: <seconds>`). The key is the team plus the request
 * body normalised (keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` hit the same entry);
 * teams never share entries. A hit costs nothing on the ledger and says so
 * (`x-tollgate-cache: hit`). In memory by default; Redis when configured, shared by instances.
 */
export interface CachedResponse {
  body: string;
  headers: Record<string, string>;
}

export interface ResponseCacheStore {
  get(key: string): Promise<CachedResponse | undefined>;
  set(key: string, value: CachedResponse, ttlS: number): Promise<void>;
}

/**
 * The body a hit serves, computed once when the entry is stored: the answer as first sent, but
 * its top-level `usage` says what a hit costs — `cost: 0` where the surface prices in the body —
 * and `cached: true`. Token counts stay (what the original call used). A body without a usage
 * object (none of ours) is stored as it is.
 */
export function cachedBody(payload: string): string {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return payload;
  }
  const usage = (json as { usage?: unknown } | null)?.usage;
  if (usage === null || typeof usage !== 'object' || Array.isArray(usage)) return payload;
  const u = usage as Record<string, unknown>;
  if ('cost' in u) u.cost = 0;
  u.cached = true;
  return JSON.stringify(json);
}

/**
 * `scope` names what the answer looks like: the same JSON body is valid on `/v1/chat/completions`
 * and `/v1/messages` (and a prompt renders to a chat body), and each must get its own API's shape.
 */
export function cacheKey(teamId: string | null, body: unknown, scope = ''): string {
  return createHash('sha256')
    .update(teamId ?? '-')
    .update('\0')
    .update(scope)
    .update('\0')
    .update(stableStringify(body))
    .digest('hex');
}

function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
    .join(',')}}`;
}

/** Bounded in-process store: expired entries are dropped on read, the oldest when full. */
export class MemoryResponseCache implements ResponseCacheStore {
  private readonly entries = new Map<string, { value: CachedResponse; expires: number }>();
  constructor(private readonly maxEntries = 10_000, private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<CachedResponse | undefined> {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  async set(key: string, value: CachedResponse, ttlS: number): Promise<void> {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, expires: this.now() + ttlS * 1000 });
  }
}

/** Minimal Redis surface used (ioredis' `get` / `set … PX`). */
export interface RedisLike {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, px: 'PX', ms: number): Promise<unknown>;
}

export class RedisResponseCache implements ResponseCacheStore {
  constructor(private readonly redis: RedisLike, private readonly prefix = 'tollgate:rc:') {}
  async get(key: string): Promise<CachedResponse | undefined> {
    const v = await this.redis.get(this.prefix + key);
    return v ? (JSON.parse(v) as CachedResponse) : undefined;
  }
  async set(key: string, value: CachedResponse, ttlS: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(value), 'PX', ttlS * 1000);
  }
}
