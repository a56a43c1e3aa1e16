import { periodOf, periodStart, type Period } from '../limits/limits.js';

/**
 * The pure part of budget alerts: which thresholds a settled spend has reached, and the ids that
 * make an alert unique per budget, threshold and period (the `alert_deliveries` primary key).
 */

/**
 * Percentages of `limitNanos` that `spentNanos` has reached (spent ≥ pct % of the budget),
 * lowest first. A budget of 0 has no meaningful share: nothing.
 */
export function reachedThresholds(spentNanos: number, limitNanos: number, pcts: readonly number[]): number[] {
  if (!(limitNanos > 0)) return [];
  const out: number[] = [];
  // spent / limit ≥ pct / 100, without a division; past 2^53 the products go through BigInt to stay exact.
  for (const pct of pcts) {
    const a = spentNanos * 100;
    const b = limitNanos * pct;
    if (Number.isSafeInteger(a) && Number.isSafeInteger(b) ? a >= b : BigInt(spentNanos) * 100n >= BigInt(limitNanos) * BigInt(pct)) out.push(pct);
  }
  return out;
}

/** A budget period's bounds as ISO strings (`total` has neither), and its start for the id. */
export interface PeriodBounds {
  start: string | null;
  end: string | null;
  /** `2026-01-01` for day and month periods, `total` for the budget that never resets. */
  label: string;
}

export function periodBounds(period: Period, at: number): PeriodBounds {
  if (period === 'total') return { start: null, end: null, label: 'total' };
  const start = new Date(periodStart(period, at)).toISOString();
  return { start, end: new Date(periodOf(period, at).endsAt!).toISOString(), label: start.slice(0, 10) };
}

/**
 * `budget:<scope>:<id>:<period>:<period start>:<pct>` — e.g. `budget:team:team_x:month:2026-01-01:80`.
 * The period name is part of it: a budget switched from month to day on the 1st is another budget.
 */
export function budgetAlertId(scope: 'team' | 'key', id: string, period: Period, bounds: PeriodBounds, pct: number): string {
  return `budget:${scope}:${id}:${period}:${bounds.label}:${pct}`;
}

/** Fixed windows aligned on the Unix epoch (60 minutes = each clock hour, UTC). */
export function spikeWindow(windowMs: number, at: number): { startMs: number; endMs: number } {
  const startMs = Math.floor(at / windowMs) * windowMs;
  return { startMs, endMs: startMs + windowMs };
}

/** `spike:team:<id>:<minutes>m:<window start ISO>`. */
export function spikeAlertId(teamId: string, windowMs: number, startMs: number): string {
  return `spike:team:${teamId}:${windowMs / 60_000}m:${new Date(startMs).toISOString()}`;
}
