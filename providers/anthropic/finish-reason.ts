/**
 * Anthropic `stop_reason` → unified finish reason, raw value kept beside it (docs/wire-facts.md §5).
 *
 * | Anthropic                       | unified          | why                                              |
 * |---------------------------------|------------------|--------------------------------------------------|
 * | `end_turn`                      | `stop`           |                                                  |
 * | `stop_sequence`                 | `stop`           | the matched string is kept in `stopSequence`     |
 * | `max_tokens`                    | `length`         |                                                  |
 * | `model_context_window_exceeded` | `length`         | output was cut by the context window, not chosen |
 * | `tool_use`                      | `tool_calls`     |                                                  |
 * | `refusal`                       | `content_filter` | the model's safety refusal                       |
 * | `pause_turn`                    | `other`          | see below                                        |
 * | anything else / missing         | `other`          | tolerant reader: new values appear over time     |
 *
 * `pause_turn` means a server-tool loop was paused and the turn is *unfinished*: the client must
 * send the response back to continue. docs/wire-facts.md suggests `stop`, but `stop` tells an OpenAI
 * client the answer is complete, which it is not. `other` keeps it distinguishable (the raw
 * value rides along), and a surface may still render it as it sees fit. The gateway never sends
 * server tools itself, so this only happens on pass-through-like requests.
 */
import type { FinishReason, UnifiedFinishReason } from '../types.js';

// A Map, not an object literal: an upstream value like `constructor` must not hit the prototype.
const TABLE: ReadonlyMap<string, UnifiedFinishReason> = new Map([
  ['end_turn', 'stop'],
  ['stop_sequence', 'stop'],
  ['max_tokens', 'length'],
  ['model_context_window_exceeded', 'length'],
  ['tool_use', 'tool_calls'],
  ['refusal', 'content_filter'],
  ['pause_turn', 'other'],
]);

export function mapAnthropicStopReason(raw: unknown, stopSequence?: unknown): FinishReason {
  const value = typeof raw === 'string' ? raw : null;
  const finish: FinishReason = { unified: (value !== null && TABLE.get(value)) || 'other', raw: value };
  if (typeof stopSequence === 'string') finish.stopSequence = stopSequence;
  else if (stopSequence === null) finish.stopSequence = null;
  return finish;
}
