/**
 * Embeddings on Cohere: `POST /v2/embed` (cohere-ai SDK 8 `V2EmbedRequest`:
 * `{model, texts, input_type, embedding_types, output_dimension}`; answer
 * `{id, embeddings:{float:[[…]]}, texts, meta:{billed_units:{input_tokens}}}`).
 * - `input_type` is required by Cohere's v3+ models: the client's own (`input_type`, an extra
 *   body field on `/v1/embeddings`) or `search_document`, the right one for indexing text.
 * - Floats are always asked for: the internal answer carries numbers, and the client surface
 *   encodes base64 itself when asked. A `base64` list (float32 little-endian) is still read.
 * - `dimensions` → `output_dimension` (embed-v4 takes 256, 512, 1024 or 1536; Cohere's 400 is
 *   the honest answer for the others).
 * - Usage: the billed input tokens.
 */
import type { ProviderConfig, UpstreamRequest } from '../adapter.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../types.js';
import { readEmbeddingVector } from '../kit/embedding-vector.js';
import { cohereEndpoint } from './endpoint.js';

export const COHERE_DEFAULT_INPUT_TYPE = 'search_document';

export function buildCohereEmbeddingRequest(req: EmbeddingRequest, cfg: ProviderConfig): UpstreamRequest {
  const { url, headers } = cohereEndpoint(cfg, 'embeddings', req.model, false);
  const body: Record<string, unknown> = { model: req.model, texts: req.input, input_type: req.inputType ?? COHERE_DEFAULT_INPUT_TYPE, embedding_types: ['float'] };
  if (req.dimensions !== undefined) body.output_dimension = req.dimensions;
  return { method: 'POST', url, headers, body: JSON.stringify(body) };
}

export function parseCohereEmbeddingResponse(body: unknown, req: EmbeddingRequest): EmbeddingResponse {
  const b = (body ?? {}) as { embeddings?: unknown; meta?: { billed_units?: { input_tokens?: unknown } } };
  const byType = b.embeddings && typeof b.embeddings === 'object' && !Array.isArray(b.embeddings) ? (b.embeddings as Record<string, unknown>) : undefined;
  // `embeddings_by_type` (v2) answers with {float:[…]}; a v1-style `embeddings_floats` answer is the bare list.
  const rows = Array.isArray(byType?.float) ? byType.float : Array.isArray(byType?.base64) ? byType.base64 : Array.isArray(b.embeddings) ? b.embeddings : undefined;
  if (!rows) throw new Error('Cohere embed response has no embeddings.float list');
  if (rows.length !== req.input.length) throw new Error(`Cohere embed response has ${rows.length} vectors for ${req.input.length} texts`);
  const tokens = b.meta?.billed_units?.input_tokens;
  return {
    model: req.model,
    embeddings: rows.map((row, i) => readVector(row, i)),
    usage: { inputTokens: typeof tokens === 'number' && Number.isFinite(tokens) && tokens >= 0 ? tokens : 0 },
  };
}

function readVector(v: unknown, position: number): number[] {
  const vector = readEmbeddingVector(v);
  if (vector) return vector;
  throw new Error(`Cohere embed response: embeddings[${position}] is not a vector`);
}
