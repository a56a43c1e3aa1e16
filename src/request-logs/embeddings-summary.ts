import type { UsageRecord } from '../metering/usage-record.js';

/**
 * What is stored of an embeddings answer: its shape without the vectors (thousands of numbers
 * per input are no use in a log and would crowd everything else out of `max_body_bytes`) —
 * `{"object":"list","model","data":[{"object":"embedding","index","embedding":"[1536 dimensions]"}],"usage"}`.
 */
export function embeddingsSummary(model: unknown, vectors: readonly unknown[], rec: UsageRecord): string {
  return JSON.stringify({
    object: 'list',
    model,
    data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: `[${dimensions(v)} dimensions]` })),
    usage: { prompt_tokens: rec.inputTokens, total_tokens: rec.inputTokens },
  });
}

function dimensions(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  // base64 of little-endian float32: 4 bytes a dimension
  if (typeof v === 'string') return Math.floor(Buffer.byteLength(v, 'base64') / 4);
  return 0;
}
