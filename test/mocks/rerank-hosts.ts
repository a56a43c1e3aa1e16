/**
 * Loopback rerank endpoints of two OpenAI-compatible hosts, in their documented shapes:
 * - Jina `POST /v1/rerank`: Cohere's body (`top_n`, `return_documents`) → `{model, usage:{total_tokens}, results:[{index, relevance_score}]}`;
 * - Voyage `POST /v1/rerank`: `top_k` → `{object:'list', data:[{index, relevance_score}], model, usage:{total_tokens}}`.
 * Scores are the Cohere mock's (share of query words in the document); tokens are words of the
 * query (once per document) and of the documents. A wrong bearer key is a 401.
 */
import { cohereMockRelevance } from './cohere.js';
import type { MockHandler } from './http-mock.js';

const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

function ranked(query: string, documents: string[], top: unknown) {
  const all = documents.map((d, index) => ({ index, relevance_score: cohereMockRelevance(query, d) })).sort((a, b) => b.relevance_score - a.relevance_score || a.index - b.index);
  return typeof top === 'number' ? all.slice(0, top) : all;
}

export function rerankHostHandler(host: 'jina' | 'voyage', apiKey: string): MockHandler {
  return (req) => {
    if (req.headers.authorization !== `Bearer ${apiKey}`) return { status: 401, json: { detail: 'Unauthorized' } };
    if (req.method !== 'POST' || req.path !== '/v1/rerank') return { status: 404, json: { detail: 'Not Found' } };
    const { model, query, documents } = req.body ?? {};
    if (typeof query !== 'string' || !Array.isArray(documents)) return { status: 422, json: { detail: 'query and documents are required' } };
    const tokens = words(query) * documents.length + words(documents.join(' '));
    if (host === 'voyage') return { json: { object: 'list', data: ranked(query, documents, req.body.top_k), model, usage: { total_tokens: tokens } } };
    return { json: { model, usage: { total_tokens: tokens }, results: ranked(query, documents, req.body.top_n) } };
  };
}
