import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_S, retryAfterSeconds } from './retry-after.js';

const parse = (v: string | string[] | undefined, name = 'retry-after') => retryAfterSeconds({ [name]: v });

describe('retryAfterSeconds', () => {
  it('reads seconds, an HTTP date, an array, and rejects junk', () => {
    expect(parse('3')).toBe(3);
    expect(parse('1.2')).toBe(2);
    expect(parse(['5', '9'])).toBe(5);
    const inTen = new Date(Date.now() + 10_000).toUTCString();
    expect(parse(inTen)).toBeGreaterThanOrEqual(9);
    expect(parse(inTen)).toBeLessThanOrEqual(11);
    expect(parse('soon')).toBeUndefined();
    expect(parse(undefined)).toBeUndefined();
  });

  it("prefers OpenAI's retry-after-ms, rounded up to whole seconds", () => {
    expect(retryAfterSeconds({ 'retry-after-ms': '1500', 'retry-after': '9' })).toBe(2);
    expect(retryAfterSeconds({ 'retry-after-ms': 'x', 'retry-after': '9' })).toBe(9);
  });

  it('finds the header whatever its case', () => {
    expect(retryAfterSeconds({ 'Retry-After': '4' })).toBe(4);
    expect(retryAfterSeconds({ 'Retry-After-Ms': '250' })).toBe(1);
  });

  it('is finite and bounded: negative, empty, exponent and huge values are not believed past a day', () => {
    for (const v of ['-5', '', ' ', '1e3', 'Infinity', 'NaN', '0x10']) expect(parse(v)).toBeUndefined();
    expect(parse('9'.repeat(400))).toBe(MAX_RETRY_AFTER_S);
    expect(parse('999999999')).toBe(MAX_RETRY_AFTER_S);
    expect(parse(new Date(Date.now() + 30 * 86_400_000).toUTCString())).toBe(MAX_RETRY_AFTER_S);
    expect(parse(new Date(Date.now() - 60_000).toUTCString())).toBe(0);
  });
});
