/**
 * Display formatting. Money arrives from the API as integer nano-dollars (`cost_nanos`,
 * `spent_nanos`) and prices as integer micro-dollars per million tokens, and is turned into
 * text with integer arithmetic only, so every digit shown is the ledger's; floats are used for
 * chart heights, never for a figure a person reads.
 */

const MICROS = 1_000_000n;
const NANOS = 1_000_000_000n;

/** Integer nano-dollars → `$12.345678`, `$0.0000975`: 6 to 9 decimals, all exact (trailing zeros past the 6th dropped). */
export function usd(nanos: number | bigint): string {
  const n = BigInt(nanos);
  const abs = n < 0n ? -n : n;
  const whole = (abs / NANOS).toLocaleString('en-US');
  const frac = (abs % NANOS).toString().padStart(9, '0').replace(/0{1,3}$/, '');
  return `${n < 0n ? '-' : ''}$${whole}.${frac}`;
}

/** A price per million tokens (µ$/Mtok = USD/Mtok × 10⁶) → `$2.50`, trailing zeros past the cents dropped. */
export function pricePerMtok(micros: number | null): string {
  if (micros === null) return '—';
  const n = BigInt(micros);
  const whole = (n / MICROS).toString();
  let frac = (n % MICROS).toString().padStart(6, '0').replace(/0+$/, '');
  if (frac.length < 2) frac = frac.padEnd(2, '0');
  return `$${whole}.${frac}`;
}

/** Sums integer nano-dollars exactly (BigInt), for totals the page computes itself. */
export const sumNanos = (values: readonly number[]): bigint => values.reduce((a, v) => a + BigInt(v), 0n);

export const int = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));

/** `12.5%` from two integers (display only). */
export function percent(part: number, whole: number): string {
  if (!whole) return '0%';
  const p = (part / whole) * 100;
  if (p > 0 && p < 0.1) return '<0.1%';
  return `${p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}

export const ms = (v: number | null): string => (v === null ? '—' : `${v.toLocaleString('en-US')} ms`);

/** ISO time → `2026-12-03 14:05:09` (UTC, like the API's dates). */
export const time = (iso: string | null): string => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '—');
export const date = (iso: string | null): string => (iso ? iso.slice(0, 10) : '—');

/** Today's date (UTC) minus `days`, as `YYYY-MM-DD`. */
export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** A CSV cell (RFC 4180); a text a spreadsheet would run as a formula gets a leading `'` (OWASP). */
export function csvCell(v: string): string {
  const formula = /^[=+\-@\t\r]/.test(v);
  const s = formula ? `'${v}` : v;
  return formula || /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
