/**
 * Internal usage → Anthropic `usage`, the inverse of docs/wire-facts.md §6. Internally `inputTokens` is
 * the whole prompt (OpenAI's `prompt_tokens`); Anthropic's `input_tokens` excludes what was read
 * from or written to the prompt cache, which it reports beside it.
 */
import type { Usage } from '../../../providers/types.js';

export interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

export function toAnthropicUsage(usage: Usage | undefined): AnthropicUsage {
  if (usage === undefined) {
    return { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 };
  }
  const cacheRead = usage.cachedInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  return {
    // Clamped: an upstream whose cache counts exceed its prompt count must not produce a negative.
    input_tokens: Math.max(0, usage.inputTokens - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    // Reasoning tokens are inside outputTokens already, as inside Anthropic's output_tokens.
    output_tokens: usage.outputTokens,
  };
}
