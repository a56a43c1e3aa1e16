/**
 * The Gemini adapter (Generative Language API v1beta): pure translation between the internal
 * form and Gemini's wire format. One concern per file beside this one.
 */
import type { ProviderAdapter } from '../adapter.js';
import { geminiCountTokens } from './count-tokens.js';
import { buildGeminiEmbeddingRequest, parseGeminiEmbeddingResponse } from './embeddings.js';
import { geminiEndpoint } from './endpoint.js';
import { parseGeminiError } from './errors.js';
import { convertToGeminiRequest } from './request.js';
import { withPassedFields } from '../passed-fields.js';
import { parseGeminiResponse } from './response.js';
import { geminiStreamMapper } from './stream.js';
import { geminiUsageFromBody, sniffGeminiStreamUsage } from './usage.js';

export const geminiAdapter: ProviderAdapter = {
  dialect: 'gemini',
  endpoint: geminiEndpoint,
  chat: {
    buildRequest(request, cfg) {
      const { url, headers } = geminiEndpoint(cfg, 'chat', request.model, request.stream);
      return { method: 'POST', url, headers, body: JSON.stringify(withPassedFields(convertToGeminiRequest(request, cfg), request.passedFields)) };
    },
    parseResponse: parseGeminiResponse,
    stream: geminiStreamMapper,
  },
  embeddings: {
    buildRequest: buildGeminiEmbeddingRequest,
    parseResponse: parseGeminiEmbeddingResponse,
  },
  countTokens: geminiCountTokens,
  parseError: parseGeminiError,
  usageFromBody: geminiUsageFromBody,
  sniffStreamUsage: sniffGeminiStreamUsage,
};

export { GeminiRequestError, convertToGeminiRequest } from './request.js';
export { parseGeminiResponse } from './response.js';
export { parseGeminiError } from './errors.js';
export { geminiStreamMapper, type GeminiStreamState } from './stream.js';
