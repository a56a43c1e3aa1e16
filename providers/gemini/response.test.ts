import { describe, expect, it } from 'vitest';
import { baseRequest, fixtureJson } from './fixtures.test-helper.js';
import { parseGeminiResponse } from './response.js';

const req = baseRequest();

describe('parseGeminiResponse — recorded fixtures', () => {
  it('plain text answer (gemini-unary-text.json)', () => {
    const res = parseGeminiResponse(fixtureJson('gemini-unary-text.json'), req);
    expect(res.content).toEqual([
      { type: 'text', text: "Google's headquarters, also known as the Googleplex, is located in **Mountain View, California**.\n" },
    ]);
    expect(res.finish).toEqual({ unified: 'stop', raw: 'STOP' });
    expect(res.model).toBe('gemini-2.0-flash');
    expect(res.usage).toEqual({ inputTokens: 7, outputTokens: 22 });
    expect(res.id).toMatch(/^gemini-/); // no responseId in this fixture: one is minted
    expect(Number.isInteger(res.created)).toBe(true);
  });

  it('function calls end with STOP but finish as tool_calls (gemini-unary-thinking-function-call.json)', () => {
    const body = fixtureJson('gemini-unary-thinking-function-call.json') as any;
    const res = parseGeminiResponse(body, req);
    expect(res.finish).toEqual({ unified: 'tool_calls', raw: 'STOP' });
    expect(res.id).toBe('38CHaLjMG6TujrEPtvTiuQk');
    expect(res.model).toBe('gemini-2.5-pro');
    expect(res.content.map((p) => p.type)).toEqual(['reasoning', 'tool-call']);
    const reasoning = res.content[0]!;
    expect(reasoning.type === 'reasoning' && reasoning.text.startsWith('**Thinking Through the New Year')).toBe(true);
    const call = res.content[1]!;
    if (call.type !== 'tool-call') throw new Error('expected a tool call');
    expect(call.name).toBe('now');
    expect(call.arguments).toBe('{}');
    expect(call.id).toMatch(/^call_0_[0-9a-z]+$/);
    // the thought signature rides along so it can be echoed on the next turn
    expect(call.providerMetadata).toEqual({ gemini: { thoughtSignature: body.candidates[0].content.parts[1].thoughtSignature } });
  });

  it('candidatesTokenCount excludes thought tokens (38 + 8 + 501 = 547)', () => {
    const res = parseGeminiResponse(fixtureJson('gemini-unary-thinking-function-call.json'), req);
    expect(res.usage).toEqual({ inputTokens: 38, outputTokens: 8 + 501, reasoningTokens: 501 });
  });

  it('synthesised tool-call ids are stable for one response and unique within it', () => {
    const body = fixtureJson('gemini-unary-thinking-function-call.json') as any;
    const a = parseGeminiResponse(body, req);
    const b = parseGeminiResponse(body, req);
    expect((a.content[1] as any).id).toBe((b.content[1] as any).id);

    const two = structuredClone(body);
    two.candidates[0].content.parts.push({ functionCall: { name: 'now', args: {} } });
    const ids = parseGeminiResponse(two, req).content.filter((p) => p.type === 'tool-call').map((p) => (p as any).id);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);

    const other = structuredClone(body);
    other.responseId = 'another-response';
    expect((parseGeminiResponse(other, req).content[1] as any).id).not.toBe((a.content[1] as any).id);
  });

  it('finishReason SAFETY keeps the partial text and finishes content_filter (gemini-unary-finish-reason-safety.json)', () => {
    const res = parseGeminiResponse(fixtureJson('gemini-unary-finish-reason-safety.json'), req);
    expect(res.finish).toEqual({ unified: 'content_filter', raw: 'SAFETY' });
    expect(res.content).toEqual([{ type: 'text', text: 'Safety error incoming in 5, 4, 3, 2...' }]);
    expect(res.usage).toEqual({ inputTokens: 7, outputTokens: 20 });
  });
});

