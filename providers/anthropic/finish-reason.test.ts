import { describe, expect, it } from 'vitest';
import { mapAnthropicStopReason } from './finish-reason.js';

describe('mapAnthropicStopReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'other'],
    ['some_future_reason', 'other'],
    ['constructor', 'other'],
  ])('%s → %s, raw kept beside', (raw, unified) => {
    expect(mapAnthropicStopReason(raw)).toEqual({ unified, raw });
  });

  it('keeps the matched stop sequence', () => {
    expect(mapAnthropicStopReason('stop_sequence', '###')).toEqual({ unified: 'stop', raw: 'stop_sequence', stopSequence: '###' });
    expect(mapAnthropicStopReason('end_turn', null)).toEqual({ unified: 'stop', raw: 'end_turn', stopSequence: null });
  });

  it('a missing or non-string stop_reason is other with raw null', () => {
    expect(mapAnthropicStopReason(null)).toEqual({ unified: 'other', raw: null });
    expect(mapAnthropicStopReason(42)).toEqual({ unified: 'other', raw: null });
  });
});
