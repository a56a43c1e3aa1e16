/** Rerank on Cohere: `POST /v2/rerank` in Cohere's own format (../rerank-formats.ts), billed in search units. */
import type { ProviderConfig, UpstreamRequest } from '../adapter.js';
import { parseRerankBody, rerankBody } from '../rerank-formats.js';
import type { RerankRequest, RerankResponse } from '../types.js';
import { cohereBase } from './endpoint.js';

export function buildCohereRerankRequest(req: RerankRequest, cfg: ProviderConfig): UpstreamRequest {
  const { base, headers } = cohereBase(cfg);
  return { method: 'POST', url: `${base}/v2/rerank`, headers, body: JSON.stringify(rerankBody('cohere', req)) };
}

export function parseCohereRerankResponse(body: unknown, req: RerankRequest): RerankResponse {
  return parseRerankBody(body, req, 'Cohere');
}