describe('parseGeminiResponse — malformed and edge payloads', () => {
  it('blocked prompt (promptFeedback.blockReason, no candidates) → empty answer, content_filter', () => {
    const res = parseGeminiResponse(
      { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 } },
      req,
    );
    expect(res.content).toEqual([]);
    expect(res.finish).toEqual({ unified: 'content_filter', raw: 'PROHIBITED_CONTENT' });
    expect(res.usage).toEqual({ inputTokens: 9, outputTokens: 0 }); // prompt tokens still metered
    expect(res.model).toBe('gemini-2.5-flash'); // falls back to the requested model
  });

  it('empty candidates array without a reason → a clear error (malformed answer)', () => {
    expect(() => parseGeminiResponse({ candidates: [] }, req)).toThrow(/no candidates and no block reason/);
    expect(() => parseGeminiResponse({}, req)).toThrow(/no candidates/);
  });

  it('a candidate with no content (finish only) gives an empty answer', () => {
    const res = parseGeminiResponse({ candidates: [{ finishReason: 'RECITATION' }] }, req);
    expect(res.content).toEqual([]);
    expect(res.finish).toEqual({ unified: 'content_filter', raw: 'RECITATION' });
  });

  it('unknown fields and unknown part kinds are ignored', () => {
    const res = parseGeminiResponse(
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [{ text: 'a' }, { executableCode: { code: 'x' } }, { text: 'b', somethingNew: 1 }, 42, null],
            },
            finishReason: 'BRAND_NEW_REASON',
            groundingMetadata: {},
          },
        ],
        futureField: { x: 1 },
        usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 2, cachedContentTokenCount: 1, toolUsePromptTokenCount: 3 },
      },
      req,
    );
    expect(res.content).toEqual([{ type: 'text', text: 'ab' }]);
    expect(res.finish).toEqual({ unified: 'other', raw: 'BRAND_NEW_REASON' });
    expect(res.usage).toEqual({ inputTokens: 4, outputTokens: 2, cachedInputTokens: 1 });
  });

  it('function call args are serialised as JSON; a call with MAX_TOKENS stays length', () => {
    const res = parseGeminiResponse(
      { candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: { q: 'x', n: [1, 2] } } }] }, finishReason: 'MAX_TOKENS' }] },
      req,
    );
    expect((res.content[0] as any).arguments).toBe('{"q":"x","n":[1,2]}');
    expect(res.finish).toEqual({ unified: 'length', raw: 'MAX_TOKENS' });
  });

  it('an upstream functionCall id is kept as is', () => {
    const res = parseGeminiResponse({ candidates: [{ content: { parts: [{ functionCall: { id: 'fc-1', name: 'f', args: {} } }] }, finishReason: 'STOP' }] }, req);
    expect((res.content[0] as any).id).toBe('fc-1');
  });

  it('a thought signature on a thought part becomes the reasoning signature', () => {
    const res = parseGeminiResponse({ candidates: [{ content: { parts: [{ text: 't', thought: true, thoughtSignature: 'sig' }, { text: 'answer' }] }, finishReason: 'STOP' }] }, req);
    expect(res.content).toEqual([
      { type: 'reasoning', text: 't', signature: 'sig' },
      { type: 'text', text: 'answer' },
    ]);
  });

  it('throws a clear error on a non-object body (e.g. truncated JSON read as text)', () => {
    expect(() => parseGeminiResponse('{"candidates": [', req)).toThrow(/not a JSON object.*candidates/);
    expect(() => parseGeminiResponse(null, req)).toThrow(/not a JSON object/);
  });

  it('throws on an error object delivered with a 200', () => {
    expect(() => parseGeminiResponse({ error: { code: 500, status: 'INTERNAL', message: 'boom' } }, req)).toThrow(/INTERNAL boom/);
  });
});
