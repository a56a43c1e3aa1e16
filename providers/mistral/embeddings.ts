/**
 * Embeddings on La Plateforme: `POST /v1/embeddings`, OpenAI-like both ways
 * (mistralai SDK 2.7 `EmbeddingRequest$Outbound`: `{model, input, output_dimension,
 * encoding_format}`; `EmbeddingResponse`: `{id, object, model, data:[{object, embedding, index}],
 * usage:{prompt_tokens, …}}`).
 * - `dimensions` → `output_dimension` (only some models, e.g. codestral-embed, accept it; the
 *   upstream's 400 is the honest answer for the others).
 * - Floats are always requested: the internal response carries numbers, and the client surface
 *   encodes base64 itself when asked. A base64 `embedding` (float32 little-endian) is still read.
 * - `user` has no Mistral field: dropped.
 */
import type { ProviderConfig, UpstreamRequest } from '../adapter.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../types.js';
import { readEmbeddingVector } from '../kit/embedding-vector.js';
import { mistralEndpoint } from './endpoint.js';

export function buildMistralEmbeddingRequest(req: EmbeddingRequest, cfg: ProviderConfig): UpstreamRequest {
  const { url, headers } = mistralEndpoint(cfg, 'embeddings', req.model, false);
  const body: Record<string, unknown> = { model: req.model, input: req.input };
  if (req.dimensions !== undefined) body.output_dimension = req.dimensions;
  return { method: 'POST', url, headers, body: JSON.stringify(body) };
}

export function parseMistralEmbeddingResponse(body: unknown, req: EmbeddingRequest): EmbeddingResponse {
  if (body === null || typeof body !== 'object' || !Array.isArray((body as { data?: unknown }).data)) {
    throw new Error('Mistral embeddings response has no data array');
  }
  const b = body as { model?: unknown; data: unknown[]; usage?: { prompt_tokens?: unknown } };
  const rows = b.data.map((row, position) => {
    const r = (row ?? {}) as { index?: unknown; embedding?: unknown };
    return { index: typeof r.index === 'number' ? r.index : position, embedding: readVector(r.embedding, position) };
  });
  rows.sort((a, b2) => a.index - b2.index);
  const prompt = b.usage?.prompt_tokens;
  return {
    model: typeof b.model === 'string' ? b.model : req.model,
    embeddings: rows.map((r) => r.embedding),
    usage: { inputTokens: typeof prompt === 'number' ? prompt : 0 },
  };
}

function readVector(v: unknown, position: number): number[] {
  const vector = readEmbeddingVector(v);
  if (vector) return vector;
  throw new Error(`Mistral embeddings response: data[${position}].embedding is not a vector`);
}
