import { formatUsd, NANOS_PER_USD, nanosToUsd } from '../money.js';
import type { Period } from '../limits/limits.js';
import type { PeriodBounds } from './thresholds.js';

/** A budget's spend reached `threshold_pct` % of it (docs/alerts.md). */
export interface BudgetThresholdAlert {
  id: string;
  type: 'budget.threshold';
  scope: 'team' | 'key';
  team_id: string;
  /** Only for a key's own budget. */
  key_id?: string;
  threshold_pct: number;
  period: Period;
  /** ISO 8601 (UTC); null for a `total` budget. */
  period_start: string | null;
  period_end: string | null;
  spent_usd: number;
  budget_usd: number;
  /** When the alert was raised, ISO 8601. */
  time: string;
}

/** A team spent more than `threshold_usd` within one fixed window. */
export interface SpendSpikeAlert {
  id: string;
  type: 'budget.spike';
  scope: 'team';
  team_id: string;
  window_minutes: number;
  period_start: string;
  period_end: string;
  spent_usd: number;
  threshold_usd: number;
  time: string;
}

export type Alert = BudgetThresholdAlert | SpendSpikeAlert;

export function budgetAlert(a: {
  id: string;
  scope: 'team' | 'key';
  teamId: string;
  keyId?: string;
  pct: number;
  period: Period;
  bounds: PeriodBounds;
  spentNanos: number;
  limitNanos: number;
  now: number;
}): BudgetThresholdAlert {
  return {
    id: a.id,
    type: 'budget.threshold',
    scope: a.scope,
    team_id: a.teamId,
    ...(a.scope === 'key' && a.keyId && { key_id: a.keyId }),
    threshold_pct: a.pct,
    period: a.period,
    period_start: a.bounds.start,
    period_end: a.bounds.end,
    spent_usd: nanosToUsd(a.spentNanos),
    budget_usd: nanosToUsd(a.limitNanos),
    time: new Date(a.now).toISOString(),
  };
}

export function spikeAlert(a: { id: string; teamId: string; windowMs: number; startMs: number; spentNanos: number; limitNanos: number; now: number }): SpendSpikeAlert {
  return {
    id: a.id,
    type: 'budget.spike',
    scope: 'team',
    team_id: a.teamId,
    window_minutes: a.windowMs / 60_000,
    period_start: new Date(a.startMs).toISOString(),
    period_end: new Date(a.startMs + a.windowMs).toISOString(),
    spent_usd: nanosToUsd(a.spentNanos),
    threshold_usd: nanosToUsd(a.limitNanos),
    time: new Date(a.now).toISOString(),
  };
}

const PERIOD_WORD: Record<Period, string> = { day: 'daily', month: 'monthly', total: 'total' };

/** The one line Slack shows (`format: slack`). */
export function alertText(a: Alert): string {
  if (a.type === 'budget.spike') {
    return `tollgate: team ${a.team_id} spent ${usd(a.spent_usd)} within ${a.window_minutes} minutes (window from ${a.period_start}), more than the ${usd(a.threshold_usd)} spend-spike threshold.`;
  }
  const who = a.scope === 'key' ? `key ${a.key_id} (team ${a.team_id})` : `team ${a.team_id}`;
  const since = a.period_start ? ` since ${a.period_start.slice(0, 10)}` : '';
  return `tollgate: ${who} reached ${a.threshold_pct}% of its ${PERIOD_WORD[a.period]} budget: ${usd(a.spent_usd)} of ${usd(a.budget_usd)} spent${since}.`;
}

/** The exact body POSTed (and signed): the alert, plus `text` for Slack. */
export function renderBody(a: Alert, format: 'json' | 'slack'): string {
  return JSON.stringify(format === 'slack' ? { ...a, text: alertText(a) } : a);
}

/** $8.02, $0.0015, $0.0000975: cents at least, more digits only when they are not zero. */
function usd(value: number): string {
  const fixed = formatUsd(Math.round(value * NANOS_PER_USD));
  return `$${fixed.replace(/0{1,4}$/, '')}`;
}
