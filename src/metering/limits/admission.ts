import type { Admission, AdmissionRequest, AdmissionTicket } from '../../engine/admission.js';
import { GatewayError, unauthorized } from '../../engine/errors.js';
import { maxOutputOf } from '../../engine/output-cap.js';
import type { Catalog } from '../catalog/index.js';
import { worstCaseNanos } from '../cost.js';
import { formatUsd } from '../money.js';
import type { UsageRecord } from '../usage-record.js';
import type { Adjust, Check, Counters } from './counters.js';
import { LimitError } from './errors.js';
import { periodOf, type Limits, type Period } from './limits.js';

/** How long a request holds a concurrency slot at most if its instance dies (> the longest request). */
export const SLOT_TTL_MS = 15 * 60_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

export interface AdmissionOptions {
  counters: Counters;
  /** The current snapshot's catalog (prices for the worst-case reservation). */
  catalog: () => Catalog;
  now?: () => number;
  onError?: (err: Error) => void;
  /**
   * A budget became ≥ 80 % spent or reserved (this request's worst case included): called once
   * per budget and period in this process.
   */
  onBudgetWarning?: (w: { scope: 'team' | 'key'; id: string; period: string; usedNanos: number; limitNanos: number }) => void;
  /**
   * A request with a budget settled (budget alerts, src/metering/alerts/): its budgets and real
   * cost. Called inside `settle`, before the response's last bytes: it must only queue work.
   * Read at each settle: set later when alerts are loaded by a config reload.
   */
  onSettled?: (budgets: readonly SettledBudget[], rec: UsageRecord) => void;
}

/** A budget a settled request counted against: the period is the one its reservation used. */
export interface SettledBudget {
  scope: 'team' | 'key';
  id: string;
  period: Period;
  /** The counter's key (`spend-nanos:<scope>:<id>:<period id>`). */
  key: string;
  /** When the request was admitted (Unix ms): names the period. */
  at: number;
  limitNanos: number;
  alertAt?: readonly number[];
}

/** Share of a budget (spent + reserved) at which `onBudgetWarning` fires. */
export const BUDGET_WARNING_SHARE = 0.8;

export interface CountersAdmission extends Admission {
  /** Waits for settlements still in flight (Redis): shutdown, and tests that read the counters. */
  drain(): Promise<void>;
}

/** What each check is, to name it in a 429 and to settle it. */
interface Spec {
  check: Check;
  scope: 'team' | 'key';
  scopeId: string;
  limit: 'budget_usd' | 'tokens' | 'rpm' | 'tpm' | 'max_concurrency';
  period?: Period;
  /** Unix ms when the counter resets (undefined: never). */
  resetsAt?: number;
  /** budget_usd: its own alert thresholds. */
  alertAt?: readonly number[];
}

/**
 * Admission (docs/architecture.md §4): reserves the request's worst-case cost and tokens against every limit of
 * its key and team in one atomic step, and at the end replaces the reservation by the real usage.
 * Worst case = prompt tokens (an o200k bound) at the dearest input price + the output cap at the dearest
 * output price, over every target the request may fall back to. The settled cost never exceeds
 * the reservation as long as the provider's prompt count does not exceed the o200k count (see README).
 */
