import { describe, expect, it } from 'vitest';
import { fixtureJson } from './__fixtures__/load.js';
import { convertOpenAIUsage } from './usage.js';

describe('convertOpenAIUsage', () => {
  it('the docs example: zero cached and reasoning tokens are left out, the service tier kept', () => {
    const body = fixtureJson('openai-response-text.json');
    expect(convertOpenAIUsage(body.usage, body.service_tier)).toEqual({ inputTokens: 19, outputTokens: 10, serviceTier: 'default' });
  });

  it('cached ⊂ prompt and reasoning ⊂ completion keep their meaning; cache writes are carried', () => {
    const u = { prompt_tokens: 1000, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 800, cache_write_tokens: 50 }, completion_tokens_details: { reasoning_tokens: 200 } };
    expect(convertOpenAIUsage(u)).toEqual({ inputTokens: 1000, outputTokens: 300, cachedInputTokens: 800, cacheWriteTokens: 50, reasoningTokens: 200 });
  });

  it("a compatible host's num_cached_tokens counts as cached", () => {
    expect(convertOpenAIUsage({ prompt_tokens: 10, completion_tokens: 1, num_cached_tokens: 4 })).toMatchObject({ cachedInputTokens: 4 });
  });

  it('no usage object, or one with no token counts, is no usage; a non-finite count is 0', () => {
    expect(convertOpenAIUsage(null)).toBeUndefined();
    expect(convertOpenAIUsage({ total_tokens: 5 })).toBeUndefined();
    expect(convertOpenAIUsage({ prompt_tokens: 3, completion_tokens: Number.NaN })).toEqual({ inputTokens: 3, outputTokens: 0 });
  });

  it('a Responses API usage (input/output tokens and their details) means the same', () => {
    const u = { input_tokens: 1000, input_tokens_details: { cached_tokens: 800 }, output_tokens: 300, output_tokens_details: { reasoning_tokens: 200 }, total_tokens: 1300 };
    expect(convertOpenAIUsage(u, 'flex')).toEqual({ inputTokens: 1000, outputTokens: 300, cachedInputTokens: 800, reasoningTokens: 200, serviceTier: 'flex' });
  });
});
