/**
 * The Cohere adapter (API v2): chat at `/v2/chat`, embeddings at `/v2/embed`, rerank at `/v2/rerank`; chat has its own message, tool and stream-event
 * shapes, so an OpenAI client's body is always translated through the internal form. Each
 * concern lives in its own file beside this one.
 */
import type { ProviderAdapter, ProviderConfig, SseFrame, UpstreamRequest } from '../adapter.js';
import type { ChatRequest, Usage } from '../types.js';
import { withPassedFields } from '../passed-fields.js';
import { buildCohereEmbeddingRequest, parseCohereEmbeddingResponse } from './embeddings.js';
import { cohereEndpoint } from './endpoint.js';
import { parseCohereError } from './errors.js';
import { buildCohereRerankRequest, parseCohereRerankResponse } from './rerank.js';
import { convertToCohereRequest } from './request.js';
import { parseCohereResponse } from './response.js';
import { cohereStreamMapper } from './stream.js';
import { convertCohereUsage } from './usage.js';

export function buildCohereChatRequest(req: ChatRequest, cfg: ProviderConfig): UpstreamRequest {
  const { url, headers } = cohereEndpoint(cfg, 'chat', req.model, req.stream);
  return { method: 'POST', url, headers, body: JSON.stringify(withPassedFields(convertToCohereRequest(req), req.passedFields)) };
}

export function cohereUsageFromBody(json: unknown): Usage | undefined {
  return json !== null && typeof json === 'object' ? convertCohereUsage((json as { usage?: unknown }).usage) : undefined;
}

/** Only `message-end` carries usage: test the text before parsing. */
export function sniffCohereStreamUsage(frame: SseFrame, _previous: Usage | undefined): Usage | undefined {
  if (!frame.data.includes('"usage"')) return undefined;
  try {
    return convertCohereUsage(JSON.parse(frame.data)?.delta?.usage);
  } catch {
    return undefined;
  }
}

export const cohereAdapter: ProviderAdapter = {
  dialect: 'cohere',
  endpoint: cohereEndpoint,
  chat: {
    buildRequest: buildCohereChatRequest,
    parseResponse: parseCohereResponse,
    stream: cohereStreamMapper,
  },
  embeddings: {
    buildRequest: buildCohereEmbeddingRequest,
    parseResponse: parseCohereEmbeddingResponse,
  },
  rerank: {
    buildRequest: buildCohereRerankRequest,
    parseResponse: parseCohereRerankResponse,
  },
  parseError: parseCohereError,
  usageFromBody: cohereUsageFromBody,
  sniffStreamUsage: sniffCohereStreamUsage,
};
