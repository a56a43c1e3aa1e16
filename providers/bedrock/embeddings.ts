/**
 * Embeddings on Bedrock, through InvokeModel (`POST /model/{modelId}/invoke`, signed like
 * Converse by the adapter's `sign`): each model family has its own body (AWS Bedrock user guide,
 * "Amazon Titan Embeddings" and "Cohere Embed" model parameters).
 * - Titan Text Embeddings (`amazon.titan-embed-text-v2:0`, `-v1`): one text per call,
 *   `{inputText, dimensions, normalize}` (v2; v1 takes `inputText` only) →
 *   `{embedding, inputTextTokenCount}`. Several inputs are refused: one request, one text.
 * - Cohere Embed on Bedrock (`cohere.embed-english-v3`, `cohere.embed-multilingual-v3`,
 *   `cohere.embed-v4:0`, and their inference profiles): `{texts, input_type}` (plus
 *   `output_dimension` and `embedding_types` on v4) → `{embeddings}` (a list, or by type
 *   `{float:[…]}`); Bedrock's body names no token count, so the gateway counts them (estimated).
 */
import type { ProviderConfig, UpstreamRequest } from '../adapter.js';
import { COHERE_DEFAULT_INPUT_TYPE, parseCohereEmbeddingResponse } from '../cohere/embeddings.js';
import type { EmbeddingRequest, EmbeddingResponse } from '../types.js';
import { bedrockEndpoint } from './endpoint.js';

type Family = 'titan-v2' | 'titan-v1' | 'cohere' | 'cohere-v4';

/** The body family of a model id (a foundation model id, or an inference profile `us.…` around one). */
export function embeddingFamily(model: string): Family | undefined {
  if (/amazon\.titan-embed-text-v2/.test(model)) return 'titan-v2';
  if (/amazon\.titan-embed-(text-v1|g1-text)/.test(model)) return 'titan-v1';
  if (/cohere\.embed-v4/.test(model)) return 'cohere-v4';
  if (/cohere\.embed-/.test(model)) return 'cohere';
  return undefined;
}

export function buildBedrockEmbeddingRequest(req: EmbeddingRequest, cfg: ProviderConfig): UpstreamRequest {
  const family = embeddingFamily(req.model);
  if (!family) throw new Error(`Bedrock embeddings are offered for Titan Text Embeddings and Cohere Embed models, not ${JSON.stringify(req.model)}`);
  let body: Record<string, unknown>;
  if (family === 'titan-v2' || family === 'titan-v1') {
    if (req.input.length !== 1) throw new Error(`Titan embeds one text per request: send one input, not ${req.input.length}`);
    body = { inputText: req.input[0] };
    if (family === 'titan-v2') {
      if (req.dimensions !== undefined) body.dimensions = req.dimensions;
      body.normalize = true;
    } else if (req.dimensions !== undefined) throw new Error('Titan Text Embeddings v1 has a fixed size: dimensions cannot be set');
  } else {
    body = { texts: req.input, input_type: req.inputType ?? COHERE_DEFAULT_INPUT_TYPE };
    if (family === 'cohere-v4') {
      body.embedding_types = ['float'];
      if (req.dimensions !== undefined) body.output_dimension = req.dimensions;
    }
  }
  const { url, headers } = bedrockEndpoint(cfg, 'embeddings', req.model, false);
  return { method: 'POST', url, headers, body: JSON.stringify(body) };
}

export function parseBedrockEmbeddingResponse(body: unknown, req: EmbeddingRequest): EmbeddingResponse {
  const b = (body ?? {}) as { embedding?: unknown; inputTextTokenCount?: unknown };
  if (embeddingFamily(req.model)?.startsWith('titan')) {
    if (!Array.isArray(b.embedding) || !b.embedding.every((x) => typeof x === 'number')) throw new Error('Bedrock Titan response has no embedding');
    const tokens = b.inputTextTokenCount;
    return { model: req.model, embeddings: [b.embedding as number[]], usage: { inputTokens: typeof tokens === 'number' && Number.isFinite(tokens) && tokens >= 0 ? tokens : 0 } };
  }
  return parseCohereEmbeddingResponse(body, req);
}
