import { describe, expect, it } from 'vitest';
import { parseRerankBody, rerankBody } from './rerank-formats.js';
import type { RerankRequest } from './types.js';

const req: RerankRequest = { model: 'm', query: 'q', documents: ['a', 'b', 'c'], topN: 2, maxTokensPerDoc: 512 };

describe('rerank wire formats', () => {
  it("Cohere's body names top_n and max_tokens_per_doc; Voyage's names top_k and refuses a per-document cap", () => {
    expect(rerankBody('cohere', req)).toEqual({ model: 'm', query: 'q', documents: ['a', 'b', 'c'], top_n: 2, max_tokens_per_doc: 512 });
    expect(rerankBody('voyage', { ...req, maxTokensPerDoc: undefined })).toEqual({ model: 'm', query: 'q', documents: ['a', 'b', 'c'], top_k: 2 });
    expect(() => rerankBody('voyage', req)).toThrow(/no max_tokens_per_doc/);
    expect(rerankBody('cohere', { model: 'm', query: 'q', documents: ['a'] })).toEqual({ model: 'm', query: 'q', documents: ['a'] });
  });

  it('reads results (Cohere, Jina) or data (Voyage), with search units or tokens', () => {
    expect(parseRerankBody({ results: [{ index: 2, relevance_score: 0.9 }], meta: { billed_units: { search_units: 1 } } }, req, 'X')).toEqual({
      results: [{ index: 2, relevanceScore: 0.9 }],
      usage: { searchUnits: 1 },
    });
    expect(parseRerankBody({ data: [{ index: 0, relevance_score: 0.5, document: 'a' }], usage: { total_tokens: 12 } }, req, 'X')).toEqual({
      results: [{ index: 0, relevanceScore: 0.5 }],
      usage: { inputTokens: 12 },
    });
  });

  it('refuses results that name no document of the request, or carry no finite score', () => {
    expect(() => parseRerankBody({ results: [{ index: 3, relevance_score: 1 }] }, req, 'X')).toThrow(/result 0/);
    expect(() => parseRerankBody({ results: [{ index: 0, relevance_score: 'high' }] }, req, 'X')).toThrow(/relevance_score/);
    expect(() => parseRerankBody({ message: 'oops' }, req, 'X')).toThrow(/X rerank response has no results list: \{"message":"oops"\}/);
  });
});
