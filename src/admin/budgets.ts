import { forbidden, notFound } from '../engine/errors.js';
import type { Principal } from '../engine/auth.js';
import { nanosToUsd } from '../metering/money.js';
import { compileLimits, periodOf, periodStart, type LimitsInput, type Period } from '../metering/limits/limits.js';
import type { Store } from '../storage/ports.js';
import { parseJson } from './key-store.js';

/** A budget (USD) in its current period: what is spent, per the ledger, and when it resets. */
export interface BudgetStatus {
  period: Period;
  amount_nanos: number;
  amount_usd: number;
  spent_nanos: number;
  spent_usd: number;
  /** ISO; the epoch for `total`. */
  period_start: string;
  /** ISO; null for `total` (never resets). */
  resets_at: string | null;
}

/** A token quota in its current period. */
export interface TokenQuotaStatus {
  period: Period;
  amount: number;
  used: number;
  period_start: string;
  resets_at: string | null;
}

export interface ScopeBudgets {
  scope: 'team' | 'key';
  id: string;
  name: string;
  team_id: string;
  budget: BudgetStatus | null;
  tokens: TokenQuotaStatus | null;
}

/**
 * Spend and tokens of one team or key since its period started, from the ledger — the settled
 * truth (reservations of requests still in flight are not in it).
 */
async function statusOf(store: Pick<Store, 'usage'>, scope: 'team' | 'key', id: string, name: string, teamId: string, limitsJson: string | null, now: number): Promise<ScopeBudgets | undefined> {
  const limits = compileLimits(parseJson<LimitsInput>(limitsJson));
  if (!limits?.budget && !limits?.tokens) return undefined;
  const window = (p: Period) => {
    const start = periodStart(p, now);
    const end = periodOf(p, now).endsAt;
    return { start, period_start: new Date(start).toISOString(), resets_at: end === undefined ? null : new Date(end).toISOString() };
  };
  let budget: BudgetStatus | null = null;
  let tokens: TokenQuotaStatus | null = null;
  if (limits.budget) {
    const w = window(limits.budget.period);
    const spent = (await store.usage.spendSince(scope, id, w.start)).nanos;
    budget = {
      period: limits.budget.period,
      amount_nanos: limits.budget.nanos,
      amount_usd: nanosToUsd(limits.budget.nanos),
      spent_nanos: spent,
      spent_usd: nanosToUsd(spent),
      period_start: w.period_start,
      resets_at: w.resets_at,
    };
  }
  if (limits.tokens) {
    const w = window(limits.tokens.period);
    tokens = { period: limits.tokens.period, amount: limits.tokens.amount, used: (await store.usage.spendSince(scope, id, w.start)).tokens, period_start: w.period_start, resets_at: w.resets_at };
  }
  return { scope, id, name, team_id: teamId, budget, tokens };
}

/** `GET /admin/budgets`: every team and every unrevoked key that has a budget or token quota. */
export async function listBudgets(store: Pick<Store, 'usage' | 'teams' | 'keys'>, now = Date.now()): Promise<ScopeBudgets[]> {
  const out: ScopeBudgets[] = [];
  for (const t of await store.teams.list()) {
    const s = await statusOf(store, 'team', t.id, t.name, t.id, t.limits, now);
    if (s) out.push(s);
  }
  for (const k of await store.keys.list({ unrevoked: true, order: 'asc' })) {
    const s = await statusOf(store, 'key', k.id, k.name, k.teamId, k.limits, now);
    if (s) out.push(s);
  }
  return out;
}

/** `GET /v1/team`: a team key reads its own team — limits, and its budget and quota in the current period. */
export async function ownTeam(store: Pick<Store, 'usage' | 'teams'>, who: Principal, now = Date.now()) {
  if (who.kind === 'admin') throw forbidden('The admin key belongs to no team: GET /admin/teams and /admin/budgets show every team.');
  if (who.kind !== 'team-key' || !who.teamId) throw forbidden('Only a team key has a team (a key from auth.keys does not).');
  const t = await store.teams.get(who.teamId);
  if (!t) throw notFound('This key’s team no longer exists.');
  const s = await statusOf(store, 'team', t.id, t.name, t.id, t.limits, now);
  return {
    id: t.id,
    name: t.name,
    limits: parseJson(t.limits) ?? null,
    created_at: new Date(t.createdAt).toISOString(),
    budget: s?.budget ?? null,
    tokens: s?.tokens ?? null,
  };
}
