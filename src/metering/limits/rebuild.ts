import type { UsageRepo } from '../../storage/ports.js';
import { spendKey, tokensKey } from './admission.js';
import type { Counters } from './counters.js';
import { periodOf, periodStart, type Limits, type Period } from './limits.js';

export interface LimitedScope {
  scope: 'team' | 'key';
  id: string;
  limits: Limits;
}

const DAY = 86_400_000;

/**
 * Rebuilds the period counters (spend, tokens) from the ledger, the source of truth (docs/architecture.md §4):
 * at start, so a restarted single instance keeps its budgets, and a flushed Redis is refilled.
 * A counter that already exists is left alone (Redis shared with running instances holds their
 * reservations in flight). Minute windows and concurrency are not rebuilt: they are transient.
 */
export async function rebuildCounters(usage: Pick<UsageRepo, 'spendSince'>, counters: Pick<Counters, 'seed'>, scopes: readonly LimitedScope[], now = Date.now()): Promise<number> {
  let seeded = 0;
  for (const s of scopes) {
    const periods = new Set<Period>();
    if (s.limits.budget) periods.add(s.limits.budget.period);
    if (s.limits.tokens) periods.add(s.limits.tokens.period);
    for (const period of periods) {
      const row = await usage.spendSince(s.scope, s.id, periodStart(period, now));
      const endsAt = periodOf(period, now).endsAt;
      const ttl = endsAt ? endsAt - now + DAY : 0;
      if (s.limits.budget?.period === period) {
        await counters.seed(spendKey(s.scope, s.id, period, now), row.nanos, ttl);
        seeded++;
      }
      if (s.limits.tokens?.period === period) {
        await counters.seed(tokensKey(s.scope, s.id, period, now), row.tokens, ttl);
        seeded++;
      }
    }
  }
  return seeded;
}
