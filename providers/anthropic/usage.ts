/**
 * Anthropic usage → internal Usage (docs/wire-facts.md §6).
 *
 * Anthropic's `input_tokens` EXCLUDES cache reads and cache writes (prompt-caching docs), while
 * our `inputTokens` is the whole prompt, like OpenAI's `prompt_tokens`. So:
 *   inputTokens       = input_tokens + cache_creation_input_tokens + cache_read_input_tokens
 *   cachedInputTokens = cache_read_input_tokens
 *   cacheWriteTokens  = cache_creation_input_tokens
 *   outputTokens      = output_tokens            (thinking already included: it is the billed total)
 *   reasoningTokens   = output_tokens_details.thinking_tokens, when the upstream reports it
 */
import type { Usage } from '../types.js';
import type { AnthropicUsage } from './wire-types.js';

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

export function convertAnthropicUsage(u: AnthropicUsage): Usage {
  const input = count(u.input_tokens) ?? 0;
  const cacheRead = count(u.cache_read_input_tokens);
  const cacheWrite = count(u.cache_creation_input_tokens);
  const usage: Usage = {
    inputTokens: input + (cacheRead ?? 0) + (cacheWrite ?? 0),
    outputTokens: count(u.output_tokens) ?? 0,
  };
  if (cacheRead !== undefined) usage.cachedInputTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  const thinking = count(u.output_tokens_details?.thinking_tokens);
  if (thinking !== undefined) usage.reasoningTokens = thinking;
  return usage;
}

/** Back from the internal form to Anthropic's split, so cumulative updates can be merged. */
function toAnthropicUsage(u: Usage): AnthropicUsage {
  const raw: AnthropicUsage = {
    input_tokens: u.inputTokens - (u.cachedInputTokens ?? 0) - (u.cacheWriteTokens ?? 0),
    output_tokens: u.outputTokens,
  };
  if (u.cachedInputTokens !== undefined) raw.cache_read_input_tokens = u.cachedInputTokens;
  if (u.cacheWriteTokens !== undefined) raw.cache_creation_input_tokens = u.cacheWriteTokens;
  if (u.reasoningTokens !== undefined) raw.output_tokens_details = { thinking_tokens: u.reasoningTokens };
  return raw;
}

/**
 * Apply a `message_delta` usage to what `message_start` (or an earlier delta) said.
 * Every count in `message_delta` is CUMULATIVE (docs "Messages streaming"; SDK MessageDeltaUsage
 * says "The cumulative number of …"): a present count replaces the previous one, never adds to
 * it. Absent or null counts keep the previous value (a delta usually carries only output_tokens).
 */
export function mergeAnthropicUsage(previous: Usage | undefined, delta: AnthropicUsage): Usage {
  const merged: AnthropicUsage = previous ? toAnthropicUsage(previous) : {};
  for (const key of ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const) {
    const v = count(delta[key]);
    if (v !== undefined) merged[key] = v;
  }
  const thinking = count(delta.output_tokens_details?.thinking_tokens);
  if (thinking !== undefined) merged.output_tokens_details = { thinking_tokens: thinking };
  return convertAnthropicUsage(merged);
}
