import { describe, it, expect } from 'vitest';
import { toAnthropicUsage } from './convert-usage.js';

describe('toAnthropicUsage', () => {
  it('takes cache reads and writes out of input_tokens (inverse of docs/wire-facts.md §6)', () => {
    expect(toAnthropicUsage({ inputTokens: 1000, outputTokens: 50, cachedInputTokens: 600, cacheWriteTokens: 300, reasoningTokens: 20 })).toEqual({
      input_tokens: 100,
      cache_creation_input_tokens: 300,
      cache_read_input_tokens: 600,
      output_tokens: 50,
    });
  });

  it('round-trips the recorded Anthropic usage (406 in, 50 out, no cache)', () => {
    expect(toAnthropicUsage({ inputTokens: 406, outputTokens: 50, cachedInputTokens: 0, cacheWriteTokens: 0 })).toEqual({
      input_tokens: 406,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 50,
    });
  });

  it('fills zeros when there is no usage and never goes negative', () => {
    expect(toAnthropicUsage(undefined)).toEqual({ input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 });
    expect(toAnthropicUsage({ inputTokens: 10, outputTokens: 1, cachedInputTokens: 20 }).input_tokens).toBe(0);
  });
});
