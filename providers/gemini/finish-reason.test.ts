import { describe, expect, it } from 'vitest';
import { blockedPromptFinish, GEMINI_FINISH_REASONS, mapGeminiFinishReason } from './finish-reason.js';

describe('mapGeminiFinishReason', () => {
  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['LANGUAGE', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
    ['IMAGE_SAFETY', 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', 'error'],
    ['UNEXPECTED_TOOL_CALL', 'error'],
    ['TOO_MANY_TOOL_CALLS', 'error'],
    ['OTHER', 'other'],
    ['FINISH_REASON_UNSPECIFIED', 'other'],
    ['SOMETHING_NEW', 'other'],
  ] as const)('%s → %s, raw kept', (raw, unified) => {
    expect(mapGeminiFinishReason(raw, false)).toEqual({ unified, raw });
  });

  it('covers every Gemini API enum value listed in docs/wire-facts.md', () => {
    const enumValues = 'FINISH_REASON_UNSPECIFIED STOP MAX_TOKENS SAFETY RECITATION LANGUAGE OTHER BLOCKLIST PROHIBITED_CONTENT SPII MALFORMED_FUNCTION_CALL IMAGE_SAFETY UNEXPECTED_TOOL_CALL TOO_MANY_TOOL_CALLS'.split(' ');
    for (const v of enumValues) expect(GEMINI_FINISH_REASONS[v], v).toBeDefined();
  });

  it('STOP with a function call is tool_calls (Gemini has no tool finish reason)', () => {
    expect(mapGeminiFinishReason('STOP', true)).toEqual({ unified: 'tool_calls', raw: 'STOP' });
    expect(mapGeminiFinishReason(undefined, true)).toEqual({ unified: 'tool_calls', raw: null });
  });

  it('other reasons win over the presence of a function call', () => {
    expect(mapGeminiFinishReason('MAX_TOKENS', true)).toEqual({ unified: 'length', raw: 'MAX_TOKENS' });
    expect(mapGeminiFinishReason('SAFETY', true)).toEqual({ unified: 'content_filter', raw: 'SAFETY' });
  });

  it('no reason at all without calls is other/null', () => {
    expect(mapGeminiFinishReason(undefined, false)).toEqual({ unified: 'other', raw: null });
  });

  it('a blocked prompt is content_filter with the blockReason as raw', () => {
    expect(blockedPromptFinish('SAFETY')).toEqual({ unified: 'content_filter', raw: 'SAFETY' });
  });
});
