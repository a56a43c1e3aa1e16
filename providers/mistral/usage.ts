/**
 * Mistral `usage` → internal Usage [docs/wire-facts.md §6]. `prompt_tokens` already is the whole prompt
 * and `completion_tokens` includes reasoning, which is what the internal form wants.
 * Cached input: `prompt_tokens_details.cached_tokens` (live capture
 * mistral-stream-usage-cached-live.chunks.jsonl); `num_cached_tokens` is tolerated as a fallback.
 */
import type { Usage } from '../types.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function convertMistralUsage(raw: unknown): Usage | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const u = raw as Record<string, any>;
  const input = num(u.prompt_tokens);
  const output = num(u.completion_tokens);
  if (input === undefined && output === undefined) return undefined;
  const usage: Usage = { inputTokens: input ?? 0, outputTokens: output ?? 0 };
  const cached = num(u.prompt_tokens_details?.cached_tokens) ?? num(u.num_cached_tokens);
  if (cached !== undefined) usage.cachedInputTokens = cached;
  const reasoning = num(u.completion_tokens_details?.reasoning_tokens);
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  return usage;
}
