import { and, eq, gte, isNull, sql } from 'drizzle-orm';
import { forbidden, notFound } from '../engine/errors.js';
import type { Principal } from '../engine/auth.js';
import { microsToUsd } from '../metering/money.js';
import { compileLimits, periodOf, periodStart, type LimitsInput, type Period } from '../metering/limits/limits.js';
import type { Db } from '../storage/sqlite/open.js';
import { apiKeys, teams, usageRecords as u } from '../storage/sqlite/schema/index.js';
import { parseJson } from './key-store.js';

/** A budget (USD) in its current period: what is spent, per the ledger, and when it resets. */
export interface BudgetStatus {
  period: Period;
  amount_micros: number;
  amount_usd: number;
  spent_micros: number;
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
 * truth (reservations of requests still in flight are not in it). Sums are of integers in SQL.
 */
function used(db: Db, scope: 'team' | 'key', id: string, since: number): { micros: number; tokens: number } {
  const col = scope === 'team' ? u.teamId : u.keyId;
  const r = db
    .select({
      micros: sql<number>`coalesce(sum(${u.costMicros}), 0)`.mapWith(Number),
      tokens: sql<number>`coalesce(sum(${u.inputTokens} + ${u.outputTokens}), 0)`.mapWith(Number),
    })
    .from(u)
    .where(and(eq(col, id), gte(u.time, since)))
    .get()!;
  return r;
}

function statusOf(db: Db, scope: 'team' | 'key', id: string, name: string, teamId: string, limitsJson: string | null, now: number): ScopeBudgets | undefined {
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
    const spent = used(db, scope, id, w.start).micros;
    budget = {
      period: limits.budget.period,
      amount_micros: limits.budget.micros,
      amount_usd: microsToUsd(limits.budget.micros),
      spent_micros: spent,
      spent_usd: microsToUsd(spent),
      period_start: w.period_start,
      resets_at: w.resets_at,
    };
  }
  if (limits.tokens) {
    const w = window(limits.tokens.period);
    tokens = { period: limits.tokens.period, amount: limits.tokens.amount, used: used(db, scope, id, w.start).tokens, period_start: w.period_start, resets_at: w.resets_at };
  }
  return { scope, id, name, team_id: teamId, budget, tokens };
}

/** `GET /admin/budgets`: every team and every unrevoked key that has a budget or token quota. */
export function listBudgets(db: Db, now = Date.now()): ScopeBudgets[] {
  const out: ScopeBudgets[] = [];
  for (const t of db.select().from(teams).orderBy(teams.createdAt).all()) {
    const s = statusOf(db, 'team', t.id, t.name, t.id, t.limits, now);
    if (s) out.push(s);
  }
  for (const k of db.select().from(apiKeys).where(isNull(apiKeys.revokedAt)).orderBy(apiKeys.createdAt).all()) {
    const s = statusOf(db, 'key', k.id, k.name, k.teamId, k.limits, now);
    if (s) out.push(s);
  }
  return out;
}

/** `GET /v1/team`: a team key reads its own team — limits, and its budget and quota in the current period. */
export function ownTeam(db: Db, who: Principal, now = Date.now()) {
  if (who.kind === 'admin') throw forbidden('The admin key belongs to no team: GET /admin/teams and /admin/budgets show every team.');
  if (who.kind !== 'team-key' || !who.teamId) throw forbidden('Only a team key has a team (a key from auth.keys does not).');
  const t = db.select().from(teams).where(eq(teams.id, who.teamId)).get();
  if (!t) throw notFound('This key’s team no longer exists.');
  const s = statusOf(db, 'team', t.id, t.name, t.id, t.limits, now);
  return {
    id: t.id,
    name: t.name,
    limits: parseJson(t.limits) ?? null,
    created_at: new Date(t.createdAt).toISOString(),
    budget: s?.budget ?? null,
    tokens: s?.tokens ?? null,
  };
}
