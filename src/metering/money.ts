/**
 * Money is integer nano-dollars (1 USD = 1_000_000_000 n$) everywhere in tollgate: costs are
 * summed as integers, never as floats (docs/contract.md §4, docs/architecture.md §4). Floats appear only at the edges:
 * `usage.cost` in a response body (nanosToUsd) and config input in USD (usdToNanos).
 * Nano-dollars (not micro) because a small call costs less than a micro-dollar: 10 tokens of a
 * $0.02/Mtok embedding model are $0.0000002. Integers stay exact up to 2^53 n$ (MAX_USD).
 *
 * Decimal input is converted through its *decimal text* (String(number) is the shortest text
 * that round-trips the double, i.e. what the user or the data file wrote), not through
 * `x * 1e9`, which drifts: 0.000123 * 1e9 === 123000.00000000001.
 */

export const NANOS_PER_USD = 1_000_000_000;

/** Largest whole-dollar amount whose nano-dollars are a safe integer: $9,007,199 (budgets, thresholds). */
export const MAX_USD = Math.floor(Number.MAX_SAFE_INTEGER / NANOS_PER_USD);

/** `value × 10^scale` as a bigint, rounded half away from zero; `exact` is false if digits were dropped. */
export interface ScaledDecimal {
  value: bigint;
  exact: boolean;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * Scales a decimal (a finite number, or numeric text such as "2.5e-06") by 10^scale exactly.
 * Throws on NaN, Infinity and non-numeric text: a price or an amount must never silently become 0.
 */
export function scaleDecimal(input: number | string, scale: number): ScaledDecimal {
  if (typeof input === 'number' && !Number.isFinite(input)) {
    throw new RangeError(`not a finite number: ${input}`);
  }
  const text = String(input).trim();
  const m = DECIMAL.exec(text);
  const intPart = m?.[2] ?? '';
  const fracPart = m?.[3] ?? '';
  if (!m || (intPart === '' && fracPart === '')) throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`);
  const negative = m[1] === '-';
  const digits = (intPart + fracPart).replace(/^0+(?=\d)/, '');
  // value = digits × 10^shift
  const shift = Number(m[4] ?? '0') - fracPart.length + scale;
  let value: bigint;
  let exact = true;
  if (shift >= 0) {
    value = BigInt(digits) * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    const n = BigInt(digits);
    value = n / divisor;
    const rest = n % divisor;
    if (rest !== 0n) {
      exact = false;
      if (rest * 2n >= divisor) value += 1n; // half away from zero (sign applied below)
    }
  }
  return { value: negative ? -value : value, exact };
}

/** USD (number or decimal text) → integer nano-dollars, rounded half away from zero. */
export function usdToNanos(usd: number | string): number {
  return Number(scaleDecimal(usd, 9).value);
}

/**
 * Nano-dollars → USD as a number, for display fields such as `usage.cost`. A single division
 * of an integer by 1e9 is correctly rounded, so 97_500 → 0.0000975 exactly as JSON would print it.
 * Never sum the results: sum nanos, convert once.
 */
export function nanosToUsd(nanos: number | bigint): number {
  return Number(nanos) / NANOS_PER_USD;
}

/**
 * Nano-dollars → exact USD text for headers and reports (`x-tollgate-cost-usd: 0.000123`): up to
 * 9 decimals, trailing zeros trimmed but never fewer than 6 (0.0000975, 0.0000002, 0.000000).
 * Pure integer/string arithmetic: no float ever touches the digits.
 */
export function formatUsd(nanos: number | bigint): string {
  if (typeof nanos === 'number' && !Number.isSafeInteger(nanos)) {
    throw new RangeError(`nano-dollars must be a safe integer: ${nanos}`);
  }
  const n = BigInt(nanos);
  const abs = n < 0n ? -n : n;
  const whole = abs / 1_000_000_000n;
  const frac = (abs % 1_000_000_000n).toString().padStart(9, '0').replace(/0{1,3}$/, '');
  return `${n < 0n ? '-' : ''}${whole}.${frac}`;
}
