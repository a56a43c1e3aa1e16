import type { FinishReason, UnifiedFinishReason } from '../types.js';

/**
 * OpenAI's finish reasons are the unified vocabulary; anything else an OpenAI-compatible host
 * invents (e.g. `eos`, `model_length`) is mapped by the nearest meaning, raw value kept.
 */
const TABLE: Record<string, UnifiedFinishReason> = {
  stop: 'stop',
  eos: 'stop',
  end_turn: 'stop',
  length: 'length',
  model_length: 'length',
  max_tokens: 'length',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
  content_filter: 'content_filter',
  error: 'error',
};

export function mapOpenAIFinishReason(raw: unknown): FinishReason {
  if (typeof raw !== 'string') return { unified: 'other', raw: null };
  return { unified: TABLE[raw] ?? 'other', raw };
}

/** The model refused (`refusal` text instead of content): `content_filter`, the raw value kept. */
export function refusalFinish(raw: unknown): FinishReason {
  return { unified: 'content_filter', raw: typeof raw === 'string' ? raw : null };
}
