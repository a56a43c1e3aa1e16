/**
 * Rerank on an OpenAI-compatible host that has a rerank endpoint beside its OpenAI API (Jina,
 * Voyage, self-hosted rerankers): `rerank_path` (from the host preset or the provider entry) is
 * appended to the base URL, and `rerank_format` says which body the host speaks (`cohere`, the
 * default, or `voyage`; ../rerank-formats.ts). A host without `rerank_path` does not rerank.
 */
import type { ProviderConfig, UpstreamRequest } from '../adapter.js';
import { parseRerankBody, rerankBody, type RerankFormat } from '../rerank-formats.js';
import type { RerankRequest, RerankResponse } from '../types.js';
import { openAIHeaders } from './endpoint.js';

const formatOf = (cfg: ProviderConfig): RerankFormat => (cfg.options.rerank_format === 'voyage' ? 'voyage' : 'cohere');

export function buildOpenAIRerankRequest(req: RerankRequest, cfg: ProviderConfig): UpstreamRequest {
  const path = cfg.options.rerank_path;
  if (typeof path !== 'string' || path === '') throw new Error(`${cfg.name} has no rerank endpoint (set rerank_path on the provider)`);
  return { method: 'POST', url: cfg.baseUrl + path, headers: openAIHeaders(cfg), body: JSON.stringify(rerankBody(formatOf(cfg), req)) };
}

export function parseOpenAIRerankResponse(body: unknown, req: RerankRequest): RerankResponse {
  return parseRerankBody(body, req, 'the upstream');
}
