/**
 * Unified finish reason → Anthropic `stop_reason` / `stop_sequence` (docs/wire-facts.md §5, reverse
 * table). Anthropic's values: https://docs.anthropic.com/en/api/messages (StopReason).
 */
import type { FinishReason } from '../../../providers/types.js';

export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

const ANTHROPIC_STOP_REASONS: ReadonlySet<string> = new Set<AnthropicStopReason>([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
]);

export interface AnthropicStop {
  stop_reason: AnthropicStopReason;
  stop_sequence: string | null;
}

/**
 * `hasToolCalls`: whether the answer holds tool_use blocks. Some OpenAI-compatible hosts
 * (vLLM, Ollama) answer tool calls with `finish_reason: "stop"`; Anthropic clients run their
 * tool loop on `stop_reason === "tool_use"`, so a plain stop with tool calls becomes tool_use.
 * `error`/`other` have no Anthropic twin and become `end_turn` (the engine reports real
 * failures as errors, not as a stop reason).
 */
export function mapStopReason(finish: FinishReason, hasToolCalls = false): AnthropicStop {
  const stopSequence = finish.stopSequence ?? null;
  // An Anthropic upstream's raw value is exact (pause_turn, model_context_window_exceeded…): keep it.
  if (finish.raw !== null && ANTHROPIC_STOP_REASONS.has(finish.raw)) {
    const reason = finish.raw as AnthropicStopReason;
    return { stop_reason: reason, stop_sequence: reason === 'stop_sequence' ? stopSequence : null };
  }
  switch (finish.unified) {
    case 'length':
      return { stop_reason: 'max_tokens', stop_sequence: null };
    case 'tool_calls':
      return { stop_reason: 'tool_use', stop_sequence: null };
    case 'content_filter':
      return { stop_reason: 'refusal', stop_sequence: null };
    case 'stop':
      if (stopSequence !== null) return { stop_reason: 'stop_sequence', stop_sequence: stopSequence };
      return { stop_reason: hasToolCalls ? 'tool_use' : 'end_turn', stop_sequence: null };
    default:
      return { stop_reason: hasToolCalls ? 'tool_use' : 'end_turn', stop_sequence: null };
  }
}
