import { describe, expect, it } from 'vitest';
import { fixtureFrames, fixtureJson } from './__fixtures__/load.js';
import { convertMistralUsage } from './usage.js';

describe('Mistral usage', () => {
  it('reads prompt/completion tokens from the recorded text response', () => {
    const body = fixtureJson('mistral-response-text.json') as { usage: unknown };
    expect(convertMistralUsage(body.usage)).toEqual({ inputTokens: 13, outputTokens: 434 });
  });

  it('reads prompt_tokens_details.cached_tokens from the live capture (0 is kept, it is a real count)', () => {
    const frames = fixtureFrames('mistral-stream-usage-cached-live.chunks.jsonl', { done: false });
    const last = JSON.parse(frames.at(-1)!.data) as { usage: unknown };
    expect(convertMistralUsage(last.usage)).toEqual({ inputTokens: 19, outputTokens: 2, cachedInputTokens: 0 });
  });

  it('tolerates num_cached_tokens and reads reasoning tokens when present', () => {
    expect(
      convertMistralUsage({ prompt_tokens: 100, completion_tokens: 50, num_cached_tokens: 64, completion_tokens_details: { reasoning_tokens: 30 } }),
    ).toEqual({ inputTokens: 100, outputTokens: 50, cachedInputTokens: 64, reasoningTokens: 30 });
  });

  it('prefers prompt_tokens_details over num_cached_tokens', () => {
    expect(convertMistralUsage({ prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 8 }, num_cached_tokens: 3 })?.cachedInputTokens).toBe(8);
  });

  it('returns undefined for missing or unreadable usage, ignores unknown fields', () => {
    expect(convertMistralUsage(undefined)).toBeUndefined();
    expect(convertMistralUsage(null)).toBeUndefined();
    expect(convertMistralUsage('12')).toBeUndefined();
    expect(convertMistralUsage({ total_tokens: 5 })).toBeUndefined();
    expect(convertMistralUsage({ prompt_tokens: 3, service_tier: 'standard', p: 'x' })).toEqual({ inputTokens: 3, outputTokens: 0 });
  });
});
