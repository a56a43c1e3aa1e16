import type { Adjust, Check, Counters, ReserveResult } from './counters.js';

/**
 * In-process counters: correct for one instance only (docs/contract.md §1). `reserve` is synchronous, so
 * check-and-reserve cannot interleave with another request's.
 */
export function createMemoryCounters(now: () => number = Date.now): Counters {
  const sums = new Map<string, { v: number; exp: number }>();
  const slots = new Map<string, Map<string, number>>();
  const revoked = new Set<string>();

  const sumOf = (key: string, t: number): number => {
    const e = sums.get(key);
    if (!e) return 0;
    if (e.exp && e.exp <= t) {
      sums.delete(key);
      return 0;
    }
    return e.v;
  };
  const slotsOf = (key: string, t: number, ttlMs: number): Map<string, number> => {
    let s = slots.get(key);
    if (!s) slots.set(key, (s = new Map()));
    for (const [id, at] of s) if (at <= t - ttlMs) s.delete(id);
    return s;
  };

  // Expired windows would otherwise pile up (one rpm key per scope per minute).
  const sweep = setInterval(() => {
    const t = now();
    for (const [k, e] of sums) if (e.exp && e.exp <= t) sums.delete(k);
    for (const [k, s] of slots) if (s.size === 0) slots.delete(k);
  }, 60_000);
  sweep.unref();

  return {
    reserve(checks: readonly Check[], requestId: string, t: number, keyId?: string): ReserveResult {
      if (keyId && revoked.has(keyId)) return { ok: false, revoked: true };
      const values: number[] = [];
      for (const [index, c] of checks.entries()) {
        const current = c.kind === 'slots' ? slotsOf(c.key, t, c.ttlMs).size : sumOf(c.key, t);
        if (current + c.amount > c.limit) return { ok: false, index, current };
        values.push(current + c.amount);
      }
      for (const c of checks) {
        if (c.kind === 'slots') slotsOf(c.key, t, c.ttlMs).set(requestId, t);
        else sums.set(c.key, { v: sumOf(c.key, t) + c.amount, exp: c.ttlMs ? t + c.ttlMs : 0 });
      }
      return { ok: true, values };
    },
    settle(adjusts: readonly Adjust[], requestId: string) {
      const t = now();
      for (const a of adjusts) {
        if (a.kind === 'slots') slots.get(a.key)?.delete(requestId);
        else if (a.delta !== 0) {
          const e = sums.get(a.key);
          // An expired window (tpm after its minute) is gone: nothing to correct.
          if (e && !(e.exp && e.exp <= t)) e.v += a.delta;
        }
      }
    },
    seed(key, value, ttlMs) {
      if (!sums.has(key)) sums.set(key, { v: value, exp: ttlMs ? now() + ttlMs : 0 });
    },
    read(key) {
      const s = slots.get(key);
      return s ? s.size : sumOf(key, now());
    },
    revoke(keyId) {
      revoked.add(keyId);
    },
    ping: async () => true,
    close: async () => clearInterval(sweep),
  };
}
