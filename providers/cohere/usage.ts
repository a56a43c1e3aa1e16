/**
 * Cohere `usage` → internal Usage. Two counts come back: `billed_units` (what Cohere charges:
 * the prompt WITHOUT the template tokens Cohere adds around it) and `tokens` (everything the
 * model read and wrote). The gateway meters what the provider bills, so billed units win and
 * raw tokens are the fallback. `cached_tokens` is the part of the prompt read from cache.
 */
import type { Usage } from '../types.js';

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined);

export function convertCohereUsage(raw: unknown): Usage | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const u = raw as { billed_units?: Record<string, unknown>; tokens?: Record<string, unknown>; cached_tokens?: unknown };
  const input = count(u.billed_units?.input_tokens) ?? count(u.tokens?.input_tokens);
  const output = count(u.billed_units?.output_tokens) ?? count(u.tokens?.output_tokens);
  if (input === undefined && output === undefined) return undefined;
  const usage: Usage = { inputTokens: input ?? 0, outputTokens: output ?? 0 };
  const cached = count(u.cached_tokens);
  if (cached) usage.cachedInputTokens = Math.min(cached, usage.inputTokens);
  return usage;
}
