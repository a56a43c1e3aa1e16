import { useState } from 'preact/hooks';
import type { Limits } from '../scope';

export interface LimitFields {
  budget: string;
  budgetPeriod: string;
  tokens: string;
  tokensPeriod: string;
  rpm: string;
  tpm: string;
  concurrency: string;
}

export const fieldsOf = (l: Limits | null | undefined): LimitFields => ({
  budget: l?.budget_usd ? String(l.budget_usd.amount) : '',
  budgetPeriod: l?.budget_usd?.period ?? 'month',
  tokens: l?.tokens ? String(l.tokens.amount) : '',
  tokensPeriod: l?.tokens?.period ?? 'month',
  rpm: l?.rpm !== undefined ? String(l.rpm) : '',
  tpm: l?.tpm !== undefined ? String(l.tpm) : '',
  concurrency: l?.max_concurrency !== undefined ? String(l.max_concurrency) : '',
});

/** A typed number as JSON: a number when it reads as one, else the text itself — the API then names the field and says what it needs. */
const num = (s: string): number | string => (/^\s*-?\d+(\.\d+)?(e[+-]?\d+)?\s*$/i.test(s) && Number.isFinite(Number(s)) ? Number(s) : s.trim());

/** The limits object the admin API takes; null when every field is empty (no limits). */
export function limitsOf(f: LimitFields): Record<string, unknown> | null {
  const out: Record<string, unknown> = {};
  if (f.budget.trim()) out.budget_usd = { amount: num(f.budget), period: f.budgetPeriod };
  if (f.tokens.trim()) out.tokens = { amount: num(f.tokens), period: f.tokensPeriod };
  if (f.rpm.trim()) out.rpm = num(f.rpm);
  if (f.tpm.trim()) out.tpm = num(f.tpm);
  if (f.concurrency.trim()) out.max_concurrency = num(f.concurrency);
  return Object.keys(out).length ? out : null;
}

const PERIODS = ['day', 'month', 'total'];

/** The limit fields (controlled); the API validates them and its message is shown by the caller. */
export function LimitInputs({ idPrefix, value, onChange }: { idPrefix: string; value: LimitFields; onChange: (f: LimitFields) => void }) {
  const [v, setV] = useState(value);
  const set = (k: keyof LimitFields) => (e: Event) => {
    const next = { ...v, [k]: (e.currentTarget as HTMLInputElement).value };
    setV(next);
    onChange(next);
  };
  const id = (k: string) => `${idPrefix}-${k}`;
  return (
    <div class="limit-grid">
      <div class="field">
        <label for={id('budget')}>Budget (USD)</label>
        <input id={id('budget')} inputMode="decimal" value={v.budget} onInput={set('budget')} placeholder="e.g. 25" />
      </div>
      <div class="field">
        <label for={id('budget-period')}>Budget period</label>
        <select id={id('budget-period')} value={v.budgetPeriod} onChange={set('budgetPeriod')}>
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={id('tokens')}>Token quota</label>
        <input id={id('tokens')} inputMode="numeric" value={v.tokens} onInput={set('tokens')} placeholder="input + output tokens" />
      </div>
      <div class="field">
        <label for={id('tokens-period')}>Quota period</label>
        <select id={id('tokens-period')} value={v.tokensPeriod} onChange={set('tokensPeriod')}>
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={id('rpm')}>Requests / minute</label>
        <input id={id('rpm')} inputMode="numeric" value={v.rpm} onInput={set('rpm')} />
      </div>
      <div class="field">
        <label for={id('tpm')}>Tokens / minute</label>
        <input id={id('tpm')} inputMode="numeric" value={v.tpm} onInput={set('tpm')} />
      </div>
      <div class="field">
        <label for={id('concurrency')}>Max concurrency</label>
        <input id={id('concurrency')} inputMode="numeric" value={v.concurrency} onInput={set('concurrency')} />
      </div>
    </div>
  );
}

/** One line saying what a limits object allows. */
export function limitsText(l: Limits | null | undefined): string {
  if (!l) return 'No limits';
  const parts: string[] = [];
  if (l.tokens) parts.push(`${l.tokens.amount.toLocaleString('en-US')} tokens ${l.tokens.period === 'total' ? 'in total' : `per ${l.tokens.period}`}`);
  if (l.rpm !== undefined) parts.push(`${l.rpm} req/min`);
  if (l.tpm !== undefined) parts.push(`${l.tpm.toLocaleString('en-US')} tokens/min`);
  if (l.max_concurrency !== undefined) parts.push(`${l.max_concurrency} at once`);
  return parts.length ? parts.join(' · ') : l.budget_usd ? 'No rate or token limits' : 'No limits';
}
