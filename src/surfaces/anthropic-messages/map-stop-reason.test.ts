import { describe, it, expect } from 'vitest';
import type { FinishReason } from '../../../providers/types.js';
import { mapStopReason } from './map-stop-reason.js';

describe('mapStopReason', () => {
  it.each<[FinishReason, boolean, ReturnType<typeof mapStopReason>]>([
    [{ unified: 'stop', raw: 'stop' }, false, { stop_reason: 'end_turn', stop_sequence: null }],
    [{ unified: 'stop', raw: 'stop', stopSequence: 'END' }, false, { stop_reason: 'stop_sequence', stop_sequence: 'END' }],
    [{ unified: 'length', raw: 'length' }, false, { stop_reason: 'max_tokens', stop_sequence: null }],
    [{ unified: 'length', raw: 'MAX_TOKENS' }, false, { stop_reason: 'max_tokens', stop_sequence: null }],
    [{ unified: 'tool_calls', raw: 'tool_calls' }, true, { stop_reason: 'tool_use', stop_sequence: null }],
    [{ unified: 'content_filter', raw: 'SAFETY' }, false, { stop_reason: 'refusal', stop_sequence: null }],
    // Raw Anthropic values are exact and kept, even where the unified value is coarser.
    [{ unified: 'stop', raw: 'pause_turn' }, false, { stop_reason: 'pause_turn', stop_sequence: null }],
    [{ unified: 'length', raw: 'model_context_window_exceeded' }, false, { stop_reason: 'model_context_window_exceeded', stop_sequence: null }],
    [{ unified: 'stop', raw: 'stop_sequence', stopSequence: '###' }, false, { stop_reason: 'stop_sequence', stop_sequence: '###' }],
    [{ unified: 'stop', raw: 'end_turn', stopSequence: null }, false, { stop_reason: 'end_turn', stop_sequence: null }],
    // A host that says "stop" while calling tools: Anthropic clients loop on tool_use.
    [{ unified: 'stop', raw: 'stop' }, true, { stop_reason: 'tool_use', stop_sequence: null }],
    [{ unified: 'other', raw: 'OTHER' }, false, { stop_reason: 'end_turn', stop_sequence: null }],
    [{ unified: 'error', raw: null }, false, { stop_reason: 'end_turn', stop_sequence: null }],
  ])('%o (tool calls: %s) → %o', (finish, hasToolCalls, expected) => {
    expect(mapStopReason(finish, hasToolCalls)).toEqual(expected);
  });
});
