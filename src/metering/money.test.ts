import { describe, it, expect } from 'vitest';
import { formatUsd, nanosToUsd, scaleDecimal, usdToNanos } from './money.js';

describe('usdToNanos', () => {
  it('converts through the decimal text, not a float multiply', () => {
    expect(0.000123 * 1e6).not.toBe(123); // the drift this helper exists to avoid
    expect(usdToNanos(0.000123)).toBe(123);
    expect(usdToNanos(2.5)).toBe(2_500_000);
    expect(usdToNanos('0.1')).toBe(100_000);
    expect(usdToNanos(1e-6)).toBe(1);
    expect(usdToNanos(0)).toBe(0);
    expect(usdToNanos(25)).toBe(25_000_000);
  });

  it('rounds sub-micro amounts half away from zero', () => {
    expect(usdToNanos(0.0000005)).toBe(1);
    expect(usdToNanos(0.00000049)).toBe(0);
    expect(usdToNanos(-0.0000015)).toBe(-2);
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
  it('shows micro-dollars as USD', () => {
    expect(nanosToUsd(123)).toBe(0.000123);
    expect(nanosToUsd(2_500_000)).toBe(2.5);
    expect(formatUsd(123)).toBe('0.000123');
    expect(formatUsd(0)).toBe('0.000000');
    expect(formatUsd(2_500_000)).toBe('2.500000');
    expect(formatUsd(1_234_567_890)).toBe('1234.567890');
    expect(formatUsd(-5)).toBe('-0.000005');
    expect(formatUsd(12_345_678_901_234_567n)).toBe('12345678901.234567');
  });

  it('rejects a non-integer amount rather than printing a rounded one', () => {
    expect(() => formatUsd(1.5)).toThrow(RangeError);
  });

  it('sums 1,000,000 small costs with no drift', () => {
    // 1e6 requests of $0.000123 each = exactly $123.
    const each = usdToNanos(0.000123);
    let floatSum = 0;
    let micros = 0;
    for (let i = 0; i < 1_000_000; i++) {
      floatSum += 0.000123;
      micros += each;
    }
    expect(floatSum).not.toBe(123); // floats drift…
    expect(micros).toBe(123_000_000); // …integers do not
    expect(formatUsd(micros)).toBe('123.000000');
    expect(nanosToUsd(micros)).toBe(123);
  });
});
