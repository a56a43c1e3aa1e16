import { describe, expect, it } from 'vitest';
import { MISTRAL_FINISH_REASONS, mapMistralFinishReason } from './finish-reason.js';

describe('Mistral finish_reason mapping', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['model_length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['error', 'error'],
    ['content_filter', 'content_filter'],
  ] as const)('%s → %s, raw kept', (raw, unified) => {
    expect(mapMistralFinishReason(raw)).toEqual({ unified, raw });
  });

  it('covers every value of the SDK enum', () => {
    for (const v of ['stop', 'length', 'model_length', 'error', 'tool_calls']) expect(MISTRAL_FINISH_REASONS[v]).toBeDefined();
  });

  it('an unknown value is "other" with the raw value kept', () => {
    expect(mapMistralFinishReason('brand_new_reason')).toEqual({ unified: 'other', raw: 'brand_new_reason' });
  });

  it('a missing reason is a normal stop with raw null', () => {
    expect(mapMistralFinishReason(null)).toEqual({ unified: 'stop', raw: null });
    expect(mapMistralFinishReason(undefined)).toEqual({ unified: 'stop', raw: null });
    expect(mapMistralFinishReason(42)).toEqual({ unified: 'stop', raw: null });
  });
});
