/**
 * Mistral `finish_reason` → the unified vocabulary, raw value kept.
 * Enum from mistralai SDK `ChatCompletionChoiceFinishReason`: stop | length | model_length |
 * error | tool_calls [docs/wire-facts.md §4, §5]. `model_length` means the context window ran out,
 * which a client handles like `length`. `error` has no OpenAI equivalent: kept as unified
 * `error` (the stream mapper also raises an error event for it).
 */
import type { FinishReason, UnifiedFinishReason } from '../types.js';

export const MISTRAL_FINISH_REASONS: Readonly<Record<string, UnifiedFinishReason>> = {
  stop: 'stop',
  length: 'length',
  model_length: 'length',
  tool_calls: 'tool_calls',
  error: 'error',
  // Not in Mistral's enum but OpenAI-shaped hosts send it; cheap to understand.
  content_filter: 'content_filter',
};

export function mapMistralFinishReason(raw: unknown): FinishReason {
  if (typeof raw !== 'string' || raw === '') {
    // A complete body without a reason ended normally as far as we can tell.
    return { unified: 'stop', raw: null };
  }
  return { unified: MISTRAL_FINISH_REASONS[raw] ?? 'other', raw };
}
