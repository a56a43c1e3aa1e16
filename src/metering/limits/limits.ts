import { invalidRequest } from '../../engine/errors.js';
import { formatUsd, scaleDecimal } from '../money.js';

export type Period = 'day' | 'month' | 'total';
const PERIODS: readonly string[] = ['day', 'month', 'total'];

/**
 * Limits on a team or a key, as the admin writes them (docs/contract.md §4):
 *   {"budget_usd": {"amount": 25, "period": "month"}, "tokens": {"amount": 2000000, "period": "day"},
 *    "rpm": 600, "tpm": 200000, "max_concurrency": 20}
 */
export interface LimitsInput {
  /** `alert_at`: percentages of the amount at which budget alerts fire (wins over `alerts.budget_thresholds`). */
  budget_usd?: { amount: number; period: Period; alert_at?: number[] };
  tokens?: { amount: number; period: Period };
  rpm?: number;
  tpm?: number;
  max_concurrency?: number;
}

/** The same, compiled for admission: money in integer nano-dollars. */
export interface Limits {
  budget?: { nanos: number; period: Period; alertAt?: readonly number[] };
  tokens?: { amount: number; period: Period };
  rpm?: number;
  tpm?: number;
  maxConcurrency?: number;
}

const FIELDS = ['budget_usd', 'tokens', 'rpm', 'tpm', 'max_concurrency'];

/**
 * Validates an admin's limits object; throws a 400 naming the field. `null`/absent = no limits.
 * Strict: an unknown field is a typo that would silently leave a team uncapped.
 */
export function parseLimits(value: unknown, path = 'limits'): LimitsInput | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest(`${path} must be an object.`, path);
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) {
    if (!FIELDS.includes(k)) throw invalidRequest(`${path}.${k} is not a known limit (known: ${FIELDS.join(', ')}).`, `${path}.${k}`);
  }
  const out: LimitsInput = {};
  if (v.budget_usd !== undefined) {
    const b: NonNullable<LimitsInput['budget_usd']> = periodAmount(v.budget_usd, `${path}.budget_usd`, false, ['alert_at']);
    const { exact, value } = scaleDecimal(b.amount, 9);
    if (!exact) throw invalidRequest(`${path}.budget_usd.amount has more precision than a nano-dollar.`, `${path}.budget_usd.amount`);
    // Budgets are counted in integer nano-dollars: the amount must fit one exactly.
    if (!Number.isSafeInteger(Number(value))) throw invalidRequest(`${path}.budget_usd.amount is too large (at most ${formatUsd(Number.MAX_SAFE_INTEGER)} USD: budgets are counted in whole nano-dollars).`, `${path}.budget_usd.amount`);
    const alertAt = (v.budget_usd as Record<string, unknown>).alert_at;
    if (alertAt !== undefined) b.alert_at = parseAlertAt(alertAt, `${path}.budget_usd.alert_at`);
    out.budget_usd = b;
  }
  if (v.tokens !== undefined) out.tokens = periodAmount(v.tokens, `${path}.tokens`, true);
  for (const k of ['rpm', 'tpm', 'max_concurrency'] as const) {
    if (v[k] === undefined) continue;
    out[k] = count(v[k], `${path}.${k}`);
  }
  return out;
}

export function compileLimits(input: LimitsInput | null | undefined): Limits | undefined {
  if (!input) return undefined;
  const out: Limits = {};
  if (input.budget_usd) {
    const { amount, period, alert_at } = input.budget_usd;
    out.budget = { nanos: budgetNanos(amount), period, ...(alert_at && { alertAt: Object.freeze([...alert_at]) }) };
  }
  if (input.tokens) out.tokens = { ...input.tokens };
  if (input.rpm !== undefined) out.rpm = input.rpm;
  if (input.tpm !== undefined) out.tpm = input.tpm;
  if (input.max_concurrency !== undefined) out.maxConcurrency = input.max_concurrency;
  return Object.keys(out).length ? out : undefined;
}

/**
 * A stored amount → nano-dollars. Amounts saved before money was counted in nano-dollars could be
 * up to $9e9: above MAX_USD they are capped where integers stay exact (counters compare with it).
 */
function budgetNanos(amount: number): number {
  const nanos = scaleDecimal(amount, 9).value;
  return nanos > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(nanos);
}

function periodAmount(value: unknown, path: string, integer: boolean, more: readonly string[] = []): { amount: number; period: Period } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidRequest(`${path} must be an object {"amount", "period"}.`, path);
  }
  const { amount, period, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest).find((k) => !more.includes(k));
  if (extra) throw invalidRequest(`${path}.${extra} is not known (expected ${['amount', 'period', ...more].map((k) => `"${k}"`).join(', ')}).`, `${path}.${extra}`);
  if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0 || (integer && !Number.isSafeInteger(amount))) {
    throw invalidRequest(`${path}.amount must be a ${integer ? 'whole number' : 'number'} ≥ 0.`, `${path}.amount`);
  }
  if (typeof period !== 'string' || !PERIODS.includes(period)) {
    throw invalidRequest(`${path}.period must be one of ${PERIODS.join(', ')}.`, `${path}.period`);
  }
  return { amount, period: period as Period };
}

/** Most alert thresholds one budget may carry (each is at most one webhook call per period). */
export const MAX_ALERT_THRESHOLDS = 10;

/** `alert_at`: whole percentages 1–1000, at most 10; sorted, duplicates dropped. `[]` = no budget alerts. */
function parseAlertAt(value: unknown, path: string): number[] {
  if (!Array.isArray(value)) throw invalidRequest(`${path} must be an array of percentages, e.g. [50, 80, 100].`, path);
  if (value.length > MAX_ALERT_THRESHOLDS) throw invalidRequest(`${path} has ${value.length} thresholds; at most ${MAX_ALERT_THRESHOLDS}.`, path);
  for (const [i, p] of value.entries()) {
    if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 1000) throw invalidRequest(`${path}.${i} must be a whole percentage from 1 to 1000.`, `${path}.${i}`);
  }
  return [...new Set(value as number[])].sort((a, b) => a - b);
}

function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalidRequest(`${path} must be a whole number ≥ 0.`, path);
  return value;
}

/** Calendar UTC periods: the id a counter is kept under, and when the period ends (Unix ms). */
export function periodOf(period: Period, now: number): { id: string; endsAt: number | undefined } {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (period === 'day') {
    const day = d.getUTCDate();
    return { id: `d${y}${pad(m + 1)}${pad(day)}`, endsAt: Date.UTC(y, m, day + 1) };
  }
  if (period === 'month') return { id: `m${y}${pad(m + 1)}`, endsAt: Date.UTC(y, m + 1, 1) };
  return { id: 'total', endsAt: undefined };
}

/** Start of the period containing `now` (Unix ms); 0 for `total`. */
export function periodStart(period: Period, now: number): number {
  const d = new Date(now);
  if (period === 'day') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return 0;
}

const pad = (n: number) => String(n).padStart(2, '0');
