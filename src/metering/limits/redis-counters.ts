import type { Redis } from 'ioredis';
import { newRedis } from '../../config/redis-client.js';
import type { Adjust, Check, Counters, ReserveResult } from './counters.js';

const NS = 'tg:';
const REVOKED = `${NS}revoked`;

/**
 * Check every limit, then reserve on every counter — one Lua script, so it is atomic across
 * every gateway instance sharing this Redis (docs/architecture.md §4).
 * KEYS[1..n] counters, KEYS[n+1] the revoked-keys set.
 * ARGV: now (ms), request id, key id ('' = none), then per counter: kind, limit, amount, ttl ms.
 * Returns {0, value after…} | {1, failing index (1-based), current} | {-1} (key revoked).
 */
const RESERVE = `
local n = #KEYS - 1
local now = tonumber(ARGV[1])
if ARGV[3] ~= '' and redis.call('SISMEMBER', KEYS[n + 1], ARGV[3]) == 1 then return {-1} end
local out = {0}
for i = 1, n do
  local b = 4 + (i - 1) * 4
  local limit, amount, ttl = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
  local cur
  if ARGV[b] == 'slots' then
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - ttl)
    cur = redis.call('ZCARD', KEYS[i])
  else
    cur = tonumber(redis.call('GET', KEYS[i]) or '0')
  end
  if cur + amount > limit then return {1, i, cur} end
  out[i + 1] = cur + amount
end
for i = 1, n do
  local b = 4 + (i - 1) * 4
  local ttl = tonumber(ARGV[b + 3])
  if ARGV[b] == 'slots' then
    redis.call('ZADD', KEYS[i], now, ARGV[2])
    redis.call('PEXPIRE', KEYS[i], ttl)
  else
    redis.call('INCRBY', KEYS[i], ARGV[b + 2])
    if ttl > 0 then redis.call('PEXPIRE', KEYS[i], ttl) end
  end
end
return out
`;

/** ARGV: request id, then per counter: kind, delta. An expired window is not recreated. */
const SETTLE = `
for i = 1, #KEYS do
  local b = 2 + (i - 1) * 2
  if ARGV[b] == 'slots' then
    redis.call('ZREM', KEYS[i], ARGV[1])
  elseif ARGV[b + 1] ~= '0' and redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('INCRBY', KEYS[i], ARGV[b + 1])
  end
end
return 1
`;

interface Scripted extends Redis {
  tgReserve(...args: (string | number)[]): Promise<number[]>;
  tgSettle(...args: (string | number)[]): Promise<number>;
}

/**
 * Counters in Redis (TOLLGATE_REDIS_URL), shared by every instance. Failures surface as rejected
 * promises: admission turns them into a 503 (refusing is safer for a budget than guessing).
 */
export function createRedisCounters(url: string): Counters & { redis: Redis } {
  const redis = newRedis(url, { maxRetriesPerRequest: 2, commandTimeout: 2000, lazyConnect: false, enableAutoPipelining: true }) as Scripted;
  redis.on('error', () => {}); // reported through ping() and failed commands, not as an unhandled event
  redis.defineCommand('tgReserve', { lua: RESERVE });
  redis.defineCommand('tgSettle', { lua: SETTLE });

  return {
    redis,
    async reserve(checks: readonly Check[], requestId: string, now: number, keyId?: string): Promise<ReserveResult> {
      const args: (string | number)[] = [checks.length + 1, ...checks.map((c) => NS + c.key), REVOKED, now, requestId, keyId ?? ''];
      for (const c of checks) args.push(c.kind, c.limit, c.amount, c.ttlMs);
      const r = await redis.tgReserve(...args);
      if (r[0] === -1) return { ok: false, revoked: true };
      if (r[0] === 1) return { ok: false, index: r[1]! - 1, current: r[2]! };
      return { ok: true, values: r.slice(1) };
    },
    async settle(adjusts: readonly Adjust[], requestId: string) {
      if (!adjusts.length) return;
      const args: (string | number)[] = [adjusts.length, ...adjusts.map((a) => NS + a.key), requestId];
      for (const a of adjusts) args.push(a.kind, a.delta);
      await redis.tgSettle(...args);
    },
    async seed(key, value, ttlMs) {
      if (ttlMs) await redis.set(NS + key, value, 'PX', ttlMs, 'NX');
      else await redis.set(NS + key, value, 'NX');
    },
    async read(key) {
      const type = await redis.type(NS + key);
      if (type === 'zset') return redis.zcard(NS + key);
      return Number((await redis.get(NS + key)) ?? 0);
    },
    async revoke(keyId) {
      await redis.sadd(REVOKED, keyId);
    },
    async ping() {
      try {
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
