import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../adapter.js';
import { buildGeminiEmbeddingRequest, parseGeminiEmbeddingResponse } from './embeddings.js';

const cfg: ProviderConfig = { name: 'gemini', type: 'gemini', baseUrl: 'http://127.0.0.1:1', apiKey: 'k', headers: {}, options: {} };

describe('Gemini embeddings', () => {
  it('builds a batchEmbedContents request, one entry per input, with outputDimensionality', () => {
    const up = buildGeminiEmbeddingRequest({ model: 'text-embedding-004', input: ['a', 'b c'], dimensions: 256 }, cfg);
    expect(up.method).toBe('POST');
    expect(up.url).toBe('http://127.0.0.1:1/v1beta/models/text-embedding-004:batchEmbedContents');
    expect(up.headers['x-goog-api-key']).toBe('k');
    expect(JSON.parse(up.body!)).toEqual({
      requests: [
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'a' }] }, outputDimensionality: 256 },
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'b c' }] }, outputDimensionality: 256 },
      ],
    });
  });

  it('omits outputDimensionality when no dimensions were asked', () => {
    const up = buildGeminiEmbeddingRequest({ model: 'models/gemini-embedding-001', input: ['a'] }, cfg);
    expect(JSON.parse(up.body!).requests[0]).toEqual({ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] } });
  });

  it('parses vectors; usage is 0 because Gemini reports none (the engine estimates)', () => {
    const res = parseGeminiEmbeddingResponse({ embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }], extra: 1 }, { model: 'm', input: ['a', 'b'] });
    expect(res).toEqual({ model: 'm', embeddings: [[0.1, 0.2], [0.3, 0.4]], usage: { inputTokens: 0 } });
  });

  it('rejects malformed bodies with a clear message', () => {
    expect(() => parseGeminiEmbeddingResponse({}, { model: 'm', input: ['a'] })).toThrow(/no `embeddings` array/);
    expect(() => parseGeminiEmbeddingResponse({ embeddings: [{ values: ['x'] }] }, { model: 'm', input: ['a'] })).toThrow(/embeddings\[0\]/);
    expect(() => parseGeminiEmbeddingResponse({ embeddings: [] }, { model: 'm', input: ['a'] })).toThrow(/0 embeddings for 1 inputs/);
  });
});
