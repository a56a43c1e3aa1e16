import { describe, expect, it } from 'vitest';
import { pricePerMtok, sumNanos, usd } from '../../ui/src/format.js';

describe('console money formatting (integer nano-dollars from the API)', () => {
  it('prints every digit of the ledger: 6 decimals at least, up to 9, no float on the way', () => {
    expect(usd(57_000)).toBe('$0.000057');
    expect(usd(97_500)).toBe('$0.0000975');
    expect(usd(200)).toBe('$0.0000002');
    expect(usd(0)).toBe('$0.000000');
    expect(usd(-1)).toBe('-$0.000000001');
    expect(usd(1_234_567_000_000_000n)).toBe('$1,234,567.000000');
    expect(usd(Number.MAX_SAFE_INTEGER)).toBe('$9,007,199.254740991');
  });

  it('sums exactly and keeps prices in micro-dollars per million tokens', () => {
    expect(usd(sumNanos(Array.from({ length: 1_000 }, () => 200)))).toBe('$0.000200');
    expect(pricePerMtok(2_500_000)).toBe('$2.50');
    expect(pricePerMtok(18_750)).toBe('$0.01875');
  });
});
