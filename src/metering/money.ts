/**
 * Money is integer micro-dollars (1 USD = 1_000_000 µ$) everywhere in tollgate: costs are
 * summed as integers, never as floats (docs/contract.md §4, docs/architecture.md §4). Floats appear only at the edges:
 * `usage.cost` in a response body (nanosToUsd) and config input in USD (usdToNanos).
 *
 * Decimal input is converted through its *decimal text* (String(number) is the shortest text
 * that round-trips the double, i.e. what the user or the data file wrote), not through
 * `x * 1e6`, which drifts: 0.000123 * 1e6 === 122.99999999999999.
 */

export const NANOS_PER_USD = 1_000_000;

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

/** USD (number or decimal text) → integer micro-dollars, rounded half away from zero. */
export function usdToNanos(usd: number | string): number {
  return Number(scaleDecimal(usd, 6).value);
}

/**
 * Micro-dollars → USD as a number, for display fields such as `usage.cost`. A single division
 * of an integer by 1e6 is correctly rounded, so 123 → 0.000123 exactly as JSON would print it.
 * Never sum the results: sum micros, convert once.
 */
export function nanosToUsd(micros: number | bigint): number {
  return Number(micros) / NANOS_PER_USD;
}

/**
 * Micro-dollars → fixed 6-decimal text for headers (`x-tollgate-cost-usd: 0.000123`).
 * Pure integer/string arithmetic: no float ever touches the digits.
 */
export function formatUsd(micros: number | bigint): string {
  if (typeof micros === 'number' && !Number.isSafeInteger(micros)) {
    throw new RangeError(`micro-dollars must be a safe integer: ${micros}`);
  }
  const n = BigInt(micros);
  const abs = n < 0n ? -n : n;
  const whole = abs / 1_000_000n;
  const frac = (abs % 1_000_000n).toString().padStart(6, '0');
  return `${n < 0n ? '-' : ''}${whole}.${frac}`;
}
