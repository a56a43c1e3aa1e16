import { describe, expect, it } from 'vitest';
import { mapOpenAIFinishReason, refusalFinish } from './finish-reason.js';

describe('mapOpenAIFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['function_call', 'tool_calls'],
    ['content_filter', 'content_filter'],
    // Compatible hosts' own words, by nearest meaning.
    ['eos', 'stop'],
    ['model_length', 'length'],
    ['something_new', 'other'],
  ])('%s → %s, the raw value kept', (raw, unified) => {
    expect(mapOpenAIFinishReason(raw)).toEqual({ unified, raw });
  });

  it('no reason is other with raw null; a refusal is content_filter', () => {
    expect(mapOpenAIFinishReason(null)).toEqual({ unified: 'other', raw: null });
    expect(refusalFinish('stop')).toEqual({ unified: 'content_filter', raw: 'stop' });
  });
});
