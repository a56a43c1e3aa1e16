import type { Usage } from '../types.js';

/**
 * OpenAI `CompletionUsage` → internal usage (same meaning: cached ⊂ prompt, reasoning ⊂ completion).
 * `serviceTier`: the response's (or the usage chunk's) top-level `service_tier`. A Responses API
 * `usage` (input_tokens / output_tokens and their `_details`) has the same meaning under other names.
 */
export function convertOpenAIUsage(u: unknown, serviceTier?: unknown): Usage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const x = u as Record<string, any>;
  const chat = typeof x.prompt_tokens === 'number' || typeof x.completion_tokens === 'number';
  if (!chat && typeof x.input_tokens !== 'number') return undefined;
  const inputDetails = chat ? x.prompt_tokens_details : x.input_tokens_details;
  const usage: Usage = {
    inputTokens: num(chat ? x.prompt_tokens : x.input_tokens),
    outputTokens: num(chat ? x.completion_tokens : x.output_tokens),
  };
  const cached = inputDetails?.cached_tokens ?? x.num_cached_tokens;
  if (typeof cached === 'number' && cached > 0) usage.cachedInputTokens = cached;
  const write = inputDetails?.cache_write_tokens;
  if (typeof write === 'number' && write > 0) usage.cacheWriteTokens = write;
  const reasoning = (chat ? x.completion_tokens_details : x.output_tokens_details)?.reasoning_tokens;
  if (typeof reasoning === 'number' && reasoning > 0) usage.reasoningTokens = reasoning;
  if (typeof serviceTier === 'string' && serviceTier) usage.serviceTier = serviceTier;
  return usage;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
