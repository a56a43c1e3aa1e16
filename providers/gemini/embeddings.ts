/**
 * Embeddings through `batchEmbedContents` (one call for many inputs).
 * https://ai.google.dev/api/embeddings#method:-models.batchembedcontents
 */
import type { ProviderConfig, UpstreamRequest } from '../adapter.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../types.js';
import { geminiEndpoint, geminiModelPath } from './endpoint.js';
import { isRecord } from './wire.js';

export function buildGeminiEmbeddingRequest(req: EmbeddingRequest, cfg: ProviderConfig): UpstreamRequest {
  const { url, headers } = geminiEndpoint(cfg, 'embeddings', req.model, false);
  const model = `models/${geminiModelPath(req.model)}`;
  const body = {
    requests: req.input.map((text) => ({
      model,
      content: { parts: [{ text }] },
      ...(req.dimensions !== undefined ? { outputDimensionality: req.dimensions } : {}),
    })),
  };
  return { method: 'POST', url, headers, body: JSON.stringify(body) };
}

/**
 * `{embeddings:[{values:[…]}]}` → vectors. Gemini reports no token usage for embeddings, so
 * inputTokens is 0 here; the engine counts the input itself (and marks the count estimated).
 */
export function parseGeminiEmbeddingResponse(body: unknown, req: EmbeddingRequest): EmbeddingResponse {
  const list = isRecord(body) ? body.embeddings : undefined;
  if (!Array.isArray(list)) throw new Error('Gemini embeddings response has no `embeddings` array');
  const embeddings = list.map((e, i) => {
    const values = isRecord(e) ? e.values : undefined;
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'number')) {
      throw new Error(`Gemini embeddings response: embeddings[${i}].values is not a list of numbers`);
    }
    return values as number[];
  });
  if (embeddings.length !== req.input.length) {
    throw new Error(`Gemini returned ${embeddings.length} embeddings for ${req.input.length} inputs`);
  }
  return { model: req.model, embeddings, usage: { inputTokens: 0 } };
}
