/**
 * Converse `stopReason` → unified finish reason, raw value kept beside it.
 *
 * | Converse                        | unified          |
 * |---------------------------------|------------------|
 * | `end_turn`, `stop_sequence`     | `stop`           |
 * | `max_tokens`                    | `length`         |
 * | `model_context_window_exceeded` | `length`         |
 * | `tool_use`                      | `tool_calls`     |
 * | `guardrail_intervened`, `content_filtered` | `content_filter` |
 * | anything else / missing         | `other`          |
 */
import type { FinishReason, UnifiedFinishReason } from '../types.js';

// A Map: an upstream value like `constructor` must not hit the prototype.
const TABLE: ReadonlyMap<string, UnifiedFinishReason> = new Map([
  ['end_turn', 'stop'],
  ['stop_sequence', 'stop'],
  ['max_tokens', 'length'],
  ['model_context_window_exceeded', 'length'],
  ['tool_use', 'tool_calls'],
  ['guardrail_intervened', 'content_filter'],
  ['content_filtered', 'content_filter'],
]);

export function mapConverseStopReason(raw: unknown): FinishReason {
  const value = typeof raw === 'string' ? raw : null;
  return { unified: (value !== null && TABLE.get(value)) || 'other', raw: value };
}
