import type { Usage } from '../../../providers/types.js';

/** Internal usage (+ cost in USD) → OpenAI's `usage` object with tollgate's `cost` beside the token fields. */
export function toOpenAIUsage(u: Usage, costUsd: number): Record<string, unknown> {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: {
      cached_tokens: u.cachedInputTokens ?? 0,
      ...(u.cacheWriteTokens && { cache_write_tokens: u.cacheWriteTokens }),
    },
    completion_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
    cost: costUsd,
    ...(u.estimated && { estimated: true }),
  };
}
