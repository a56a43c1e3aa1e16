import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../adapter.js';
import { buildMistralEmbeddingRequest, parseMistralEmbeddingResponse } from './embeddings.js';

const cfg: ProviderConfig = { name: 'mistral', type: 'mistral', baseUrl: 'https://api.mistral.ai', apiKey: 'k-1', headers: {}, options: {} };

describe('Mistral embeddings', () => {
  it('posts {model, input} to /v1/embeddings; dimensions → output_dimension; user and encoding dropped', () => {
    const up = buildMistralEmbeddingRequest({ model: 'mistral-embed', input: ['a', 'b'], dimensions: 256, encodingFormat: 'base64', user: 'u' }, cfg);
    expect(up.method).toBe('POST');
    expect(up.url).toBe('https://api.mistral.ai/v1/embeddings');
    expect(up.headers.authorization).toBe('Bearer k-1');
    expect(JSON.parse(up.body!)).toEqual({ model: 'mistral-embed', input: ['a', 'b'], output_dimension: 256 });
  });

  it('reads vectors in index order and prompt_tokens', () => {
    const res = parseMistralEmbeddingResponse(
      {
        id: 'e1',
        object: 'list',
        model: 'mistral-embed',
        data: [
          { object: 'embedding', embedding: [0.3, 0.4], index: 1 },
          { object: 'embedding', embedding: [0.1, 0.2], index: 0 },
        ],
        usage: { prompt_tokens: 6, total_tokens: 6, completion_tokens: 0 },
      },
      { model: 'mistral-embed', input: ['a', 'b'] },
    );
    expect(res).toEqual({ model: 'mistral-embed', embeddings: [[0.1, 0.2], [0.3, 0.4]], usage: { inputTokens: 6 } });
  });

  it('decodes a base64 float32 embedding', () => {
    const buf = Buffer.alloc(8);
    buf.writeFloatLE(0.5, 0);
    buf.writeFloatLE(-2, 4);
    const res = parseMistralEmbeddingResponse({ data: [{ embedding: buf.toString('base64') }] }, { model: 'm', input: ['x'] });
    expect(res.embeddings).toEqual([[0.5, -2]]);
    expect(res.model).toBe('m');
    expect(res.usage.inputTokens).toBe(0);
  });

  it('throws clearly on a body without data or with a non-vector', () => {
    expect(() => parseMistralEmbeddingResponse({ object: 'error' }, { model: 'm', input: [] })).toThrow(/no data array/);
    expect(() => parseMistralEmbeddingResponse({ data: [{ embedding: { a: 1 } }] }, { model: 'm', input: ['x'] })).toThrow(/data\[0\]\.embedding/);
  });
});
