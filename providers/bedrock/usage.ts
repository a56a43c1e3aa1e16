/**
 * Converse `usage` → internal Usage. Bedrock counts `inputTokens` WITHOUT the cache reads and
 * writes (`cacheReadInputTokens`, `cacheWriteInputTokens`, as Anthropic does); the internal
 * `inputTokens` is the whole prompt, so the three are added. Reasoning is not split out of
 * `outputTokens` by Converse.
 */
import type { Usage } from '../types.js';

const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined);

export function convertConverseUsage(raw: unknown): Usage | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const u = raw as Record<string, unknown>;
  const input = count(u.inputTokens);
  const output = count(u.outputTokens);
  if (input === undefined || output === undefined) return undefined;
  const cacheRead = count(u.cacheReadInputTokens) ?? 0;
  const cacheWrite = count(u.cacheWriteInputTokens) ?? 0;
  const usage: Usage = { inputTokens: input + cacheRead + cacheWrite, outputTokens: output };
  if (cacheRead) usage.cachedInputTokens = cacheRead;
  if (cacheWrite) usage.cacheWriteTokens = cacheWrite;
  return usage;
}