export function createAdmission(opts: AdmissionOptions): CountersAdmission {
  const now = opts.now ?? Date.now;
  const pending = new Set<Promise<void>>();
  const onError = opts.onError ?? (() => {});
  const warned = new Set<string>();

  return {
    async admit(req: AdmissionRequest): Promise<AdmissionTicket> {
      const p = req.principal;
      const t = now();
      const specs: Spec[] = [];
      const teamLimits = p.teamId && p.teamLimits ? (p.teamLimits as Limits) : undefined;
      const keyLimits = p.keyId && p.kind === 'team-key' && p.limits ? (p.limits as Limits) : undefined;
      const revocable = p.kind === 'team-key' && p.keyId ? p.keyId : undefined;
      if (!teamLimits && !keyLimits && !revocable) return NO_LIMITS;
      // Worst case (o200k bound of the prompt) only when a budget, quota or tpm needs it.
      const { nanos, tokens } = needsWorstCase(teamLimits) || needsWorstCase(keyLimits) ? worstCase(req, opts.catalog()) : { nanos: 0, tokens: 0 };
      if (teamLimits) addSpecs(specs, 'team', p.teamId!, teamLimits, nanos, tokens, t);
      if (keyLimits) addSpecs(specs, 'key', p.keyId!, keyLimits, nanos, tokens, t);

      const requestId = `${t}-${Math.random().toString(36).slice(2)}`;
      let r;
      try {
        r = await opts.counters.reserve(
          specs.map((s) => s.check),
          requestId,
          t,
          revocable,
        );
      } catch (err) {
        onError(err as Error);
        throw new GatewayError({ status: 503, type: 'api_error', code: 'limits_unavailable', message: 'The gateway cannot check your limits right now (counter store unreachable); retry shortly.', retryAfter: 1 });
      }
      if (!r.ok) {
        if (r.revoked) throw unauthorized('This API key has been revoked.');
        throw refusal(specs[r.index]!, r.current, t);
      }
      const headers = rateHeaders(specs, r.values, t);
      if (opts.onBudgetWarning) {
        specs.forEach((s, i) => {
          const used = r.values[i] ?? 0;
          if (s.limit !== 'budget_usd' || used < s.check.limit * BUDGET_WARNING_SHARE || warned.has(s.check.key)) return;
          if (warned.size > 10_000) warned.clear(); // keys carry their period: old ones are dead weight
          warned.add(s.check.key);
          opts.onBudgetWarning!({ scope: s.scope, id: s.scopeId, period: s.period!, usedNanos: used, limitNanos: s.check.limit });
        });
      }
      let settled = false;
      return {
        headers,
        settle(rec: UsageRecord) {
          if (settled) return;
          settled = true;
          const used = rec.inputTokens + rec.outputTokens;
          const adjusts: Adjust[] = specs
            .filter((s) => s.limit !== 'rpm')
            .map((s) => ({
              key: s.check.key,
              kind: s.check.kind,
              delta: s.limit === 'budget_usd' ? rec.costNanos - s.check.amount : s.limit === 'max_concurrency' ? 0 : used - s.check.amount,
            }));
          if (opts.onSettled && rec.costNanos > 0) settledBudgets(opts.onSettled, specs, t, rec, onError);
          try {
            const done = opts.counters.settle(adjusts, requestId);
            if (done) {
              const tracked = done.catch((err: Error) => onError(err)).finally(() => pending.delete(tracked));
              pending.add(tracked);
            }
          } catch (err) {
            onError(err as Error);
          }
        },
      };
    },
    async drain() {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}

function settledBudgets(hook: NonNullable<AdmissionOptions['onSettled']>, specs: readonly Spec[], t: number, rec: UsageRecord, onError: (err: Error) => void): void {
  const budgets: SettledBudget[] = [];
  for (const s of specs) {
    if (s.limit !== 'budget_usd') continue;
    budgets.push({ scope: s.scope, id: s.scopeId, period: s.period!, key: s.check.key, at: t, limitNanos: s.check.limit, ...(s.alertAt && { alertAt: s.alertAt }) });
  }
  if (!budgets.length) return;
  try {
    hook(budgets, rec);
  } catch (err) {
    onError(err as Error);
  }
}

const NO_LIMITS: AdmissionTicket = Object.freeze({ headers: {}, settle() {} });

/** Limits that reserve a request's worst case, which counts its prompt's tokens. */
function needsWorstCase(l: Limits | undefined): boolean {
  return !!l && !!(l.budget || l.tokens || l.tpm);
}

function worstCase(req: AdmissionRequest, catalog: Catalog): { nanos: number; tokens: number } {
  const promptTokens = req.promptTokens();
  let nanos = 0;
  let tokens = 0;
  for (const t of req.targets) {
    const entry = catalog.get(t.provider.catalogProvider, t.model, t.provider.priceRegion);
    // n completions may each use the whole output cap.
    const maxOut = (req.maxOutputTokens ?? maxOutputOf(entry)) * Math.max(1, req.choices ?? 1);
    nanos = Math.max(nanos, worstCaseNanos(promptTokens, maxOut, entry, req.serviceTier));
    tokens = Math.max(tokens, promptTokens + maxOut);
  }
  if (!req.targets.length) tokens = promptTokens + (req.maxOutputTokens ?? 0) * Math.max(1, req.choices ?? 1);
  if (req.reserveNanos) nanos = Math.max(nanos, req.reserveNanos());
  return { nanos, tokens };
}

function addSpecs(specs: Spec[], scope: 'team' | 'key', id: string, l: Limits, nanos: number, tokens: number, t: number): void {
  const s = `${scope}:${id}`;
  if (l.budget) {
    const per = periodOf(l.budget.period, t);
    specs.push({ scope, scopeId: id, limit: 'budget_usd', period: l.budget.period, ...(per.endsAt && { resetsAt: per.endsAt }), ...(l.budget.alertAt && { alertAt: l.budget.alertAt }), check: { key: spendKey(scope, id, l.budget.period, t, per.id), kind: 'sum', limit: l.budget.nanos, amount: nanos, ttlMs: per.endsAt ? per.endsAt - t + DAY : 0 } });
  }
  if (l.tokens) {
    const per = periodOf(l.tokens.period, t);
    specs.push({ scope, scopeId: id, limit: 'tokens', period: l.tokens.period, ...(per.endsAt && { resetsAt: per.endsAt }), check: { key: tokensKey(scope, id, l.tokens.period, t, per.id), kind: 'sum', limit: l.tokens.amount, amount: tokens, ttlMs: per.endsAt ? per.endsAt - t + DAY : 0 } });
  }
  const minute = Math.floor(t / MINUTE);
  const resetsAt = (minute + 1) * MINUTE;
  if (l.rpm !== undefined) specs.push({ scope, scopeId: id, limit: 'rpm', resetsAt, check: { key: `rpm:${s}:${minute}`, kind: 'sum', limit: l.rpm, amount: 1, ttlMs: 2 * MINUTE } });
  if (l.tpm !== undefined) specs.push({ scope, scopeId: id, limit: 'tpm', resetsAt, check: { key: `tpm:${s}:${minute}`, kind: 'sum', limit: l.tpm, amount: tokens, ttlMs: 2 * MINUTE } });
  if (l.maxConcurrency !== undefined) specs.push({ scope, scopeId: id, limit: 'max_concurrency', check: { key: `conc:${s}`, kind: 'slots', limit: l.maxConcurrency, amount: 1, ttlMs: SLOT_TTL_MS } });
}

/**
 * Prefix of the spending counters. The unit is in the name: counters a version that counted
 * micro-dollars left in a shared Redis are not read as nano-dollars (the new ones are seeded from the ledger).
 */
export const SPEND = 'spend-nanos:';

/**
 * The period counters' keys, written once: admission reserves against them and the rebuild at
 * start (./rebuild.ts) seeds them from the ledger, so a restart keeps budgets and quotas.
 * `periodId` saves admission a second `periodOf` when it has the period already.
 */
export function spendKey(scope: 'team' | 'key', id: string, period: Period, t: number, periodId = periodOf(period, t).id): string {
  return `${SPEND}${scope}:${id}:${periodId}`;
}
export function tokensKey(scope: 'team' | 'key', id: string, period: Period, t: number, periodId = periodOf(period, t).id): string {
  return `tokens:${scope}:${id}:${periodId}`;
}

function refusal(s: Spec, current: number, t: number): LimitError {
  const who = `${s.scope === 'team' ? 'team' : 'key'} ${s.scopeId}`;
  const per = s.period === 'total' ? 'in total' : `per ${s.period}`;
  const { limit, amount } = s.check;
  const alone = amount > limit;
  // Budgets and token quotas held by requests in flight free up as those settle: retry soon;
  // a spent quota resets with its period. Windows reset at the next minute.
  let retry: number;
  if (s.limit === 'max_concurrency') retry = 1;
  else if (s.resetsAt !== undefined) retry = Math.max(1, Math.ceil((s.resetsAt - t) / 1000));
  else retry = 3600;
  let message: string;
  switch (s.limit) {
    case 'budget_usd':
      message = alone
        ? `Budget exceeded: this request may cost up to $${formatUsd(amount)}, more than the budget_usd limit of $${formatUsd(limit)} ${per} of ${who} (lower max_tokens).`
        : `Budget exceeded: ${who} has a budget_usd limit of $${formatUsd(limit)} ${per}; $${formatUsd(current)} is spent or reserved and this request may cost up to $${formatUsd(amount)}.`;
      break;
    case 'tokens':
      message = `Token quota exceeded: ${who} has a tokens limit of ${limit} ${per}; ${current} are used or reserved and this request may use up to ${amount}.`;
      break;
    case 'rpm':
      message = `Rate limit exceeded: ${who} allows ${limit} requests per minute (rpm).`;
      break;
    case 'tpm':
      message = alone
        ? `Rate limit exceeded: this request may use up to ${amount} tokens, more than the tpm limit of ${limit} tokens per minute of ${who} (lower max_tokens).`
        : `Rate limit exceeded: ${who} allows ${limit} tokens per minute (tpm); ${current} are used or reserved and this request may use up to ${amount}.`;
      break;
    case 'max_concurrency':
      message = `Rate limit exceeded: ${who} allows ${limit} concurrent requests (max_concurrency).`;
      break;
  }
  const headers: Record<string, string> = {};
  if (s.limit === 'rpm') Object.assign(headers, { 'x-ratelimit-limit-requests': String(limit), 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': `${retry}s` });
  if (s.limit === 'tpm') Object.assign(headers, { 'x-ratelimit-limit-tokens': String(limit), 'x-ratelimit-remaining-tokens': String(Math.max(0, limit - current)), 'x-ratelimit-reset-tokens': `${retry}s` });
  const quota = s.limit === 'budget_usd' || s.limit === 'tokens';
  return new LimitError(message, quota, retry, headers, quota || alone);
}

/** OpenAI's rate-limit headers from the tightest rpm / tpm counter among key and team. */
function rateHeaders(specs: readonly Spec[], values: readonly number[], t: number): Record<string, string> {
  const h: Record<string, string> = {};
  let req: { limit: number; remaining: number } | undefined;
  let tok: { limit: number; remaining: number } | undefined;
  specs.forEach((s, i) => {
    const remaining = Math.max(0, s.check.limit - (values[i] ?? 0));
    if (s.limit === 'rpm' && (!req || remaining < req.remaining)) req = { limit: s.check.limit, remaining };
    if (s.limit === 'tpm' && (!tok || remaining < tok.remaining)) tok = { limit: s.check.limit, remaining };
  });
  const reset = `${Math.max(1, Math.ceil(((Math.floor(t / MINUTE) + 1) * MINUTE - t) / 1000))}s`;
  if (req) Object.assign(h, { 'x-ratelimit-limit-requests': String(req.limit), 'x-ratelimit-remaining-requests': String(req.remaining), 'x-ratelimit-reset-requests': reset });
  if (tok) Object.assign(h, { 'x-ratelimit-limit-tokens': String(tok.limit), 'x-ratelimit-remaining-tokens': String(tok.remaining), 'x-ratelimit-reset-tokens': reset });
  return h;
}
