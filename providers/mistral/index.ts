/**
 * The Mistral (La Plateforme) adapter. Dialect `mistral`, not `openai`: although the wire looks
 * like OpenAI's, the differences (9-character tool-call ids, `random_seed`, no `stream_options`,
 * content arrays from reasoning models, whole tool calls and usage on the finish chunk in
 * streams) mean an OpenAI client's body cannot be passed through untouched — the engine must
 * translate through the internal form. Each concern lives in its own file beside this one.
 */
import type { ProviderAdapter, ProviderConfig, SseFrame, UpstreamRequest } from '../adapter.js';
import type { ChatRequest, Usage } from '../types.js';
import { withPassedFields } from '../passed-fields.js';
import { buildMistralEmbeddingRequest, parseMistralEmbeddingResponse } from './embeddings.js';
import { mistralEndpoint } from './endpoint.js';
import { parseMistralError } from './errors.js';
import { convertToMistralRequest } from './request.js';
import { parseMistralResponse } from './response.js';
import { mistralStreamMapper } from './stream.js';
import { convertMistralUsage } from './usage.js';

export function buildMistralChatRequest(req: ChatRequest, cfg: ProviderConfig): UpstreamRequest {
  const { url, headers } = mistralEndpoint(cfg, 'chat', req.model, req.stream);
  return { method: 'POST', url, headers, body: JSON.stringify(withPassedFields(convertToMistralRequest(req, cfg), req.passedFields)) };
}

/** Pass-through observation of a non-streaming body. */
export function mistralUsageFromBody(json: unknown): Usage | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  return convertMistralUsage((json as { usage?: unknown }).usage);
}

/** Pass-through observation of a stream: only the finish chunk carries `"usage"`, so test first. */
export function sniffMistralStreamUsage(frame: SseFrame, _previous: Usage | undefined): Usage | undefined {
  if (!frame.data.includes('"usage"')) return undefined;
  try {
    return mistralUsageFromBody(JSON.parse(frame.data));
  } catch {
    return undefined; // a malformed frame carries no usage we can trust; the engine keeps the previous one
  }
}

export const mistralAdapter: ProviderAdapter = {
  dialect: 'mistral',
  endpoint: mistralEndpoint,
  chat: {
    buildRequest: buildMistralChatRequest,
    parseResponse: parseMistralResponse,
    stream: mistralStreamMapper,
  },
  embeddings: {
    buildRequest: buildMistralEmbeddingRequest,
    parseResponse: parseMistralEmbeddingResponse,
  },
  parseError: parseMistralError,
  usageFromBody: mistralUsageFromBody,
  sniffStreamUsage: sniffMistralStreamUsage,
};

export { convertToMistralRequest } from './request.js';
export { parseMistralResponse } from './response.js';
export { parseMistralError } from './errors.js';
export { mistralStreamMapper } from './stream.js';
export { toMistralToolCallId } from './tool-call-ids.js';
