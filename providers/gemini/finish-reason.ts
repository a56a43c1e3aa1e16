/**
 * Gemini finishReason → unified finish reason, raw value kept beside it.
 * Enum: https://ai.google.dev/api/generate-content#FinishReason (docs/wire-facts.md §3 and §5).
 */
import type { FinishReason, UnifiedFinishReason } from '../types.js';

export const GEMINI_FINISH_REASONS: Readonly<Record<string, UnifiedFinishReason>> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  // Withheld or cut by a filter: safety, recitation (copyright), unsupported language,
  // blocklisted terms, prohibited content, personal data.
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  LANGUAGE: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
  IMAGE_PROHIBITED_CONTENT: 'content_filter', // Vertex
  IMAGE_RECITATION: 'content_filter', // Vertex
  MODEL_ARMOR: 'content_filter', // Vertex
  // The model tried to call a tool and failed (invalid call syntax, a tool it was not given,
  // too many calls): no usable answer, and no OpenAI equivalent — surfaced as `error`.
  MALFORMED_FUNCTION_CALL: 'error',
  UNEXPECTED_TOOL_CALL: 'error',
  TOO_MANY_TOOL_CALLS: 'error',
  OTHER: 'other',
  FINISH_REASON_UNSPECIFIED: 'other',
  IMAGE_OTHER: 'other', // Vertex
  NO_IMAGE: 'other', // Vertex
};

/**
 * Gemini has no tool-specific finish reason: a function-call answer ends with `STOP`
 * (fixture gemini-unary-thinking-function-call.json). So `STOP` (or no reason at all) with a
 * function call in the answer is unified as `tool_calls`.
 */
export function mapGeminiFinishReason(raw: string | undefined | null, hasToolCalls: boolean): FinishReason {
  const value = raw ?? null;
  if (hasToolCalls && (value === null || value === 'STOP')) return { unified: 'tool_calls', raw: value };
  if (value === null) return { unified: 'other', raw: null };
  return { unified: GEMINI_FINISH_REASONS[value] ?? 'other', raw: value };
}

/** A blocked prompt (`promptFeedback.blockReason`, no candidates) finishes as content_filter. */
export function blockedPromptFinish(blockReason: string): FinishReason {
  return { unified: 'content_filter', raw: blockReason };
}
