import { describe, expect, it } from 'vitest';
import { buildBedrockEmbeddingRequest, embeddingFamily, parseBedrockEmbeddingResponse } from './embeddings.js';

const cfg = { name: 'bedrock', type: 'bedrock', baseUrl: 'https://bedrock-runtime.us-east-1.amazonaws.com', headers: {}, options: { region: 'us-east-1' } };

describe('Bedrock embeddings (InvokeModel)', () => {
  it('knows the families by model id, inference profiles included', () => {
    expect(['amazon.titan-embed-text-v2:0', 'amazon.titan-embed-text-v1', 'cohere.embed-english-v3', 'us.cohere.embed-v4:0', 'anthropic.claude-3-haiku'].map(embeddingFamily)).toEqual([
      'titan-v2',
      'titan-v1',
      'cohere',
      'cohere-v4',
      undefined,
    ]);
  });

  it('Titan v2: one inputText with dimensions and normalize, at /model/{id}/invoke', () => {
    const up = buildBedrockEmbeddingRequest({ model: 'amazon.titan-embed-text-v2:0', input: ['hello'], dimensions: 256 }, cfg);
    expect(up.url).toBe('https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-embed-text-v2%3A0/invoke');
    expect(up.headers).toMatchObject({ 'content-type': 'application/json', accept: 'application/json' });
    expect(JSON.parse(up.body!)).toEqual({ inputText: 'hello', dimensions: 256, normalize: true });
  });

  it('Titan refuses several inputs (one text per call) and v1 refuses dimensions', () => {
    expect(() => buildBedrockEmbeddingRequest({ model: 'amazon.titan-embed-text-v2:0', input: ['a', 'b'] }, cfg)).toThrow(/one text per request/);
    expect(() => buildBedrockEmbeddingRequest({ model: 'amazon.titan-embed-text-v1', input: ['a'], dimensions: 256 }, cfg)).toThrow(/fixed size/);
    expect(() => buildBedrockEmbeddingRequest({ model: 'meta.llama3-8b-instruct-v1:0', input: ['a'] }, cfg)).toThrow(/Titan Text Embeddings and Cohere Embed/);
  });

  it('Cohere on Bedrock: texts with input_type (search_document unless asked); v4 asks floats by type and takes output_dimension', () => {
    expect(JSON.parse(buildBedrockEmbeddingRequest({ model: 'cohere.embed-english-v3', input: ['a', 'b'] }, cfg).body!)).toEqual({ texts: ['a', 'b'], input_type: 'search_document' });
    expect(JSON.parse(buildBedrockEmbeddingRequest({ model: 'cohere.embed-v4:0', input: ['q'], inputType: 'search_query', dimensions: 512 }, cfg).body!)).toEqual({
      texts: ['q'],
      input_type: 'search_query',
      embedding_types: ['float'],
      output_dimension: 512,
    });
  });

  it('reads Titan\'s embedding and token count, Cohere\'s list or by-type floats; refuses a body without vectors', () => {
    expect(parseBedrockEmbeddingResponse({ embedding: [0.1, -0.2], inputTextTokenCount: 3 }, { model: 'amazon.titan-embed-text-v2:0', input: ['x'] })).toEqual({
      model: 'amazon.titan-embed-text-v2:0',
      embeddings: [[0.1, -0.2]],
      usage: { inputTokens: 3 },
    });
    expect(parseBedrockEmbeddingResponse({ embeddings: [[1], [2]], response_type: 'embeddings_floats' }, { model: 'cohere.embed-english-v3', input: ['a', 'b'] }).embeddings).toEqual([[1], [2]]);
    expect(parseBedrockEmbeddingResponse({ embeddings: { float: [[3]] } }, { model: 'cohere.embed-v4:0', input: ['a'] }).usage).toEqual({ inputTokens: 0 });
    expect(() => parseBedrockEmbeddingResponse({ message: 'x' }, { model: 'amazon.titan-embed-text-v2:0', input: ['x'] })).toThrow(/no embedding/);
  });
});
