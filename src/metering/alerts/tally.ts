import type { Redis } from 'ioredis';
import type { UsageRepo } from '../../storage/ports.js';

/**
 * Settled spend per budget period and per spike window, for the alert checks. The budget
 * counters hold spent + reserved; an alert says what was *spent*, so this tally adds only the
 * real cost of settled requests. In process (one instance), or in Redis when the counters are
 * (every instance adds to the same number). Seeded from the ledger at start, like the counters.
 */
export interface Tally {
  /** Adds `nanos` and returns the new total (the key lives `ttlMs`, 0 = forever). */
  add(key: string, nanos: number, ttlMs: number): number | Promise<number>;
  /** Sets a total from the ledger unless it already exists. */
  seed(key: string, nanos: number, ttlMs: number): void | Promise<void>;
}

export function createMemoryTally(now: () => number = Date.now): Tally & { size(): number } {
  const sums = new Map<string, { v: number; exp: number }>();
  const live = (key: string, t: number) => {
    const e = sums.get(key);
    if (e && e.exp && e.exp <= t) {
      sums.delete(key);
      return undefined;
    }
    return e;
  };
  let adds = 0;
  return {
    add(key, nanos, ttlMs) {
      const t = now();
      // Periods and windows end: drop the dead keys now and then (no timer to clear).
      if (++adds % 1024 === 0) for (const [k, e] of sums) if (e.exp && e.exp <= t) sums.delete(k);
      const e = live(key, t);
      if (e) return (e.v += nanos);
      sums.set(key, { v: nanos, exp: ttlMs ? t + ttlMs : 0 });
      return nanos;
    },
    seed(key, nanos, ttlMs) {
      if (!live(key, now())) sums.set(key, { v: nanos, exp: ttlMs ? now() + ttlMs : 0 });
    },
    size: () => sums.size,
  };
}

const NS = 'tg:alerts:';
const ADD = `
local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return v
`;

interface Scripted extends Redis {
  tgAlertAdd(key: string, nanos: number, ttlMs: number): Promise<number>;
}

/** The tally in the counters' Redis: one INCRBY per settled request with a budget (off the request path). */
export function createRedisTally(redis: Redis): Tally {
  const r = redis as Scripted;
  if (!r.tgAlertAdd) r.defineCommand('tgAlertAdd', { numberOfKeys: 1, lua: ADD });
  return {
    add: (key, nanos, ttlMs) => r.tgAlertAdd(NS + key, nanos, ttlMs).then(Number),
    async seed(key, nanos, ttlMs) {
      if (ttlMs) await redis.set(NS + key, nanos, 'PX', ttlMs, 'NX');
      else await redis.set(NS + key, nanos, 'NX');
    },
  };
}

/** Spend per team since `sinceMs`, from the ledger (the spike window in progress at start). */
export function teamSpendSince(usage: Pick<UsageRepo, 'teamSpendSince'>, sinceMs: number): Promise<Array<{ teamId: string; nanos: number }>> {
  return usage.teamSpendSince(sinceMs);
}
