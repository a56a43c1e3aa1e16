import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { MAX_USD } from '../metering/money.js';
import { numberArg, usdArg } from './options.js';

describe('usdArg (--budget-usd)', () => {
  it('takes what the gateway takes: 0 up to MAX_USD', () => {
    expect(usdArg('0')).toBe(0);
    expect(usdArg('25')).toBe(25);
    expect(usdArg(String(MAX_USD))).toBe(MAX_USD);
  });

  it('refuses a budget the gateway would refuse, before sending it', () => {
    for (const bad of [String(MAX_USD + 1), '1e12', '-1', 'Infinity', 'NaN', '', ' ', 'ten']) {
      expect(() => usdArg(bad), bad).toThrow(InvalidArgumentError);
    }
    expect(() => usdArg('1e12')).toThrow(/nano-dollars/);
    // Other amounts (seconds) keep their own, wider bound.
    expect(numberArg('1e12')).toBe(1e12);
  });
});
