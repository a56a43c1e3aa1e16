import { describe, expect, it } from 'vitest';
import { fixtureJson } from './__fixtures__/load.js';
import { convertAnthropicUsage, mergeAnthropicUsage } from './usage.js';

describe('convertAnthropicUsage', () => {
  it('input_tokens excludes cache reads and writes: inputTokens adds them back', () => {
    expect(
      convertAnthropicUsage({ input_tokens: 10, cache_creation_input_tokens: 200, cache_read_input_tokens: 3000, output_tokens: 50 }),
    ).toEqual({ inputTokens: 3210, outputTokens: 50, cachedInputTokens: 3000, cacheWriteTokens: 200 });
  });

  it('reasoningTokens come from output_tokens_details.thinking_tokens; outputTokens stays the billed total', () => {
    expect(convertAnthropicUsage({ input_tokens: 5, output_tokens: 900, output_tokens_details: { thinking_tokens: 700 } })).toEqual({
      inputTokens: 5,
      outputTokens: 900,
      reasoningTokens: 700,
    });
  });

  it('reads the recorded structured-output usage (cache counts reported as 0)', () => {
    const body = fixtureJson('anthropic-response-text-usage.json');
    expect(convertAnthropicUsage(body.usage)).toEqual({ inputTokens: 406, outputTokens: 50, cachedInputTokens: 0, cacheWriteTokens: 0 });
  });

  it('tolerates missing, null and garbage counts', () => {
    expect(convertAnthropicUsage({ input_tokens: null, output_tokens: -3, cache_read_input_tokens: null })).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(convertAnthropicUsage({})).toEqual({ inputTokens: 0, outputTokens: 0 });
  });
});

describe('mergeAnthropicUsage (message_delta usage is cumulative)', () => {
  const start = convertAnthropicUsage({ input_tokens: 377, cache_creation_input_tokens: 20, cache_read_input_tokens: 100, output_tokens: 1 });

  it('replaces output_tokens, keeps message_start input counts', () => {
    expect(mergeAnthropicUsage(start, { output_tokens: 65 })).toEqual({
      inputTokens: 497,
      outputTokens: 65,
      cachedInputTokens: 100,
      cacheWriteTokens: 20,
    });
  });

  it('two deltas: the latest wins, never the sum', () => {
    const once = mergeAnthropicUsage(start, { output_tokens: 30 });
    expect(mergeAnthropicUsage(once, { output_tokens: 65 }).outputTokens).toBe(65);
  });

  it('cumulative input counts in a delta replace those of message_start', () => {
    expect(mergeAnthropicUsage(start, { input_tokens: 400, cache_read_input_tokens: 100, output_tokens: 9 })).toEqual({
      inputTokens: 520,
      outputTokens: 9,
      cachedInputTokens: 100,
      cacheWriteTokens: 20,
    });
  });

  it('null counts in a delta keep the previous values', () => {
    expect(mergeAnthropicUsage(start, { input_tokens: null, cache_read_input_tokens: null, output_tokens: 2 }).inputTokens).toBe(497);
  });

  it('works without a message_start usage', () => {
    expect(mergeAnthropicUsage(undefined, { output_tokens: 6 })).toEqual({ inputTokens: 0, outputTokens: 6 });
  });
});
