/**
 * The body of a Vertex chat request: Gemini models take the Gemini adapter's body unchanged;
 * Claude models take the Anthropic adapter's Messages body without `model` (it is in the URL)
 * and with `anthropic_version: "vertex-2023-10-16"` in the body instead of a header (Anthropic's
 * "Claude on Vertex AI" docs).
 */
import type { ProviderConfig, UpstreamRequest } from '../adapter.js';
import { convertToAnthropicRequest } from '../anthropic/request.js';
import { convertToGeminiRequest } from '../gemini/request.js';
import { withPassedFields } from '../passed-fields.js';
import type { ChatRequest } from '../types.js';
import { publisherOf, vertexEndpoint } from './endpoint.js';

export const VERTEX_ANTHROPIC_VERSION = 'vertex-2023-10-16';

export function vertexChatBody(req: ChatRequest, cfg: ProviderConfig): object {
  if (publisherOf(req.model) === 'google') return convertToGeminiRequest(req, cfg);
  const { model: _inUrl, ...body } = convertToAnthropicRequest(req, cfg);
  return { anthropic_version: VERTEX_ANTHROPIC_VERSION, ...body };
}

export function buildVertexChatRequest(req: ChatRequest, cfg: ProviderConfig): UpstreamRequest {
  const { url, headers } = vertexEndpoint(cfg, 'chat', req.model, req.stream);
  return { method: 'POST', url, headers, body: JSON.stringify(withPassedFields(vertexChatBody(req, cfg), req.passedFields)) };
}
