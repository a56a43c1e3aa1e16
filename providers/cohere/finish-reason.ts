/**
 * Cohere `finish_reason` → the unified vocabulary, raw value kept. Enum from the cohere-ai SDK
 * (`ChatFinishReason`): COMPLETE | STOP_SEQUENCE | MAX_TOKENS | TOOL_CALL | ERROR | TIMEOUT.
 * ERROR and TIMEOUT are failed generations: unified `error` (the stream mapper also raises an
 * error event for them).
 */
import type { FinishReason, UnifiedFinishReason } from '../types.js';

export const COHERE_FINISH_REASONS: Readonly<Record<string, UnifiedFinishReason>> = {
  COMPLETE: 'stop',
  STOP_SEQUENCE: 'stop',
  MAX_TOKENS: 'length',
  TOOL_CALL: 'tool_calls',
  ERROR: 'error',
  TIMEOUT: 'error',
};

export function mapCohereFinishReason(raw: unknown): FinishReason {
  if (typeof raw !== 'string' || raw === '') return { unified: 'stop', raw: null };
  return { unified: COHERE_FINISH_REASONS[raw] ?? 'other', raw };
}
