import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';

let RedisClass: typeof Redis | undefined;

/**
 * A Redis client for the configured TOLLGATE_REDIS_URL. ioredis is loaded on the first call, so a
 * gateway without Redis never pays its load time at start (~60–80 ms).
 */
export function newRedis(url: string, options: RedisOptions): Redis {
  RedisClass ??= (createRequire(import.meta.url)('ioredis') as { Redis: typeof Redis }).Redis;
  return new RedisClass(url, options);
}
