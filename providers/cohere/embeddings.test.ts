import { describe, expect, it } from 'vitest';
import { buildCohereEmbeddingRequest, parseCohereEmbeddingResponse } from './embeddings.js';
import { fixtureJson } from './fixtures.test-helper.js';

const cfg = { name: 'cohere', type: 'cohere', baseUrl: 'https://api.cohere.com', apiKey: 'co-key-123456', headers: {}, options: {} };

describe('Cohere embeddings', () => {
  it('POST /v2/embed: texts, input_type search_document unless asked, floats, dimensions as output_dimension', () => {
    const up = buildCohereEmbeddingRequest({ model: 'embed-v4.0', input: ['a', 'b'], dimensions: 256 }, cfg);
    expect(up.url).toBe('https://api.cohere.com/v2/embed');
    expect(up.headers.authorization).toBe('Bearer co-key-123456');
    expect(JSON.parse(up.body!)).toEqual({ model: 'embed-v4.0', texts: ['a', 'b'], input_type: 'search_document', embedding_types: ['float'], output_dimension: 256 });
    expect(JSON.parse(buildCohereEmbeddingRequest({ model: 'embed-v4.0', input: ['q'], inputType: 'search_query' }, cfg).body!).input_type).toBe('search_query');
  });

  it('reads the float vectors in order and the billed input tokens', () => {
    const res = parseCohereEmbeddingResponse(fixtureJson('embed-response.handmade.json'), { model: 'embed-v4.0', input: ['hello', 'goodbye'] });
    expect(res.embeddings).toEqual([
      [0.016296387, -0.008354187, -0.04699707, -0.07104492],
      [-0.03302002, 0.0184021, 0.0078125, 0.11236572],
    ]);
    expect(res.usage).toEqual({ inputTokens: 2 });
  });

  it('reads base64 float32 vectors too; refuses a body without vectors or with the wrong count', () => {
    const b64 = Buffer.alloc(8);
    b64.writeFloatLE(0.5, 0);
    b64.writeFloatLE(-1, 4);
    expect(parseCohereEmbeddingResponse({ embeddings: { base64: [b64.toString('base64')] } }, { model: 'm', input: ['x'] }).embeddings).toEqual([[0.5, -1]]);
    expect(() => parseCohereEmbeddingResponse({ message: 'nope' }, { model: 'm', input: ['x'] })).toThrow(/no embeddings/);
    expect(() => parseCohereEmbeddingResponse({ embeddings: { float: [[1], [2]] } }, { model: 'm', input: ['x'] })).toThrow(/2 vectors for 1 texts/);
  });
});
