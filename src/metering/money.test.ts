import { describe, it, expect } from 'vitest';
import { formatUsd, nanosToUsd, scaleDecimal, usdToNanos } from './money.js';

describe('usdToNanos', () => {
  it('converts through the decimal text, not a float multiply', () => {
    expect(0.000123 * 1e9).not.toBe(123_000); // the drift this helper exists to avoid
    expect(usdToNanos(0.000123)).toBe(123_000);
    expect(usdToNanos(2.5)).toBe(2_500_000_000);
    expect(usdToNanos('0.1')).toBe(100_000_000);
    expect(usdToNanos(1e-6)).toBe(1_000);
    expect(usdToNanos(2e-7)).toBe(200);
    expect(usdToNanos(0)).toBe(0);
    expect(usdToNanos(25)).toBe(25_000_000_000);
  });

  it('rounds sub-nano amounts half away from zero', () => {
    expect(usdToNanos(0.0000000005)).toBe(1);
    expect(usdToNanos(0.00000000049)).toBe(0);
    expect(usdToNanos(-0.0000000015)).toBe(-2);
  });

  it('refuses NaN, Infinity and non-numeric text instead of returning 0', () => {
    expect(() => usdToNanos(Number.NaN)).toThrow(RangeError);
    expect(() => usdToNanos(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => usdToNanos('ten')).toThrow(RangeError);
    expect(() => usdToNanos('')).toThrow(RangeError);
  });
});

describe('scaleDecimal', () => {
  it('handles e-notation exactly and reports inexact scaling', () => {
    expect(scaleDecimal(2.5e-6, 12)).toEqual({ value: 2_500_000n, exact: true });
    expect(scaleDecimal('1.5e-7', 12)).toEqual({ value: 150_000n, exact: true });
    expect(scaleDecimal(4.6875e-9, 12)).toEqual({ value: 4688n, exact: false }); // 4687.5 → half up
    expect(scaleDecimal(1e21, 0)).toEqual({ value: 10n ** 21n, exact: true });
  });
});

describe('nanosToUsd / formatUsd', () => {
  it('shows nano-dollars as USD: exact, trailing zeros trimmed to no fewer than 6 decimals', () => {
    expect(nanosToUsd(123_000)).toBe(0.000123);
    expect(nanosToUsd(2_500_000_000)).toBe(2.5);
    expect(nanosToUsd(97_500)).toBe(0.0000975);
    expect(nanosToUsd(200)).toBe(0.0000002);
    expect(formatUsd(123_000)).toBe('0.000123');
    expect(formatUsd(0)).toBe('0.000000');
    expect(formatUsd(2_500_000_000)).toBe('2.500000');
    expect(formatUsd(1_234_567_890_000)).toBe('1234.567890');
    expect(formatUsd(-5_000)).toBe('-0.000005');
    expect(formatUsd(12_345_678_901_234_567_000n)).toBe('12345678901.234567');
    expect(formatUsd(97_500)).toBe('0.0000975');
    expect(formatUsd(200)).toBe('0.0000002');
    expect(formatUsd(1)).toBe('0.000000001');
    expect(formatUsd(-1_230)).toBe('-0.00000123');
    expect(formatUsd(1_234_567_890_123)).toBe('1234.567890123');
    expect(formatUsd(Number.MAX_SAFE_INTEGER)).toBe('9007199.254740991');
  });

  it('rejects a non-integer amount rather than printing a rounded one', () => {
    expect(() => formatUsd(1.5)).toThrow(RangeError);
  });

  it('sums 1,000,000 small costs with no drift', () => {
    // 1e6 requests of $0.000123 each = exactly $123.
    const each = usdToNanos(0.000123);
    let floatSum = 0;
    let nanos = 0;
    for (let i = 0; i < 1_000_000; i++) {
      floatSum += 0.000123;
      nanos += each;
    }
    expect(floatSum).not.toBe(123); // floats drift…
    expect(nanos).toBe(123_000_000_000); // …integers do not
    expect(formatUsd(nanos)).toBe('123.000000');
    expect(nanosToUsd(nanos)).toBe(123);
  });
});
