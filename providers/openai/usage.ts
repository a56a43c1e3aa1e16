import type { Usage } from '../types.js';

/**
 * OpenAI `CompletionUsage` → internal usage (same meaning: cached ⊂ prompt, reasoning ⊂ completion).
 * `serviceTier`: the response's (or the usage chunk's) top-level `service_tier`.
 */
export function convertOpenAIUsage(u: unknown, serviceTier?: unknown): Usage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const x = u as Record<string, any>;
  if (typeof x.prompt_tokens !== 'number' && typeof x.completion_tokens !== 'number') return undefined;
  const usage: Usage = {
    inputTokens: num(x.prompt_tokens),
    outputTokens: num(x.completion_tokens),
  };
  const cached = x.prompt_tokens_details?.cached_tokens ?? x.num_cached_tokens;
  if (typeof cached === 'number' && cached > 0) usage.cachedInputTokens = cached;
  const write = x.prompt_tokens_details?.cache_write_tokens;
  if (typeof write === 'number' && write > 0) usage.cacheWriteTokens = write;
  const reasoning = x.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number' && reasoning > 0) usage.reasoningTokens = reasoning;
  if (typeof serviceTier === 'string' && serviceTier) usage.serviceTier = serviceTier;
  return usage;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
