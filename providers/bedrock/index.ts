/**
 * The AWS Bedrock adapter (Converse API). Each concern lives in its own file beside this one;
 * auth is the extra step: Bedrock takes a Bedrock API key as a bearer token, or a SigV4
 * signature over the whole request, added by `sign` once per attempt (./sign.ts).
 * Streams (ConverseStream) answer in AWS's binary event-stream framing, not SSE: the stream
 * mapper brings its own framing (./framing.ts).
 */
import type { ProviderAdapter, ProviderConfig, UpstreamRequest } from '../adapter.js';
import type { ChatRequest, Usage } from '../types.js';
import { withPassedFields } from '../passed-fields.js';
import { bedrockAuth, bedrockRegion } from './auth.js';
import { buildBedrockEmbeddingRequest, parseBedrockEmbeddingResponse } from './embeddings.js';
import { bedrockEndpoint } from './endpoint.js';
import { parseBedrockError } from './errors.js';
import { convertToConverseRequest } from './request.js';
import { parseConverseResponse } from './response.js';
import { signSigV4 } from './sign.js';
import { converseStreamMapper } from './stream.js';
import { convertConverseUsage } from './usage.js';

/** The SigV4 service name of Bedrock's runtime endpoints. */
const SIGNING_SERVICE = 'bedrock';

export function buildConverseRequest(req: ChatRequest, cfg: ProviderConfig): UpstreamRequest {
  const { url, headers } = bedrockEndpoint(cfg, 'chat', req.model, req.stream);
  return { method: 'POST', url, headers, body: JSON.stringify(withPassedFields(convertToConverseRequest(req), req.passedFields)) };
}

/** Bearer for a Bedrock API key, else a SigV4 signature; `env` and `now` are passed in for tests. */
export function signBedrockRequest(req: UpstreamRequest, cfg: ProviderConfig, now: Date, env: Readonly<Record<string, string | undefined>> = process.env): Promise<UpstreamRequest> {
  const auth = bedrockAuth(cfg, env);
  if (auth.kind === 'bearer') return Promise.resolve({ ...req, headers: { ...req.headers, authorization: `Bearer ${auth.token}` } });
  return signSigV4(req, auth.credentials, { region: bedrockRegion(cfg, env), service: SIGNING_SERVICE }, now);
}

export function bedrockUsageFromBody(json: unknown): Usage | undefined {
  return json !== null && typeof json === 'object' ? convertConverseUsage((json as { usage?: unknown }).usage) : undefined;
}

export const bedrockAdapter: ProviderAdapter = {
  dialect: 'bedrock',
  endpoint: bedrockEndpoint,
  sign: signBedrockRequest,
  chat: {
    buildRequest: buildConverseRequest,
    parseResponse: parseConverseResponse,
    stream: converseStreamMapper,
  },
  embeddings: {
    buildRequest: buildBedrockEmbeddingRequest,
    parseResponse: parseBedrockEmbeddingResponse,
  },
  parseError: parseBedrockError,
  usageFromBody: bedrockUsageFromBody,
  sniffStreamUsage: () => undefined,
};
