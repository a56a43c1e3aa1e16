import type { Redis } from 'ioredis';
import { newRedis } from '../config/redis-client.js';

/** Where cached proxy responses live: in process, or in Redis when configured (shared by instances). */
export interface CacheStore {
  get(key: string): Promise<Buffer | undefined>;
  set(key: string, value: Buffer, ttlMs: number): Promise<void>;
  close(): Promise<void>;
}

/** In-process LRU bounded by total bytes; expired entries are dropped when met. */
export function memoryCacheStore(maxBytes = 64 * 1024 * 1024): CacheStore {
  const entries = new Map<string, { value: Buffer; expires: number }>();
  let bytes = 0;
  const drop = (key: string) => {
    const e = entries.get(key);
    if (e) {
      bytes -= e.value.length;
      entries.delete(key);
    }
  };
  return {
    async get(key) {
      const e = entries.get(key);
      if (!e) return undefined;
      if (Date.now() >= e.expires) {
        drop(key);
        return undefined;
      }
      // LRU: re-insert as most recent.
      entries.delete(key);
      entries.set(key, e);
      return e.value;
    },
    async set(key, value, ttlMs) {
      if (value.length > maxBytes) return;
      drop(key);
      entries.set(key, { value, expires: Date.now() + ttlMs });
      bytes += value.length;
      for (const k of entries.keys()) {
        if (bytes <= maxBytes) break;
        drop(k);
      }
    },
    async close() {
      entries.clear();
      bytes = 0;
    },
  };
}

/**
 * Redis: one key per entry with a millisecond expiry. A Redis failure is a cache miss, never
 * a failed request (the cache is an optimisation).
 */
export function redisCacheStore(url: string, prefix = 'tollgate:proxy-cache:'): CacheStore {
  const redis = newRedis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true });
  redis.on('error', () => undefined);
  return {
    async get(key) {
      try {
        return (await redis.getBuffer(prefix + key)) ?? undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value, ttlMs) {
      try {
        await redis.set(prefix + key, value, 'PX', ttlMs);
      } catch {
        /* a miss next time */
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
