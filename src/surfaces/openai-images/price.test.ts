import { describe, expect, it } from 'vitest';
import type { AliasTarget } from '../../engine/runtime.js';
import { loadCatalog } from '../../metering/catalog/index.js';
import { imageCost, imagePrices, imageUsage, imageWorstCaseNanos, MAX_OUTPUT_TOKENS_PER_IMAGE, perImagePicos } from './price.js';

const catalog = loadCatalog();
const prices = (model: string) => imagePrices(catalog, 'openai', model);
const target = (model: string) => ({ provider: { catalogProvider: 'openai' }, model }) as unknown as AliasTarget;

describe('image prices from the catalog grid', () => {
  it('takes the cell of the asked size and quality; DALL·E defaults when left out', () => {
    const { entry, grid } = prices('dall-e-3');
    expect(perImagePicos(entry, grid, { size: '1792x1024', quality: 'hd' })).toEqual({ picos: 119_991_173_120, estimated: false });
    expect(perImagePicos(entry, grid, {})).toEqual({ picos: 39_999_923_814, estimated: false }); // standard 1024x1024
  });

  it('auto quality on gpt-image-1.5: the dearest cell of that size, flagged estimated', () => {
    const { entry, grid } = prices('gpt-image-1.5');
    expect(perImagePicos(entry, grid, { size: '1024x1024', quality: 'auto' })).toEqual({ picos: 133_000_000_000, estimated: true });
    expect(perImagePicos(entry, grid, { size: '1024x1024', quality: 'low' })).toEqual({ picos: 9_000_000_000, estimated: false });
  });

  it('a size the grid lacks: the flat per-image price; a dated id finds its own grid', () => {
    const { entry, grid } = prices('dall-e-2');
    expect(perImagePicos(entry, grid, { size: '64x64' })).toEqual({ picos: 20_000_000_000, estimated: false });
    expect(prices('gpt-image-1.5-2025-12-16').grid.length).toBe(15);
  });

  it('counts images returned × the per-image price, rounded half up once', () => {
    const { entry, grid } = prices('dall-e-2');
    // 3 × 15,999,959,040 p$ = 47,999,877,120 p$ → 47,999,877 n$
    expect(imageCost(entry, grid, { size: '256x256' }, 3, undefined)).toEqual({ nanos: 47_999_877, priced: true, estimated: false });
    expect(imageCost(undefined, [], {}, 3, undefined)).toEqual({ nanos: 0, priced: false, estimated: false });
  });

  it('prices gpt-image-1 by tokens when the answer reports them: text in, image in, image out', () => {
    const { entry, grid } = prices('gpt-image-1');
    const usage = imageUsage({ input_tokens: 100, input_tokens_details: { text_tokens: 40, image_tokens: 60 }, output_tokens: 1056 });
    expect(usage).toEqual({ inputTokens: 100, outputTokens: 1056, textInputTokens: 40, imageInputTokens: 60 });
    // 40 × $5/M + 60 × $10/M + 1,056 × $40/M = $0.0002 + $0.0006 + $0.04224 = $0.04304 = 43,040,000 n$
    expect(imageCost(entry, grid, { size: '1024x1024', quality: 'medium' }, 1, usage).nanos).toBe(43_040_000);
    // Bogus counts from an upstream are clamped, never a negative cost.
    expect(imageUsage({ input_tokens: -5, output_tokens: Number.NaN })).toEqual({ inputTokens: 0, outputTokens: 0, textInputTokens: 0, imageInputTokens: 0 });
    expect(imageUsage({ output_tokens: 3 })).toBeUndefined();
  });

  it('reserves n × the dearest price of the grid (or of the most output tokens an image takes) plus the prompt, rounded up', () => {
    // dall-e-3: hd 1024x1792 is the dearest cell; no input price.
    expect(imageWorstCaseNanos(catalog, [target('dall-e-3')], 2, 10)).toBe(239_982_347);
    // gpt-image-1: high 1024x1536 = $0.25 > 6,240 × $40/M = $0.2496; 10 prompt tokens at the image-input price $10/M: 3 × $0.25 + $0.0001.
    expect(MAX_OUTPUT_TOKENS_PER_IMAGE * 40_000_000).toBeLessThan(250_000_000_000);
    expect(imageWorstCaseNanos(catalog, [target('gpt-image-1')], 3, 10)).toBe(750_100_000);
    // The dearest of the targets.
    expect(imageWorstCaseNanos(catalog, [target('dall-e-2'), target('dall-e-3')], 1, 0)).toBe(119_991_174);
  });
});
