import { describe, expect, it } from 'vitest';
import { fixture, fixtureJson, splitSse } from './fixtures.test-helper.js';
import { convertGeminiUsage, geminiUsageFromBody, sniffGeminiStreamUsage } from './usage.js';

describe('convertGeminiUsage', () => {
  it('candidatesTokenCount excludes thought tokens: output = candidates + thoughts', () => {
    expect(convertGeminiUsage({ promptTokenCount: 38, candidatesTokenCount: 6, thoughtsTokenCount: 168, totalTokenCount: 212 })).toEqual({
      inputTokens: 38,
      outputTokens: 174,
      reasoningTokens: 168,
    });
  });

  it('toolUsePromptTokenCount is input; cachedContentTokenCount is the cached subset', () => {
    expect(convertGeminiUsage({ promptTokenCount: 100, toolUsePromptTokenCount: 20, cachedContentTokenCount: 64, candidatesTokenCount: 5 })).toEqual({
      inputTokens: 120,
      outputTokens: 5,
      cachedInputTokens: 64,
    });
  });

  it('tolerates missing counts and garbage', () => {
    expect(convertGeminiUsage({ promptTokenCount: 7 })).toEqual({ inputTokens: 7, outputTokens: 0 });
    expect(convertGeminiUsage({ promptTokenCount: 'x' })).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(convertGeminiUsage(undefined)).toBeUndefined();
    expect(convertGeminiUsage([1])).toBeUndefined();
  });
});

describe('geminiUsageFromBody (pass-through observation)', () => {
  it('reads the unary fixture', () => {
    expect(geminiUsageFromBody(fixtureJson('gemini-unary-thinking-function-call.json'))).toEqual({
      inputTokens: 38,
      outputTokens: 509,
      reasoningTokens: 501,
    });
  });
  it('reads the last element of a non-SSE stream array', () => {
    expect(geminiUsageFromBody([{ usageMetadata: { promptTokenCount: 1 } }, { usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 9 } }])).toEqual({
      inputTokens: 1,
      outputTokens: 9,
    });
  });
  it('undefined when the body has no usage', () => {
    expect(geminiUsageFromBody({ candidates: [] })).toBeUndefined();
    expect(geminiUsageFromBody('nope')).toBeUndefined();
  });
});

describe('sniffGeminiStreamUsage', () => {
  it('the last frame of a recorded stream carries the final usage (thinking fixture, CRLF)', () => {
    let usage;
    for (const f of splitSse(fixture('gemini-stream-thinking-function-call.sse'))) usage = sniffGeminiStreamUsage(f, usage) ?? usage;
    expect(usage).toEqual({ inputTokens: 38, outputTokens: 6 + 168, reasoningTokens: 168 });
  });

  it('the last frame wins over earlier snapshots (text fixture, LF)', () => {
    const frames = splitSse(fixture('gemini-stream-text.sse'));
    expect(sniffGeminiStreamUsage(frames[0]!, undefined)).toEqual({ inputTokens: 7, outputTokens: 0 });
    expect(sniffGeminiStreamUsage(frames[2]!, undefined)).toEqual({ inputTokens: 7, outputTokens: 10 });
  });

  it('returns undefined for a frame without usage, and for garbage', () => {
    expect(sniffGeminiStreamUsage({ data: '{"candidates":[]}' }, { inputTokens: 1, outputTokens: 1 })).toBeUndefined();
    expect(sniffGeminiStreamUsage({ data: '{"usageMetadata": {"promptTok' }, undefined)).toBeUndefined();
  });

  it('is not fooled by the key quoted inside the answer text', () => {
    const data = JSON.stringify({
      candidates: [{ content: { parts: [{ text: 'say "usageMetadata": {"promptTokenCount": 999}' }] } }],
      usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4 },
    });
    expect(sniffGeminiStreamUsage({ data }, undefined)).toEqual({ inputTokens: 3, outputTokens: 4 });
  });
});
