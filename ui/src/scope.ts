import type { Session } from './api';
import { qs } from './api';

/**
 * Where a page reads its data, by who signed in: the admin key reads the admin API (every team),
 * a team key the `/v1` forms of the same reports (its own team only — the gateway enforces it).
 */
export interface Scope {
  admin: boolean;
  usage(params: Record<string, string | undefined>): string;
  summary(params: Record<string, string | undefined>): string;
  records(params: Record<string, string | number | undefined>): string;
}

export function scopeOf(s: Session): Scope {
  const base = s.kind === 'admin' ? '/admin' : '/v1';
  return {
    admin: s.kind === 'admin',
    usage: (p) => `${base}/usage${qs(p)}`,
    summary: (p) => `${base}/usage/summary${qs(p)}`,
    records: (p) => `${base}/usage/records${qs(p)}`,
  };
}

/** Shared API shapes. */
export interface UsageRow {
  requests: number;
  input_tokens: number;
  output_tokens: number;
  cost_nanos: number;
  cost_usd: number;
  [group: string]: string | number | null;
}
export interface UsageReport {
  data: UsageRow[];
  total: { requests: number; input_tokens: number; output_tokens: number; cost_nanos: number; cost_usd: number };
}
export interface Team {
  id: string;
  name: string;
  limits: Limits | null;
  created_at: string;
}
export interface Limits {
  budget_usd?: { amount: number; period: 'day' | 'month' | 'total' };
  tokens?: { amount: number; period: 'day' | 'month' | 'total' };
  rpm?: number;
  tpm?: number;
  max_concurrency?: number;
}
export interface Key {
  id: string;
  team_id: string;
  name: string;
  prefix: string;
  allowed_models: string[] | null;
  limits: Limits | null;
  expires_at: string | null;
  revoked_at: string | null;
  created_at: string;
}
export interface BudgetStatus {
  period: string;
  amount_nanos: number;
  spent_nanos: number;
  period_start: string;
  resets_at: string | null;
}
export interface TokenStatus {
  period: string;
  amount: number;
  used: number;
  resets_at: string | null;
}
export interface ScopeBudgets {
  scope: 'team' | 'key';
  id: string;
  name: string;
  team_id: string;
  budget: BudgetStatus | null;
  tokens: TokenStatus | null;
}
